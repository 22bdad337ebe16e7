"""From a file to a cleaned :class:`Document`: metadata, web-page leftovers removed, headings found.

The cleaned text is the report's body lines joined by newlines; every later offset (chunks,
citations) points into it. Lines of a PDF or scan are first joined into paragraphs by their
geometry (:mod:`qa.documents.paragraphs`) and page furniture taken out
(:mod:`qa.documents.furniture`). Lines that are not body (the title, the news header, navigation,
photo captions, editor credits, a trailing "recommended reading" block, an official document's
masthead and trailer) are kept out of it and, where they carry information, stored as metadata
(:mod:`qa.documents.cleaning`, :mod:`qa.documents.official`); headings are found by
:mod:`qa.documents.headings`. Every line taken out is in ``Document.removed`` with its reason, and
``Document.retention`` counts the characters read, kept and removed
(:mod:`qa.documents.retention`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.documents.cleaning import Metadata, strip_front_matter, strip_leftovers, year_from
from qa.documents.headings import BodyLine, Line, assemble
from qa.documents.official import read_head, read_trailer
from qa.documents.paged import prepare_pages
from qa.documents.retention import LOW_CONFIDENCE, Removed, Retention, visible
from qa.errors import DocumentError
from qa.readers import RawDocument, ReadOptions, read_file
from qa.readers.base import Progress
from qa.regions import detect_region
from qa.text import scrub_surrogates

__all__ = ["Document", "Line", "DocumentError", "Removed", "Retention", "load_document", "clean", "content_hash"]


@dataclass(frozen=True)
class Document:
    path: str
    title: str
    date: str | None
    source: str | None
    region: str | None
    sha256: str
    text: str
    lines: tuple[Line, ...]
    credits: tuple[str, ...] = ()
    removed: tuple[Removed, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    retention: Retention | None = None

    def metadata(self) -> dict[str, object]:
        return {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "region": self.region,
            "path": self.path,
            "sha256": self.sha256,
            "credits": list(self.credits),
            "removed": [line.to_json() for line in self.removed],
            **({"retention": self.retention.to_json()} if self.retention else {}),
            **self.extra,
        }


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes: what tells an unchanged report (and a duplicate upload)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_document(
    path: Path | str,
    *,
    root: Path | None = None,
    sha256: str | None = None,
    ocr_cache: Path | None = None,
    progress: Progress | None = None,
) -> Document:
    """Read and clean one report. ``root`` makes the stored path relative (``data/`` folder);
    ``sha256`` is the file's :func:`content_hash` when the caller already has it; ``ocr_cache``
    a folder where OCR results of page images are kept by page hash (none: no cache);
    ``progress(stage, done, total)`` hears of each page OCR'd (stage "ocr")."""
    path = Path(path)
    raw = read_file(path, ReadOptions(ocr_cache=Path(ocr_cache) if ocr_cache else None, progress=progress))
    shown = path
    if root is not None:
        try:
            shown = path.resolve().relative_to(root.resolve())
        except ValueError:
            shown = path
    return clean(raw, path=str(shown), sha256=sha256 or content_hash(path))


_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")


def _normalise_line(text: str) -> str:
    return _SPACES.sub(" ", scrub_surrogates(text)).strip()


def clean(raw: RawDocument, *, path: str, sha256: str = "") -> Document:
    """Turn a raw document's lines into body text, metadata and headings."""
    read = sum(visible(line.text) for line in raw.lines) + sum(visible(text) for text, _page in raw.dropped)
    raw_lines, furniture = raw.lines, []
    paged = any(line.page is not None for line in raw_lines)
    if paged:  # PDF, scans: paragraphs from the layout, page furniture
        raw_lines, furniture = prepare_pages(raw_lines)
    lines = [BodyLine(_normalise_line(line.text), line.heading_level, line.page) for line in raw_lines]
    for line, raw_line in zip(lines, raw_lines, strict=True):
        line.confidence, line.table, line.page_breaks = raw_line.confidence, raw_line.table, raw_line.page_breaks
    lines = [line for line in lines if line.text]
    if not lines:
        raise DocumentError(path, "no text found in the file")
    state = Metadata(title=scrub_surrogates(raw.title).strip() or None, date=scrub_surrogates(raw.date) or None)
    state.paged = paged
    state.removed.extend(Removed(text, LOW_CONFIDENCE, page) for text, page in raw.dropped)
    state.removed.extend(furniture)
    if raw.metadata.get("source"):
        state.source = scrub_surrogates(raw.metadata["source"])
    lines, head = read_head(lines)
    if head.title:
        state.title, state.title_fixed = head.title, True
        state.date = state.date or head.date
        state.removed.extend(head.removed)
        state.metadata_chars += head.metadata_chars
    lines, trailer = read_trailer(lines)
    state.metadata_chars += trailer.metadata_chars
    body = strip_front_matter(lines, state)
    body = strip_leftovers(body, state)
    name = Path(scrub_surrogates(path)).name  # a file name that is not UTF-8 holds lone surrogates
    if state.title is None:
        state.title = Path(name).stem
    text, cleaned = assemble(body)
    if not any(line.is_body for line in cleaned):  # only headings left: nothing to chunk or find
        raise DocumentError(path, "no body text left after removing headers and page furniture")
    date = state.date or trailer.signed_date or year_from(state.title) or year_from(name)
    region = detect_region(state.title, name, text)
    extra = {key: value for key, value in (("subtitle", state.subtitle), ("speaker", state.speaker)) if value}
    if head.doc_number:
        extra["doc_number"] = head.doc_number
    extra.update(trailer.metadata())
    if raw.ocr_pages:
        extra["ocr_pages"] = str(raw.ocr_pages)
        extra["ocr_dropped_lines"] = str(raw.ocr_dropped)
    removed = tuple(state.removed)
    retention = Retention(
        read=read,
        kept=visible(text),
        metadata=state.metadata_chars,
        removed=sum(visible(line.text) for line in removed),
    )
    return Document(
        path=path,
        title=state.title,
        date=date,
        source=state.source,
        region=region,
        sha256=sha256,
        text=text,
        lines=tuple(cleaned),
        credits=tuple(state.credits),
        removed=removed,
        extra=extra,
        retention=retention,
    )
