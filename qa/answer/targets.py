"""A target against its result (目标和实际): for a measure, a region and a year Y, the target in Y's
report (its plan) and the result for Y in Y+1's (its review), each a cited sentence with its figure,
the difference and the verdict (:mod:`qa.answer.verdict`).

The two reports are read whole, not searched: every sentence that names the measure and states a
figure of its unit right after the name (:func:`measure_figures`: 国内生产总值达到134.9万亿元、增长5%
is growth 5%, not 134.9; 消费对经济增长的贡献率 is another measure) is a candidate, and the side takes
the one its report's parts and words point to (:func:`best_side`): a target from the plan (今年,
预期目标, 左右), a result from the review (过去一年, 比上年, or 去年的 in the plan). Figures of several
years (年均, 累计, 五年来, 比2002年) are never a year's. One report can give both sides of different
years: a 2025 provincial report's 2024 result and 2025 target make a row of their own, without a verdict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from qa.answer.result import Answer, AnswerSentence, Request, Row
from qa.answer.sentences import split_sentences
from qa.answer.series import Comparison, Side
from qa.answer.stance import Stance
from qa.answer.values import Figure, figures
from qa.answer.verdict import VERDICT_NAMES, judge
from qa.indicators import GROUPS
from qa.measures import MEASURES, Measure, measures_asked
from qa.quantities import PLAN_BOUNDS
from qa.questions import Plan
from qa.questions.kinds import EACH
from qa.regions import NATIONAL, PROVINCES
from qa.retrieval import Filters, Hit, Retriever
from qa.retrieval.filters import year_range
from qa.store import DocumentEntry
from qa.text import is_cjk
from qa.years import YEAR

NO_REPORT = "无该年报告 no report of that year in the index"
NOT_STATED = "报告未给出 the report does not state it"
MAX_BETWEEN = 40  # characters between a measure's name and its figure, at most
CLAUSE_BREAKS = "，；：,;:"
SHOWN_WHOLE = 80  # a sentence up to this long is cited whole, a longer one by the clause of its figure
MAX_YEARS = 80  # rows of one measure and region, at most (every year of a long archive)

# Words that make a figure one of several years, not of one: 年均增长7.1%, 累计, 五年来, 比2002年增长.
_SEVERAL_YEARS = re.compile(
    r"年均|平均每年|每年平均|年平均|累计|[两三四五六七八九十]年(?:来|间|里|中|内|累计|的)?|连续|连年|一直|始终|多年|历年|以来|期间|"
    r"时期|十[一二三四五六七八九]五|今后|未来|[到至]\s*(?:19|20)\d\d年|比\s*(?:19|20)\d\d年|季度|上半年|下半年|月份|\d+-\d+月"
)
_PARAGRAPH_SEVERAL = re.compile(
    r"过去五年|五年来|十年来|这五年|五年中|五年间|“十[一二三四五六七八九]五”|十[一二三四五六七八九]五时期"
)
_PREVIOUS = re.compile(r"^(?:从|由)?(?:去年|上年|上一年)的?")
_AUXILIARY = re.compile(r"^(?:要|将|力争|确保|努力|继续|仍|预计|初步统计)+")  # 粮食产量要稳定在5.5亿吨以上
_TRANSITION_FROM = re.compile(r"^(?:从|由)[^，。；]{0,10}?$")
_TRANSITION_TO = re.compile(
    r"^(?:提高|下降|降低|调整|上升|回落|增加|减少|扩大|缩小|[降升增减])?(?:到|至)(?:去年|上年)?的?$"
)
_YEAR = re.compile(rf"(?<!\d){YEAR}(?!\d)")
_REVIEW_HEADING = re.compile(r"回顾|过去|一年来|去年|上年|成就|总结|首先报告")
_PLAN_HEADING = re.compile(r"今年|部署|任务|要求|政策取向|建议|目标|安排|重点|思路|展望|关于.{0,6}工作")
_TARGET_CUE = re.compile(r"预期目标|目标|预期|计划|今年|拟|安排|力争|确保")
_REVIEW_CUE = re.compile(r"过去一年|去年|上年|一年来|全年|比上年|同比|实现了|完成了|达到了")
# How each measure's name leads to its figure (the words between them, white space removed).
LEADS: dict[str, re.Pattern[str]] = {
    "gdp": re.compile(
        r"(?:[^。；]{0,30}?[，、,])?[^，、,。；]{0,10}?(?:增长|增速|增幅)(?:速度)?的?(?:调控目标|预期目标|目标|预期)?"
        r"(?:为|是|定为|设定为|达到|保持在)?"
        r"|(?:增长)?(?:预期目标|目标|预期)(?:为|是|定为|设定为)?|"
    ),
    "cpi": re.compile(
        r"(?:总水平|指数)?(?:比上年|同比|全年)?(?:涨幅|上涨|上升|升幅|增长|涨)?"
        r"(?:预期目标|目标|预期)?(?:回落到|回落至|回落|下降到|为|在|是|定为)?"
    ),
    "jobs": re.compile(r"(?:人数|人口|岗位)?(?:预期目标|目标|预期)?(?:达到|为|是|实现|定为)?"),
    "deficit": re.compile(
        r"(?:预期目标|目标)?(?:拟按|按|拟|为|是|在|约为|预计为|下降到|降到|降至|提高到|提高至|调整为|调整到|保持|达到)?"
    ),
    "grain": re.compile(r"(?:全年|首次|总产量)?(?:达到|为|是|保持在|稳定在|超过|实现|跃上|突破|站稳|稳定|保持)?"),
    "unemployment": re.compile(
        r"(?:全年|年末|平均|全年平均)?(?:为|是|在|控制在|保持在|稳定在|降到|降至|下降到|平均为|降为)?"
    ),
}


# Names of other things a figure may follow (a figure after one of them is not the measure's).
OTHER_NAMES = ("单位国内生产总值能耗", "单位地区生产总值能耗", "人均国内生产总值", "人均地区生产总值",
               "人均生产总值", "投资", "收入", "利润", "消费", "出口", "进口", "增加值", "零售", "贷款", "存款",
               "财政赤字", "赤字规模")  # fmt: skip


@dataclass(frozen=True)
class Found:
    """A figure of a measure in a sentence (simplified): the name it follows (``name_start``, at the
    start of its clause ``clause_start``), whether it is the previous year's (去年的2.1%), the years
    its clause names."""

    figure: Figure
    name: str
    name_start: int
    clause_start: int
    previous: bool
    years: frozenset[int]


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, str | None]]:
    """Every indicator name (the measures' and :mod:`qa.indicators`'), longest first, and the
    measure each belongs to (None: another indicator)."""
    owner: dict[str, str | None] = {}
    for measure in MEASURES:
        for name in measure.names:
            owner.setdefault(name, measure.key)
    for group in GROUPS:  # a group naming one of the measures' names is that measure's (经济增长 is GDP's)
        key = next((owner[name] for name in group if owner.get(name)), None)
        for name in group:
            owner.setdefault(name, key)
    for name in OTHER_NAMES:
        owner.setdefault(name, None)
    ordered = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in ordered)), owner


def measure_figures(simplified: str, measure: Measure) -> list[Found]:
    """The figures of ``measure`` in one sentence (in simplified script): each the first figure of
    the measure's unit after the nearest indicator name before it, when that name is the measure's
    and the words between lead to the figure (:data:`LEADS`), with no other figure of the unit
    between (but 从去年的2.1%提高到2.3%), and the clause names no span of several years; for
    "X、Y分别增长a和b" the k-th name takes the k-th figure."""
    pattern, owner = _names()
    names = [(match.start(), match.end(), match.group()) for match in pattern.finditer(simplified)]
    if not names:
        return []
    stated = [figure for figure in figures(simplified) if figure.unit in measure.units]
    found = _respectively(simplified, names, stated, measure)
    for figure in stated:
        before = [name for name in names if name[1] <= figure.start]
        if not before:
            continue
        start, end, name = before[-1]
        if owner.get(name) != measure.key or figure.start - end > MAX_BETWEEN or _modified(simplified, start, name):
            continue
        read = _lead(measure, simplified, end, figure, stated)
        if read is None:
            continue
        previous, counted_from = read
        clause_start = max((simplified.rfind(mark, 0, start) for mark in CLAUSE_BREAKS), default=-1) + 1
        scope = simplified[max(clause_start, counted_from) : figure.end]
        if _SEVERAL_YEARS.search(scope) or _SEVERAL_YEARS.search(simplified[clause_start:start]):
            continue
        years = frozenset(int(year) for year in _YEAR.findall(scope + simplified[clause_start:start]))
        found.append(Found(figure, name, start, clause_start, previous, years))
    unique: dict[int, Found] = {}
    for item in found:
        unique.setdefault(item.figure.start, item)
    return sorted(unique.values(), key=lambda item: item.figure.start)


def _modified(simplified: str, start: int, name: str) -> bool:
    """海洋生产总值, 县域生产总值: a name qualified by a sector or a place is not the region's own."""
    return (
        name.startswith(("生产总值", "GDP"))
        and start > 0
        and is_cjk(simplified[start - 1])
        and (simplified[start - 1] not in "省市区疆国年全")
    )


def _lead(measure: Measure, simplified: str, name_end: int, figure: Figure,
          stated: Sequence[Figure]) -> tuple[bool, int] | None:  # fmt: skip
    """Whether the words from the name to ``figure`` lead to it: (whether they make it the previous
    year's, where the words that count begin), or None."""
    between = simplified[name_end : figure.start]
    if re.search(r"[。；！？]", between):
        return None
    compact = re.sub(r"\s+", "", between)
    lead = LEADS[measure.key]
    inside = [other for other in stated if other.start >= name_end and other.end <= figure.start]
    if not inside:
        previous = _PREVIOUS.match(compact)
        rest = _AUXILIARY.sub("", compact[previous.end() :] if previous else compact)
        if previous and not rest or lead.fullmatch(rest):
            return bool(previous), name_end
        return None
    if len(inside) != 1:
        return None
    middle = inside[0]  # 赤字率从去年的2.1%提高到2.3%: the figure after 到 is the new one
    before = re.sub(r"\s+", "", simplified[name_end : middle.start])
    after = re.sub(r"\s+", "", simplified[middle.end : figure.start])
    if not (_TRANSITION_FROM.match(before) and _TRANSITION_TO.match(after)):
        return None
    return bool(re.search(r"(?:去年|上年)的?$", after)), middle.end


def _respectively(simplified: str, names: list[tuple[int, int, str]], stated: Sequence[Figure],
                  measure: Measure) -> list[Found]:  # fmt: skip
    """ "地区生产总值、一般公共预算收入分别增长5.5%和3%": the k-th name before 分别 takes the k-th
    figure after it."""
    _pattern, owner = _names()
    found = []
    for match in re.finditer("分别", simplified):
        clause_start = max((simplified.rfind(mark, 0, match.start()) for mark in "，；：,;:"), default=-1) + 1
        listed = [name for name in names if clause_start <= name[0] and name[1] <= match.start()]
        after = [figure for figure in stated if figure.start > match.end()]
        clause_end = min([position for position in (simplified.find(mark, match.end()) for mark in "；。")
                          if position >= 0] or [len(simplified)])  # fmt: skip
        after = [figure for figure in after if figure.end <= clause_end]
        if len(listed) < 2 or len(after) < len(listed):
            continue
        for (start, _end, name), figure in zip(listed, after, strict=False):
            if owner.get(name) == measure.key and not _SEVERAL_YEARS.search(simplified[clause_start : figure.end]):
                years = frozenset(int(year) for year in _YEAR.findall(simplified[clause_start : figure.end]))
                found.append(Found(figure, name, start, clause_start, False, years))
    return found


# -- the sentences of a report, and the side each can be ------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A figure of the measure in a report: the sentence ``hit.text[start:end]`` (its simplified
    script ``said``), the part of the report it is in ("review", "plan" or None) and the words of
    its paragraph before it."""

    hit: Hit
    start: int
    end: int
    said: str
    part: str | None
    paragraph: str
    found: Found
    order: int


def report_parts(sections: Sequence[tuple[str, ...]], report_year: int | None) -> list[str | None]:
    """The part of a government work report each chunk is in (by its section path): "review" (the
    year or years before: 回顾, 过去, 2024年工作回顾 in 2025's), "plan" (今年, 部署, 任务, 2025年…) or
    None before the first heading. A heading that says neither follows the one before it; the first
    heading that says neither is the review (a report reviews first)."""
    parts: list[str | None] = []
    current: str | None = None
    seen_heading = False
    last: str | None = None
    for section in sections:
        heading = section[1] if len(section) > 1 else None
        if heading is None or heading == last:
            parts.append(current if seen_heading else None)
            continue
        last = heading
        said = _heading_part(heading, report_year)
        if said is not None:
            current = said
        elif not seen_heading:
            current = "review"
        elif current == "review" and _numbered_top(heading):
            current = "plan"
        seen_heading = True
        parts.append(current)
    return parts


def _heading_part(heading: str, report_year: int | None) -> str | None:
    if _REVIEW_HEADING.search(heading) or report_year is not None and re.search(rf"{report_year - 1}\s*年", heading):
        return "review"
    if _PLAN_HEADING.search(heading) or report_year is not None and re.search(rf"{report_year}\s*年", heading):
        return "plan"
    return None


def _numbered_top(heading: str) -> bool:
    return bool(re.match(r"^[一二三四五六七八九十]+、", heading.strip()))


def candidates(retriever: Retriever, file: str, measure: Measure, report_year: int | None) -> list[Candidate]:
    """Every figure of ``measure`` in the report ``file``, in the order of the report."""
    store = retriever.store
    chunks = sorted((store.chunk(int(chunk_id)) for chunk_id in store.ids_of([file])), key=lambda chunk: chunk.start)
    parts = report_parts([chunk.section for chunk in chunks], report_year)
    found: list[Candidate] = []
    for chunk, part in zip(chunks, parts, strict=True):
        simplified = retriever.simplified_text(chunk.id)
        if not any(name in simplified for name in measure.names):
            continue
        hit = None
        for start, end in split_sentences(chunk.text):
            said = simplified[start:end]
            if not any(name in said for name in measure.names):
                continue
            for item in measure_figures(said, measure):
                hit = hit or retriever.hit(chunk.id)
                paragraph = simplified[simplified.rfind("\n", 0, start) + 1 : start]
                found.append(Candidate(hit, start, end, said, part, paragraph, item, len(found)))
    return found


def target_score(candidate: Candidate, year: int) -> float | None:
    """How surely a candidate is the target of ``year`` in that year's report, or None when it is not."""
    item = candidate.found
    if item.previous or item.years - {year}:
        return None
    clause = candidate.said[item.clause_start : item.figure.end]
    score = 0.0
    if candidate.part == "plan":
        score += 2
    elif candidate.part == "review":
        score -= 3 if not _TARGET_CUE.search(clause) else 1
    if _TARGET_CUE.search(candidate.said[: item.figure.end]):
        score += 1
    if item.figure.qualifier in PLAN_BOUNDS or isinstance(item.figure.value, tuple):
        score += 1
    if Stance.read(candidate.said, "").review and not _TARGET_CUE.search(clause):
        score -= 2
    if _PARAGRAPH_SEVERAL.search(candidate.paragraph):
        score -= 2
    return score if score >= 1 else None


def result_score(candidate: Candidate, year: int) -> float | None:
    """How surely a candidate is the result of ``year`` in the next year's report, or None."""
    item = candidate.found
    if item.years - {year}:
        return None
    said = candidate.said
    stance = Stance.read(said, candidate.paragraph)
    score = 0.0
    if item.previous:
        score += 3
    if candidate.part == "review":
        score += 2
    elif candidate.part == "plan" and not item.previous:  # 过去一年，……。国内生产总值增长10.3%
        reviewed = _review_context(candidate.paragraph) or year in item.years
        score += 1 if reviewed and not _TARGET_CUE.search(said) else -3
    elif stance.review:
        score += 1
    if year in item.years:
        score += 1
    if item.figure.qualifier in PLAN_BOUNDS or isinstance(item.figure.value, tuple):
        score -= 1
    if _TARGET_CUE.search(said[item.clause_start : item.figure.end]) and not stance.review:
        score -= 2
    if _PARAGRAPH_SEVERAL.search(candidate.paragraph) and not _REVIEW_CUE.search(candidate.paragraph):
        score -= 2
    return score if score >= 1 else None


def _review_context(paragraph: str) -> bool:
    """Whether the sentence before, in its paragraph, says what follows is a review (过去一年，…)."""
    sentences = [part for part in re.split(r"[。；！？]", paragraph) if part.strip()]
    return bool(sentences) and bool(_REVIEW_CUE.search(sentences[-1])) and not _TARGET_CUE.search(sentences[-1])


def best_side(found: Sequence[Candidate], side: str, year: int, measure: Measure | None = None,
              variant: str | None = None) -> Candidate | None:  # fmt: skip
    """The candidate that best is the ``side`` ("target" or "result") of ``year``: the best score
    (a result of the target's ``variant`` of the measure first: 调查失业率 with 调查失业率), then the
    first in the report."""
    scorer = target_score if side == "target" else result_score

    def score(candidate: Candidate) -> float | None:
        value = scorer(candidate, year)
        if value is not None and variant is not None and measure is not None:
            value += 2 if measure.variant(candidate.found.name) == variant else 0
        return value

    scored = [(value, candidate) for candidate in found if (value := score(candidate)) is not None]
    if not scored:
        return None
    return max(scored, key=lambda pair: (pair[0], -pair[1].order))[1]


def cited_span(candidate: Candidate) -> tuple[int, int, Figure]:
    """The span of the hit cited for a candidate: the whole sentence when it is short, else the
    clause from the measure's name to the end of the figure's clause; and the figure's offsets in it."""
    figure = candidate.found.figure
    said = candidate.said
    if len(said) <= SHOWN_WHOLE:
        return candidate.start, candidate.end, figure
    left = candidate.found.clause_start
    right = min([position for position in (said.find(mark, figure.end) for mark in CLAUSE_BREAKS + "。")
                 if position >= 0] or [len(said)])  # fmt: skip
    moved = replace(figure, start=figure.start - left, end=figure.end - left)
    return candidate.start + left, candidate.start + right, moved


# -- which reports, which rows ----------------------------------------------------------------------


def is_work_report(entry: DocumentEntry) -> bool:
    """A government work report (政府工作报告), not a resolution on one (关于政府工作报告的决议)."""
    title = entry.title or ""
    return "政府工作报告" in title and not re.search(r"决议|决定|审议意见", title)


def work_reports(documents: Mapping[str, DocumentEntry], filters: Filters | None) -> dict[tuple[str, int], str]:
    """(region, year) -> the file of that region's government work report of that year (the
    country's region is 全国), within the filters other than the year (a row of year Y reads Y+1's)."""
    kept = Filters(filters.region, None, filters.source, filters.file, filters.level) if filters else None
    found: dict[tuple[str, int], str] = {}
    for name in sorted(documents):
        entry = documents[name]
        year = entry.shown_year
        if year is None or not is_work_report(entry) or (kept is not None and kept.active() and
                                                          not kept.accepts(entry, name)):  # fmt: skip
            continue
        region = NATIONAL if entry.level == "national" else entry.region
        if region:
            found.setdefault((region, year), name)
    return found


@dataclass(frozen=True)
class Ask:
    """One row asked: a measure (of the ``variant`` the question names, 调查 or 登记, if any), a
    region, the year of its target and the year of its result."""

    measure: Measure
    region: str
    target_year: int
    result_year: int
    variant: str | None = None


_RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "this year": 0, "last year": -1,
                   "next year": 1}  # fmt: skip


def named_years(text: str, newest: int | None) -> list[int]:
    """The years a question names one by one (a range of years left out), in order, 今年 and
    去年 counted from ``newest``."""
    lowered = text.lower()
    from qa.years import find_years

    span = find_years(lowered, newest)
    if span.is_range and span.text:
        lowered = lowered.replace(span.text.lower(), " ")
    found = [(match.start(), int(match.group())) for match in _YEAR.finditer(lowered)]
    if newest is not None:
        for word, offset in _RELATIVE_YEARS.items():
            position = lowered.find(word)
            if position >= 0:
                found.append((position, newest + offset))
    return list(dict.fromkeys(year for _position, year in sorted(found)))


def asks(plan: Plan, reports: Mapping[tuple[str, int], str], filters: Filters | None, newest: int | None) -> list[Ask]:
    """The rows a target question asks for: each measure it names, for each region (the province(s)
    it names, every province for 各省, else the country), for each year (a year, a range, 历年, the
    filter's years), or, when it names two years one by one (2024年实际…2025年目标, 去年…今年), one
    row of the earlier year's result and the later year's target."""
    wording = f"{plan.simplified} {plan.translated}".lower()
    measures = measures_asked(wording) or [measure for measure in MEASURES if measure.key == "gdp"]
    regions = _regions(plan, reports, filters)
    years = named_years(plan.simplified, newest)
    span = plan.years
    rows: list[Ask] = []
    for measure in measures:
        variant = next((word for word in measure.variants if word in wording), None)
        for region in regions:
            held = sorted(year for (where, year) in reports if where == region)
            for target_year, result_year in _year_pairs(span, years, held, filters, newest):
                rows.append(Ask(measure, region, target_year, result_year, variant))
    return rows


def _regions(plan: Plan, reports: Mapping[tuple[str, int], str], filters: Filters | None) -> list[str]:
    held = {region for region, _year in reports}
    if filters and filters.region:
        return [region for region in (NATIONAL, *PROVINCES) if region in held] or [filters.region]
    if plan.provinces:
        return [*([NATIONAL] if NATIONAL in plan.regions else []), *plan.provinces]
    if EACH.search(plan.simplified) or plan.level == "provincial":
        return [region for region in PROVINCES if region in held]
    if NATIONAL in held or NATIONAL in plan.regions:
        return [NATIONAL]
    return [region for region in PROVINCES if region in held][:1]


def _year_pairs(span, years: list[int], held: list[int], filters: Filters | None,
                newest: int | None) -> list[tuple[int, int]]:  # fmt: skip
    """(target year, result year) of each row: the same year, or a pair of two years named."""
    if len(years) == 2 and not span.is_range:
        earlier, later = sorted(years)
        return [(later, earlier)]
    if span.is_range and not span.all_years and span.first is not None and span.last is not None:
        return [(year, year) for year in range(span.first, span.last + 1)][-MAX_YEARS:]
    if span.single is not None:
        return [(span.single, span.single)]
    chosen = year_range(filters.year) if filters and filters.year else None
    if chosen:
        return [(year, year) for year in range(chosen[0], chosen[1] + 1)][-MAX_YEARS:]
    if span.all_years:
        return [(year, year) for year in held if year + 1 in held or year in held][-MAX_YEARS:]
    latest = max(held) if held else newest
    if latest is None:
        return []
    if latest - 1 in held:
        return [(latest - 1, latest - 1)]
    return [(latest, latest - 1)]  # one report: its review of last year and its target for this year


# -- the answer --------------------------------------------------------------------------------------


class _Cited:
    """The hits an answer cites, each once, numbered in the order first cited."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self._markers: dict[int, int] = {}

    def marker(self, hit: Hit) -> int:
        if hit.chunk_id not in self._markers:
            self.hits.append(hit)
            self._markers[hit.chunk_id] = len(self.hits)
        return self._markers[hit.chunk_id]


def answer_target_result(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A row per measure, region and year: the target, the result, the difference and the verdict."""
    documents = retriever.manifest.documents
    reports = work_reports(documents, request.filters)
    newest = max((year for _region, year in reports), default=retriever.vocabulary.newest)
    read: dict[tuple[str, str], list[Candidate]] = {}
    cited = _Cited()
    comparisons = [_compare(retriever, documents, reports, row, read, cited)
                   for row in asks(plan, reports, request.filters, newest)]  # fmt: skip
    if plan.years.all_years:  # 历年: from the first year a report states either side
        comparisons = _from_first_stated(comparisons)
    rows = tuple(row for comparison in comparisons for row in _rows(comparison, documents))
    sentences = tuple(
        AnswerSentence(side.sentence, side.marker, side.start, side.end)
        for comparison in comparisons for side in (comparison.target, comparison.result) if side is not None
    )  # fmt: skip
    text = comparison_text(comparisons)
    return Answer(plan.question, bool(sentences), text, sentences, tuple(cited.hits), plan.text, plan.kind, rows,
                  comparisons=tuple(comparisons))  # fmt: skip


def _compare(retriever: Retriever, documents: Mapping[str, DocumentEntry], reports: Mapping[tuple[str, int], str],
             row: Ask, read: dict[tuple[str, str], list[Candidate]], cited: _Cited) -> Comparison:  # fmt: skip
    measure = row.measure
    sides: dict[str, Side | None] = {}
    notes: dict[str, str | None] = {}
    for side, about, report_year in (("target", row.target_year, row.target_year),
                                     ("result", row.result_year, row.result_year + 1)):  # fmt: skip
        file = reports.get((row.region, report_year))
        if file is None:
            sides[side], notes[side] = None, NO_REPORT
            continue
        if (file, measure.key) not in read:
            read[(file, measure.key)] = candidates(retriever, file, measure, report_year)
        found = read[(file, measure.key)]
        if row.variant is not None:  # 城镇调查失业率 asked: never the registered rate
            found = [candidate for candidate in found if measure.variant(candidate.found.name) == row.variant]
        target = sides.get("target")
        variant = measure.variant(target.name) if side == "result" and target is not None else None
        chosen = best_side(found, side, about, measure, variant)
        if chosen is None:
            sides[side], notes[side] = None, NOT_STATED
            continue
        start, end, figure = cited_span(chosen)
        entry = documents.get(file)
        sides[side] = Side(about, report_year, file, entry.title if entry else file, cited.marker(chosen.hit),
                           chosen.hit.text[start:end], start, end, figure, chosen.found.name)  # fmt: skip
        notes[side] = None
    target, result = sides["target"], sides["result"]
    same_year = row.target_year == row.result_year
    if same_year:
        same = target is None or result is None or measure.variant(target.name) == measure.variant(result.name)
        judged = judge(measure.direction, target.figure if target else None, result.figure if result else None,
                       same_measure=same)  # fmt: skip
        verdict, difference, unit, reason = judged.verdict, judged.difference, judged.unit, judged.reason
    else:
        verdict, difference, unit = None, None, None
        reason = f"{row.result_year}年实际与{row.target_year}年目标不是同一年，不作判断 different years: no verdict"
    return Comparison(measure.key, measure.label, measure.direction, row.region, row.target_year if same_year else None,
                      row.target_year, row.result_year, target, result, notes["target"], notes["result"], verdict,
                      difference, unit, reason)  # fmt: skip


def _from_first_stated(comparisons: list[Comparison]) -> list[Comparison]:
    """The rows of each measure and region from the first that states a side (the years before
    it, where no report gives either figure, are left out); every row when none does."""
    kept: list[Comparison] = []
    started: set[tuple[str, str]] = set()
    for comparison in comparisons:
        key = (comparison.measure, comparison.region)
        if key in started or comparison.target is not None or comparison.result is not None:
            started.add(key)
            kept.append(comparison)
    return kept or comparisons


def _rows(comparison: Comparison, documents: Mapping[str, DocumentEntry]) -> list[Row]:
    """The comparison as two generic rows (its target, its result), for what shows any table."""
    rows = []
    for name, side, note, year in (("目标 target", comparison.target, comparison.target_note, comparison.target_year),
                                   ("实际 result", comparison.result, comparison.result_note,
                                    comparison.result_year)):  # fmt: skip
        label = (
            f"{comparison.row_label} {name}" if comparison.year is not None else f"{comparison.region} {year} {name}"
        )
        entry = documents.get(side.file) if side else None
        rows.append(Row(label, comparison.region, year, entry.level if entry else None, side.file if side else None,
                        side.title if side else None, side is not None, side.marker if side else None,
                        side.sentence if side else None, side.start if side else None, side.end if side else None,
                        side.figure if side else None, note))  # fmt: skip
    return rows


def difference_text(comparison: Comparison) -> str:
    if comparison.difference is None:
        return ""
    return f"{comparison.difference:+g} {comparison.difference_unit or ''}".strip()


def comparison_text(comparisons: Sequence[Comparison]) -> str:
    """The answer's text: a summary, then for each row its verdict and each side's figure with the
    sentence it is from and its marker."""
    if not comparisons:
        return "没有找到可比较的目标和实际。No target and result to compare were found."
    judged = [comparison.verdict for comparison in comparisons]
    counts = {name: judged.count(name) for name in ("met", "missed", "not_comparable")}
    open_rows = judged.count(None)
    labels = "、".join(dict.fromkeys(comparison.label for comparison in comparisons))
    summary = (f"{labels}：{len(comparisons)} 行中 {counts['met']} 行达成，{counts['missed']} 行未达成，"
               f"{counts['not_comparable']} 行不可比，{open_rows} 行无判断。"
               f"{len(comparisons)} rows: {counts['met']} met, {counts['missed']} missed, "
               f"{counts['not_comparable']} not comparable, {open_rows} without a verdict.")  # fmt: skip
    lines = [summary]
    for comparison in comparisons:
        verdict = VERDICT_NAMES.get(comparison.verdict or "", "无判断 no verdict")
        difference = difference_text(comparison)
        head = f"{comparison.row_label} {comparison.label}：{verdict}" + (f"（差 {difference}）" if difference else "")
        lines.append(head)
        sides = (("目标", comparison.target, comparison.target_note, comparison.target_year),
                 ("实际", comparison.result, comparison.result_note, comparison.result_year))  # fmt: skip
        for name, side, note, year in sides:
            if side is None:
                lines.append(f"  {year}年{name}：{note}")
            else:
                lines.append(f"  {year}年{name} {side.figure.text}：{side.sentence}[{side.marker}]")
    return "\n".join(lines)
