"""Answers across reports: one cited row per report, region or year, and "not stated" where none says it.

A *which* question (哪些省份提到了人形机器人) gets the reports whose text contains the term; a figure
*of each* report (各省2025年经济增长目标), a *comparison* of named regions (比较广东、江苏、浙江) and a
*run of years* (2005年到2012年…) get one row per report, region or year with the sentence that
answers it and the figure parsed from that sentence. Every row's sentence is a real span of a
real passage (its hit); a row whose report does not state the thing says so instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from qa.answer.config import AnswerConfig
from qa.answer.sentences import Stance, question_terms, split_sentences
from qa.answer.values import Figure, clause_of, figure_for
from qa.indicators import mentioned
from qa.regions import PROVINCES
from qa.retrieval import Filters, Hit, QueryPlan, Retriever
from qa.retrieval.plan import NATIONAL
from qa.store import DocumentEntry
from qa.text import bigram_tokens, jieba_tokens, to_simplified
from qa.years import report_year

NOT_STATED = "未提及 not stated"
NO_REPORT = "无报告 no report in the index"

_SCOPE_WORDS = re.compile(
    r"各省区市|各省份|各省|各地区|各地|各市|各自治区|各个省|每个省份|每个省|每个地区|所有省份|哪些省份|哪些省|哪些地区|哪些城市|"
    r"哪些报告|分别|各是|各为|比较|对比|相比|和|与|及|、|三省|两省|四省|的|是多少|多少|是什么|如何|怎么样|？|\?"
)


@dataclass(frozen=True)
class Row:
    """One row of a cross-report answer. ``marker`` n: ``answer.hits[n-1]`` is the row's passage and
    ``sentence`` is ``hit.text[start:end]``; a row that is not ``found`` has no passage."""

    label: str
    region: str | None
    year: int | None
    level: str | None
    file: str | None
    title: str | None
    found: bool
    marker: int | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    figure: Figure | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        figure = (
            self.figure.to_dict() if self.figure else {"value": None, "unit": None, "qualifier": None, "text": None}
        )
        return {
            "label": self.label,
            "region": self.region,
            "year": self.year,
            "level": self.level,
            "file": self.file,
            "title": self.title,
            "found": self.found,
            "marker": self.marker,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            **figure,
            "note": self.note,
        }


@dataclass(frozen=True)
class Table:
    kind: str
    rows: tuple[Row, ...]
    hits: tuple[Hit, ...]
    summary: str


@dataclass(frozen=True)
class _Group:
    """The reports one row is drawn from."""

    label: str
    region: str | None
    year: int | None
    files: tuple[str, ...]
    note: str | None = None


@dataclass
class _Chosen:
    hit: Hit
    start: int
    end: int
    score: float
    figure: Figure | None = None
    extra: dict[str, float] = field(default_factory=dict)


def cross_report(plan: QueryPlan, retriever: Retriever, filters: Filters | None, config: AnswerConfig) -> Table:
    documents = retriever.manifest.documents
    groups = _groups(plan, documents, filters)
    files = sorted({file for group in groups for file in group.files})
    passages = retriever.search_each(plan, files, per_document=config.row_passages) if plan.scope != "which" else {}
    rows: list[Row] = []
    hits: list[Hit] = []
    for group in groups:
        chosen = _which(plan, retriever, group) if plan.scope == "which" else _best(plan, group, passages, config)
        entry = documents.get(chosen.hit.citation.file) if chosen else (documents.get(group.files[0]) if group.files
                                                                         else None)  # fmt: skip
        if chosen is None:
            rows.append(_row(group, entry, None, None, group.note or NOT_STATED))
            continue
        hits.append(chosen.hit)
        rows.append(_row(group, entry, chosen, len(hits), None))
    summary = _summary(plan, rows) if rows else _no_report_fits(plan, documents, filters)
    return Table(plan.scope, tuple(rows), tuple(hits), summary)


def _row(group: _Group, entry: DocumentEntry | None, chosen: _Chosen | None, marker: int | None,
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


# -- which reports, rows of which regions or years -------------------------------------------------


def _in_scope(
    plan: QueryPlan, documents: Mapping[str, DocumentEntry], filters: Filters | None
) -> dict[str, DocumentEntry]:
    kept = {name: entry for name, entry in documents.items() if not filters or not filters.active() or
            filters.accepts(entry, name)}  # fmt: skip
    if plan.scope in ("which", "each"):
        if plan.level:
            levelled = {name: entry for name, entry in kept.items() if entry.level == plan.level}
            kept = levelled or kept
        named = _regions_asked_about(plan)
        if plan.scope == "which" and named:  # 西藏有没有提到量子计算: the reports of the regions named
            kept = {name: entry for name, entry in kept.items() if any(_of_region(r, entry) for r in named)}
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


def _regions_asked_about(plan: QueryPlan) -> list[str]:
    """The regions a which-question names outside its term (哪些省份提到了西藏 names none)."""
    term = to_simplified(plan.term or "")
    return [region for region in plan.regions if region not in term]


def _groups(plan: QueryPlan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> list[_Group]:
    scoped = _in_scope(plan, documents, filters)
    if plan.scope in ("which", "each"):
        order = sorted(
            scoped.items(), key=lambda item: (_region_order(item[1].region), item[1].shown_year or 0, item[0])
        )
        shared = Counter(entry.region for _name, entry in order)
        return [_Group(_report_label(entry, shared[entry.region] > 1), entry.region, entry.shown_year, (name,))
                for name, entry in order]  # fmt: skip
    if plan.scope == "compare":
        return [_region_group(plan, region, scoped) for region in plan.regions]
    return _year_groups(plan, scoped)


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


def _of_region(region: str, entry: DocumentEntry) -> bool:
    if region == NATIONAL:
        return entry.region == NATIONAL or entry.level == "national"
    return entry.region == region


def _region_group(plan: QueryPlan, region: str, scoped: Mapping[str, DocumentEntry]) -> _Group:
    files = {name: entry for name, entry in scoped.items() if _of_region(region, entry)}
    year = plan.years.single
    if year is not None and files:
        wanted = report_year(year, plan.basis, {entry.shown_year for entry in files.values() if entry.shown_year})
        files = {name: entry for name, entry in files.items() if entry.shown_year in wanted}
    return _Group(region, region, year, tuple(sorted(files)), None if files else NO_REPORT)


def _year_groups(plan: QueryPlan, scoped: Mapping[str, DocumentEntry]) -> list[_Group]:
    provinces = [region for region in plan.regions if region != NATIONAL]
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
        label = str(year)
        groups.append(_Group(label, provinces[0] if provinces else NATIONAL, year, files, None if files else NO_REPORT))
    return groups


# -- the sentence of each row ----------------------------------------------------------------------


def _which(plan: QueryPlan, retriever: Retriever, group: _Group) -> _Chosen | None:
    """The first passage of the group's reports that mentions the term (either script): in its text,
    or in the heading it stands under (then its first sentence is cited, with the heading shown in
    its section path). An English question's translated term may have words between its parts
    (中欧（中亚）班列 for 中欧班列)."""
    if not plan.term:
        return None
    words = [to_simplified(word) for word in plan.term.split()] if plan.translated else [to_simplified(plan.term)]
    patterns = [_loose(word) if plan.translated else re.compile(re.escape(word)) for word in words]
    under_heading: _Chosen | None = None
    for chunk_id in (int(i) for i in retriever.store.ids_of(group.files)):
        text = retriever.simplified_text(chunk_id)
        heading = to_simplified(" ".join(retriever.store.chunk(chunk_id).section[1:]))
        for pattern in patterns:
            match = pattern.search(text)
            if match is not None:
                hit = retriever.hit(chunk_id)
                start, end = _sentence_around(hit.text, match.start())
                return _Chosen(hit, start, end, 1.0)
            if under_heading is None and pattern.search(heading):
                hit = retriever.hit(chunk_id)
                spans = split_sentences(hit.text)
                start, end = spans[0] if spans else (0, len(hit.text))
                under_heading = _Chosen(hit, start, end, 0.5)
    return under_heading


def _loose(term: str) -> re.Pattern[str]:
    """The term's words (by jieba) in order, a few characters apart at most."""
    parts = [part for part in dict.fromkeys(jieba_tokens(term)) if len(part) > 1 and part in term]
    parts = sorted(parts, key=term.index)
    cover = []
    position = 0
    for part in parts:  # a cover of the term by its longest words, left to right
        where = term.find(part, position)
        if where == position:
            cover.append(part)
            position += len(part)
    if len(cover) < 2 or position != len(term):
        return re.compile(re.escape(term))
    return re.compile(r"[^。；！？]{0,6}?".join(re.escape(part) for part in cover))


def _sentence_around(text: str, position: int) -> tuple[int, int]:
    for start, end in split_sentences(text):
        if start <= position < end:
            return start, end
    return position, min(len(text), position + 40)


def _best(plan: QueryPlan, group: _Group, passages: Mapping[str, list[Hit]], config: AnswerConfig) -> _Chosen | None:
    """The sentence of the group's best passages that answers the question, if one does."""
    wording = plan.translated or plan.text
    attribute = _attribute(plan)
    wanted = mentioned("".join(wording.split()) if plan.translated else wording)  # 地区生产总值 增长, joined
    best: _Chosen | None = None
    for file in group.files:
        for rank, hit in enumerate(passages.get(file, []), start=1):
            section = " ".join(hit.citation.section)
            for start, end in split_sentences(hit.text):
                sentence = hit.text[start:end]
                before = hit.text[max(0, start - CONTEXT) : start]  # "过去一年，……。" before the figure
                value = _sentence_score(plan, attribute, wanted, sentence, f"{section} {before}", rank, config)
                if value is None or best is not None and value <= best.score:
                    continue
                best = _Chosen(hit, start, end, value, figure_for(sentence, wording))
    if best is not None and best.figure is not None and best.end - best.start > CLAUSE_AFTER:
        best.start, best.end, best.figure = _clause(best.hit.text, best.start, best.end, best.figure, wanted)
    return best


CONTEXT = 80  # characters before a sentence in its passage that may say it is a review (过去一年)
CLAUSE_AFTER = 24  # a row quotes the clause that states its figure when its sentence is longer than this


def _clause(text: str, start: int, end: int, figure: Figure, wanted: list[tuple[str, ...]]) -> tuple[int, int, Figure]:
    """The clause of ``text[start:end]`` that names the indicator and states its figure (地区生产总值增长5%左右
    out of a long list of targets), with the figure's offsets moved to it."""
    left, right = clause_of(text[start:end], figure, wanted)
    moved = replace(figure, start=figure.start - left, end=figure.end - left)
    return start + left, start + right, moved


def _attribute(plan: QueryPlan) -> str:
    """What the question asks of each report: its words without regions, years and scope words."""
    text = to_simplified(plan.translated or plan.text)
    for region in (*plan.regions, *PROVINCES):
        text = text.replace(region, " ")
    if plan.years.text:
        text = text.replace(to_simplified(plan.years.text), " ")
    text = re.sub(r"(19|20)\d\d年?", " ", text)
    return _SCOPE_WORDS.sub(" ", text)


def _sentence_score(
    plan: QueryPlan, attribute: str, wanted: list[tuple[str, ...]], sentence: str, section: str, rank: int,
    config: AnswerConfig,
) -> float | None:  # fmt: skip
    """How well a sentence answers the row's question, or None when it does not (the gate)."""
    names_indicator = bool(wanted) and any(group in wanted for group in mentioned(sentence))
    coverage = _coverage(attribute, sentence, wanted)
    figure = figure_for(sentence, plan.translated or plan.text) if plan.asks_quantity or wanted else None
    if wanted and not names_indicator:
        return None
    if not wanted and coverage < config.row_min_coverage:
        return None
    if plan.asks_quantity and figure is None:
        return None
    stance = Stance.of(sentence, section)
    if stance.against(plan.basis):
        return None  # what a report says it achieved is not its target, nor the reverse
    if plan.basis == "target" and wanted and not (stance.target or stance.bound or figure is not None):
        return None  # a target is a figure or a bound
    if plan.basis == "actual" and not stance.review:
        return None  # what was achieved is said in a review of the year
    said = Stance.of(sentence)
    on_basis = plan.basis == "target" and (said.target or said.bound) or plan.basis == "actual" and said.review
    return coverage + (0.3 if figure else 0.0) + (0.5 if on_basis else 0.0) + config.row_rank_weight / rank


def _coverage(attribute: str, sentence: str, wanted: list[tuple[str, ...]]) -> float:
    terms = question_terms(attribute)
    if not terms:
        return 0.0
    present = set(bigram_tokens(sentence))
    for group in mentioned(sentence):
        if group in wanted:  # the sentence names the indicator the question names, in its own words
            present |= {token for name in group for token in bigram_tokens(name)}
    return len(terms & present) / len(terms)


# -- the summary line ------------------------------------------------------------------------------


SHOWN_REPORTS = 8  # reports named when none can answer a question across reports


def _no_report_fits(plan: QueryPlan, documents: Mapping[str, DocumentEntry], filters: Filters | None) -> str:
    """Why no report of the index can answer a question across reports, and which reports there are:
    各省2025年… over two online-civility reports of 2024 and 2022 has no report of 2025; 各省… over
    national reports only has no region's report; a filter or a level can leave none."""
    kept = {name: entry for name, entry in documents.items() if not filters or not filters.active() or
            filters.accepts(entry, name)}  # fmt: skip
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


def _summary(plan: QueryPlan, rows: list[Row]) -> str:
    found = [row for row in rows if row.found]
    if plan.scope == "which":
        term = plan.term or plan.text
        return (
            f"{len(rows)} 份报告中有 {len(found)} 份提到「{term}」。{len(found)} of {len(rows)} reports mention {term}."
        )
    if plan.scope == "years":
        span = f"{rows[0].label}–{rows[-1].label}" if rows else ""
        return (f"{span}：{len(rows)} 年中 {len(found)} 年的报告给出了答案。"
                f"{len(found)} of {len(rows)} years answered ({span}).")  # fmt: skip
    missing = len(rows) - len(found)
    if plan.scope == "compare":
        return (f"比较 {'、'.join(row.label for row in rows)}：{len(found)} 个有答案，{missing} 个未提及。"
                f"{len(found)} of {len(rows)} answered, {missing} not stated.")  # fmt: skip
    return (f"{len(rows)} 份报告中 {len(found)} 份给出了答案，{missing} 份未提及。"
            f"{len(found)} of {len(rows)} reports answer it; {missing} do not state it.")  # fmt: skip
