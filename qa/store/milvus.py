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

import base64
import contextlib
import json
import logging
import math
import os
import socket
import threading
import time
import uuid
import zlib
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from qa.errors import IndexBusy, IndexProblem
from qa.store.base import Change, DocumentText, Progress
from qa.store.dense import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, choose_index_type
from qa.store.folder import StoredChunk
from qa.store.manifest import FORMAT_VERSION, DocumentEntry, Manifest
from qa.text import to_simplified, tokenize

try:
    from pymilvus import DataType, Function, FunctionType, MilvusClient, MilvusException
except ImportError as error:  # pragma: no cover - the message is what matters
    raise IndexProblem(
        "a Milvus index needs the Milvus client: pip install 'report-qa[milvus]' (pymilvus and milvus-lite)"
    ) from error

log = logging.getLogger(__name__)

TOKEN_ENV = "QA_MILVUS_TOKEN"
PREFIX = "qa"
META = f"{PREFIX}_meta"
SETTINGS = "settings"
LOCK = "lock"

INSERT_BATCH = 500  # rows per insert request (a row is ~2-3 KB with its vector)
ID_BATCH = 1000  # ids per ``id in [...]`` request
MAX_LIMIT = 16384  # Milvus caps topk and query windows at 16384
MAX_ID_FILTER = 10_000  # an allowed set larger than this (and not whole documents) is filtered by files
TEXT_BYTES = 65535  # VARCHAR maximum on a server, which counts UTF-8 bytes (Lite counts characters)
TEXT_PART = 16_000  # characters per part of a document text (at most 4 bytes each)
VOCAB_PART = 32_000  # base64 characters per vocabulary record
JOURNAL_PART = 300  # file names per journal record
CACHE_CHUNKS = 50_000  # chunks kept by an open store (fetched with the candidates of each question)
LEXICAL_POOL = 2  # Milvus BM25 candidates per chunk asked for, re-scored with the index's BM25
LEASE_SECONDS = 60.0
DUMMY = [0.0, 0.0]  # Milvus wants a vector field in every collection

_CHUNK_FIELDS = [
    "id",
    "file",
    "position",
    "section",
    "start",
    "end",
    "page",
    "page_end",
    "ocr_confidence",
    "key",
    "text",
]


class NoIndex(IndexProblem):
    def __init__(self, location: Location) -> None:
        super().__init__(f"no index in {location.text}: build it with 'qa index --index {location.text}'")


# -- locations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where a Milvus index is: a Milvus Lite ``.db`` folder or a server address."""

    text: str  # as given, for messages and ``--index``
    uri: str  # what MilvusClient is given

    @property
    def lite(self) -> bool:
        return self.uri.endswith(".db")

    @classmethod
    def parse(cls, location: Path | str) -> Location:
        text = str(location)
        if text.startswith(("http://", "https://")):
            parsed = urlparse(text)
            if parsed.username or parsed.password:
                raise IndexProblem(
                    f"{parsed.scheme}://…@{parsed.hostname}: put the credentials in ${TOKEN_ENV}, not in the address "
                    "(a command line is seen by everyone on the machine)"
                )
            return cls(text, text.rstrip("/"))
        if not text.endswith(".db"):
            raise IndexProblem(f"{text}: not a Milvus location (a path ending in .db, or http(s)://host:port)")
        return cls(text, str(Path(text).expanduser().resolve()))


_clients: dict[str, MilvusClient] = {}
_clients_lock = threading.Lock()


def connect(location: Location, create: bool = False) -> MilvusClient:
    """The process's client for ``location`` (one per location: a ``.db`` is opened once per process).
    ``create``: make the ``.db`` folder, or the server's database named in the address, if missing."""
    with _clients_lock:
        client = _clients.get(location.uri)
        if client is not None:
            return client
        if location.lite and not Path(location.uri).exists():
            if not create:
                raise NoIndex(location)
            Path(location.uri).parent.mkdir(parents=True, exist_ok=True)
        token = os.environ.get(TOKEN_ENV, "")
        try:
            with _quiet("milvus_lite"):  # it logs a traceback for a .db held by another process
                if not location.lite:
                    _ensure_database(location, token, create)
                client = MilvusClient(location.uri, token=token, timeout=10)
        except MilvusException as error:
            raise _unreachable(location, error) from error
        _clients[location.uri] = client
        return client


def _ensure_database(location: Location, token: str, create: bool) -> None:
    """The database an address names (``http://host:port/NAME``), made when an update needs it."""
    parsed = urlparse(location.uri)
    name = parsed.path.strip("/").split("/")[0]
    if not name or name == "default":
        return
    root = MilvusClient(f"{parsed.scheme}://{parsed.netloc}", token=token, timeout=10)
    try:
        if name not in root.list_databases():
            if not create:
                raise NoIndex(location)
            root.create_database(name)
    finally:
        root.close()


@contextmanager
def _quiet(*names: str):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _unreachable(location: Location, error: Exception) -> IndexProblem:
    if location.lite:
        return IndexBusy(
            f"{location.text} is open in another process (Milvus Lite lets one process use a database at a "
            "time): stop it, or serve the database with 'milvus-lite server --data-dir "
            f"{location.text} --host 127.0.0.1 --port 19530' and use --index http://127.0.0.1:19530"
        )
    return IndexProblem(f"cannot reach Milvus at {location.text}: {getattr(error, 'message', error)}")


def release(location: Path | str) -> None:
    """Close this process's client for ``location``; for a ``.db``, stop Milvus Lite's engine in this
    process too, so that another process can open the database (``close()`` alone keeps its lock)."""
    parsed = Location.parse(location)
    with _clients_lock:
        client = _clients.pop(parsed.uri, None)
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()
    if parsed.lite:
        with contextlib.suppress(ImportError):
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(parsed.uri)


def index_exists(location: Path | str) -> bool:
    parsed = Location.parse(location)
    try:
        client = connect(parsed)
    except NoIndex:
        return False
    return _read_settings(client) is not None


def drop(location: Path | str) -> None:
    """Remove the report-qa collections at ``location`` (tests and benchmarks start from nothing)."""
    client = connect(Location.parse(location), create=True)
    for name in client.list_collections():
        if name == META or name.startswith(f"{PREFIX}_") and _generation_of(name) is not None:
            client.drop_collection(name)


def _quote(text: str) -> str:
    """A Milvus string literal (double quotes, backslash escapes)."""
    return json.dumps(text, ensure_ascii=False)


def _names(generation: int) -> tuple[str, str, str]:
    return f"{PREFIX}_chunks_{generation}", f"{PREFIX}_documents_{generation}", f"{PREFIX}_texts_{generation}"


def _generation_of(name: str) -> int | None:
    kind, _, number = name[len(PREFIX) + 1 :].rpartition("_")
    return int(number) if kind in ("chunks", "documents", "texts") and number.isdigit() else None


def _clip(text: str | None, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes (scalar copies of metadata only)."""
    data = (text or "").encode("utf-8")
    return (text or "") if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def _ranges(ids: Sequence[int]) -> list[list[int]]:
    """Sorted chunk ids as [first, last + 1) runs (a document's ids are one run per update)."""
    runs: list[list[int]] = []
    for chunk_id in sorted(int(i) for i in ids):
        if runs and runs[-1][1] == chunk_id:
            runs[-1][1] += 1
        else:
            runs.append([chunk_id, chunk_id + 1])
    return runs


def _unranged(runs: Iterable[Sequence[int]]) -> tuple[int, ...]:
    return tuple(chunk_id for first, stop in runs for chunk_id in range(int(first), int(stop)))


def _rows_deleted(result: object) -> int:
    if isinstance(result, dict):
        return int(result.get("delete_count", 0))
    return len(result) if isinstance(result, list | tuple) else 0


# -- schema --------------------------------------------------------------------------------------------


def _dummy_schema(key: str, key_length: int):
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field(key, DataType.VARCHAR, is_primary=True, max_length=key_length)
    return schema


def _with_dummy_vector(client: MilvusClient, name: str, schema) -> None:
    schema.add_field("_v", DataType.FLOAT_VECTOR, dim=2)
    index = client.prepare_index_params()
    index.add_index(field_name="_v", index_type="FLAT", metric_type="L2")
    _create(client, name, schema, index)


# Creating an index asks for a timestamp that Milvus Lite does not serve; its gRPC server (in this
# process for a .db) logs the refusal with a traceback, and pymilvus the fallback: both harmless.
_LITE_NOISE = ("grpc._server", "pymilvus.client.iterator.query_iterator")


def _create(client: MilvusClient, name: str, schema, index) -> None:
    with _quiet(*_LITE_NOISE):
        client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")


def _create_meta(client: MilvusClient) -> None:
    if client.has_collection(META):
        return
    schema = _dummy_schema("key", 256)
    schema.add_field("value", DataType.JSON)
    _with_dummy_vector(client, META, schema)


def _dense_index(kind: str) -> dict[str, object]:
    if kind == "hnsw":
        return {
            "index_type": "HNSW",
            "metric_type": "IP",
            "params": {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION},
        }
    return {"index_type": "FLAT", "metric_type": "IP", "params": {}}


def _create_generation(client: MilvusClient, generation: int, dimension: int, dense_type: str) -> None:
    chunks, documents, texts = _names(generation)
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("file", DataType.VARCHAR, max_length=4096)
    schema.add_field("region", DataType.VARCHAR, max_length=256)
    schema.add_field("year", DataType.INT64, nullable=True)
    schema.add_field("level", DataType.VARCHAR, max_length=64)
    schema.add_field("source", DataType.VARCHAR, max_length=1024)
    schema.add_field("title", DataType.VARCHAR, max_length=2048)
    schema.add_field("section", DataType.JSON)
    for name in ("position", "start", "end"):
        schema.add_field(name, DataType.INT64)
    schema.add_field("page", DataType.INT64, nullable=True)
    schema.add_field("page_end", DataType.INT64, nullable=True)
    schema.add_field("ocr_confidence", DataType.DOUBLE, nullable=True)
    schema.add_field("key", DataType.VARCHAR, max_length=64)
    schema.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES)
    schema.add_field(
        "match_text",
        DataType.VARCHAR,
        max_length=TEXT_BYTES,
        enable_analyzer=True,
        analyzer_params={"tokenizer": "jieba"},
    )
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_function(
        Function(
            name="bm25",
            function_type=FunctionType.BM25,
            input_field_names=["match_text"],
            output_field_names=["sparse"],
        )
    )
    index = client.prepare_index_params()
    index.add_index(field_name="dense", **_dense_index(dense_type))
    index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params={})
    for name in ("file", "region", "year", "level"):
        index.add_index(field_name=name, index_type="INVERTED")
    _create(client, chunks, schema, index)

    schema = _dummy_schema("file", 4096)
    schema.add_field("sha256", DataType.VARCHAR, max_length=64)
    schema.add_field("entry", DataType.JSON)
    schema.add_field("ranges", DataType.JSON)
    schema.add_field("chunks", DataType.INT64)
    _with_dummy_vector(client, documents, schema)

    schema = _dummy_schema("key", 96)
    schema.add_field("sha", DataType.VARCHAR, max_length=64)
    schema.add_field("part", DataType.INT64)
    schema.add_field("body", DataType.VARCHAR, max_length=TEXT_BYTES)
    _with_dummy_vector(client, texts, schema)


def _load(client: MilvusClient, names: Iterable[str]) -> None:
    """A reopened database's collections are not loaded; searching one would fail."""
    from pymilvus.client.types import LoadState

    for name in names:
        if client.get_load_state(name)["state"] != LoadState.Loaded:
            client.load_collection(name)


def _chunk_row(chunk: StoredChunk, vector: np.ndarray, entry: DocumentEntry) -> dict[str, object]:
    text_bytes = len(chunk.text.encode("utf-8"))
    if text_bytes > TEXT_BYTES:
        raise IndexProblem(f"{chunk.file}: a passage of {text_bytes} bytes is longer than Milvus takes ({TEXT_BYTES})")
    return {
        "id": int(chunk.id),
        "file": chunk.file,
        "region": _clip(entry.region, 256),
        "year": entry.shown_year,
        "level": _clip(entry.level, 64),
        "source": _clip(entry.source, 1024),
        "title": _clip(entry.title, 2048),
        "section": list(chunk.section),
        "position": int(chunk.index),
        "start": int(chunk.start),
        "end": int(chunk.end),
        "page": chunk.page,
        "page_end": chunk.page_end,
        "ocr_confidence": chunk.ocr_confidence,
        "key": chunk.key,
        "text": chunk.text,
        "match_text": _clip(to_simplified(chunk.embedding_text()), TEXT_BYTES),
        "dense": np.asarray(vector, dtype=np.float32).tolist(),
    }


def _stored_chunk(row: Mapping[str, object]) -> StoredChunk:
    return StoredChunk(
        id=int(row["id"]),  # type: ignore[arg-type]
        file=str(row["file"]),
        index=int(row["position"]),  # type: ignore[arg-type]
        section=tuple(row["section"] or ()),  # type: ignore[arg-type]
        start=int(row["start"]),  # type: ignore[arg-type]
        end=int(row["end"]),  # type: ignore[arg-type]
        text=str(row["text"]),
        key=str(row["key"]),
        page=None if row.get("page") is None else int(row["page"]),  # type: ignore[arg-type]
        page_end=None if row.get("page_end") is None else int(row["page_end"]),  # type: ignore[arg-type]
        ocr_confidence=None if row.get("ocr_confidence") is None else float(row["ocr_confidence"]),  # type: ignore[arg-type]
    )


def _document_row(file: str, entry: DocumentEntry) -> dict[str, object]:
    record = entry.to_json()
    record.pop("chunk_ids", None)
    return {
        "file": file,
        "sha256": entry.sha256,
        "entry": record,
        "ranges": _ranges(entry.chunk_ids),
        "chunks": len(entry.chunk_ids),
        "_v": DUMMY,
    }


def _document_entry(row: Mapping[str, object]) -> DocumentEntry:
    record = dict(row["entry"])  # type: ignore[call-overload]
    record["chunk_ids"] = _unranged(row["ranges"])  # type: ignore[arg-type]
    return DocumentEntry.from_json(record)


# -- the vocabulary: document frequencies of the index's own tokens ---------------------------------


@dataclass
class Vocabulary:
    """Document frequency of each token over the chunks, the chunk count and the total length: BM25
    as the local store computes it (bm25s, Lucene's idf), and :meth:`MilvusStore.knows`."""

    frequencies: dict[str, int]
    chunks: int = 0
    length: int = 0

    @staticmethod
    def tokens(text: str, tokenizer: str) -> list[str]:
        return tokenize(text, tokenizer) or [""]  # an empty chunk is one empty token, as in bm25s

    def add(self, tokens: Sequence[str], sign: int = 1) -> None:
        self.chunks += sign
        self.length += sign * len(tokens)
        frequencies = self.frequencies
        for token in set(tokens):
            count = frequencies.get(token, 0) + sign
            if count > 0:
                frequencies[token] = count
            else:
                frequencies.pop(token, None)

    def encode(self) -> list[str]:
        data = json.dumps({"chunks": self.chunks, "length": self.length, "df": self.frequencies}, ensure_ascii=False)
        packed = base64.b64encode(zlib.compress(data.encode("utf-8"), 6)).decode("ascii")
        return [packed[start : start + VOCAB_PART] for start in range(0, len(packed), VOCAB_PART)] or [""]

    @classmethod
    def decode(cls, parts: Sequence[str]) -> Vocabulary:
        record = json.loads(zlib.decompress(base64.b64decode("".join(parts))).decode("utf-8"))
        return cls(dict(record["df"]), int(record["chunks"]), int(record["length"]))


class Scorer:
    """BM25 of a query against chunks, from the vocabulary and each chunk's tokens (the numbers of the
    local store's bm25s index over the same chunks: Lucene idf, k1 and b of the index's settings)."""

    def __init__(self, vocabulary: Vocabulary, k1: float, b: float) -> None:
        self.vocabulary, self.k1, self.b = vocabulary, k1, b
        self.average = vocabulary.length / vocabulary.chunks if vocabulary.chunks else 1.0

    def idf(self, token: str) -> float:
        frequency = self.vocabulary.frequencies.get(token, 0)
        chunks = self.vocabulary.chunks
        return math.log(1.0 + (chunks - frequency + 0.5) / (frequency + 0.5))

    def score(self, query: Sequence[str], counts: Mapping[str, int], length: int) -> float:
        norm = self.k1 * (1.0 - self.b + self.b * length / self.average)
        total = 0.0
        for token in query:  # a repeated query token counts again, as in bm25s
            frequency = counts.get(token, 0)
            if frequency:
                total += self.idf(token) * frequency / (norm + frequency)
        return total


# -- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cached:
    chunk: StoredChunk
    counts: Counter  # token counts of its matched text (for BM25)
    length: int


class MilvusStore:
    """A snapshot of a Milvus index: its manifest and vocabulary, read once; chunks fetched from Milvus
    with each question's candidates and kept (up to :data:`CACHE_CHUNKS`). Thread-safe for reading.

    Rows that are not in the snapshot's manifest (written by an update after it was opened) are never
    returned; :meth:`stale` says when to open a newer snapshot."""

    def __init__(self, location: Location, client: MilvusClient, state: _State) -> None:
        self._location, self._client, self._state = location, client, state
        self.manifest = state.manifest
        self._chunks_name, _, self._texts_name = _names(state.generation)
        self._tokenizer = state.manifest.lexical.tokenizer
        self._scorer = Scorer(state.vocabulary, state.manifest.lexical.k1, state.manifest.lexical.b)
        self._ids_of_file = {
            name: np.array(sorted(entry.chunk_ids), dtype=np.int64) for name, entry in self.manifest.documents.items()
        }
        self._files = sorted(self._ids_of_file)
        ids = [self._ids_of_file[name] for name in self._files]
        owner = [np.full(len(array), number, dtype=np.int32) for number, array in enumerate(ids)]
        all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        order = np.argsort(all_ids, kind="stable")
        self._ids = all_ids[order]
        self._owner = (np.concatenate(owner) if owner else np.zeros(0, dtype=np.int32))[order]
        self._cache: OrderedDict[int, _Cached] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._texts: OrderedDict[str, DocumentText] = OrderedDict()

    @classmethod
    def open(cls, location: Path | str) -> MilvusStore:
        parsed = Location.parse(location)
        client = connect(parsed)
        state = _read_state(client, parsed, vocabulary=True)
        if state is None:
            raise NoIndex(parsed)
        _load(client, _names(state.generation))
        store = cls(parsed, client, state)
        log.info(
            "opened %s (generation %d, version %d): %d chunks", parsed.text, state.generation, state.version, len(store)
        )
        return store

    @property
    def location(self) -> str:
        return self._location.text

    @property
    def version(self) -> str:
        return f"milvus-g{self._state.generation}-v{self._state.version}"

    def stale(self) -> bool:
        try:
            rows = self._client.query(META, ids=[SETTINGS], output_fields=["value"])
        except MilvusException:
            return True  # gone: opening it again says what happened
        settings = rows[0]["value"] if rows else {}
        return (settings.get("generation"), settings.get("version")) != (self._state.generation, self._state.version)

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[StoredChunk]:
        for start in range(0, len(self._ids), ID_BATCH):
            batch = self._ids[start : start + ID_BATCH]
            rows = {int(row["id"]): row for row in self._query_ids(batch, _CHUNK_FIELDS)}
            for chunk_id in batch:
                row = rows.get(int(chunk_id))
                if row is not None:
                    yield _stored_chunk(row)

    def _known(self, ids: np.ndarray) -> np.ndarray:
        """Which of ``ids`` the snapshot holds."""
        if not len(self._ids):
            return np.zeros(len(ids), dtype=bool)
        positions = np.clip(np.searchsorted(self._ids, ids), 0, len(self._ids) - 1)
        return self._ids[positions] == ids

    def file_of(self, chunk_id: int) -> str:
        position = int(np.searchsorted(self._ids, chunk_id))
        if position >= len(self._ids) or self._ids[position] != chunk_id:
            raise KeyError(chunk_id)
        return self._files[int(self._owner[position])]

    def chunk(self, chunk_id: int) -> StoredChunk:
        chunk_id = int(chunk_id)
        with self._cache_lock:
            cached = self._cache.get(chunk_id)
            if cached is not None:
                self._cache.move_to_end(chunk_id)
                return cached.chunk
        file = self.file_of(chunk_id)  # KeyError for a chunk the snapshot lacks
        # A miss fetches the chunk's whole document: passages of one report are read together
        # (a row of a cross-report answer, the passages of one document).
        self._fetch(self._ids_of_file[file])
        with self._cache_lock:
            cached = self._cache.get(chunk_id)
        if cached is None:
            raise KeyError(chunk_id)  # deleted by an update after this snapshot was opened
        return cached.chunk

    def _query_ids(self, ids: Sequence[int] | np.ndarray, fields: list[str]) -> list[dict]:
        rows: list[dict] = []
        unique = list(dict.fromkeys(int(i) for i in ids))
        for start in range(0, len(unique), ID_BATCH):
            part = unique[start : start + ID_BATCH]
            rows.extend(self._client.query(self._chunks_name, ids=part, output_fields=fields))
        return rows

    def _fetch(self, ids: Sequence[int] | np.ndarray, vectors: bool = False) -> dict[int, np.ndarray]:
        """Fetch the chunks of ``ids`` not cached yet (all of them, with their vectors, if
        ``vectors``) into the cache; the vectors by id."""
        with self._cache_lock:
            wanted = [int(i) for i in ids if vectors or int(i) not in self._cache]
        if not wanted:
            return {}
        rows = self._query_ids(wanted, _CHUNK_FIELDS + ["match_text"] + (["dense"] if vectors else []))
        found: dict[int, np.ndarray] = {}
        entries = []
        for row in rows:
            tokens = Vocabulary.tokens(str(row["match_text"]), self._tokenizer)
            entries.append(_Cached(_stored_chunk(row), Counter(tokens), len(tokens)))
            if vectors:
                found[int(row["id"])] = np.asarray(row["dense"], dtype=np.float32)
        with self._cache_lock:
            for entry in entries:
                self._cache[entry.chunk.id] = entry
                self._cache.move_to_end(entry.chunk.id)
            while len(self._cache) > CACHE_CHUNKS:
                self._cache.popitem(last=False)
        return found

    def _cached(self, ids: Sequence[int] | np.ndarray) -> list[_Cached | None]:
        self._fetch(ids)
        with self._cache_lock:
            return [self._cache.get(int(i)) for i in ids]

    def ids_of(self, files: Iterable[str]) -> np.ndarray:
        arrays = [self._ids_of_file[name] for name in files if name in self._ids_of_file]
        return np.unique(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.int64)

    def has_vectors(self) -> bool:
        return len(self._ids) > 0

    def _filter(self, allowed: np.ndarray | None) -> str:
        """The Milvus expression for ``allowed``: its documents when it is whole documents (what a
        filter resolves to), else its ids; results are checked against ``allowed`` either way."""
        if allowed is None:
            return ""
        allowed = np.unique(np.asarray(allowed, dtype=np.int64))
        allowed = allowed[self._known(allowed)]
        owners = np.unique(self._owner[np.searchsorted(self._ids, allowed)]) if len(allowed) else []
        files = [self._files[int(number)] for number in owners]
        if sum(len(self._ids_of_file[name]) for name in files) == len(allowed) or len(allowed) > MAX_ID_FILTER:
            return f"file in {json.dumps(files, ensure_ascii=False)}"
        return f"id in {allowed.tolist()}"

    def _kept(self, ids: list[int], allowed: np.ndarray | None) -> np.ndarray:
        array = np.asarray(ids, dtype=np.int64)
        keep = self._known(array)
        if allowed is not None:
            keep &= np.isin(array, allowed)
        return keep

    def dense_search(
        self, vectors: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.manifest.encoder.dimension)
        if not len(self._ids) or (allowed is not None and not len(allowed)):
            return [[] for _ in vectors]
        limit = min(MAX_LIMIT, k + max(16, k // 4))  # room for rows an update wrote after this snapshot
        params: dict[str, object] = {"metric_type": "IP"}
        if self.manifest.dense_type == "hnsw":
            params["params"] = {"ef": max(limit, HNSW_EF_SEARCH)}
        results = self._client.search(
            self._chunks_name,
            data=vectors.tolist(),
            anns_field="dense",
            limit=limit,
            filter=self._filter(allowed),
            search_params=params,
            output_fields=["id"],
        )
        found = []
        for hits in results:
            ids = [int(hit["id"]) for hit in hits]
            keep = self._kept(ids, allowed)
            found.append(
                [(i, float(hit["distance"])) for i, hit, kept in zip(ids, hits, keep, strict=True) if kept][:k]
            )
        return found

    def dense_scores(self, vectors: np.ndarray, ids: np.ndarray) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32) @ self.vectors(ids, missing_ok=True).T

    def vectors(self, ids: np.ndarray, missing_ok: bool = False) -> np.ndarray:
        dimension = self.manifest.encoder.dimension
        if not len(ids):
            return np.zeros((0, dimension), dtype=np.float32)
        found = self._fetch(ids, vectors=True)
        missing = [int(i) for i in ids if int(i) not in found]
        if missing and not missing_ok:
            raise KeyError(f"chunks not in the index: {missing[:10]}")
        zero = np.zeros(dimension, dtype=np.float32)  # a chunk deleted after this snapshot: no similarity
        return np.vstack([found.get(int(i), zero) for i in ids]).astype(np.float32)

    def _query_tokens(self, query: str) -> list[str]:
        frequencies = self._scorer.vocabulary.frequencies
        return [token for token in tokenize(query, self._tokenizer) if token in frequencies]

    def lexical_search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        tokens = self._query_tokens(query)
        if not tokens or not len(self._ids) or (allowed is not None and not len(allowed)):
            return []
        limit = min(MAX_LIMIT, LEXICAL_POOL * k + 16)
        results = self._client.search(
            self._chunks_name,
            data=[to_simplified(query)],
            anns_field="sparse",
            limit=limit,
            filter=self._filter(allowed),
            search_params={"metric_type": "BM25"},
            output_fields=["id"],
        )
        ids = [int(hit["id"]) for hit in results[0]] if results else []
        ids = [i for i, kept in zip(ids, self._kept(ids, allowed), strict=True) if kept]
        scores = self._scores(tokens, ids)
        ranked = sorted(zip(ids, scores, strict=True), key=lambda pair: -pair[1])
        return [(chunk_id, float(score)) for chunk_id, score in ranked[:k] if score > 0]

    def lexical_scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        return np.asarray(self._scores(self._query_tokens(query), ids), dtype=np.float32)

    def _scores(self, tokens: list[str], ids: Sequence[int] | np.ndarray) -> list[float]:
        if not tokens or not len(ids):
            return [0.0] * len(ids)
        score = self._scorer.score
        return [score(tokens, cached.counts, cached.length) if cached else 0.0 for cached in self._cached(ids)]

    def milvus_lexical_scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        """Milvus's own BM25 (jieba words, statistics per segment on Lite) of each of ``ids``: the
        alternative to :meth:`lexical_scores` that ``bench.milvus`` measures."""
        result = np.zeros(len(ids), dtype=np.float32)
        unique = list(dict.fromkeys(int(i) for i in ids))
        scores: dict[int, float] = {}
        for start in range(0, len(unique), ID_BATCH):
            part = unique[start : start + ID_BATCH]
            hits = self._client.search(
                self._chunks_name,
                data=[to_simplified(query)],
                anns_field="sparse",
                limit=len(part),
                filter=f"id in {part}",
                search_params={"metric_type": "BM25"},
                output_fields=["id"],
            )
            scores.update((int(hit["id"]), abs(float(hit["distance"]))) for hit in hits[0])
        for position, chunk_id in enumerate(ids):
            result[position] = scores.get(int(chunk_id), 0.0)
        return result

    def knows(self, text: str) -> bool:
        tokens = tokenize(text, self._tokenizer)
        frequencies = self._scorer.vocabulary.frequencies
        return bool(tokens) and bool(self._ids.size) and all(token in frequencies for token in tokens)

    def document_text(self, file: str) -> DocumentText | None:
        entry = self.manifest.documents.get(file)
        if entry is None or entry.text_sha256 is None:
            return None
        digest = entry.text_sha256
        with self._cache_lock:
            if digest in self._texts:
                return self._texts[digest]
        text = _read_text(self._client, self._texts_name, digest)
        if text is not None:
            with self._cache_lock:
                self._texts[digest] = text
                while len(self._texts) > 8:
                    self._texts.popitem(last=False)
        return text

    def problems(self) -> list[str]:
        """What disagrees between the documents' records, the chunk rows and the vocabulary (empty for
        a sound index). Reads every row: for tests and checks, not for questions."""
        rows = _scan(self._client, self._chunks_name, ["id", "file", "match_text"])
        listed = {int(i): name for name, array in self._ids_of_file.items() for i in array}
        present = {int(row["id"]): str(row["file"]) for row in rows}
        problems = []
        if present != listed:
            extra, missing = sorted(set(present) - set(listed)), sorted(set(listed) - set(present))
            wrong = sorted(i for i in set(present) & set(listed) if present[i] != listed[i])
            problems.append(
                f"chunk rows: {len(extra)} not in the records, {len(missing)} missing, {len(wrong)} misfiled"
            )
        recount = Vocabulary({})
        for row in rows:
            if int(row["id"]) in listed:
                recount.add(Vocabulary.tokens(str(row["match_text"]), self._tokenizer))
        stored = self._scorer.vocabulary
        if (recount.frequencies, recount.chunks, recount.length) != (stored.frequencies, stored.chunks, stored.length):
            problems.append("the vocabulary differs from the chunk rows")
        if self.manifest.chunk_count != len(listed):
            problems.append("the manifest's chunk count differs from its documents")
        return problems


def _scan(client: MilvusClient, name: str, fields: list[str], expression: str = "") -> list[dict]:
    """Every row of ``name`` (matching ``expression``), in batches."""
    rows: list[dict] = []
    with _quiet(*_LITE_NOISE):  # it asks for that timestamp too
        iterator = client.query_iterator(name, batch_size=1000, filter=expression, output_fields=fields)
    try:
        for _ in range(100_000_000):
            batch = iterator.next()
            if not batch:
                break
            rows.extend(dict(row) for row in batch)
    finally:
        iterator.close()
    return rows


def _read_text(client: MilvusClient, name: str, digest: str) -> DocumentText | None:
    rows = client.query(name, filter=f"sha == {_quote(digest)}", output_fields=["part", "body"])
    if not rows:
        return None
    body = "".join(str(row["body"]) for row in sorted(rows, key=lambda row: int(row["part"])))
    return DocumentText.from_json(json.loads(body))


# -- the index's state ---------------------------------------------------------------------------------


@dataclass
class _State:
    generation: int
    version: int
    manifest: Manifest
    vocabulary: Vocabulary
    settings: dict


def _read_settings(client: MilvusClient) -> dict | None:
    if not client.has_collection(META):
        return None
    _load(client, [META])
    rows = client.query(META, ids=[SETTINGS], output_fields=["value"])
    return dict(rows[0]["value"]) if rows else None


def _read_state(client: MilvusClient, location: Location, vocabulary: bool) -> _State | None:
    settings = _read_settings(client)
    if settings is None:
        return None
    generation = int(settings["generation"])
    chunks, documents, texts = _names(generation)
    if not all(client.has_collection(name) for name in (chunks, documents, texts)):
        raise IndexProblem(
            f"{location.text} is damaged (collections of generation {generation} are missing). "
            f"Rebuild it: qa index --rebuild --index {location.text}"
        )
    _load(client, (chunks, documents, texts))
    rows = _scan(client, documents, ["file", "entry", "ranges"])
    record = dict(settings["manifest"])
    record["documents"] = {str(row["file"]): _document_entry(row).to_json() for row in rows}
    manifest = Manifest.from_json(record, where=location.text)  # refuses another format, saying how to rebuild
    words = Vocabulary({})
    if vocabulary:
        pointer = settings["vocabulary"]
        keys = [f"{pointer['key']}-{number:05d}" for number in range(int(pointer["parts"]))]
        found = {
            str(row["key"]): str(row["value"]["data"])
            for row in client.query(META, ids=keys, output_fields=["key", "value"])
        }
        if len(found) != len(keys):
            raise IndexProblem(
                f"{location.text}: the vocabulary is incomplete. Rebuild it: qa index --rebuild --index {location.text}"
            )
        words = Vocabulary.decode([found[key] for key in keys])
    return _State(generation, int(settings["version"]), manifest, words, settings)


# -- writing -------------------------------------------------------------------------------------------


class MilvusWriter:
    """Updates a Milvus index in place (a rebuild writes a new generation and then switches to it)."""

    def __init__(self, location: Path | str) -> None:
        self._location = Location.parse(location)
        self._client: MilvusClient | None = None
        self._state: _State | None = None

    @property
    def location(self) -> str:
        return self._location.text

    @property
    def client(self) -> MilvusClient:
        if self._client is None:
            self._client = connect(self._location, create=True)
        return self._client

    # The lock ------------------------------------------------------------------------------------

    @contextmanager
    def locked(self, timeout: float = 0):
        with self._lite_lock(timeout) if self._location.lite else self._lease(timeout):
            self._tidy()
            yield self

    @contextmanager
    def _lite_lock(self, timeout: float):
        from filelock import FileLock, Timeout

        path = Path(self._location.uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{path}.lock")
        try:
            lock.acquire(timeout=timeout)
        except Timeout as error:
            raise IndexBusy(
                f"another 'qa index' is updating {self.location} right now; wait for it to finish and try again"
            ) from error
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _lease(self, timeout: float):
        """A lease record in ``qa_meta``, renewed while held; one left by a process of this machine
        that is gone, or expired, is taken over."""
        client = self.client
        _create_meta(client)
        _load(client, [META])
        me = {"owner": uuid.uuid4().hex, "host": socket.gethostname(), "pid": os.getpid()}
        deadline = time.monotonic() + timeout
        for _ in range(1_000_000):
            holder = _read_key(client, LOCK)
            if holder is None or _lease_free(holder):
                client.upsert(
                    META, [{"key": LOCK, "value": {**me, "expires": time.time() + LEASE_SECONDS}, "_v": DUMMY}]
                )
                time.sleep(0.2)  # another writer may have written at the same moment: the last one wins
                if (_read_key(client, LOCK) or {}).get("owner") == me["owner"]:
                    break
            elif time.monotonic() >= deadline:
                raise IndexBusy(
                    f"another 'qa index' (pid {holder.get('pid')} on {holder.get('host')}) is updating "
                    f"{self.location} right now; wait for it to finish and try again"
                )
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(LEASE_SECONDS / 4):
                with contextlib.suppress(MilvusException):
                    client.upsert(
                        META, [{"key": LOCK, "value": {**me, "expires": time.time() + LEASE_SECONDS}, "_v": DUMMY}]
                    )

        renewer = threading.Thread(target=renew, name="qa-milvus-lease", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join(timeout=5)
            if (_read_key(client, LOCK) or {}).get("owner") == me["owner"]:
                client.delete(META, ids=[LOCK])

    # Reading the index as it is -------------------------------------------------------------------

    def current(self) -> Manifest | None:
        if self._location.lite and not Path(self._location.uri).exists():
            return None
        self._state = _read_state(self.client, self._location, vocabulary=False)
        return self._state.manifest if self._state else None

    def _current_state(self, vocabulary: bool = True) -> _State | None:
        if self._location.lite and not Path(self._location.uri).exists():
            return None
        return _read_state(self.client, self._location, vocabulary=vocabulary)

    def _rows(self, generation: int, ids: Sequence[int], fields: list[str]) -> list[dict]:
        chunks = _names(generation)[0]
        rows: list[dict] = []
        unique = list(dict.fromkeys(int(i) for i in ids))
        for start in range(0, len(unique), ID_BATCH):
            rows.extend(self.client.query(chunks, ids=unique[start : start + ID_BATCH], output_fields=fields))
        return rows

    def chunks_of(self, files: Iterable[str]) -> list[StoredChunk]:
        state = self._state or self._current_state(vocabulary=False)
        if state is None:
            return []
        ids = [
            i for name in files if name in state.manifest.documents for i in state.manifest.documents[name].chunk_ids
        ]
        rows = {int(row["id"]): row for row in self._rows(state.generation, ids, _CHUNK_FIELDS)}
        return [_stored_chunk(rows[i]) for i in sorted(ids) if i in rows]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        state = self._state or self._current_state(vocabulary=False)
        if state is None or not len(ids):
            return np.zeros((0, state.manifest.encoder.dimension if state else 0), dtype=np.float32)
        found = {int(row["id"]): row["dense"] for row in self._rows(state.generation, ids, ["id", "dense"])}
        missing = [int(i) for i in ids if int(i) not in found]
        if missing:
            raise KeyError(f"chunks not in the index: {missing[:10]}")
        return np.asarray([found[int(i)] for i in ids], dtype=np.float32)

    # Applying a change ------------------------------------------------------------------------------

    def apply(self, change: Change, progress: Progress) -> Manifest:
        state = None if change.rebuild else self._current_state()
        if state is None or state.manifest.encoder.dimension != change.dimension:
            return self._rebuild(change, progress)
        return self._update(change, progress, state)

    def _rebuild(self, change: Change, progress: Progress) -> Manifest:
        """Everything into a new generation, then the settings switched to it; the generation it
        replaces stays until the next update (a reader that opened it just before still answers)."""
        client = self.client
        _create_meta(client)
        _load(client, [META])
        previous = _read_settings(client) or {}
        generation = max([_generation_of(name) or 0 for name in client.list_collections()] + [0]) + 1
        dense_type = choose_index_type(len(change.chunks))
        _create_generation(client, generation, change.dimension, dense_type)
        vocabulary = Vocabulary({})
        self._write_documents(generation, change, dict(change.documents), vocabulary, progress)
        self._flush(generation)
        count = len(change.chunks)
        manifest = change.manifest(
            dict(change.documents), dense_type=dense_type, dense_count=count, lexical_count=count
        )
        self._commit(generation, int(previous.get("version", 0)) + 1, manifest, vocabulary)
        kept = {generation, previous.get("generation")}
        for name in client.list_collections():
            if _generation_of(name) not in (None, *kept):
                client.drop_collection(name)
        return manifest

    def _update(self, change: Change, progress: Progress, state: _State) -> Manifest:
        client = self.client
        chunks_name, documents_name, texts_name = _names(state.generation)
        old_documents = dict(state.manifest.documents)
        replaced = sorted(set(change.documents) | set(change.removed))
        self._journal(state, replaced, change.next_id)
        vocabulary = state.vocabulary
        tokenizer = state.manifest.lexical.tokenizer
        old_ids = [i for name in replaced if name in old_documents for i in old_documents[name].chunk_ids]
        for row in self._rows(state.generation, old_ids, ["id", "match_text"]):
            vocabulary.add(Vocabulary.tokens(str(row["match_text"]), tokenizer), -1)
        documents = {name: entry for name, entry in old_documents.items() if name not in replaced}
        documents.update(change.documents)
        self._write_documents(state.generation, change, old_documents, vocabulary, progress)
        for number, name in enumerate(change.removed):
            progress("writing", len(change.documents) + number, len(change.documents) + len(change.removed))
            client.delete(documents_name, ids=[name])  # the record first: the document is gone at once
            self._delete_ids(chunks_name, old_documents[name].chunk_ids if name in old_documents else ())
        self._delete_texts(texts_name, old_documents, documents)
        total = sum(len(entry.chunk_ids) for entry in documents.values())
        dense_type = self._dense_type(state, total)
        self._flush(state.generation)
        manifest = change.manifest(documents, dense_type=dense_type, dense_count=total, lexical_count=total)
        self._commit(state.generation, state.version + 1, manifest, vocabulary)
        return manifest

    def _journal(self, state: _State, files: Sequence[str], next_id: int) -> None:
        """Record what this update touches before touching it, and reserve its chunk ids."""
        client = self.client
        parts = [files[start : start + JOURNAL_PART] for start in range(0, len(files), JOURNAL_PART)]
        rows = [
            {"key": f"journal-{number:05d}", "value": {"files": list(part)}, "_v": DUMMY}
            for number, part in enumerate(parts)
        ]
        if rows:
            client.upsert(META, rows)
        settings = dict(state.settings)
        settings["pending"] = {"journal": len(parts), "since_id": state.manifest.next_id}
        settings["manifest"] = {**settings["manifest"], "next_id": max(next_id, state.manifest.next_id)}
        client.upsert(META, [{"key": SETTINGS, "value": settings, "_v": DUMMY}])
        state.settings = settings

    def _write_documents(
        self,
        generation: int,
        change: Change,
        old_documents: Mapping[str, DocumentEntry],
        vocabulary: Vocabulary,
        progress: Progress,
    ) -> None:
        """Each document's text and chunks, then its record, then the deletion of its old chunks."""
        client = self.client
        chunks_name, documents_name, texts_name = _names(generation)
        by_file: dict[str, list[int]] = {}
        for position, chunk in enumerate(change.chunks):
            by_file.setdefault(chunk.file, []).append(position)
        tokenizer = change.config.lexical.tokenizer
        present = self._texts_present(texts_name, [e.text_sha256 for e in change.documents.values()])
        total = len(change.documents) + len(change.removed)
        for number, (name, entry) in enumerate(sorted(change.documents.items())):
            progress("writing", number, total)
            digest = entry.text_sha256
            if digest and digest not in present and digest in change.texts:
                self._write_text(texts_name, digest, change.texts[digest])
                present.add(digest)
            rows = []
            for position in by_file.get(name, []):
                chunk = change.chunks[position]
                rows.append(_chunk_row(chunk, change.vectors[position], entry))
                vocabulary.add(Vocabulary.tokens(str(rows[-1]["match_text"]), tokenizer))
            for start in range(0, len(rows), INSERT_BATCH):
                client.insert(chunks_name, rows[start : start + INSERT_BATCH])
            client.upsert(documents_name, [_document_row(name, entry)])  # only now is the document new
            old = old_documents.get(name)
            if old is not None and old is not entry:
                self._delete_ids(chunks_name, old.chunk_ids)
        progress("writing", total, total)

    def _delete_ids(self, name: str, ids: Iterable[int]) -> int:
        ids = [int(i) for i in ids]
        deleted = 0
        for start in range(0, len(ids), ID_BATCH):
            deleted += _rows_deleted(self.client.delete(name, ids=ids[start : start + ID_BATCH]))
        return deleted

    def _texts_present(self, name: str, digests: Iterable[str | None]) -> set[str]:
        wanted = sorted({digest for digest in digests if digest})
        found: set[str] = set()
        for start in range(0, len(wanted), ID_BATCH):
            keys = [f"{digest}-00000" for digest in wanted[start : start + ID_BATCH]]
            found.update(str(row["sha"]) for row in self.client.query(name, ids=keys, output_fields=["sha"]))
        return found

    def _write_text(self, name: str, digest: str, text: DocumentText) -> None:
        body = json.dumps(text.to_json(), ensure_ascii=False)
        parts = [body[start : start + TEXT_PART] for start in range(0, len(body), TEXT_PART)] or [""]
        rows = [
            {"key": f"{digest}-{number:05d}", "sha": digest, "part": number, "body": part, "_v": DUMMY}
            for number, part in enumerate(parts)
        ]
        for start in range(0, len(rows), 50):
            self.client.insert(name, rows[start : start + 50])

    def _delete_texts(self, name: str, before: Mapping[str, DocumentEntry], after: Mapping[str, DocumentEntry]) -> None:
        """The texts no document refers to any more."""
        kept = {entry.text_sha256 for entry in after.values()}
        gone = {entry.text_sha256 for entry in before.values()} - kept - {None}
        for digest in sorted(gone):  # type: ignore[type-var]
            self.client.delete(name, filter=f"sha == {_quote(str(digest))}")

    def _dense_type(self, state: _State, total: int) -> str:
        """Switch the dense index between exact and HNSW when the count crosses the threshold."""
        wanted = choose_index_type(total)
        if wanted == state.manifest.dense_type:
            return wanted
        client = self.client
        chunks = _names(state.generation)[0]
        log.info("switching the dense index of %s to %s (%d chunks)", self.location, wanted, total)
        client.release_collection(chunks)
        client.drop_index(chunks, "dense")
        index = client.prepare_index_params()
        index.add_index(field_name="dense", **_dense_index(wanted))
        with _quiet(*_LITE_NOISE):
            client.create_index(chunks, index)
        client.load_collection(chunks)
        return wanted

    def _flush(self, generation: int) -> None:
        """Flush once per update (each flush makes segments; unflushed rows are slow to search), then
        search once each way so that the segments' indexes are built before the first question."""
        client = self.client
        chunks, documents, texts = _names(generation)
        for name in (chunks, documents, texts, META):
            client.flush(name)
        with contextlib.suppress(MilvusException):
            client.search(
                chunks,
                data=["的"],
                anns_field="sparse",
                limit=1,
                search_params={"metric_type": "BM25"},
                output_fields=["id"],
            )

    def _commit(self, generation: int, version: int, manifest: Manifest, vocabulary: Vocabulary) -> None:
        """Write the vocabulary under a new key, then the settings that point to it (the moment the
        update is in), then remove what the old settings pointed to."""
        client = self.client
        key = f"vocab-{generation}-{version}"
        parts = vocabulary.encode()
        rows = [
            {"key": f"{key}-{number:05d}", "value": {"data": part}, "_v": DUMMY} for number, part in enumerate(parts)
        ]
        for start in range(0, len(rows), 20):
            client.upsert(META, rows[start : start + 20])
        record = manifest.to_json()
        record.pop("documents")
        settings = {
            "manifest": record,
            "generation": generation,
            "version": version,
            "vocabulary": {"key": key, "parts": len(parts)},
            "pending": None,
        }
        client.upsert(META, [{"key": SETTINGS, "value": settings, "_v": DUMMY}])
        client.flush(META)
        self._state = None
        stale = [
            str(row["key"])
            for row in client.query(
                META, filter='key like "vocab-%" or key like "journal-%"', output_fields=["key"], limit=MAX_LIMIT
            )
        ]
        stale = [name for name in stale if not name.startswith(f"{key}-")]
        if stale:
            client.delete(META, ids=stale)
        log.info(
            "milvus index %s: generation %d version %d, %d chunks in %d documents",
            self.location,
            generation,
            version,
            manifest.chunk_count,
            len(manifest.documents),
        )

    # After an interruption --------------------------------------------------------------------------

    def _tidy(self) -> None:
        """Under the lock, before anything is read: drop the collections of a rebuild that never
        finished, and repair what an interrupted update left."""
        if self._location.lite and not Path(self._location.uri).exists():
            return
        client = self.client
        settings = _read_settings(client)
        current = int(settings["generation"]) if settings else None
        for name in client.list_collections():
            generation = _generation_of(name)
            if generation is not None and generation != current:
                log.info("dropping %s, left by an interrupted rebuild", name)
                client.drop_collection(name)
        readable = settings and settings["manifest"].get("format_version") == FORMAT_VERSION
        if readable and settings.get("pending"):
            self.repair()

    def repair(self) -> list[str]:
        """Make every document the interrupted update touched wholly old or wholly new: rows that its
        record does not list are deleted; a record whose rows are not all there is removed (the next
        update reads that document again). If the rows then still disagree with the records in
        number, every document is checked so. Then the vocabulary is counted again from the rows.
        Returns the files repaired."""
        client = self.client
        state = self._current_state(vocabulary=False)
        if state is None:
            return []
        chunks_name, documents_name, texts_name = _names(state.generation)
        _load(client, _names(state.generation))
        pending = state.settings.get("pending") or {}
        keys = [f"journal-{number:05d}" for number in range(int(pending.get("journal", 0)))]
        journal = client.query(META, ids=keys, output_fields=["value"]) if keys else []
        touched = sorted({name for row in journal for name in row["value"]["files"]})
        documents = dict(state.manifest.documents)
        rows = _scan(client, chunks_name, ["id", "file"], f"id >= {int(pending.get('since_id', 0))}")
        for start in range(0, len(touched), JOURNAL_PART):
            names = json.dumps(touched[start : start + JOURNAL_PART], ensure_ascii=False)
            rows += _scan(client, chunks_name, ["id", "file"], f"file in {names}")
        repaired = self._reconcile(state.generation, documents, rows, touched)
        expected = sum(len(entry.chunk_ids) for entry in documents.values())
        counted = int(client.query(chunks_name, filter="", output_fields=["count(*)"])[0]["count(*)"])
        if counted != expected:
            log.info("%s: %d rows for %d listed chunks: checking every document", self.location, counted, expected)
            repaired += self._reconcile(
                state.generation, documents, _scan(client, chunks_name, ["id", "file"]), list(documents)
            )
        referenced = {entry.text_sha256 for entry in documents.values()}
        for digest in sorted({str(row["sha"]) for row in _scan(client, texts_name, ["sha"], "part == 0")} - referenced):
            client.delete(texts_name, filter=f"sha == {_quote(digest)}")
        vocabulary = Vocabulary({})
        tokenizer = state.manifest.lexical.tokenizer
        listed = {i for entry in documents.values() for i in entry.chunk_ids}
        for row in _scan(client, chunks_name, ["id", "match_text"]):
            if int(row["id"]) in listed:
                vocabulary.add(Vocabulary.tokens(str(row["match_text"]), tokenizer))
        self._flush(state.generation)
        manifest = replace(
            state.manifest,
            documents=dict(sorted(documents.items())),
            dense_count=len(listed),
            lexical_count=len(listed),
        )
        self._commit(state.generation, state.version + 1, manifest, vocabulary)
        log.info("repaired %s after an interrupted update: %s", self.location, ", ".join(repaired) or "nothing left")
        return sorted(set(repaired))

    def _reconcile(
        self, generation: int, documents: dict[str, DocumentEntry], rows: Iterable[Mapping], files: Iterable[str]
    ) -> list[str]:
        """Compare the rows present of each of ``files`` (and of every file in ``rows``) with its record;
        ``documents`` loses the records that are broken."""
        chunks_name, documents_name, _ = _names(generation)
        present: dict[str, set[int]] = {name: set() for name in files}
        for row in rows:
            present.setdefault(str(row["file"]), set()).add(int(row["id"]))
        repaired = []
        for name, found in sorted(present.items()):
            entry = documents.get(name)
            listed = set(entry.chunk_ids) if entry is not None else set()
            if entry is not None and not listed <= found:
                self.client.delete(documents_name, ids=[name])
                del documents[name]
                listed = set()
                repaired.append(name)
            if found - listed:
                self._delete_ids(chunks_name, sorted(found - listed))
                repaired.append(name)
        return repaired


def _read_key(client: MilvusClient, key: str) -> dict | None:
    rows = client.query(META, ids=[key], output_fields=["value"])
    return dict(rows[0]["value"]) if rows else None


def _lease_free(holder: Mapping[str, object]) -> bool:
    if float(holder.get("expires", 0)) < time.time():  # type: ignore[arg-type]
        return True
    if holder.get("host") == socket.gethostname():
        try:
            os.kill(int(holder.get("pid", 0)), 0)  # type: ignore[arg-type]
        except ProcessLookupError:
            return True  # its process is gone (killed): the lease is stale
        except PermissionError:
            return False
    return False
