"""What every reader returns: the file's lines in reading order, with what its markup says."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qa.progress import Progress  # readers report "ocr" per page


@dataclass(frozen=True)
class Box:
    """Where a line sits on its page, as fractions of the page's width and height (0,0 top left),
    and its character height as a fraction of the page width: what paragraph joining and page
    furniture detection look at."""

    left: float
    top: float
    right: float
    bottom: float
    size: float


@dataclass(frozen=True)
class RawLine:
    """One line of a file. ``heading_level`` where the file's own markup says it is a heading
    (Word heading styles, HTML ``<h1>``..``<h6>``, Markdown ``#``); ``page`` (from 1) where the
    format has pages. Paged formats give physical lines (``box`` where known), joined into
    paragraphs by :mod:`qa.documents.paragraphs`; ``confidence`` is the OCR recognition
    confidence (0-1) of a line read from a page image; ``table`` marks a table row, its cells
    joined by " | ", which is never a heading."""

    text: str
    heading_level: int | None = None
    page: int | None = None
    box: Box | None = None
    confidence: float | None = None
    table: bool = False
    page_breaks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a joined paragraph turns a page


@dataclass(frozen=True)
class RawDocument:
    lines: list[RawLine]
    title: str | None = None
    date: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    ocr_dropped: int = 0  # OCR lines dropped below the confidence threshold
    ocr_pages: int = 0  # pages read by OCR
    dropped: tuple[tuple[str, int | None], ...] = ()  # (text, page) of those OCR lines, never silently lost


@dataclass(frozen=True)
class ReadOptions:
    """What a reader of page images needs beyond the bytes: where OCR results are cached (by page
    content hash; None: no cache) and whom to tell about progress per page."""

    ocr_cache: Path | None = None
    progress: Progress | None = None

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
