"""A figure across reports: of each report (各省2025年经济增长目标分别是多少？), of named regions side by
side (比较广东、江苏、浙江), of a run of years (2005年到2012年…). A row per report, region or year
with the sentence that answers it and the figure parsed from that sentence (:mod:`qa.answer.values`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cached_property

from qa.answer.config import AnswerConfig
from qa.answer.result import Answer, Request, Row
from qa.answer.rows import NO_REPORT, Chosen, Group, in_scope, of_region, report_groups, tabulate
from qa.answer.sentences import Stance, split_sentences
from qa.answer.values import Figure, figure_for
from qa.indicators import first_mention, mentioned
from qa.questions import Plan
from qa.regions import NATIONAL
from qa.retrieval import Hit, Retriever
from qa.store import DocumentEntry
from qa.text import bigrams, to_simplified
from qa.years import report_year

CONTEXT = 80  # characters before a sentence in its passage that may say it is a review (过去一年)
CLAUSE_AFTER = 60  # a row shows the clause that states its figure when its sentence is longer than this
_CLAUSE_BREAK = "，；：,;:"


def answer_each(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per report of the level and year asked about."""
    documents = retriever.manifest.documents
    return _table(plan, retriever, request, report_groups(in_scope(plan, documents, request.filters)), _each_summary)


def answer_compare(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per region named, in the order named."""
    scoped = in_scope(plan, retriever.manifest.documents, request.filters)
    groups = [_region_group(plan, region, scoped) for region in plan.regions]
    return _table(plan, retriever, request, groups, _compare_summary)


def answer_years(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per year asked about, from the report that answers it (a target of Y in Y's report,
    what Y achieved in Y+1's)."""
    scoped = in_scope(plan, retriever.manifest.documents, request.filters)
    return _table(plan, retriever, request, _year_groups(plan, scoped), _years_summary)


def _table(plan: Plan, retriever: Retriever, request: Request, groups: list[Group], summary) -> Answer:
    files = sorted({file for group in groups for file in group.files})
    config = request.config
    passages = retriever.search_each(plan, files, per_document=config.row_passages)
    documents = retriever.manifest.documents
    return tabulate(plan, documents, groups, lambda group: _best(plan, group, passages, config), summary).answer(plan)


def _region_group(plan: Plan, region: str, scoped: Mapping[str, DocumentEntry]) -> Group:
    files = {name: entry for name, entry in scoped.items() if of_region(region, entry)}
    year = plan.years.single
    if year is not None and files:
        wanted = report_year(year, plan.basis, {entry.shown_year for entry in files.values() if entry.shown_year})
        files = {name: entry for name, entry in files.items() if entry.shown_year in wanted}
    return Group(region, region, year, tuple(sorted(files)), None if files else NO_REPORT)


def _year_groups(plan: Plan, scoped: Mapping[str, DocumentEntry]) -> list[Group]:
    provinces = plan.provinces
    if provinces:
        pool = {name: entry for name, entry in scoped.items() if entry.region == provinces[0]}
    else:
        national = {name: entry for name, entry in scoped.items() if of_region(NATIONAL, entry)}
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


# -- the sentence of each row ----------------------------------------------------------------------


class _Sentence:
    """One sentence of a passage, read once: its text in simplified script, the indicators it names,
    whether it sets a target or reviews (``stance`` with its section path and the text before it,
    ``said`` alone), and the figure of the question's indicators it states (read when first asked)."""

    def __init__(self, sentence: str, placed: str, indicators: tuple[tuple[str, ...], ...]) -> None:
        self.simplified = to_simplified(sentence)
        self.indicators = indicators
        self.named = mentioned(self.simplified)
        self.stance = Stance.read(self.simplified, to_simplified(placed))
        self.said = Stance.read(self.simplified, "")

    @cached_property
    def figure(self) -> Figure | None:
        return figure_for(self.simplified, self.indicators)


def _best(plan: Plan, group: Group, passages: Mapping[str, list[Hit]], config: AnswerConfig) -> Chosen | None:
    """The sentence of the group's best passages that answers the question, if one does."""
    best: Chosen | None = None
    for file in group.files:
        for rank, hit in enumerate(passages.get(file, []), start=1):
            section = " ".join(hit.citation.section)
            for start, end in split_sentences(hit.text):
                before = hit.text[max(0, start - CONTEXT) : start]  # "过去一年，……。" before the figure
                sentence = _Sentence(hit.text[start:end], f"{section} {before}", plan.indicators)
                value = _sentence_score(plan, sentence, rank, config)
                if value is None or best is not None and value <= best.score:
                    continue
                best = Chosen(hit, start, end, value, sentence.figure)
    if best is not None and best.figure is not None and best.end - best.start > CLAUSE_AFTER:
        best.start, best.end, best.figure = _clause(best.hit.text, best.start, best.end, best.figure, plan.indicators)
    return best


def _clause(text: str, start: int, end: int, figure: Figure, wanted: tuple[tuple[str, ...], ...]
            ) -> tuple[int, int, Figure]:  # fmt: skip
    """The clause of ``text[start:end]`` that names the indicator and states its figure (地区生产总值增长5%左右
    out of a long list of targets), with the figure's offsets moved to it."""
    sentence = text[start:end]
    named = first_mention(to_simplified(sentence), list(wanted)) if wanted else None
    first = named[0] if named is not None and named[0] <= figure.start else figure.start
    left = max((sentence.rfind(mark, 0, first) for mark in _CLAUSE_BREAK), default=-1) + 1
    right_candidates = [position for position in (sentence.find(mark, figure.end) for mark in _CLAUSE_BREAK)
                        if position >= 0]  # fmt: skip
    right = min(right_candidates) if right_candidates else len(sentence)
    moved = replace(figure, start=figure.start - left, end=figure.end - left)
    return start + left, start + right, moved


def _sentence_score(plan: Plan, sentence: _Sentence, rank: int, config: AnswerConfig) -> float | None:
    """How well a sentence answers the row's question, or None when it does not (the gate)."""
    wanted = plan.indicators
    names_indicator = bool(wanted) and any(group in wanted for group in sentence.named)
    coverage = _coverage(plan, sentence)
    figure = sentence.figure if plan.asks_quantity or wanted else None
    if wanted and not names_indicator:
        return None
    if not wanted and coverage < config.row_min_coverage:
        return None
    if plan.asks_quantity and figure is None:
        return None
    stance = sentence.stance
    if stance.against(plan.basis):
        return None  # what a report says it achieved is not its target, nor the reverse
    if plan.basis == "target" and wanted and not (stance.target or stance.bound or figure is not None):
        return None  # a target is a figure or a bound
    if plan.basis == "actual" and not stance.review:
        return None  # what was achieved is said in a review of the year
    said = sentence.said
    on_basis = plan.basis == "target" and (said.target or said.bound) or plan.basis == "actual" and said.review
    return coverage + (0.3 if figure else 0.0) + (0.5 if on_basis else 0.0) + config.row_rank_weight / rank


def _coverage(plan: Plan, sentence: _Sentence) -> float:
    terms = plan.subject.terms if plan.subject else frozenset()
    if not terms:
        return 0.0
    present = set(bigrams(sentence.simplified))
    for group in sentence.named:
        if group in plan.indicators:  # the sentence names the indicator the question names, in its own words
            present |= {token for name in group for token in bigrams(name)}
    return len(terms & present) / len(terms)


# -- the summary line ------------------------------------------------------------------------------


def _each_summary(plan: Plan, rows: list[Row]) -> str:
    found = [row for row in rows if row.found]
    missing = len(rows) - len(found)
    return (f"{len(rows)} 份报告中 {len(found)} 份给出了答案，{missing} 份未提及。"
            f"{len(found)} of {len(rows)} reports answer it; {missing} do not state it.")  # fmt: skip


def _compare_summary(plan: Plan, rows: list[Row]) -> str:
    found = [row for row in rows if row.found]
    missing = len(rows) - len(found)
    return (f"比较 {'、'.join(row.label for row in rows)}：{len(found)} 个有答案，{missing} 个未提及。"
            f"{len(found)} of {len(rows)} answered, {missing} not stated.")  # fmt: skip


def _years_summary(plan: Plan, rows: list[Row]) -> str:
    found = [row for row in rows if row.found]
    span = f"{rows[0].label}–{rows[-1].label}" if rows else ""
    return (f"{span}：{len(rows)} 年中 {len(found)} 年的报告给出了答案。"
            f"{len(found)} of {len(rows)} years answered ({span}).")  # fmt: skip
