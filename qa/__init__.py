"""report-qa: question answering with citations over Chinese provincial reports.

>>> from qa import retrieve
>>> for hit in retrieve("湖北处理了多少个违规直播间？", k=3):
...     print(hit.citation.label(), hit.text[:40])
"""

from qa.chunking import Chunk, ChunkingConfig, chunk_document
from qa.documents import Document, load_document
from qa.indexing import IndexConfig, UpdateSummary, update_index
from qa.readers import DocumentError
from qa.retrieval import Citation, Filters, Hit, QuestionError, Retriever, retrieve
from qa.store import IndexBusy, IndexProblem

__all__ = [
    "Chunk",
    "ChunkingConfig",
    "Citation",
    "Document",
    "DocumentError",
    "Filters",
    "Hit",
    "IndexBusy",
    "IndexConfig",
    "IndexProblem",
    "QuestionError",
    "Retriever",
    "UpdateSummary",
    "chunk_document",
    "load_document",
    "retrieve",
    "update_index",
]
