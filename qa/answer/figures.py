"""A figure across reports: of each report (各省2025年经济增长目标分别是多少？), of named regions side by
side (比较广东、江苏、浙江), of a run of years (2005年到2012年…). A row per report, region or year
with the sentence that answers it and the figure parsed from that sentence (:mod:`qa.answer.values`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from qa.answer.config import AnswerConfig
from qa.answer.result import Answer, Request
from qa.answer.rows import Chosen, Group, region_groups, report_groups, table_answer, year_groups
from qa.answer.sentences import Sentence
from qa.answer.single import answer_single
from qa.quantities import ABOUT
from qa.questions import Plan, Single, question_terms
from qa.retrieval import Hit, Retriever
from qa.text import split_sentences, to_simplified
from qa.years import YearSpan

CONTEXT = 80  # characters before a sentence in its passage that may say it is a review (过去一年)
# A passage opening on a review of several years (五年来，……; 过去五年): its figures are theirs.
_YEARS_REVIEWED = re.compile(r"\s*(?:过去)?(?:[两二三四五六七八九十]|\d{1,2})年(?:来|以来|，)")
CLAUSE_AFTER = 24  # a row quotes the clause that states its figure when its sentence is longer than this


def answer_each(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per report of the level and year asked about."""
    groups = report_groups(plan, retriever.manifest.documents, request.filters)
    chosen = _chosen(plan, retriever, request, groups)
    found = sum(choice is not None for choice in chosen)
    missing = len(groups) - found
    summary = (f"{len(groups)} 份报告中 {found} 份给出了答案，{missing} 份未提及。"
               f"{found} of {len(groups)} reports answer it; {missing} do not state it.")  # fmt: skip
    return table_answer(plan, retriever.manifest.documents, groups, chosen, summary, request.filters)


def answer_compare(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per region named, in the order named."""
    groups = region_groups(plan, retriever.manifest.documents, request.filters)
    chosen = _chosen(plan, retriever, request, groups)
    found = sum(choice is not None for choice in chosen)
    missing = len(groups) - found
    summary = (f"比较 {'、'.join(group.label for group in groups)}：{found} 个有答案，{missing} 个未提及。"
               f"{found} of {len(groups)} answered, {missing} not stated.")  # fmt: skip
    return table_answer(plan, retriever.manifest.documents, groups, chosen, summary, request.filters)


def answer_years(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per year asked about, from the report that answers it. Years said only in relative
    words (近几年…每年, 近三年, 历年) of a region whose reports cover at most one of them are no run
    of years: the question is answered from its reports as one question, never as a one-year table."""
    groups = year_groups(plan, retriever.manifest.documents, request.filters)
    if _relative(plan.years) and sum(bool(group.files) for group in groups) < 2:
        return answer_single(_one_question(plan), retriever, request)
    chosen = _chosen(plan, retriever, request, groups)
    found = sum(choice is not None for choice in chosen)
    span = f"{groups[0].label}–{groups[-1].label}" if groups else ""
    summary = (f"{span}：{len(groups)} 年中 {found} 年的报告给出了答案。"
               f"{found} of {len(groups)} years answered ({span}).")  # fmt: skip
    return table_answer(plan, retriever.manifest.documents, groups, chosen, summary, request.filters)


def _one_question(plan: Plan) -> Plan:
    """``plan`` as one question about no year in particular, its terms without the year words."""
    words = plan.years.text
    wording = to_simplified(plan.translated) if plan.translated else plan.simplified  # as plan_question reads it
    wording = wording.replace(to_simplified(words), "") if words else wording
    return replace(plan, kind=Single(), years=YearSpan(text=words, vague=True), terms=question_terms(wording))


def _relative(years: YearSpan) -> bool:
    """Whether the years were said only relative to the reports (历年, 近三年), not as numbers."""
    return years.all_years or bool(years.recent)


def _chosen(plan: Plan, retriever: Retriever, request: Request, groups: list[Group]) -> list[Chosen | None]:
    """The sentence of each group's best passages that answers the question (one search for all)."""
    files = sorted({file for group in groups for file in group.files})
    passages = retriever.search_each(plan, files, per_document=request.config.row_passages)
    return [_best(plan, group, passages, request.config) for group in groups]


def _best(plan: Plan, group: Group, passages: Mapping[str, list[Hit]], config: AnswerConfig) -> Chosen | None:
    """The sentence of the group's best passages that answers the question, if one does: the clause
    that states its figure, when the sentence is long. Of an indicator, a sentence stating its figure
    where one does (not 对经济增长的拉动有限 beside 预计地区生产总值增长6%左右). For what was
    achieved, a sentence stating a figure "about" (左右, a target's) only when none states one
    exactly. For a year's row, never a figure said of a run of years (年均上涨1.9%: not stated),
    nor one of a passage opening on a review of several years (五年来，……). A figure the report
    states twice (in its list of targets or its review, then again where it explains them:
    提出…的目标，综合考虑了…) is cited where the report first states it."""
    scored: list[tuple[Hit, Sentence, float]] = []
    for file in group.files:
        for rank, hit in enumerate(passages.get(file, []), start=1):
            section = " ".join(hit.citation.section)
            for start, end in split_sentences(hit.text):
                before = hit.text[max(0, start - CONTEXT) : start]  # "过去一年，……。" before the figure
                sentence = Sentence(hit.text, start, end, f"{section} {before}", plan)
                value = sentence.row_score(plan, rank, config)
                if value is not None:
                    scored.append((hit, sentence, value))
    if not scored:
        return None
    if plan.indicators:  # a row of an indicator states its figure where a sentence of the report does
        scored = [item for item in scored if item[1].figure is not None] or scored
    if plan.basis == "actual":  # what was achieved is an exact figure, not a target's "about" one
        exact = [item for item in scored if item[1].figure is None or item[1].figure.qualifier != ABOUT]
        scored = exact or scored
    if group.year is not None:  # a year's row: not a figure said of a run of years (年均, 累计, 五年来，……)
        scored = [item for item in scored if item[1].figure is None or not (
                  item[1].over_years or _YEARS_REVIEWED.match(item[0].text))]  # fmt: skip
        if not scored:
            return None
    hit, sentence, value = _first_statement(max(scored, key=lambda item: item[2]), scored)
    figure = sentence.figure
    if figure is not None and sentence.end - sentence.start > CLAUSE_AFTER:
        start, end, figure = sentence.clause(figure)
        return Chosen(hit, start, end, value, figure)
    return Chosen(hit, sentence.start, sentence.end, value, figure)


def _first_statement(best: tuple[Hit, Sentence, float], scored: list[tuple[Hit, Sentence, float]]
                     ) -> tuple[Hit, Sentence, float]:  # fmt: skip
    """Of the sentences of ``best``'s report that state its figure (the same value and unit), as a
    review or not alike (a report may review last year's target met in the words that set this
    year's), the one the report says first."""
    hit, sentence, _value = best
    figure = sentence.figure
    if figure is None:
        return best
    key = (hit.citation.file, figure.value, figure.unit, sentence.stance.review)
    same = [item for item in scored if item[1].figure is not None and key == (
            item[0].citation.file, item[1].figure.value, item[1].figure.unit, item[1].stance.review)]  # fmt: skip
    return min(same, key=lambda item: (item[0].citation.start + item[1].start, -item[2]))
