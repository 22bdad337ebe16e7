"""What a search returns: passages with the citation that locates each one in its report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """Where a passage is: ``document.text[start:end]`` of the cleaned report ``file`` is the
    passage's text exactly; ``page`` (and ``page_end`` when it runs onto another page) for PDFs."""

    title: str
    file: str
    section: tuple[str, ...]
    date: str | None
    source: str | None
    region: str | None
    start: int
    end: int
    page: int | None = None
    page_end: int | None = None
    ocr_confidence: float | None = None  # the passage was read by OCR: check it against the original

    @property
    def ocr(self) -> bool:
        return self.ocr_confidence is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "file": self.file,
            "section": list(self.section),
            "date": self.date,
            "source": self.source,
            "region": self.region,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "page_end": self.page_end,
            "ocr": self.ocr,
            "ocr_confidence": self.ocr_confidence,
        }

    def pages(self) -> str:
        """ "第12页 p. 12", "第12-13页 pp. 12-13", or "" for a format without pages."""
        if self.page is None:
            return ""
        if self.page_end is None:
            return f"第{self.page}页 p. {self.page}"
        return f"第{self.page}-{self.page_end}页 pp. {self.page}-{self.page_end}"

    def label(self) -> str:
        parts = [self.title, " > ".join(self.section[1:]), self.pages(), self.date or "", self.source or "",
                 "OCR 识别" if self.ocr else ""]  # fmt: skip
        return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    text: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    dense_score: float | None
    lexical_score: float | None
    citation: Citation

    def to_dict(self) -> dict[str, object]:
        return {
            "chunk_id": self.chunk_id,
            "text": self.text,
            "score": round(self.score, 6),
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
            "dense_score": None if self.dense_score is None else round(self.dense_score, 4),
            "lexical_score": None if self.lexical_score is None else round(self.lexical_score, 4),
            "citation": self.citation.to_dict(),
        }


@dataclass(frozen=True)
class Source:
    """A cited passage in its report: the whole cleaned text, the passage's span in it
    (``text[start:end]`` is the passage), its section path and pages, and the report's metadata."""

    chunk_id: int
    citation: Citation
    text: str
    start: int
    end: int
    pages: tuple[tuple[int, int], ...]  # (offset, page) where each page begins, for formats with pages
    metadata: dict[str, object]

    def to_dict(self) -> dict[str, object]:
        return {
            "chunk_id": self.chunk_id,
            "citation": self.citation.to_dict(),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "passage": self.text[self.start : self.end],
            "pages": [list(pair) for pair in self.pages],
            "metadata": self.metadata,
        }
