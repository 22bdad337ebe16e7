"""report-qa: question answering with citations over Chinese provincial reports.

The pipeline, one stage per module, imports flowing one way::

    readers -> documents -> chunking -> embedding -> store -> indexing
                                                      store -> retrieval -> answer

>>> from qa import retrieve
>>> for hit in retrieve("湖北处理了多少个违规直播间？", k=3):
...     print(hit.citation.label(), hit.text[:40])
"""

from importlib.metadata import PackageNotFoundError, version

from qa.answer import Answer, AnswerConfig, answer
from qa.chunking import Chunk, ChunkingConfig, chunk_document
from qa.documents import Document, load_document
from qa.errors import DocumentError, IndexBusy, IndexProblem, QaError, QuestionError
from qa.indexing import UpdateSummary, update_index
from qa.questions import Conversation, Plan
from qa.retrieval import Citation, Filters, Hit, Retriever, SearchConfig, retrieve
from qa.store import IndexConfig, Manifest

try:  # the one version is pyproject.toml's, as installed
    __version__ = version("report-qa")
except PackageNotFoundError:  # a source tree on the path that was never installed
    __version__ = "unknown (not installed)"

__all__ = [
    "Answer",
    "AnswerConfig",
    "Chunk",
    "ChunkingConfig",
    "Citation",
    "Conversation",
    "Document",
    "DocumentError",
    "Filters",
    "Hit",
    "IndexBusy",
    "IndexConfig",
    "IndexProblem",
    "Manifest",
    "Plan",
    "QaError",
    "QuestionError",
    "Retriever",
    "SearchConfig",
    "UpdateSummary",
    "__version__",
    "answer",
    "chunk_document",
    "load_document",
    "retrieve",
    "update_index",
]
