"""Rows of the collections and the project's records: a chunk, a document's record, chunk ids as
ranges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from qa.errors import IndexProblem
from qa.store.folder import StoredChunk
from qa.store.manifest import DocumentEntry
from qa.store.milvus.schema import DUMMY, SENTENCES_PER_CHUNK, TEXT_BYTES
from qa.text import to_simplified

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


def _sentence_rows(spans: np.ndarray, vectors: np.ndarray, file: str) -> list[dict[str, object]]:
    """The rows of some sentences of one file's chunks (their vectors rounded as the local store keeps
    them, float16, so that both stores score alike)."""
    rows = []
    number_in_chunk: dict[int, int] = {}
    rounded = np.asarray(vectors, dtype=np.float16).astype(np.float32)
    for (chunk_id, start, end), vector in zip(spans, rounded, strict=True):
        number = number_in_chunk.get(int(chunk_id), 0)
        number_in_chunk[int(chunk_id)] = number + 1
        if number >= SENTENCES_PER_CHUNK:
            raise IndexProblem(f"{file}: a passage with more than {SENTENCES_PER_CHUNK} sentences")
        rows.append({"id": int(chunk_id) * SENTENCES_PER_CHUNK + number, "chunk_id": int(chunk_id), "file": file,
                     "start": int(start), "end": int(end), "vector": vector.tolist()})  # fmt: skip
    return rows


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
