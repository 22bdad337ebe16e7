"""Section chunking: chunks follow the report's own sections and never cross a heading.

A long section is split at sentence ends (。！？；) into pieces of similar size within the token
budget; short neighbouring paragraphs of one section are merged. Every chunk keeps the character
offsets of its text in the document's cleaned text: ``document.text[chunk.start:chunk.end]`` is
exactly ``chunk.text``.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import asdict, dataclass

from qa.documents import Document
from qa.text import estimate_tokens


@dataclass(frozen=True)
class ChunkingConfig:
    """``max_tokens`` is a hard budget for a chunk's text (the section path and the encoder's
    prefix are added on top, and 512 tokens hold both); paragraphs are merged up to
    ``target_tokens``; a piece under ``min_tokens`` ("各位代表！") joins its neighbour in the section
    even past the target, since on its own it matches every question a little and none well."""

    max_tokens: int = 320
    target_tokens: int = 200
    min_tokens: int = 30

    def __post_init__(self) -> None:
        if not 16 <= self.target_tokens <= self.max_tokens or self.min_tokens < 0:
            raise ValueError("chunking needs 16 <= target_tokens <= max_tokens and min_tokens >= 0")

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def embedding_text(section: tuple[str, ...], text: str) -> str:
    """What the encoder and the lexical index see of a chunk: the section path gives it its
    context (which report, which province, which part of it)."""
    return " > ".join(section) + "\n" + text


@dataclass(frozen=True)
class Chunk:
    index: int
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    page: int | None = None  # the page the chunk starts on, for formats with pages
    page_end: int | None = None  # the page it ends on, when that is another one
    ocr_confidence: float | None = None  # mean OCR confidence of its text, for text read from page images

    @property
    def ocr(self) -> bool:
        return self.ocr_confidence is not None

    def embedding_text(self) -> str:
        return embedding_text(self.section, self.text)


def chunk_document(document: Document, config: ChunkingConfig | None = None) -> list[Chunk]:
    config = config or ChunkingConfig()
    page_at = _page_finder(document)
    confidence_of = _confidence_finder(document)
    chunks: list[Chunk] = []
    for section, paragraphs in _sections(document):
        for start, end in _pack(document.text, paragraphs, config):
            first, last = page_at(start), page_at(end - 1)
            page_end = last if last is not None and last != first else None
            text = document.text[start:end]
            chunks.append(Chunk(len(chunks), section, start, end, text, first, page_end, confidence_of(start, end)))
    return chunks


def _confidence_finder(document: Document):
    """(start, end) -> mean OCR confidence of the OCR'd lines in that span, weighted by their
    characters there; None when no line of it was OCR'd."""
    lines = [line for line in document.lines if line.confidence is not None]
    if not lines:
        return lambda start, end: None
    starts = [line.start for line in lines]

    def confidence_of(start: int, end: int) -> float | None:
        total = weight = 0.0
        for position in range(max(bisect.bisect_right(starts, start) - 1, 0), len(lines)):
            line = lines[position]
            if line.start >= end:
                break
            overlap = min(end, line.end) - max(start, line.start)
            if overlap > 0:
                total += line.confidence * overlap
                weight += overlap
        return round(total / weight, 4) if weight else None

    return confidence_of


def _page_finder(document: Document):
    """offset -> the page of the line holding it (None for formats without pages); a paragraph
    of a PDF joined across a page break is on the next page from the break on."""
    starts = [line.start for line in document.lines]
    pages = [line.page for line in document.lines]

    def page_at(offset: int) -> int | None:
        position = bisect.bisect_right(starts, offset) - 1
        if position < 0:
            return None
        line = document.lines[position]
        page = pages[position]
        for at, turned in line.page_breaks:
            if offset >= line.start + at:
                page = turned
        return page

    return page_at


def _sections(document: Document) -> list[tuple[tuple[str, ...], list[tuple[int, int]]]]:
    """Body paragraphs grouped by the section path they fall under, in document order."""
    stack: list[tuple[int, str]] = []
    groups: list[tuple[tuple[str, ...], list[tuple[int, int]]]] = []
    current: list[tuple[int, int]] = []

    def path() -> tuple[str, ...]:
        return (document.title, *(title for _, title in stack))

    groups.append((path(), current))
    for line in document.lines:
        if line.title is not None and line.level is not None:
            while stack and stack[-1][0] >= line.level:
                stack.pop()
            stack.append((line.level, line.title))
            current = []
            groups.append((path(), current))
        if line.is_body:
            current.append((line.start, line.end))
    return [(section, paragraphs) for section, paragraphs in groups if paragraphs]


def _pack(text: str, paragraphs: list[tuple[int, int]], config: ChunkingConfig) -> list[tuple[int, int]]:
    """Merge short paragraphs up to the target; split long ones at sentence ends."""
    units: list[tuple[int, int]] = []
    for start, end in paragraphs:
        if estimate_tokens(text[start:end]) > config.max_tokens:
            units.extend(_split_long(text, start, end, config.max_tokens))
        else:
            units.append((start, end))
    packed: list[tuple[int, int]] = []
    for start, end in units:
        if packed:
            merged_start = packed[-1][0]
            if estimate_tokens(text[merged_start:end]) <= config.target_tokens:
                packed[-1] = (merged_start, end)
                continue
        packed.append((start, end))
    return _absorb_tiny(text, packed, config)


def _absorb_tiny(text: str, pieces: list[tuple[int, int]], config: ChunkingConfig) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged:
            previous_start, previous_end = merged[-1]
            tiny = min(estimate_tokens(text[previous_start:previous_end]), estimate_tokens(text[start:end]))
            if tiny < config.min_tokens and estimate_tokens(text[previous_start:end]) <= config.max_tokens:
                merged[-1] = (previous_start, end)
                continue
        merged.append((start, end))
    return merged


_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)]*")
_CLAUSE_END = re.compile(r"[，,、：:]+")


def _split_long(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Pieces of similar size, each at most ``max_tokens``, cut after sentence ends where possible."""
    sentences = _pieces_within(text, start, end, max_tokens)
    total = estimate_tokens(text[start:end])
    target = math.ceil(total / math.ceil(total / max_tokens))
    pieces: list[tuple[int, int]] = []
    for sentence_start, sentence_end in sentences:
        if pieces:
            piece_start = pieces[-1][0]
            if estimate_tokens(text[piece_start:sentence_end]) <= target:
                pieces[-1] = (piece_start, sentence_end)
                continue
        pieces.append((sentence_start, sentence_end))
    return pieces


def _pieces_within(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end]; a sentence over budget is cut at clauses, then by length."""
    pieces: list[tuple[int, int]] = []
    for sentence_start, sentence_end in _cut(text, start, end, _SENTENCE_END):
        if estimate_tokens(text[sentence_start:sentence_end]) <= max_tokens:
            pieces.append((sentence_start, sentence_end))
            continue
        for clause_start, clause_end in _cut(text, sentence_start, sentence_end, _CLAUSE_END):
            pieces.extend(_hard_cut(text, clause_start, clause_end, max_tokens))
    return _merge_small(text, pieces, max_tokens)


def _cut(text: str, start: int, end: int, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = []
    position = start
    for match in boundary.finditer(text, start, end):
        spans.append((position, match.end()))
        position = match.end()
    if position < end:
        spans.append((position, end))
    return [(span_start, span_end) for span_start, span_end in spans if span_end > span_start]


def _hard_cut(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Fixed-length pieces: a character never counts for more than one token."""
    return [(position, min(position + max_tokens, end)) for position in range(start, end, max_tokens)]


def _merge_small(text: str, pieces: list[tuple[int, int]], max_tokens: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and estimate_tokens(text[merged[-1][0] : end]) <= max_tokens and end - start < 8:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
