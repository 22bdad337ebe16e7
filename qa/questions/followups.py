"""Follow-up questions, resolved deterministically against the previous question (no generative model).

A follow-up fills what it leaves out from the question before it:

* only a new region, year or both ("那重庆呢？", "2024年呢？", "前一年呢", "And Jiangsu?") asks the
  previous question about it;
* only a new attribute ("固定资产投资呢？", "What about its CPI target?") asks it of the previous
  region and year;
* a reference (它, 该省, 其, 当地, this province, its, there) takes the previous region (and year).

A question that says what it asks (a region or attribute of its own without a follow-up marker, or
any question across reports) is left exactly as typed, so context never leaks into a new question;
"/new", "重新开始" or "start over" clears the context (:mod:`qa.questions.conversation`). The
question as understood is returned, to be planned and shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.questions.plan import FollowUp, Plan, Vocabulary
from qa.questions.translation import translate_terms
from qa.regions import COUNTRY_WORDS, NATIONAL, PROVINCES, PROVINCES_EN
from qa.text import CJK_CHARACTER
from qa.years import RELATIVE_TO_PREVIOUS, basis, find_years

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
class _Parts:
    """What a follow-up says itself: the regions it names, the year it names (or ``shift``, a year
    counted from the previous question's: 前一年 -1), the words that name it, what else it asks
    (its attribute), and its follow-up marker (那…呢, And…?) and reference (该省, its)."""

    regions: tuple[str, ...]
    year: int | None
    shift: int | None
    year_words: tuple[str, ...]
    attribute: str
    marker: bool
    reference: re.Match[str] | None


def resolve(reading: Plan, previous: Plan, vocabulary: Vocabulary) -> tuple[str, FollowUp]:
    """The question ``reading`` (the plan of a question as typed, asked of one report or region)
    understood after ``previous`` (the question before it, as understood), and how it was filled in;
    a question that says what it asks comes back as typed, "new"."""
    parts = _parts(reading)
    year = parts.year
    if parts.shift is not None:
        base = previous.years.single or vocabulary.newest
        year = base + parts.shift if base is not None else None
    if not (parts.marker or parts.reference) and (parts.attribute or not (parts.regions or year is not None)):
        return reading.text, "new"
    if parts.reference is not None and not reading.english:
        return _with_reference(reading, parts, previous), "reference"
    if parts.attribute and previous.kind.keeps_frame and previous.subject and not reading.english:
        return _reframed(previous, parts.attribute, year), "attribute"
    if parts.attribute:
        attribute = parts.attribute
        if reading.english and not previous.english:  # in Chinese, like the question it follows
            attribute = "".join(translate_terms(attribute, vocabulary.knows)) or attribute
        asked = basis(attribute) if reading.english else reading.basis
        return _with_attribute(reading, parts, year, attribute, asked, previous), "attribute"
    text, simplified = previous.text, previous.simplified
    if parts.regions:
        text, simplified = _replace_regions(previous, parts.regions, find_years(simplified).text)
    if year is not None:
        text = _replace_year(text, simplified, year, previous)
    return text, "year" if year is not None and not parts.regions else "region"


def needs_context(reading: Plan) -> bool:
    """Whether a question asked with nothing before it only follows up ("那贵州呢？", "固定资产投资呢？",
    "And Jiangsu?", "它的呢？"): a follow-up marker with nothing asked or no region or year to ask it
    of, or a reference with no region of its own."""
    parts = _parts(reading)
    said_where = bool(parts.regions) or parts.year is not None
    return bool(parts.marker and not (parts.attribute and said_where) or parts.reference and not parts.regions)


def _parts(reading: Plan) -> _Parts:
    text, simplified, english = reading.text, reading.simplified, reading.english
    regions = tuple(region for region in reading.regions if region != NATIONAL or not english)
    year, shift, year_words = _year_of(reading)
    reference = (_REFERENCE_EN if english else _REFERENCE_ZH).search(text if english else simplified)
    marker = bool(_MARKER_EN.match(text)) if english else bool(_MARKER_START_ZH.match(simplified) or
                                                              _MARKER_END_ZH.search(simplified))  # fmt: skip
    return _Parts(regions, year, shift, year_words, _attribute(reading, regions, year_words), marker, reference)


def _year_of(reading: Plan) -> tuple[int | None, int | None, tuple[str, ...]]:
    """The year a follow-up names, or how many years from the previous question's (前一年, 下一年),
    and the words that named it."""
    lowered = reading.simplified.lower()
    for words in _RELATIVE:
        if words in lowered:
            return None, RELATIVE_TO_PREVIOUS[words], (words,)
    span = reading.years
    if span.single is not None:
        return span.single, None, (span.text,)
    return None, None, ()


def _attribute(reading: Plan, regions: tuple[str, ...], year_words: tuple[str, ...]) -> str:
    """What is left of a follow-up once its markers, references, regions and years are taken out."""
    if reading.english:
        lowered = _MARKER_EN.sub(" ", reading.text.lower())
        for words in year_words:
            lowered = lowered.replace(words.lower(), " ")
        for english, chinese in PROVINCES_EN.items():
            if chinese in regions:
                lowered = re.sub(rf"\b{re.escape(english)}\b", " ", lowered)
        words = [word for word in re.findall(r"[a-z][a-z&'\-]*", re.sub(r"['’]s\b", "", lowered))]
        content = [word for word in words if word not in _ENGLISH_FILLER]
        return " ".join(content)
    rest = reading.simplified
    for words in year_words:
        rest = rest.replace(words, " ")
    for region in (*regions, *PROVINCES, *COUNTRY_WORDS):
        rest = rest.replace(region, " ")
    rest = _REFERENCE_ZH.sub(" ", _MARKER_END_ZH.sub(" ", _MARKER_START_ZH.sub(" ", rest)))
    meaningful = _FILLER_ZH.sub("", rest)
    return meaningful if len(CJK_CHARACTER.findall(meaningful)) >= 2 or re.search(r"[A-Za-z]{2,}", meaningful) else ""


# -- composing the question as understood ------------------------------------------------------------


def _year_text(year: int | None) -> str:
    return f"{year}年" if year is not None else ""


def _ask_for(previous: Plan, asked: str) -> str:
    """The ending a bare attribute takes: the previous question's target word (unless the follow-up,
    ``asked`` its basis, asks for a target itself) and 是多少 / 的情况."""
    ending = "目标" if previous.basis == "target" and asked != "target" else ""
    return ending + ("是多少？" if previous.asks_quantity else "的情况如何？")


def _with_attribute(reading: Plan, parts: _Parts, year: int | None, attribute: str, asked: str,
                    previous: Plan) -> str:  # fmt: skip
    regions = parts.regions or tuple(previous.provinces)
    year = year if year is not None else previous.years.single
    if reading.english and previous.english:
        return _english_with(reading.text, parts, regions, year)
    if _QUESTION_WORDS_ZH.search(attribute):
        return f"{'和'.join(regions)}{_year_text(year)}{attribute}？"
    return f"{'和'.join(regions)}{_year_text(year)}{attribute}{_ask_for(previous, asked)}"


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


def _with_reference(reading: Plan, parts: _Parts, previous: Plan) -> str:
    """该省的研发投入强度目标是多少？ -> 安徽2025年的研发投入强度目标是多少？ (t2s keeps offsets, so the
    reference's span in the simplified text is its span in the text)."""
    regions = parts.regions or tuple(previous.provinces)
    reference = parts.reference
    assert reference is not None
    year = previous.years.single if parts.year is None and parts.shift is None else None
    name = "和".join(regions) + _year_text(year)
    text, simplified = reading.text, reading.simplified
    resolved = text[: reference.start()] + name + text[reference.end() :]
    simplified = simplified[: reference.start()] + name + simplified[reference.end() :]
    if _MARKER_END_ZH.search(simplified) and not _QUESTION_WORDS_ZH.search(simplified):
        resolved = _MARKER_END_ZH.sub("", resolved) + _ask_for(previous, reading.basis)
    return resolved


def _reframed(previous: Plan, attribute: str, year: int | None) -> str:
    """A question about the archive over time asked of another subject (居民消费价格呢？ after a
    target question, 数字经济呢？ after a first mention): its subject's words replaced, and its year
    if the follow-up names one (t2s keeps offsets, so a span found in the simplified text is the
    same span of the text)."""
    assert previous.subject is not None
    text, simplified = previous.text, previous.simplified
    position = simplified.find(previous.subject.text)
    if position < 0:
        return f"{attribute}{text}"
    end = position + len(previous.subject.text)
    text, simplified = _spliced(text, simplified, position, end, attribute)
    return _replace_year(text, simplified, year, previous) if year is not None else text


def _english_name(region: str) -> str:
    return _ENGLISH_NAMES.get(region, region).title()


def _replace_regions(previous: Plan, regions: tuple[str, ...], leading: str) -> tuple[str, str]:
    """The previous question about other regions, and its simplified script: its region named anew
    (in its language), or, where it named none, the new ones added (after ``leading``, the words
    naming its years, when it begins with them)."""
    text, simplified = previous.text, previous.simplified
    if previous.english:
        names = " and ".join(_english_name(region) for region in regions)
        for english in sorted(PROVINCES_EN, key=len, reverse=True):
            match = re.search(rf"\b{re.escape(english)}\b", text, re.IGNORECASE)
            if match:
                return _spliced(text, simplified, match.start(), match.end(), names)
        added = _before_mark(text, f" in {names}")
        return added, added
    spans = sorted((simplified.index(name), name) for name in (*PROVINCES, *COUNTRY_WORDS) if name in simplified)
    names = "和".join(regions)
    if not spans:
        if leading and simplified.startswith(leading):
            return _spliced(text, simplified, len(leading), len(leading), names)
        return names + text, names + simplified
    start, name = spans[0]
    end = start + len(name)
    for later_start, later in spans[1:]:  # 湖北和湖南: every region of the previous question goes
        if later_start <= end + 1:
            end = later_start + len(later)
    return _spliced(text, simplified, start, end, names)


def _spliced(text: str, simplified: str, start: int, end: int, words: str) -> tuple[str, str]:
    """``text[start:end]`` replaced by ``words``, in the text and in its simplified script."""
    return text[:start] + words + text[end:], simplified[:start] + words + simplified[end:]


def _replace_year(text: str, simplified: str, year: int, previous: Plan) -> str:
    """``text`` (the previous question, its regions perhaps named anew: the years it names are
    those of the previous question) asked of ``year``."""
    span = previous.years
    english = previous.english and not CJK_CHARACTER.search(text)  # 全国 named in an English question
    if span.text:
        position = text.find(span.text)
        if position < 0:
            position = simplified.find(span.text)
        if position >= 0:
            replacement = str(year) if english else (f"{year}年" if not span.text.endswith("度") else f"{year}年度")
            if english and not span.text[:4].isdigit():
                replacement = f"in {year}"
            return text[:position] + replacement + text[position + len(span.text) :]
    if english:
        return _before_mark(text, f" in {year}")
    first = min(((simplified.index(name), name) for name in PROVINCES if name in simplified), default=None)
    if first is not None and first[0] == 0:
        return text[: len(first[1])] + f"{year}年" + text[len(first[1]) :]
    return f"{year}年" + text
