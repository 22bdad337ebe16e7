"""Answers across reports: one cited row per report, region or year, and "not stated" where none says it.

The shared half of the kinds across reports (:mod:`qa.answer.which`, :mod:`qa.answer.figures`): the
groups of reports the rows are drawn from (a row per report, per region named, per year), and the
answer made of what a kind chose in each group (:func:`table_answer`). Every row's sentence is a
real span of a real passage (its hit); a row whose report does not state the thing says so instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qa.answer.result import Answer, AnswerSentence, Row
from qa.answer.values import Figure
from qa.questions import Plan
from qa.regions import NATIONAL, PROVINCES
from qa.retrieval import Filters, Hit
from qa.store import DocumentEntry
from qa.years import report_year

NOT_STATED = "未提及 not stated"
NO_REPORT = "无报告 no report in the index"


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


def table_answer(plan: Plan, documents: Mapping[str, DocumentEntry], groups: Sequence[Group],
                 chosen: Sequence[Chosen | None], summary: str, filters: Filters | None) -> Answer:  # fmt: skip
    """The answer across reports: a row per group from the sentence chosen in its reports (or its
    note: not stated); the text is ``summary``, then each found row's sentence with its marker. With
    no group at all, the text says why no report fits and which reports there are."""
    if not groups:
        summary = no_report_fits(plan, documents, filters)
    rows: list[Row] = []
    hits: list[Hit] = []
    for group, choice in zip(groups, chosen, strict=True):
        entry = documents.get(choice.hit.citation.file) if choice else (documents.get(group.files[0]) if group.files
                                                                         else None)  # fmt: skip
        if choice is None:
            rows.append(_row(group, entry, None, None, group.note or NOT_STATED))
            continue
        hits.append(choice.hit)
        rows.append(_row(group, entry, choice, len(hits), None))
    sentences = tuple(
        AnswerSentence(row.sentence, row.marker, row.start, row.end)
        for row in rows
        if row.found and row.sentence is not None and row.marker is not None and row.start is not None
        and row.end is not None
    )  # fmt: skip
    lines = [summary] + [f"{row.label}：{row.sentence}[{row.marker}]" for row in rows if row.found]
    return Answer(plan.question, bool(sentences), "\n".join(lines), sentences, tuple(hits), plan.text, plan.kind,
                  tuple(rows))  # fmt: skip


SHOWN_REPORTS = 8  # reports named when none can answer a question across reports


def no_report_fits(plan: Plan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> str:
    """Why no report of the index can answer a question across reports, and which reports there are:
    各省2025年… over two online-civility reports of 2024 and 2022 has no report of 2025; 各省… over
    national reports only has no region's report; a filter or a level can leave none."""
    kept = _filtered(documents, filters)
    years = sorted({entry.shown_year for entry in documents.values() if entry.shown_year}, reverse=True)
    year = plan.years.single
    if not documents:
        why, why_en = "索引中还没有报告", "the index holds no report yet"
    elif not kept:
        why, why_en = "筛选条件排除了所有报告", "the filters leave out every report"
    elif year is not None and not any(entry.shown_year in report_year(year, plan.basis, set(years))
                                      for entry in kept.values()):  # fmt: skip
        listed = "、".join(str(value) for value in years) or "无 none"
        why = f"没有{year}年的报告（现有年份：{listed}）"
        why_en = f"no report of {year} (the years there are: {listed})"
    elif plan.level and not any(entry.level == plan.level for entry in kept.values()):
        why, why_en = f"没有{plan.level}级别的报告", f"no {plan.level} report"
    elif all(entry.level == "national" or entry.region == NATIONAL for entry in kept.values()):
        why, why_en = "只有全国的报告，没有各地区的报告", "only national reports, none of a region"
    else:
        why, why_en = "没有问题所指的地区或年份的报告", "no report of the regions or years asked about"
    shown = sorted(documents.values(), key=lambda entry: (-(entry.shown_year or 0), entry.region or "", entry.title))
    names = "；".join(f"{entry.region or '-'} {entry.shown_year or ''} {entry.title}".strip()
                     for entry in shown[:SHOWN_REPORTS])  # fmt: skip
    more = f" 等 {len(shown)} 份 ({len(shown)} in all)" if len(shown) > SHOWN_REPORTS else ""
    return (
        f"没有能回答这个问题的报告：{why}。No report of the index can answer it: {why_en}. "
        f"索引中的报告 The reports: {names}{more}。"
    )


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


# -- which reports, rows of which reports, regions or years ------------------------------------------


def report_groups(plan: Plan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> list[Group]:
    """A row per report asked of: of the level the question names, of the regions a which-question
    asks about (else not the country's), of the year asked about; the country's first, then the
    provinces in their order, each by year."""
    kept = _of_level_and_regions(plan, _filtered(documents, filters))
    year = plan.years.single
    if year is not None:  # a year the index holds no report of gives no rows, not other years' rows
        wanted = set(report_year(year, plan.basis, {e.shown_year for e in kept.values() if e.shown_year}))
        kept = {name: entry for name, entry in kept.items() if entry.shown_year in wanted}
    order = sorted(kept.items(), key=lambda item: (_REGION_ORDER.get(item[1].region, len(PROVINCES)),
                                                   item[1].shown_year or 0, item[0]))  # fmt: skip
    shared = Counter(entry.region for _name, entry in order)
    groups = []
    for name, entry in order:  # a report's region, with its year (or title) where the region has several
        if not entry.region:
            label = entry.title
        elif shared[entry.region] == 1:
            label = entry.region
        else:
            label = f"{entry.region} {entry.shown_year}" if entry.shown_year else f"{entry.region} {entry.title}"
        groups.append(Group(label, entry.region, entry.shown_year, (name,)))
    return groups


def region_groups(plan: Plan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> list[Group]:
    """A row per region named, in the order named: its reports (of the year asked about)."""
    scoped = _filtered(documents, filters)
    groups = []
    for region in plan.regions:
        files = {name: entry for name, entry in scoped.items() if _of_region(region, entry)}
        year = plan.years.single
        if year is not None and files:
            wanted = report_year(year, plan.basis, {entry.shown_year for entry in files.values() if entry.shown_year})
            files = {name: entry for name, entry in files.items() if entry.shown_year in wanted}
        groups.append(Group(region, region, year, tuple(sorted(files)), None if files else NO_REPORT))
    return groups


def year_groups(plan: Plan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> list[Group]:
    """A row per year asked about, from the report that answers it (a target of Y in Y's report,
    what Y achieved in Y+1's): of the province named, else the country's."""
    scoped = _filtered(documents, filters)
    provinces = plan.provinces
    if provinces:
        pool = {name: entry for name, entry in scoped.items() if entry.region == provinces[0]}
    else:
        national = {name: entry for name, entry in scoped.items() if _of_region(NATIONAL, entry)}
        pool = national or dict(scoped)
    by_year: dict[int, list[str]] = {}
    for name, entry in pool.items():
        if entry.shown_year is not None:
            by_year.setdefault(entry.shown_year, []).append(name)
    if plan.years.all_years:
        asked = sorted(by_year) if plan.basis != "actual" else sorted(year - 1 for year in by_year)
    else:
        asked = plan.years.years
    groups = []
    for year in asked:
        report = report_year(year, plan.basis, set(by_year))[0]
        files = tuple(sorted(by_year.get(report, [])))
        groups.append(Group(str(year), provinces[0] if provinces else NATIONAL, year, files,
                            None if files else NO_REPORT))  # fmt: skip
    return groups


_REGION_ORDER = {NATIONAL: -1} | {province: position for position, province in enumerate(PROVINCES)}


def _filtered(documents: Mapping[str, DocumentEntry], filters: Filters | None) -> dict[str, DocumentEntry]:
    return {name: entry for name, entry in documents.items() if not filters or not filters.active() or
            filters.accepts(entry, name)}  # fmt: skip


def _of_level_and_regions(plan: Plan, kept: dict[str, DocumentEntry]) -> dict[str, DocumentEntry]:
    """The reports of the level the question names (if it has any), of the regions a which-question
    asks about, else not the country's (各地 / 哪些省份 ask of the regions)."""
    if plan.level:
        levelled = {name: entry for name, entry in kept.items() if entry.level == plan.level}
        kept = levelled or kept
    named = _regions_asked_about(plan)
    if plan.kind.asks_mention and named:  # 西藏有没有提到量子计算: the reports of the regions named
        return {name: entry for name, entry in kept.items() if any(_of_region(r, entry) for r in named)}
    if NATIONAL not in plan.regions:
        return {name: entry for name, entry in kept.items() if entry.level != "national" and entry.region != NATIONAL}
    return kept


def _regions_asked_about(plan: Plan) -> list[str]:
    """The regions a which-question names outside its subject (哪些省份提到了西藏 names none)."""
    words = plan.subject.words if plan.subject and plan.kind.asks_mention else ()
    return [region for region in plan.regions if not any(region in word for word in words)]


def _of_region(region: str, entry: DocumentEntry) -> bool:
    if region == NATIONAL:
        return entry.region == NATIONAL or entry.level == "national"
    return entry.region == region
