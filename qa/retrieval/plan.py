"""Planning a search: what the question asks, before any index is touched.

The checked question text; its Chinese translation (English questions); the provinces it names
(全国 for the country as a whole); the years it is about, and whether it asks for a target or an
actual figure; whether it asks how much; and whether it asks across reports (which reports say
something, a figure of each, a comparison of named regions, a run of years).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from qa.errors import QuestionError
from qa.limits import MAX_QUESTION_CHARS
from qa.regions import PROVINCES, provinces_named
from qa.retrieval.translation import is_english, translate_terms
from qa.text import asks_for_quantity, scrub_surrogates, to_simplified
from qa.years import Basis, YearSpan, basis, find_years

Scope = Literal["single", "which", "each", "compare", "years"]
NATIONAL = "全国"

_NOT_THE_COUNTRY = "各|级|式|特色|" + "|".join(PROVINCES)  # 中国黑龙江省, 国家级, 中国式: not 全国
_NATIONAL_ZH = re.compile(
    rf"^(?:全国|我国|国家|中国)(?!{_NOT_THE_COUNTRY})"
    rf"|(?:全国|我国)(?=和|与|及|、|的|\d{{4}}|今年|去年|经济|GDP|国内生产总值)"
    rf"|(?:和|与|及|、|同)(?:全国|国家)(?!{_NOT_THE_COUNTRY})"
)
# "national" alone is an adjective of much else (national awards, the national coal supply task).
_NATIONAL_EN = re.compile(
    r"\b(?:the national (?:one|target|figure|level|average|economy)|nationwide|nationally"
    r"|(?:and|or|with|versus|vs\.?|than|against) (?:(?:all|the rest) of )?china\b|china(?:'s)? (?:and|or|versus|vs)\b)",
    re.IGNORECASE,
)
# "China" alone names the country only in a question naming no province: "How many China Time-honored
# Brands did Jiangxi cultivate?" and "What share of China's car exports came from Anhui?" ask of one.
_CHINA_EN = re.compile(r"\bchina(?!-)(?:'s)?\b", re.IGNORECASE)
_WHICH = re.compile(
    r"哪(?:些|几个|一些|个)(?:省|地区|地方|城市|报告|市|地市|区县|自治区)|(?:有|共)?(?:几|多少)个(?:省|地区|城市)"
    r"|\bwhich (?:of the )?(?:provinces?|provincial|regions?|reports?|cities|places|localities)\b",
    re.IGNORECASE,
)
_EACH = re.compile(
    r"各省|各地|各市|各区|各个省|各自治区|每个省|每个地区|每个省份|每个城市|所有省|全部省|31个省|三十一个省|各省区市"
    r"|\beach (?:province|region|city|report)\b|\bevery (?:province|region|city|report)\b"
    r"|\ball (?:the )?(?:provinces|regions|cities|reports)\b|\bprovince by province\b",
    re.IGNORECASE,
)
_COMPARE = re.compile(r"比较|对比|相比|比一比|compare|comparison|versus|\bvs\.?\b", re.IGNORECASE)
_PROVINCIAL_WORDS = re.compile(r"省|自治区|直辖市|省区市|provinc", re.IGNORECASE)
_MUNICIPAL_WORDS = re.compile(r"(?:各|哪些|每个)(?:城市|市|地市)|\bcities\b", re.IGNORECASE)
_MENTION_VERBS = re.compile(
    r"(?:提到|提及|谈到|谈及|涉及到?|讲到|写到|写入|部署|关注|布局|强调|有|包括|包含|出现)了?"
    r"|\b(?:mention(?:s|ed)?|talk(?:s|ed)? about|refer(?:s|red)? to|include(?:s|d)?|discuss(?:es|ed)?|cover(?:s|ed)?"
    r"|have|has)\b",
    re.IGNORECASE,
)
# "西藏有没有提到量子计算？", "广东是否提及低空经济", "Does Hubei's report mention 5G?": asked of the
# regions it names, answered like a which-question (a row per report: its sentence, or not stated),
# so that a passage merely about the region is never taken for a yes.
_YES_NO_MENTION = re.compile(
    r"(?:有没有|是否|有无|是不是)(?:提到|提及|谈到|谈及|涉及|讲到|写到|写入|部署)"
    r"|(?:提到|提及|谈到|谈及|涉及)了?[^？?。]{1,30}(?:吗|么|没有)[？?]?\s*$"
    r"|^\s*(?:does|did|do)\b.*\b(?:mention|talk about|refer to|discuss)",
    re.IGNORECASE,
)
_TERM_END = re.compile(r"(?:吗|么|没有|呢)?[？?。！!，,]*$")
_TERM_FILLER = re.compile(
    r"^(?:the|a|an)\s+|相关(?:内容|工作)?$|的?(?:内容|工作|情况|问题)$|这(?:个|一)?(?:词|概念|说法)$", re.I
)


@dataclass(frozen=True)
class QueryPlan:
    text: str
    translated: str = ""  # Chinese words for an English question's content words
    region: str | None = None  # the one province the question names, preferred in the ranking
    asks_quantity: bool = False
    regions: tuple[str, ...] = ()  # every province it names, in order; 全国 for the whole country
    years: YearSpan = field(default_factory=YearSpan)
    basis: Basis = "unknown"
    scope: Scope = "single"
    level: str | None = None  # "national", "provincial", "municipal" when its words say so
    term: str | None = None  # for a which-question: the thing the reports must mention

    @property
    def queries(self) -> list[str]:
        """The texts embedded as query vectors: the question, and its translation if any."""
        return [self.text, self.translated] if self.translated else [self.text]

    @property
    def lexical_query(self) -> str:
        return self.translated or self.text

    @property
    def across_reports(self) -> bool:
        return self.scope != "single"


def checked(question: object) -> str:
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty: type a question, e.g. 湖北处理了多少个违规直播间？")
    # A lone surrogate (JSON can carry "\ud800") cannot be encoded for the model: replace it.
    return scrub_surrogates(question).strip()[:MAX_QUESTION_CHARS]


def has_content(question: str) -> bool:
    """Whether a question holds a letter or a digit of any script: ？？？！！, emoji or ``.*(`` ask nothing."""
    return any(unicodedata.category(char)[0] in "LN" for char in question)


def matchable(plan: QueryPlan) -> bool:
    """Whether the index can match the question's words at all: an English question none of whose
    words (numbers aside) translates to a word the index holds (asdfghjkl) cannot be; the encoder's
    cross-language similarity alone is no evidence that a passage answers it."""
    return not is_english(plan.text) or any(not term.isdigit() for term in plan.translated.split())


def regions_named(text: str, translated: str = "") -> tuple[str, ...]:
    """The provinces a question names (in either script, or in English via its translation), and
    全国 first when it speaks of the country as a whole."""
    simplified = to_simplified(text)
    named = provinces_named(simplified + " " + translated)
    national = bool(_NATIONAL_ZH.search(simplified) or _NATIONAL_EN.search(text)
                    or not named and _CHINA_EN.search(text))  # fmt: skip
    return ((NATIONAL,) if national else ()) + tuple(named)


def plan_query(
    question: object, known: Callable[[str], bool], *, region_filtered: bool = False, newest: int | None = None
) -> QueryPlan:
    """``known`` tells which Chinese words the index holds (translations keep only those); a
    question already filtered to a region gets no region preference; ``newest`` (the newest
    report's year) anchors 今年 and 近五年."""
    text = checked(question)
    translated = " ".join(translate_terms(text, known)) if is_english(text) else ""
    regions = regions_named(text, translated)
    provinces = [region for region in regions if region != NATIONAL]
    region = None if region_filtered or len(provinces) != 1 else provinces[0]
    years = find_years(text, newest)
    scope = _scope(text, regions, years)
    return QueryPlan(
        text=text,
        translated=translated,
        region=region,
        asks_quantity=asks_for_quantity(text),
        regions=regions,
        years=years,
        basis=basis(text),
        scope=scope,
        level=_level(text, regions, scope),
        term=_term(text, known) if scope == "which" else None,
    )


def _scope(text: str, regions: tuple[str, ...], years: YearSpan) -> Scope:
    simplified = to_simplified(text)
    provinces = [region for region in regions if region != NATIONAL]
    each = _EACH.search(simplified) is not None and len(provinces) != 1  # 贵州全省各地各部门: one province
    if _WHICH.search(simplified) or each and "哪些" in simplified or regions and _YES_NO_MENTION.search(simplified):
        return "which"
    if each:
        return "each"
    if len(regions) >= 2:
        return "compare"
    if years.is_range:
        return "years"
    return "single"


def _level(text: str, regions: tuple[str, ...], scope: Scope) -> str | None:
    simplified = to_simplified(text)
    if regions == (NATIONAL,):
        return "national"
    if scope in ("which", "each"):
        if _MUNICIPAL_WORDS.search(simplified):
            return "municipal"
        if _PROVINCIAL_WORDS.search(simplified):
            return "provincial"
    return None


def _term(text: str, known: Callable[[str], bool]) -> str | None:
    """What a which-question asks the reports to mention: the words after its verb (提到了人形机器人),
    in Chinese (an English question's are translated)."""
    simplified = to_simplified(text)
    found = list(_MENTION_VERBS.finditer(simplified))
    after = simplified[found[-1].end() :] if found else _WHICH.sub(" ", simplified)
    term = _TERM_FILLER.sub("", _TERM_END.sub("", after).strip()).strip()
    if is_english(text):
        words = translate_terms(term, known)
        return " ".join(words) if words else None
    return term or None
