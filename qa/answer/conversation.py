"""Follow-up questions, resolved deterministically against the previous question (no generative model).

A follow-up fills what it leaves out from the question before it:

* only a new region, year or both ("那重庆呢？", "2024年呢？", "前一年呢", "And Jiangsu?") asks the
  previous question about it;
* only a new attribute ("固定资产投资呢？", "What about its CPI target?") asks it of the previous
  region and year;
* a reference (它, 该省, 其, 当地, this province, its, there) takes the previous region (and year).

A question that says what it asks (a region or attribute of its own without a follow-up marker, or
any question across reports) is left exactly as typed, so context never leaks into a new question;
"/new", "重新开始" or "start over" clears the context. The resolved question is returned, to be shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from qa.regions import PROVINCES, PROVINCES_EN
from qa.retrieval.plan import NATIONAL, checked, plan_query, regions_named
from qa.retrieval.translation import is_english, translate_terms
from qa.text import asks_for_quantity, is_cjk, to_simplified
from qa.years import RELATIVE_TO_PREVIOUS, basis, find_years

Kind = Literal["new", "region", "year", "attribute", "reference", "start_over", "needs_context"]

START_OVER = re.compile(
    r"^\s*(?:/new|/reset|/clear|重新开始|新话题|换个话题|清空|start over|new topic|new conversation|reset)"
    r"\s*[。.!！]?\s*$",
    re.IGNORECASE,
)
_MARKER_START_ZH = re.compile(r"^(?:那么|那|还有|再看看|再看|再问|换成|换作|改成|改为|如果是|要是|换)")
_MARKER_END_ZH = re.compile(r"(?:的)?呢[？?！!。\s]*$")
_MARKER_EN = re.compile(
    r"^\s*(?:and what about|and how about|what about|how about|and for|and in|and|same for|now for)\b", re.IGNORECASE
)
_REFERENCE_ZH = re.compile(
    r"该省份|该省|该市|该区|该自治区|该地区|该地|本省|这个省份|这个省|这个地区|这个地方|这里|当地|那里|它的|它们的|它|"
    r"(?<![尤极及与])其(?![中他余次实])"
)
_REFERENCE_EN = re.compile(
    r"\b(?:its|their|this province(?:'s)?|that province(?:'s)?|the province(?:'s)?|the same province|there)\b",
    re.IGNORECASE,
)
_FILLER_ZH = re.compile(r"[的呢吧吗嘛也又啊呀，,。？?！!：:\s]|一下|情况|方面|这方面")
_QUESTION_WORDS_ZH = re.compile(r"多少|几|什么|哪|如何|怎么|怎样|吗|是否|是不是|有没有")
_ENGLISH_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "what",
        "about",
        "how",
        "in",
        "for",
        "of",
        "is",
        "was",
        "were",
        "did",
        "does",
        "do",
        "its",
        "their",
        "there",
        "this",
        "that",
        "province",
        "provinces",
        "same",
        "now",
        "then",
        "year",
        "target",
        "targets",
    ]
)
_RELATIVE = sorted(RELATIVE_TO_PREVIOUS, key=len, reverse=True)
_ENGLISH_NAMES = {chinese: english for english, chinese in reversed(list(PROVINCES_EN.items()))}


@dataclass(frozen=True)
class Resolution:
    question: str  # as typed
    resolved: str  # as understood: what is searched and shown
    kind: Kind

    @property
    def changed(self) -> bool:
        return self.resolved != self.question


@dataclass(frozen=True)
class _Parts:
    """What a follow-up says itself."""

    regions: tuple[str, ...]
    year: int | None
    attribute: str
    marker: bool
    reference: re.Match[str] | None


def resolve_history(
    question: str, history: Sequence[str], *, known: Callable[[str], bool], newest: int | None
) -> Resolution:
    """``question`` understood after the previous questions of the conversation (oldest first):
    each earlier one is resolved in turn, and a start-over phrase clears what came before it."""
    previous: str | None = None
    for earlier in history:
        if not isinstance(earlier, str) or not earlier.strip():
            continue
        step = resolve(earlier, previous, known=known, newest=newest)
        previous = None if step.kind in ("start_over", "needs_context") else step.resolved
    return resolve(question, previous, known=known, newest=newest)


def resolve(question: str, previous: str | None, *, known: Callable[[str], bool], newest: int | None) -> Resolution:
    text = checked(question)
    if START_OVER.match(text):
        return Resolution(text, text, "start_over")
    if previous is None:
        return Resolution(text, text, "needs_context" if _needs_context(text, known, newest) else "new")
    if plan_query(text, known, newest=newest).across_reports:
        return Resolution(text, text, "new")
    parts = _parts(text, previous, known, newest)
    has_attribute = bool(parts.attribute)
    if not (parts.marker or parts.reference) and (has_attribute or not (parts.regions or parts.year)):
        return Resolution(text, text, "new")
    if parts.reference is not None and not is_english(text):
        return Resolution(text, _with_reference(text, parts, previous, newest), "reference")
    if has_attribute:
        return Resolution(text, _with_attribute(text, parts, previous, known, newest), "attribute")
    resolved = previous
    if parts.regions:
        resolved = _replace_regions(resolved, parts.regions)
    if parts.year is not None:
        resolved = _replace_year(resolved, parts.year, newest)
    return Resolution(text, resolved, "year" if parts.year is not None and not parts.regions else "region")


def _needs_context(text: str, known: Callable[[str], bool], newest: int | None) -> bool:
    """A first question that only follows up ("那贵州呢？", "固定资产投资呢？", "And Jiangsu?", "它的呢？"):
    a follow-up marker with nothing asked or no region or year to ask it of, or a reference with no
    region; searching it alone answers something else with confidence."""
    parts = _parts(text, "", known, newest)
    said_where = bool(parts.regions) or parts.year is not None
    return bool(parts.marker and not (parts.attribute and said_where) or parts.reference and not parts.regions)


def _parts(text: str, previous: str, known: Callable[[str], bool], newest: int | None) -> _Parts:
    english = is_english(text)
    simplified = to_simplified(text)
    translated = " ".join(translate_terms(text, known)) if english else ""
    regions = tuple(region for region in regions_named(text, translated) if region != NATIONAL or not english)
    year, year_words = _year_of(text, previous, newest)
    reference = (_REFERENCE_EN if english else _REFERENCE_ZH).search(text if english else simplified)
    marker = bool(_MARKER_EN.match(text)) if english else bool(_MARKER_START_ZH.match(simplified) or
                                                              _MARKER_END_ZH.search(simplified))  # fmt: skip
    return _Parts(regions, year, _attribute(text, regions, year_words), marker, reference)


def _year_of(text: str, previous: str, newest: int | None) -> tuple[int | None, list[str]]:
    """The year a follow-up names (前一年 / 下一年 counted from the previous question's), and the
    words that named it."""
    lowered = to_simplified(text).lower()
    for words in _RELATIVE:
        if words in lowered:
            base = find_years(previous, newest).single or newest
            return (base + RELATIVE_TO_PREVIOUS[words] if base is not None else None), [words]
    span = find_years(text, newest)
    if span.single is not None:
        return span.single, [span.text]
    return None, []


def _attribute(text: str, regions: tuple[str, ...], year_words: list[str]) -> str:
    """What is left of a follow-up once its markers, references, regions and years are taken out."""
    if is_english(text):
        lowered = _MARKER_EN.sub(" ", text.lower())
        for words in year_words:
            lowered = lowered.replace(words.lower(), " ")
        for english, chinese in PROVINCES_EN.items():
            if chinese in regions:
                lowered = re.sub(rf"\b{re.escape(english)}\b", " ", lowered)
        words = [word for word in re.findall(r"[a-z][a-z&'\-]*", re.sub(r"['’]s\b", "", lowered))]
        content = [word for word in words if word not in _ENGLISH_FILLER]
        return " ".join(content)
    rest = to_simplified(text)
    for words in year_words:
        rest = rest.replace(to_simplified(words), " ")
    for region in (*regions, *PROVINCES, "全国", "我国"):
        rest = rest.replace(region, " ")
    rest = _REFERENCE_ZH.sub(" ", _MARKER_END_ZH.sub(" ", _MARKER_START_ZH.sub(" ", rest)))
    meaningful = _FILLER_ZH.sub("", rest)
    return meaningful if sum(is_cjk(char) for char in meaningful) >= 2 or re.search(r"[A-Za-z]{2,}", meaningful) else ""


# -- composing the resolved question ---------------------------------------------------------------


def _previous_regions(previous: str) -> tuple[str, ...]:
    translated = " ".join(PROVINCES_EN[name] for name in PROVINCES_EN if re.search(rf"\b{name}\b", previous.lower()))
    return tuple(region for region in regions_named(previous, translated) if region != NATIONAL)


def _year_text(year: int | None) -> str:
    return f"{year}年" if year is not None else ""


def _ask_for(previous: str, attribute: str) -> str:
    """The ending a bare attribute takes: the previous question's target word and 是多少 / 的情况."""
    ending = ""
    if basis(previous) == "target" and basis(attribute) != "target":
        ending += "目标"
    return ending + ("是多少？" if asks_for_quantity(previous) else "的情况如何？")


def _with_attribute(text: str, parts: _Parts, previous: str, known: Callable[[str], bool], newest: int | None) -> str:
    regions = parts.regions or _previous_regions(previous)
    year = parts.year if parts.year is not None else find_years(previous, newest).single
    if is_english(text):
        if is_english(previous):
            return _english_with(text, parts, regions, year)
        attribute = "".join(translate_terms(parts.attribute, known)) or parts.attribute
    else:
        attribute = parts.attribute
    if _QUESTION_WORDS_ZH.search(attribute):
        return f"{'和'.join(regions)}{_year_text(year)}{attribute}？"
    return f"{'和'.join(regions)}{_year_text(year)}{attribute}{_ask_for(previous, attribute)}"


def _english_with(text: str, parts: _Parts, regions: tuple[str, ...], year: int | None) -> str:
    """An English follow-up of an English question: the references named, the year added."""
    names = " and ".join(_english_name(region) for region in regions)
    resolved = text.strip()
    if parts.reference is not None and names:
        word = parts.reference.group().lower()
        replacement = f"in {names}" if word == "there" else f"{names}'s" if word in ("its", "their") else names
        resolved = resolved[: parts.reference.start()] + replacement + resolved[parts.reference.end() :]
    elif names and not parts.regions:
        resolved = _before_mark(resolved, f" in {names}")
    if year is not None and str(year) not in resolved:
        resolved = _before_mark(resolved, f" in {year}")
    return _MARKER_EN.sub(lambda match: "What about" if match.group().strip().lower() == "and" else match.group(),
                          resolved, count=1)  # fmt: skip


def _before_mark(text: str, addition: str) -> str:
    stripped = text.rstrip("?？. ")
    return stripped + addition + text[len(stripped) :] if stripped != text else text + addition


def _with_reference(text: str, parts: _Parts, previous: str, newest: int | None) -> str:
    """该省的研发投入强度目标是多少？ -> 安徽2025年的研发投入强度目标是多少？"""
    regions = parts.regions or _previous_regions(previous)
    reference = parts.reference
    assert reference is not None
    year = None
    if parts.year is None:
        year = find_years(previous, newest).single
    name = "和".join(regions) + _year_text(year)
    resolved = text[: reference.start()] + name + text[reference.end() :]
    if _MARKER_END_ZH.search(to_simplified(resolved)) and not _QUESTION_WORDS_ZH.search(to_simplified(resolved)):
        resolved = _MARKER_END_ZH.sub("", resolved) + _ask_for(previous, resolved)
    return resolved


def _english_name(region: str) -> str:
    return _ENGLISH_NAMES.get(region, region).title()


def _replace_regions(previous: str, regions: tuple[str, ...]) -> str:
    """The previous question about other regions: its region named anew (in its language), or, where
    it named none, the new ones added."""
    simplified = to_simplified(previous)
    if is_english(previous):
        names = " and ".join(_english_name(region) for region in regions)
        for english in sorted(PROVINCES_EN, key=len, reverse=True):
            match = re.search(rf"\b{re.escape(english)}\b", previous, re.IGNORECASE)
            if match:
                return previous[: match.start()] + names + previous[match.end() :]
        return _before_mark(previous, f" in {names}")
    spans = sorted((simplified.index(name), name) for name in (*PROVINCES, "全国", "我国") if name in simplified)
    names = "和".join(regions)
    if not spans:
        year = find_years(previous).text
        if year and simplified.startswith(to_simplified(year)):
            return previous[: len(year)] + names + previous[len(year) :]
        return names + previous
    start, name = spans[0]
    end = start + len(name)
    for later_start, later in spans[1:]:  # 湖北和湖南: every region of the previous question goes
        if later_start <= end + 1:
            end = later_start + len(later)
    return previous[:start] + names + previous[end:]


def _replace_year(previous: str, year: int, newest: int | None) -> str:
    span = find_years(previous, newest)
    english = is_english(previous)
    if span.text:
        position = previous.find(span.text)
        if position < 0:
            position = to_simplified(previous).find(to_simplified(span.text))
        if position >= 0:
            replacement = str(year) if english else (f"{year}年" if not span.text.endswith("度") else f"{year}年度")
            if english and not span.text[:4].isdigit():
                replacement = f"in {year}"
            return previous[:position] + replacement + previous[position + len(span.text) :]
    if english:
        return _before_mark(previous, f" in {year}")
    regions = _previous_regions(previous)
    simplified = to_simplified(previous)
    if regions and simplified.startswith(regions[0]):
        return previous[: len(regions[0])] + f"{year}年" + previous[len(regions[0]) :]
    return f"{year}年" + previous
