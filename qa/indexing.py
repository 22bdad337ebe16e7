"""Build or update an index from a folder of reports, re-embedding only what changed.

New documents are read, chunked, embedded and added; changed ones replaced (a chunk whose text
did not change keeps its vector); deleted ones removed from the dense index, the lexical index
and the chunk store; unchanged ones are not read again. What changes is handed to the store
(:class:`~qa.store.Writer`) as one :class:`~qa.store.Change`.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import time
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from qa.chunking import chunk_document
from qa.documents import Document, content_hash, load_document
from qa.documents.metadata import corrected, describe, is_sidecar, read_sidecar, sidecar_of
from qa.embedding import Encoder, load_encoder
from qa.errors import DocumentError, IndexProblem
from qa.limits import MAX_FILE_BYTES
from qa.locations import is_folder_note
from qa.readers import is_supported
from qa.store import (
    Change,
    DocumentEntry,
    DocumentText,
    FailedFile,
    IndexConfig,
    Manifest,
    Progress,
    SentenceVectors,
    StoredChunk,
    Writer,
    check_compatible,
    no_progress,
    ocr_cache_dir,
    open_writer,
)
from qa.text import split_sentences, to_simplified

__all__ = ["IndexConfig", "UpdateSummary", "discover", "duplicate_key", "update_index"]

log = logging.getLogger(__name__)

EMBED_BATCH = 64


@dataclass(frozen=True)
class UpdateSummary:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # new files left for a later update (``only_new``)
    chunks_embedded: int = 0
    chunks_total: int = 0
    sentences_embedded: int = 0
    sentences_total: int = 0
    seconds: float = 0.0
    # of each document read in this update: characters read, kept and removed (qa.documents.retention),
    # "low" where it keeps under 95 % of what was read
    retention: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.skipped)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def discover(data_dir: Path) -> tuple[dict[str, Path], list[dict[str, str]]]:
    """Report files under ``data_dir`` by their path relative to it, and the files skipped.

    Folders reached through symbolic links are not entered (no loops); hidden files and notes about
    the folder (``SOURCES.md``, ``README.md``) are ignored.
    """
    found: dict[str, Path] = {}
    skipped: list[dict[str, str]] = []
    for folder, subfolders, files in os.walk(data_dir, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in subfolders:
            if (Path(folder) / name).is_symlink():  # os.walk does not enter it: say so
                relative = _shown_name((Path(folder) / name).relative_to(data_dir).as_posix())
                skipped.append({"file": relative, "reason": "symbolic link to a folder: not followed (it could loop)"})
        for name in sorted(files):
            if name.startswith(".") or is_sidecar(name) or is_folder_note(name):  # a sidecar belongs to its report
                continue
            path = Path(folder) / name
            relative = path.relative_to(data_dir).as_posix()
            reason = _not_indexable(path, relative)
            if reason:
                skipped.append({"file": _shown_name(relative), "reason": reason})
            else:
                found[relative] = path
    return found, skipped


def _not_indexable(path: Path, relative: str) -> str | None:
    if _shown_name(relative) != relative:
        return "the file name is not valid UTF-8 (GBK from a Windows ZIP?): rename it"
    if not is_supported(path):
        return f"unsupported file type '{path.suffix or '(none)'}'"
    if not path.exists():
        return _dangling_reason(path)
    if not path.is_file():  # a FIFO would block the read forever; a device never ends
        return "not a regular file (a pipe, socket or device)"
    return None


def _shown_name(relative: str) -> str:
    """The name with bytes that are not UTF-8 (kept by Python as lone surrogates, which nothing
    downstream can encode) shown as U+FFFD."""
    return os.fsencode(relative).decode("utf-8", errors="replace")


def _dangling_reason(path: Path) -> str:
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def update_index(
    data_dir: Path | str,
    index_dir: Path | str,
    *,
    config: IndexConfig | None = None,
    encoder: Encoder | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    lock_timeout: float = 0,
    only_new: Collection[str] | None = None,
) -> UpdateSummary:
    """Bring the index at ``index_dir`` (a folder, or a Milvus location) up to date with the reports
    in ``data_dir``. With ``only_new`` (paths relative to ``data_dir``), of the files the index does
    not hold yet only those are added, the others are left for a later update (``pending``), so a
    large folder can be indexed a few reports at a time while questions are answered from the rest."""
    started = time.perf_counter()
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise IndexProblem(f"{data_dir}: no such folder of reports")
    ocr_cache = ocr_cache_dir(index_dir)
    with open_writer(index_dir).locked(timeout=lock_timeout) as writer:
        summary = _update(data_dir, writer, config, encoder, rebuild, progress or no_progress, ocr_cache, only_new)
    return UpdateSummary(**{**asdict(summary), "seconds": round(time.perf_counter() - started, 3)})


@dataclass
class _Plan:
    """What the files on disk say must change, before anything is embedded."""

    summary: UpdateSummary
    documents: dict[str, Document]
    entries: dict[str, DocumentEntry]  # the new entries of the documents read (chunk ids to fill)
    failed: dict[str, FailedFile]  # every file skipped, as the index records it


def _update(
    data_dir: Path,
    writer: Writer,
    config: IndexConfig | None,
    encoder: Encoder | None,
    rebuild: bool,
    progress: Progress,
    ocr_cache: Path | None = None,
    only_new: Collection[str] | None = None,
) -> UpdateSummary:
    old = None if rebuild else writer.current()
    if old is not None:
        config = check_compatible(old.config(), config, writer.location)
    config = config or IndexConfig()
    reread = old is not None and bool(old.sentences) != config.sentences
    plan = _plan(data_dir, old, progress, ocr_cache, only_new, reread=reread)
    summary = plan.summary
    nothing_to_do = not plan.documents and not summary.removed and plan.failed == (old.failed_files if old else None)
    if old is not None and nothing_to_do:
        return UpdateSummary(**{**asdict(summary), "chunks_total": old.chunk_count,
                                "sentences_total": old.sentence_count})  # fmt: skip
    encoder = encoder or load_encoder(config.model, simplify=config.simplify)
    first_id = old.next_id if old is not None else _ids_after_replaced(writer) if rebuild else 0
    change, embedded, sentences = _change(writer, old, config, encoder, plan, rebuild, progress, first_id)
    manifest = writer.apply(change, progress)
    return UpdateSummary(**{**asdict(summary), "chunks_embedded": embedded, "chunks_total": manifest.chunk_count,
                            "sentences_embedded": sentences, "sentences_total": manifest.sentence_count})  # fmt: skip


def _ids_after_replaced(writer: Writer) -> int:
    """Where a rebuild's chunk ids start: after the ids of the index it replaces, so that an id kept
    from before (a [n] link on an open page, a chunk_id an assistant kept) never names a different
    passage: it is refused as no longer in the index."""
    try:
        replaced = writer.current()
    except Exception:  # whatever makes the old index unreadable is why it is rebuilt: start at 0
        return 0
    return replaced.next_id if replaced is not None else 0


def _plan(data_dir: Path, old: Manifest | None, progress: Progress, ocr_cache: Path | None = None,
          only_new: Collection[str] | None = None, reread: bool = False) -> _Plan:  # fmt: skip
    """What must change; ``only_new``: of the files the index does not hold, only these are read;
    ``reread``: every report is read again (sentence vectors are added to an index made before
    them, or left out), reusing its passages' vectors."""
    files, skipped = discover(data_dir)
    old_documents = old.documents if old is not None else {}
    old_failed = old.failed_files if old is not None else {}
    hashes: dict[str, str] = {}  # of the files that failed to read, for the record
    version = _version()
    unchanged: list[str] = []
    pending: list[str] = []
    to_read: dict[str, tuple[Path, str, str | None]] = {}
    for relative, path in files.items():
        if (
            only_new is not None
            and relative not in old_documents
            and relative not in old_failed
            and (relative not in only_new)
        ):
            pending.append(relative)
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                reason = f"larger than {MAX_FILE_BYTES >> 20} MB: split it into smaller files"
                skipped.append({"file": relative, "reason": reason})
                continue
            sha = content_hash(path)
            sidecar = sidecar_of(path)
            sidecar_sha = content_hash(sidecar) if sidecar.is_file() else None
        except OSError as error:
            skipped.append({"file": relative, "reason": f"cannot be read ({error.strerror or error})"})
            continue
        failed_before = old_failed.get(relative)
        if failed_before is not None and (failed_before.sha256, failed_before.version) == (sha, version):
            skipped.append({"file": relative, "reason": failed_before.reason})  # unchanged: not read again
            hashes[relative] = sha
            continue
        old_entry = old_documents.get(relative)
        if (
            old_entry is not None
            and (old_entry.sha256, old_entry.sidecar_sha256) == (sha, sidecar_sha)
            and (old_entry.described)
            and not reread
        ):
            unchanged.append(relative)
        else:
            to_read[relative] = (path, sha, sidecar_sha)

    documents: dict[str, Document] = {}
    entries: dict[str, DocumentEntry] = {}
    for number, (relative, (path, sha, sidecar_sha)) in enumerate(sorted(to_read.items()), start=1):
        progress("reading", number - 1, len(to_read))
        try:
            loaded = load_document(path, root=data_dir, sha256=sha, ocr_cache=ocr_cache, progress=progress)
            document = _with_path(loaded, relative)
            entries[relative] = document_entry(document, read_sidecar(path), sidecar_sha)
        except DocumentError as error:
            skipped.append({"file": relative, "reason": error.problem})
            if _lasting(error):
                hashes[relative] = sha
            continue
        documents[relative] = document
    progress("reading", len(to_read), len(to_read))

    failed = {item["file"] for item in skipped}
    # A file that exists but failed to read keeps its old chunks: a bad edit loses nothing.
    unchanged.extend(relative for relative in failed if relative in old_documents and relative not in documents)
    summary = UpdateSummary(
        added=[relative for relative in documents if relative not in old_documents],
        changed=[relative for relative in documents if relative in old_documents],
        removed=sorted(set(old_documents) - set(files) - failed),
        unchanged=unchanged,
        skipped=skipped,
        pending=pending,
        retention={name: _retention(document) for name, document in sorted(documents.items())},
    )
    recorded = {item["file"]: FailedFile(item["reason"], hashes.get(item["file"]), version) for item in skipped}
    return _Plan(summary, documents, entries, recorded)


def _lasting(error: DocumentError) -> bool:
    """Whether a file failed for what it holds (not for this machine: a permission, memory, the OCR
    engine missing), so that reading it again before it changes would fail again."""
    from qa.readers.ocr import OcrUnavailable

    return not isinstance(error.__cause__, (OSError, MemoryError, OcrUnavailable))


def _version() -> str:
    """report-qa's version: a failure recorded by another version is tried again."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("report-qa")
    except PackageNotFoundError:
        return ""


def _retention(document: Document) -> dict[str, object]:
    kept = document.retention
    if kept is None:
        return {}
    reasons: dict[str, int] = {}
    for line in document.removed:
        reasons[line.reason] = reasons.get(line.reason, 0) + 1
    return {**kept.to_json(), "low": kept.low, "removed_lines": len(document.removed), "removed_by_reason": reasons}


def document_entry(document: Document, corrections: dict[str, object], sidecar_sha: str | None) -> DocumentEntry:
    """The index's record of a document: what citations show, its year, level, issuer and region
    (as found, then as the sidecar corrects them). Chunk ids are filled in when it is chunked."""
    found = describe(document.title, document.path, document.text, date=document.date, source=document.source,
                     subtitle=document.extra.get("subtitle"), speaker=document.extra.get("speaker"))  # fmt: skip
    info = corrected(found, corrections)
    return DocumentEntry(
        sha256=document.sha256,
        title=str(corrections.get("title") or document.title),
        date=str(corrections["date"]) if corrections.get("date") else document.date,
        source=str(corrections.get("source") or document.source or "") or None,
        region=info.region,
        year=info.year,
        level=info.level,
        issuer=info.issuer,
        doc_number=document.extra.get("doc_number"),
        chars_read=document.retention.read if document.retention else None,
        chars_kept=document.retention.kept + document.retention.metadata if document.retention else None,
        sidecar_sha256=sidecar_sha,
        text_sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
    )


def document_text(document: Document) -> DocumentText:
    """The cleaned text the index keeps for the source view, with where each page begins."""
    pages: list[tuple[int, int]] = []
    for line in document.lines:
        if line.page is not None and (not pages or pages[-1][1] != line.page):
            pages.append((line.start, line.page))
    return DocumentText(document.text, tuple(pages))


def _with_path(document: Document, relative: str) -> Document:
    return replace(document, path=relative)


def duplicate_key(text: str) -> str:
    normalised = re.sub(r"[\W_]+", "", to_simplified(text))
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def _embedding_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _change(
    writer: Writer,
    old: Manifest | None,
    config: IndexConfig,
    encoder: Encoder,
    plan: _Plan,
    rebuild: bool,
    progress: Progress,
    first_id: int = 0,
) -> tuple[Change, int, int]:
    """The new chunks of the documents read, with vectors (reused where a changed document's
    chunk has the same embedded text as before), and their sentences' vectors (reused where a
    sentence is the same); new chunk ids start at ``first_id``; how many chunks and sentences were
    embedded."""
    next_id = first_id
    new_chunks: list[StoredChunk] = []
    entries: dict[str, DocumentEntry] = {}
    for relative, document in sorted(plan.documents.items()):
        first = next_id
        for chunk in chunk_document(document, config.chunking):
            new_chunks.append(
                StoredChunk(
                    next_id,
                    relative,
                    chunk.index,
                    chunk.section,
                    chunk.start,
                    chunk.end,
                    chunk.text,
                    duplicate_key(chunk.text),
                    chunk.page,
                    chunk.page_end,
                    chunk.ocr_confidence,
                )  # fmt: skip
            )
            next_id += 1
        entries[relative] = replace(plan.entries[relative], chunk_ids=tuple(range(first, next_id)))
    old_chunks = writer.chunks_of(plan.documents) if old is not None else []
    reusable = {_embedding_key(chunk.embedding_text()): chunk.id for chunk in old_chunks}
    vectors, embedded = _embed(new_chunks, reusable, writer, encoder, progress)
    sentences, sentences_embedded = None, 0
    if config.sentences:
        reused = old_chunks if old is not None and old.sentences else []
        sentences, sentences_embedded = _embed_sentences(new_chunks, reused, writer, encoder, progress)
    change = Change(
        config=config,
        dimension=encoder.dimension,
        documents=entries,
        removed=tuple(plan.summary.removed),
        chunks=tuple(new_chunks),
        vectors=vectors,
        next_id=next_id,
        rebuild=rebuild,
        texts={
            entry.text_sha256: document_text(plan.documents[name])
            for name, entry in entries.items()
            if entry.text_sha256
        },  # fmt: skip
        sentences=sentences,
        failed_files=plan.failed,
    )
    return change, embedded, sentences_embedded


def _embed(
    chunks: list[StoredChunk], reusable: dict[str, int], writer: Writer, encoder: Encoder, progress: Progress
) -> tuple[np.ndarray, int]:
    """Vectors for ``chunks``: reused from the index where the embedded text is the same."""
    vectors = np.zeros((len(chunks), encoder.dimension), dtype=np.float32)
    to_embed: list[int] = []
    reuse_positions: list[int] = []
    reuse_ids: list[int] = []
    for position, chunk in enumerate(chunks):
        old_id = reusable.get(_embedding_key(chunk.embedding_text()))
        if old_id is None:
            to_embed.append(position)
        else:
            reuse_positions.append(position)
            reuse_ids.append(old_id)
    if reuse_ids:
        vectors[reuse_positions] = writer.vectors(np.array(reuse_ids, dtype=np.int64))
    for done, batch in _batches(to_embed, EMBED_BATCH):
        progress("embedding", done, len(to_embed))
        vectors[batch] = encoder.encode_passages([chunks[i].embedding_text() for i in batch])
    progress("embedding", len(to_embed), len(to_embed))
    return vectors, len(to_embed)


def _embed_sentences(chunks: list[StoredChunk], old_chunks: list[StoredChunk], writer: Writer, encoder: Encoder,
                     progress: Progress) -> tuple[SentenceVectors, int]:  # fmt: skip
    """A vector of every sentence of ``chunks`` (:func:`qa.text.split_sentences`, embedded as a
    passage): reused from ``old_chunks`` (the replaced documents') where the sentence is the same text."""
    spans = np.array([(chunk.id, start, end) for chunk in chunks for start, end in split_sentences(chunk.text)],
                     dtype=np.int64).reshape(-1, 3)  # fmt: skip
    texts_of = {chunk.id: chunk.text for chunk in chunks}
    texts = [texts_of[int(chunk_id)][start:end] for chunk_id, start, end in spans]
    vectors = np.zeros((len(spans), encoder.dimension), dtype=np.float32)
    known: dict[str, np.ndarray] = {}
    if old_chunks:
        old = writer.sentence_vectors(np.array([chunk.id for chunk in old_chunks], dtype=np.int64))
        old_texts = {chunk.id: chunk.text for chunk in old_chunks}
        for (chunk_id, start, end), vector in zip(old.spans, old.vectors, strict=True):
            text = old_texts.get(int(chunk_id))
            if text is not None:
                known[text[start:end]] = vector
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    for done, batch in _batches(list(range(len(missing))), EMBED_BATCH):
        progress("embedding sentences", done, len(missing))
        batch_texts = [missing[i] for i in batch]
        for text, vector in zip(batch_texts, encoder.encode_passages(batch_texts), strict=True):
            known[text] = vector
    progress("embedding sentences", len(missing), len(missing))
    for position, text in enumerate(texts):
        vectors[position] = known[text]
    return SentenceVectors(spans, vectors), len(missing)


def _batches(items: list[int], size: int) -> Iterator[tuple[int, list[int]]]:
    for start in range(0, len(items), size):
        yield start, items[start : start + size]
