"""Answers across reports: one cited row per report, region or year, and "not stated" where none says it.

The shared half of the kinds across reports (:mod:`qa.answer.which`, :mod:`qa.answer.figures`): the
reports a question asks of (:func:`in_scope`), a row per report (:func:`report_groups`), and the
table built from what a kind chooses in each group (:func:`tabulate`). Every row's sentence is a
real span of a real passage (its hit); a row whose report does not state the thing says so instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from qa.answer.result import Answer, AnswerSentence, Row
from qa.answer.values import Figure
from qa.questions import Kind, Plan
from qa.regions import NATIONAL, PROVINCES
from qa.retrieval import Filters, Hit
from qa.store import DocumentEntry
from qa.years import report_year

NOT_STATED = "未提及 not stated"
NO_REPORT = "无报告 no report in the index"


@dataclass(frozen=True)
class Table:
    kind: Kind
    rows: tuple[Row, ...]
    hits: tuple[Hit, ...]
    summary: str

    def answer(self, plan: Plan) -> Answer:
        """The table as an answer: its summary, then each found row's sentence with its marker."""
        sentences = tuple(
            AnswerSentence(row.sentence, row.marker, row.start, row.end)
            for row in self.rows
            if row.found and row.sentence is not None and row.marker is not None and row.start is not None
            and row.end is not None
        )  # fmt: skip
        lines = [self.summary] + [f"{row.label}：{row.sentence}[{row.marker}]" for row in self.rows if row.found]
        return Answer(plan.question, bool(sentences), "\n".join(lines), sentences, self.hits, plan.text, self.kind,
                      self.rows)  # fmt: skip


@dataclass(frozen=True)
class Group:
    """The reports one row is drawn from."""

    label: str
    region: str | None
    year: int | None
    files: tuple[str, ...]
    note: str | None = None


@dataclass
class Chosen:
    """The sentence chosen for a row: ``hit.text[start:end]``, with its score and figure."""

    hit: Hit
    start: int
    end: int
    score: float
    figure: Figure | None = None
    extra: dict[str, float] = field(default_factory=dict)


def tabulate(plan: Plan, documents: Mapping[str, DocumentEntry], groups: list[Group],
             choose: Callable[[Group], Chosen | None], summary: Callable[[Plan, list[Row]], str]) -> Table:  # fmt: skip
    """A row per group, from the sentence ``choose`` finds in its reports (or its note: not stated)."""
    rows: list[Row] = []
    hits: list[Hit] = []
    for group in groups:
        chosen = choose(group)
        entry = documents.get(chosen.hit.citation.file) if chosen else (documents.get(group.files[0]) if group.files
                                                                         else None)  # fmt: skip
        if chosen is None:
            rows.append(_row(group, entry, None, None, group.note or NOT_STATED))
            continue
        hits.append(chosen.hit)
        rows.append(_row(group, entry, chosen, len(hits), None))
    return Table(plan.kind, tuple(rows), tuple(hits), summary(plan, rows))


def _row(group: Group, entry: DocumentEntry | None, chosen: Chosen | None, marker: int | None,
         note: str | None) -> Row:  # fmt: skip
    hit = chosen.hit if chosen else None
    return Row(
        label=group.label,
        region=group.region or (entry.region if entry else None),
        year=group.year if group.year is not None else (entry.shown_year if entry else None),
        level=entry.level if entry else None,
        file=hit.citation.file if hit else (group.files[0] if len(group.files) == 1 else None),
        title=hit.citation.title if hit else (entry.title if entry and len(group.files) == 1 else None),
        found=chosen is not None,
        marker=marker,
        sentence=hit.text[chosen.start : chosen.end] if hit and chosen else None,
        start=chosen.start if chosen else None,
        end=chosen.end if chosen else None,
        figure=chosen.figure if chosen else None,
        note=note,
    )


# -- which reports ---------------------------------------------------------------------------------


def in_scope(plan: Plan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> dict[str, DocumentEntry]:
    """The reports a question asks of: those the filters keep; for a row per report, those of the
    level it names, of the regions it asks about (a which-question naming some) or else not the
    country's, and of the year it asks about."""
    kept = {name: entry for name, entry in documents.items() if not filters or not filters.active() or
            filters.accepts(entry, name)}  # fmt: skip
    if plan.kind.per_report:
        if plan.level:
            levelled = {name: entry for name, entry in kept.items() if entry.level == plan.level}
            kept = levelled or kept
        named = _regions_asked_about(plan)
        if plan.kind.asks_mention and named:  # 西藏有没有提到量子计算: the reports of the regions named
            kept = {name: entry for name, entry in kept.items() if any(of_region(r, entry) for r in named)}
        elif NATIONAL not in plan.regions:  # 各地 / 哪些省份: the regions, not the country as a whole
            kept = {
                name: entry for name, entry in kept.items() if entry.level != "national" and entry.region != NATIONAL
            }
        year = plan.years.single
        if year is not None:
            wanted = set(report_year(year, plan.basis, {e.shown_year for e in kept.values() if e.shown_year}))
            dated = {name: entry for name, entry in kept.items() if entry.shown_year in wanted}
            kept = dated  # a year the index holds no report of gives no rows, not other years' rows
    return kept


def _regions_asked_about(plan: Plan) -> list[str]:
    """The regions a which-question names outside its subject (哪些省份提到了西藏 names none)."""
    words = plan.subject.words if plan.subject and plan.kind.asks_mention else ()
    return [region for region in plan.regions if not any(region in word for word in words)]


def report_groups(scoped: Mapping[str, DocumentEntry]) -> list[Group]:
    """A row per report: the country's first, then the provinces in their order, each by year."""
    order = sorted(scoped.items(), key=lambda item: (_region_order(item[1].region), item[1].shown_year or 0, item[0]))
    shared = Counter(entry.region for _name, entry in order)
    return [Group(_report_label(entry, shared[entry.region] > 1), entry.region, entry.shown_year, (name,))
            for name, entry in order]  # fmt: skip


def _report_label(entry: DocumentEntry, several: bool) -> str:
    """A row of one report: its region, with its year (or title) where the region has several reports."""
    if not entry.region:
        return entry.title
    if not several:
        return entry.region
    return f"{entry.region} {entry.shown_year}" if entry.shown_year else f"{entry.region} {entry.title}"


def _region_order(region: str | None) -> int:
    if region == NATIONAL:
        return -1
    return PROVINCES.index(region) if region in PROVINCES else len(PROVINCES)


def of_region(region: str, entry: DocumentEntry) -> bool:
    if region == NATIONAL:
        return entry.region == NATIONAL or entry.level == "national"
    return entry.region == region
