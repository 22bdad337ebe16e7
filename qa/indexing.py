"""Build or update the index from a folder of reports, re-embedding only what changed.

New documents are read, chunked, embedded and added; changed ones replaced (a chunk whose text
did not change keeps its vector); deleted ones removed from the dense index, the lexical index
and the chunk store; unchanged ones are not read again. The result is written as a new
generation of the index folder and swapped in (see :mod:`qa.store`).
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from qa.chunking import ChunkingConfig, chunk_document
from qa.dense import DenseIndex
from qa.documents import Document, load_document
from qa.embedding import DEFAULT_MODEL, Encoder, load_encoder
from qa.lexical import LexicalConfig, LexicalIndex
from qa.readers import SUPPORTED_SUFFIXES, DocumentError
from qa.store import (
    DENSE,
    FORMAT_VERSION,
    LEXICAL,
    IndexFolder,
    IndexProblem,
    StoredChunk,
    read_chunks,
    read_manifest,
    sync_tree,
    write_chunks,
    write_manifest,
)
from qa.text import to_simplified

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as documents are read and chunks embedded."""

# A provincial report is tens of kilobytes to a few megabytes. The default encoder embeds a
# 200-token chunk in roughly 0.1-0.3 s on two CPU cores, so 20 MB of plain Chinese text (~50,000
# chunks) already takes hours; a larger file is refused up front, before it is read, so that one
# stray dump cannot stall (or bloat) an update.
MAX_FILE_BYTES = 20 * 1024 * 1024
EMBED_BATCH = 64


@dataclass(frozen=True)
class IndexConfig:
    model: str = DEFAULT_MODEL
    simplify: bool = False  # embed simplified text (traditional converted by OpenCC); see README
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    lexical: LexicalConfig = field(default_factory=LexicalConfig)


@dataclass
class UpdateSummary:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.skipped)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(data_dir: Path) -> tuple[dict[str, Path], list[dict[str, str]]]:
    """Report files under ``data_dir`` by their path relative to it, and the files skipped.

    Folders reached through symbolic links are not entered (no loops); hidden files are ignored.
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
            if name.startswith("."):
                continue
            path = Path(folder) / name
            relative = path.relative_to(data_dir).as_posix()
            if _shown_name(relative) != relative:
                reason = "the file name is not valid UTF-8 (GBK from a Windows ZIP?): rename it"
                skipped.append({"file": _shown_name(relative), "reason": reason})
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append({"file": relative, "reason": f"unsupported file type '{path.suffix or '(none)'}'"})
                continue
            if not path.exists():
                skipped.append({"file": relative, "reason": _dangling_reason(path)})
                continue
            if not path.is_file():  # a FIFO would block the read forever; a device never ends
                skipped.append({"file": relative, "reason": "not a regular file (a pipe, socket or device)"})
                continue
            found[relative] = path
    return found, skipped


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
) -> UpdateSummary:
    """Bring the index in ``index_dir`` up to date with the reports in ``data_dir``."""
    started = time.perf_counter()
    data_dir, folder = Path(data_dir), IndexFolder(index_dir)
    if not data_dir.is_dir():
        raise IndexProblem(f"{data_dir}: no such folder of reports")
    lock = folder.lock(timeout=lock_timeout)
    try:
        folder.remove_stale()
        summary = _update(data_dir, folder, config, encoder, rebuild, progress or _no_progress)
    finally:
        lock.release()
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _update(
    data_dir: Path,
    folder: IndexFolder,
    config: IndexConfig | None,
    encoder: Encoder | None,
    rebuild: bool,
    progress: Progress,
) -> UpdateSummary:
    previous = None if rebuild else folder.current()
    old_manifest = read_manifest(previous) if previous else None
    if old_manifest is not None:
        config = _check_compatible(old_manifest, config, folder.path)
    config = config or IndexConfig()
    summary = UpdateSummary()
    files, summary.skipped = discover(data_dir)
    old_documents: dict[str, dict] = old_manifest["documents"] if old_manifest else {}

    to_read: dict[str, tuple[Path, str]] = {}
    for relative, path in files.items():
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                reason = f"larger than {MAX_FILE_BYTES >> 20} MB: split it into smaller files"
                summary.skipped.append({"file": relative, "reason": reason})
                continue
            sha = content_hash(path)
        except OSError as error:
            summary.skipped.append({"file": relative, "reason": f"cannot be read ({error.strerror or error})"})
            continue
        if relative in old_documents and old_documents[relative]["sha256"] == sha:
            summary.unchanged.append(relative)
        else:
            to_read[relative] = (path, sha)

    documents: dict[str, Document] = {}
    for number, (relative, (path, sha)) in enumerate(sorted(to_read.items()), start=1):
        progress("reading", number - 1, len(to_read))
        try:
            document = load_document(path, root=data_dir)
        except DocumentError as error:
            summary.skipped.append({"file": relative, "reason": error.problem})
            continue
        documents[relative] = _with_path(document, relative, sha)
    progress("reading", len(to_read), len(to_read))

    failed = {item["file"] for item in summary.skipped}
    # A file that exists but failed to read keeps its old chunks: a bad edit loses nothing.
    kept_failed = [relative for relative in failed if relative in old_documents and relative not in documents]
    summary.unchanged.extend(kept_failed)
    for relative in documents:
        (summary.changed if relative in old_documents else summary.added).append(relative)
    summary.removed = sorted(set(old_documents) - set(files) - failed)
    if previous is not None and not documents and not summary.removed:
        summary.chunks_total = int(old_manifest["counts"]["chunks"]) if old_manifest else 0
        return summary  # nothing to do: the current generation stays as it is

    encoder = encoder or load_encoder(config.model, simplify=config.simplify)
    _write_generation(folder, previous, old_manifest, config, encoder, documents, summary, progress)
    return summary


def _with_path(document: Document, relative: str, sha: str) -> Document:
    from dataclasses import replace

    return replace(document, path=relative, sha256=sha)


def _check_compatible(manifest: dict, config: IndexConfig | None, path: Path) -> IndexConfig:
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"{path} was made by another version of report-qa (index format {manifest.get('format_version')}, "
            f"this one reads {FORMAT_VERSION}). Rebuild it: qa index --rebuild --index {path}"
        )
    stored = config_from_manifest(manifest)
    if config is not None and (config.model, config.simplify) != (stored.model, stored.simplify):
        raise IndexProblem(
            f"{path} was built with encoder {stored.model!r}; you asked for {config.model!r}. "
            f"Rebuild it with the new encoder: qa index --rebuild --model {config.model} --index {path}"
        )
    if config is not None and (config.chunking, config.lexical) != (stored.chunking, stored.lexical):
        raise IndexProblem(
            f"{path} was built with other chunking or lexical settings. Rebuild it: qa index --rebuild --index {path}"
        )
    return stored


def config_from_manifest(manifest: dict) -> IndexConfig:
    encoder = manifest["encoder"]
    return IndexConfig(
        model=encoder["name"],
        simplify=encoder.get("simplify", False),
        chunking=ChunkingConfig(**manifest["chunking"]),
        lexical=LexicalConfig(**manifest["lexical"]),
    )


def duplicate_key(text: str) -> str:
    normalised = re.sub(r"[\W_]+", "", to_simplified(text))
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def _embedding_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _write_generation(
    folder: IndexFolder,
    previous: Path | None,
    old_manifest: dict | None,
    config: IndexConfig,
    encoder: Encoder,
    documents: dict[str, Document],
    summary: UpdateSummary,
    progress: Progress,
) -> None:
    old_chunks = read_chunks(previous) if previous else []
    old_dense = DenseIndex.load(previous / DENSE, old_manifest["dense"]["type"]) if previous else None
    replaced = set(documents) | set(summary.removed)
    kept_chunks = [chunk for chunk in old_chunks if chunk.file not in replaced]
    next_id = int(old_manifest["next_id"]) if old_manifest else 0

    reusable = {_embedding_key(_embedding_text(c)): c.id for c in old_chunks if c.file in documents}
    new_chunks: list[StoredChunk] = []
    for relative, document in sorted(documents.items()):
        for chunk in chunk_document(document, config.chunking):
            stored = StoredChunk(
                next_id,
                relative,
                chunk.index,
                chunk.section,
                chunk.start,
                chunk.end,
                chunk.text,
                duplicate_key(chunk.text),
            )
            new_chunks.append(stored)
            next_id += 1

    vectors = _embed(new_chunks, reusable, old_dense, encoder, summary, progress)
    removed_ids = np.array([chunk.id for chunk in old_chunks if chunk.file in replaced], dtype=np.int64)
    new_ids = np.array([chunk.id for chunk in new_chunks], dtype=np.int64)
    if old_dense is not None:
        dense = old_dense.updated(removed_ids, new_ids, vectors)
    else:
        dense = DenseIndex.build(encoder.dimension, new_ids, vectors)

    all_chunks = sorted(kept_chunks + new_chunks, key=lambda chunk: chunk.id)
    progress("lexical index", 0, 1)
    lexical = LexicalIndex.build([c.id for c in all_chunks], [_embedding_text(c) for c in all_chunks], config.lexical)
    progress("lexical index", 1, 1)

    manifest_documents = {
        relative: entry
        for relative, entry in (old_manifest or {}).get("documents", {}).items()
        if relative not in replaced
    }
    for relative, document in documents.items():
        manifest_documents[relative] = {
            "sha256": document.sha256,
            "title": document.title,
            "date": document.date,
            "source": document.source,
            "region": document.region,
            "chunk_ids": [chunk.id for chunk in new_chunks if chunk.file == relative],
        }
    manifest = {
        "format_version": FORMAT_VERSION,
        "encoder": {
            "name": config.model,
            "dimension": encoder.dimension,
            "normalisation": "l2",
            "simplify": config.simplify,
        },
        "dense": {"type": dense.kind, "metric": "inner_product"},
        "chunking": config.chunking.to_dict(),
        "lexical": config.lexical.to_dict(),
        "next_id": next_id,
        "counts": {
            "documents": len(manifest_documents),
            "chunks": len(all_chunks),
            "dense": len(dense),
            "lexical": len(lexical),
        },
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "documents": dict(sorted(manifest_documents.items())),
    }
    generation = folder.new_generation()
    dense.save(generation / DENSE)
    lexical.save(generation / LEXICAL)
    write_chunks(generation, all_chunks)
    sync_tree(generation)
    write_manifest(generation, manifest)  # last: a generation without a manifest is never used
    folder.publish(generation)
    summary.chunks_total = len(all_chunks)
    log.info("index %s: %d chunks in %d documents", generation, len(all_chunks), len(manifest_documents))


def _embedding_text(chunk: StoredChunk) -> str:
    return " > ".join(chunk.section) + "\n" + chunk.text


def _embed(
    chunks: list[StoredChunk],
    reusable: dict[str, int],
    old_dense: DenseIndex | None,
    encoder: Encoder,
    summary: UpdateSummary,
    progress: Progress,
) -> np.ndarray:
    """Vectors for ``chunks``: reused from the old index where the embedded text is the same."""
    vectors = np.zeros((len(chunks), encoder.dimension), dtype=np.float32)
    to_embed: list[int] = []
    for position, chunk in enumerate(chunks):
        old_id = reusable.get(_embedding_key(_embedding_text(chunk)))
        if old_id is not None and old_dense is not None:
            vectors[position] = old_dense.vectors(np.array([old_id]))[0]
        else:
            to_embed.append(position)
    for done, batch in _batches(to_embed, EMBED_BATCH):
        progress("embedding", done, len(to_embed))
        vectors[batch] = encoder.encode_passages([_embedding_text(chunks[i]) for i in batch])
    progress("embedding", len(to_embed), len(to_embed))
    summary.chunks_embedded = len(to_embed)
    return vectors


def _batches(items: list[int], size: int) -> Iterator[tuple[int, list[int]]]:
    for start in range(0, len(items), size):
        yield start, items[start : start + size]
