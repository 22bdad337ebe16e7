"""The Milvus store: the same index in Milvus Lite (a path ending in ``.db``) or in a Milvus server
or cluster (``http(s)://host:port``, optionally ``/database``), through pymilvus's ``MilvusClient``.

An optional extra (``pip install report-qa[milvus]``), imported only for a Milvus location. The
token of a server comes from ``$QA_MILVUS_TOKEN`` (``user:password`` or an API key), never from the
address: an address with credentials in it is refused.

Collections (``g`` is the generation: a rebuild writes a new one beside the one in use)::

    qa_meta           key -> value (JSON): "settings" (the manifest without its documents, the
                      generation, the version, the vocabulary's parts, the journal of an update in
                      flight), "vocab-G-V-N" (parts of the vocabulary), "journal-N", "lock"
    qa_chunks_G       one row per chunk: id, file, the document's region, year, level, source and
                      title, section, position, offsets, pages, OCR confidence, duplicate key, the
                      text shown (original script), the text matched (OpenCC-simplified section and
                      text, analysed by jieba into Milvus's BM25 function) and the dense vector (inner
                      product on L2-normalised vectors)
    qa_documents_G    file -> sha256, the DocumentEntry fields (JSON), its chunk ids (as ranges), count
    qa_texts_G        each document's cleaned text (the source view), in parts, by its sha256

Retrieval asks Milvus for candidates (dense and BM25 requests, every filter on each request) and
then scores them as the local store does: cosines from the stored vectors, and BM25 over the
index's own tokeniser (character bigrams by default) from the vocabulary of document frequencies
that every update keeps in ``qa_meta``. The project's fusion therefore sees the same numbers as on
the local store; Milvus's BM25 (jieba words, statistics per segment on Lite) only chooses the
candidates. The vocabulary is also what :meth:`MilvusStore.knows` reads, in memory.

Updates: a document's record is written only after its chunks are in, the old chunks are deleted
after it, and a journal (the files an update touches) is written first; an update that is
interrupted leaves each document wholly old or wholly new, and the next one (on taking the lock)
compares each touched document's record with the rows present, removes what is left over and
recounts the vocabulary. A ``.db`` is used by one process at a time (Milvus Lite's own lock); its
updates are kept apart by ``kb.db.lock`` beside it. On a server, a lease record in ``qa_meta`` keeps
``qa index`` runs apart (best effort: two writers racing within the same fraction of a second could
both take it; run one indexer per index).
"""

from __future__ import annotations

# connection comes first: it says what to install when pymilvus is missing (isort keeps it first)
from qa.store.milvus.connection import TOKEN_ENV, Location, MilvusClient, NoIndex, _clients, connect, release
from qa.store.milvus.lease import _read_key
from qa.store.milvus.reader import MilvusStore
from qa.store.milvus.rows import _ranges, _unranged
from qa.store.milvus.schema import DUMMY, LOCK, META, PREFIX, SETTINGS, _names, drop
from qa.store.milvus.state import _read_settings, index_exists
from qa.store.milvus.vocabulary import Scorer, Vocabulary
from qa.store.milvus.writer import MilvusWriter
from qa.text import to_simplified

# The underscored names, MilvusClient (whose methods the interruption tests wrap) and to_simplified
# are what the tests and bench.milvus reach for through this package.
__all__ = [
    "DUMMY",
    "LOCK",
    "META",
    "PREFIX",
    "SETTINGS",
    "TOKEN_ENV",
    "Location",
    "MilvusClient",
    "MilvusStore",
    "MilvusWriter",
    "NoIndex",
    "Scorer",
    "Vocabulary",
    "_clients",
    "_names",
    "_ranges",
    "_read_key",
    "_read_settings",
    "_unranged",
    "connect",
    "drop",
    "index_exists",
    "release",
    "to_simplified",
]
