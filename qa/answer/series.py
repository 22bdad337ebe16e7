"""What the answers about the archive over time hold: a year's target against its result
(:class:`Comparison`, each side a cited :class:`Side`), and a term's mentions year by year
(:class:`Mentions`: every report checked, its count and sentences, the first and last)."""

from __future__ import annotations

from dataclasses import dataclass

from qa.answer.values import Figure
from qa.regions import NATIONAL


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the figure about ``year`` that ``sentence`` states, the sentence
    being ``hit.text[start:end]`` of the answer's hit ``marker`` (a span of the report ``file`` of
    ``report_year``); ``figure``'s offsets are within ``sentence``; ``name`` is the measure's name as
    the sentence words it."""

    year: int
    report_year: int | None
    file: str
    title: str
    marker: int
    sentence: str
    start: int
    end: int
    figure: Figure
    name: str

    @property
    def figure_span(self) -> str:
        return self.sentence[self.figure.start : self.figure.end]

    def to_dict(self) -> dict[str, object]:
        return {"year": self.year, "report_year": self.report_year, "file": self.file, "title": self.title,
                "marker": self.marker, "sentence": self.sentence, "start": self.start, "end": self.end,
                "name": self.name, **self.figure.to_dict(), "figure_start": self.figure.start,
                "figure_end": self.figure.end}  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """A target against its result: for ``measure`` (a key of :mod:`qa.measures`) and ``region``,
    the target of ``target_year`` (from that year's report) and the result of ``result_year`` (from
    the next year's review); ``year`` when the two are of one year (then ``verdict``, by
    :mod:`qa.answer.verdict`), else None (a 2025 report's 2024 result and 2025 target). A missing
    side has its note instead (no report in the index, or the report does not state it)."""

    measure: str
    label: str
    direction: str
    region: str
    year: int | None
    target_year: int
    result_year: int
    target: Side | None
    result: Side | None
    target_note: str | None
    result_note: str | None
    verdict: str | None
    difference: float | None
    difference_unit: str | None
    reason: str

    @property
    def row_label(self) -> str:
        if self.year is not None:
            return f"{self.region} {self.year}" if self.region != NATIONAL else str(self.year)
        return self.region

    def to_dict(self) -> dict[str, object]:
        return {"measure": self.measure, "label": self.label, "direction": self.direction, "region": self.region,
                "year": self.year, "target_year": self.target_year, "result_year": self.result_year,
                "target": self.target.to_dict() if self.target else None,
                "result": self.result.to_dict() if self.result else None,
                "target_note": self.target_note, "result_note": self.result_note, "verdict": self.verdict,
                "difference": self.difference, "difference_unit": self.difference_unit,
                "reason": self.reason}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """One sentence mentioning the term: ``sentence`` is the text of chunk ``chunk_id`` from
    ``start`` to ``end`` (``marker`` n when it is also the answer's hit n), ``form`` the form it holds."""

    chunk_id: int
    start: int
    end: int
    sentence: str
    form: str
    section: str
    marker: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"chunk_id": self.chunk_id, "start": self.start, "end": self.end, "sentence": self.sentence,
                "form": self.form, "section": self.section, "marker": self.marker}  # fmt: skip


@dataclass(frozen=True)
class YearCount:
    """One report checked: its year, how many times it says the term (non-overlapping occurrences
    of its forms, longest first, in its text without white space, simplified) and the sentences."""

    year: int
    file: str
    title: str
    count: int
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"year": self.year, "file": self.file, "title": self.title, "count": self.count,
                "mentions": [mention.to_dict() for mention in self.mentions]}  # fmt: skip


@dataclass(frozen=True)
class Mentions:
    """A term across the archive: ``reports`` every report checked, in year order (``scope`` says
    which: the national government work reports, say), each with its count; the first and last
    that mention it, how many earlier reports were checked without it, and the total."""

    term: str
    forms: tuple[str, ...]
    scope: str
    reports: tuple[YearCount, ...]

    @property
    def mentioning(self) -> tuple[YearCount, ...]:
        return tuple(report for report in self.reports if report.count)

    @property
    def first(self) -> YearCount | None:
        return self.mentioning[0] if self.mentioning else None

    @property
    def last(self) -> YearCount | None:
        return self.mentioning[-1] if self.mentioning else None

    @property
    def earlier_checked(self) -> int:
        """Reports before the first mention (all without the term); every report when none has it."""
        first = self.first
        return len(self.reports) if first is None else sum(report.year < first.year for report in self.reports)

    @property
    def total(self) -> int:
        return sum(report.count for report in self.reports)

    def counts(self) -> dict[int, int]:
        """The count of each year (a year of two reports checked: their sum)."""
        counts: dict[int, int] = {}
        for report in self.reports:
            counts[report.year] = counts.get(report.year, 0) + report.count
        return counts

    def to_dict(self) -> dict[str, object]:
        first, last = self.first, self.last
        return {"term": self.term, "forms": list(self.forms), "scope": self.scope,
                "reports_checked": len(self.reports), "earlier_reports_checked": self.earlier_checked,
                "reports_mentioning": len(self.mentioning), "total": self.total,
                "first": {"year": first.year, "file": first.file} if first else None,
                "last": {"year": last.year, "file": last.file} if last else None,
                "counts": {str(year): count for year, count in self.counts().items()},
                "reports": [report.to_dict() for report in self.reports]}  # fmt: skip
