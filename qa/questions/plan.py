"""Understanding one question: a typed, frozen :class:`Plan` of what it asks, before any index is touched.

The checked text and its simplified script (converted once); its Chinese translation (English
questions, translated once); its terms; the provinces it names (全国 for the country as a whole) and
the one it is about; the years it is about, and whether it asks for a target or an actual figure;
the level of the reports it asks of; the indicators it names; what it asks about; whether it asks
how much; and its kind (:mod:`qa.questions.kinds`). A follow-up is understood against the
conversation first (:mod:`qa.questions.conversation`); its plan is of the question as understood.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from qa.errors import QuestionError
from qa.indicators import mentioned
from qa.limits import MAX_QUESTION_CHARS
from qa.questions.archive import measure_words, mention_term
from qa.questions.kinds import Clues, Kind, Single, TargetResult, kind_of
from qa.questions.subject import Subject, chinese_subject, english_subject
from qa.questions.translation import Translation, is_english, translate
from qa.regions import NATIONAL, PROVINCES, provinces_named
from qa.terms import forms_of
from qa.text import bigram_tokens, bigrams, scrub_surrogates, to_simplified
from qa.years import YEAR, Basis, YearSpan, basis, find_years

FollowUp = Literal["new", "region", "year", "attribute", "reference"]

_NOT_THE_COUNTRY = "各|级|式|特色|" + "|".join(PROVINCES)  # 中国黑龙江省, 国家级, 中国式: not 全国
_NATIONAL_ZH = re.compile(
    rf"^(?:全国|我国|国家|中国)(?!{_NOT_THE_COUNTRY})"
    rf"|(?:全国|我国)(?=和|与|及|、|的|\d{{4}}|今年|去年|经济|GDP|国内生产总值)"
    rf"|(?:和|与|及|、|同)(?:全国|国家)(?!{_NOT_THE_COUNTRY})"
)
# "national" alone is an adjective of much else (national awards, the national coal supply task).
_NATIONAL_EN = re.compile(
    r"\b(?:the national (?:one|target|figure|level|average|economy)"
    r"|(?:and|or|with|versus|vs\.?|than|against) (?:(?:all|the rest) of )?china\b|china(?:'s)? (?:and|or|versus|vs)\b)",
    re.IGNORECASE,
)
# "nationwide" / "nationally" name the country in a question naming no province; of a province
# they say where it ranks ("How has Guizhou's digital economy ranked nationally?").
_NATIONWIDE_EN = re.compile(r"\b(?:nationwide|nationally)\b", re.IGNORECASE)
# "China" alone names the country only in a question naming no province: "How many China Time-honored
# Brands did Jiangxi cultivate?" and "What share of China's car exports came from Anhui?" ask of one.
_CHINA_EN = re.compile(r"\bchina(?!-)(?:'s)?\b", re.IGNORECASE)
_PROVINCIAL_WORDS = re.compile(r"省|自治区|直辖市|省区市|provinc", re.IGNORECASE)
_MUNICIPAL_WORDS = re.compile(r"(?:各|哪些|每个)(?:城市|市|地市)|\bcities\b", re.IGNORECASE)
# What a figure question asks of each report, once its regions, years and these words are taken out.
_SCOPE_WORDS = re.compile(
    r"各省区市|各省份|各省|各地区|各地|各市|各自治区|各个省|每个省份|每个省|每个地区|所有省份|哪些省份|哪些省|哪些地区|哪些城市|"
    r"哪些报告|分别|各是|各为|比较|对比|相比|和|与|及|、|三省|两省|四省|的|是多少|多少|是什么|如何|怎么样|？|\?"
)
_QUANTITY_QUESTION = re.compile(
    r"多少|几|数量|比例|占比|增长|多大|多高|多长|多远|多久|"
    r"how many|how much|what percentage|what proportion|what share|number of",
    re.IGNORECASE,
)
# Words of the question itself, not of what it asks about (terms that would match any passage).
_QUESTION_WORDS = {"多少", "什么", "哪些", "如何", "怎么", "怎样", "是否", "哪个", "为什", "么时", "时候", "了多"}


@dataclass(frozen=True)
class Vocabulary:
    """What understanding a question needs from the index: which Chinese words it holds (a
    translation keeps only those) and the year of its newest report (anchors 今年 and 近五年)."""

    knows: Callable[[str], bool]
    newest: int | None = None


@dataclass(frozen=True)
class Plan:
    """A question understood. ``question`` as typed (checked); ``text`` as understood (a follow-up
    filled in from the conversation), and everything else read from ``text``."""

    question: str
    text: str
    simplified: str = ""  # text in simplified script
    english: bool = False
    translated: str = ""  # Chinese words for an English question's content words
    # The Chinese words found for each English phrase (the alternatives of one phrase: 容量 才能 潜力
    # for "capacity"), for weighing a sentence by the phrases it renders rather than by bigrams.
    translated_parts: tuple[tuple[str, ...], ...] = ()
    unrendered: tuple[str, ...] = ()  # an English question's content words no word of the reports renders
    terms: frozenset[str] = frozenset()  # the bigrams (words, numbers) a passage holding the answer shares
    regions: tuple[str, ...] = ()  # every province it names, in order; 全国 first for the whole country
    region: str | None = None  # the one province it names, preferred in the ranking
    years: YearSpan = field(default_factory=YearSpan)
    basis: Basis = "unknown"
    level: str | None = None  # "national", "provincial", "municipal" when its words say so
    indicators: tuple[tuple[str, ...], ...] = ()  # the indicator groups it names (qa.indicators)
    indicator_terms: tuple[frozenset[str], ...] = ()  # the bigrams of all the names of each of them
    subject: Subject | None = None  # what it asks about, for a question across reports
    asks_quantity: bool = False
    kind: Kind = field(default_factory=Single)
    followup: FollowUp = "new"  # how a follow-up was filled in from the conversation, or "new"

    @property
    def queries(self) -> list[str]:
        """The texts embedded as query vectors: the question, and its translation if any, or its
        simplified script if it is written in traditional (the reports' sentences are mostly
        simplified, and a traditional question's cosines with them run lower)."""
        if self.translated:
            return [self.text, self.translated]
        return [self.text, self.simplified] if self.simplified and self.simplified != self.text else [self.text]

    @property
    def lexical_query(self) -> str:
        """The words BM25 matches: the question's (its translation's), and for a question across
        reports the other names of the indicators it names that add a word (地方专项债券 to
        地方政府专项债券), so that each report's passage is found under the name that report uses."""
        wording = self.translated or self.text
        if not self.kind.across_reports:
            return wording
        tokens = set(bigram_tokens(wording))
        extra = []
        for group in self.indicators:
            for name in group:
                new = set(bigram_tokens(name)) - tokens
                if new and not name.isascii():
                    extra.append(name)
                    tokens |= new
        return " ".join([wording, *extra])

    @property
    def wording(self) -> str:
        """The words a passage is matched by: an English question's Chinese translation, else its text."""
        return self.translated or self.text

    @property
    def across_reports(self) -> bool:
        return self.kind.across_reports

    @property
    def provinces(self) -> list[str]:
        return [region for region in self.regions if region != NATIONAL]


def checked(question: object) -> str:
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty: type a question, e.g. 湖北处理了多少个违规直播间？")
    # A lone surrogate (JSON can carry "\ud800") cannot be encoded for the model: replace it.
    return scrub_surrogates(question).strip()[:MAX_QUESTION_CHARS]


def has_content(question: str) -> bool:
    """Whether a question holds a letter or a digit of any script: ？？？！！, emoji or ``.*(`` ask nothing."""
    return any(unicodedata.category(char)[0] in "LN" for char in question)


def matchable(plan: Plan) -> bool:
    """Whether the index can match the question's words at all: an English question none of whose
    words (numbers aside) translates to a word the index holds (asdfghjkl) cannot be; the encoder's
    cross-language similarity alone is no evidence that a passage answers it."""
    return not plan.english or any(not term.isdigit() for term in plan.translated.split())


def plan_question(question: object, vocabulary: Vocabulary, *, region_filtered: bool = False) -> Plan:
    """The plan of a question asked on its own (no conversation before it); a question already
    filtered to a region gets no region preference."""
    text = checked(question)
    return read(text, text, vocabulary, region_filtered=region_filtered)


def read(question: str, text: str, vocabulary: Vocabulary, *, region_filtered: bool = False,
         followup: FollowUp = "new") -> Plan:  # fmt: skip
    """The plan of ``text`` (checked), the question as understood of ``question`` as typed."""
    simplified = to_simplified(text)
    english = is_english(text)
    translation = translate(text, vocabulary.knows) if english else None
    translated = " ".join(translation.chinese) if translation else ""
    wording = to_simplified(translated) if translated else simplified
    regions = _regions(text, simplified, translated)
    provinces = [region for region in regions if region != NATIONAL]
    years = find_years(simplified, vocabulary.newest, basis(simplified))
    kind = kind_of(Clues(simplified, regions, years))
    indicators = tuple(mentioned("".join(wording.split()) if translated else wording))  # 地区生产总值 增长: joined
    return Plan(
        question=question,
        text=text,
        simplified=simplified,
        english=english,
        translated=translated,
        translated_parts=tuple(part for part in translation.parts if part) if translation else (),
        unrendered=translation.unrendered if translation else (),
        terms=_terms(wording),
        regions=regions,
        region=None if region_filtered or len(provinces) != 1 else provinces[0],
        years=years,
        basis=basis(simplified),
        level=_level(simplified, regions, kind),
        indicators=indicators,
        indicator_terms=tuple(frozenset(token for name in group for token in bigrams(name)) for group in indicators),
        subject=_subject(kind, text, simplified, wording, regions, years, translation, vocabulary)
        if kind.across_reports else None,
        asks_quantity=bool(_QUANTITY_QUESTION.search(simplified)),
        kind=kind,
        followup=followup,
    )  # fmt: skip


def without_region(plan: Plan) -> Plan:
    """``plan`` for a search already filtered to a region: no region preferred."""
    return replace(plan, region=None)


def question_terms(question: str) -> frozenset[str]:
    """The bigrams, words and numbers of a question (either script) that a passage answering it
    shares, without the question's own words (多少, 哪些…)."""
    return _terms(to_simplified(question))


def _terms(simplified: str) -> frozenset[str]:
    return frozenset(token for token in bigrams(simplified) if token not in _QUESTION_WORDS)


def _regions(text: str, simplified: str, translated: str) -> tuple[str, ...]:
    """The provinces a question names (in either script, or in English via its translation), and
    全国 first when it speaks of the country as a whole."""
    named = provinces_named(simplified + " " + translated)
    national = bool(_NATIONAL_ZH.search(simplified) or _NATIONAL_EN.search(text)
                    or not named and (_CHINA_EN.search(text) or _NATIONWIDE_EN.search(text)))  # fmt: skip
    return ((NATIONAL,) if national else ()) + tuple(named)


def _level(simplified: str, regions: tuple[str, ...], kind: Kind) -> str | None:
    if regions == (NATIONAL,):
        return "national"
    if kind.per_report:
        if _MUNICIPAL_WORDS.search(simplified):
            return "municipal"
        if _PROVINCIAL_WORDS.search(simplified):
            return "provincial"
    return None


def _subject(kind: Kind, text: str, simplified: str, wording: str, regions: tuple[str, ...], years: YearSpan,
             translation: Translation | None, vocabulary: Vocabulary) -> Subject | None:  # fmt: skip
    if kind.keeps_frame:
        return _archive_subject(kind, simplified, translation, vocabulary)
    if kind.asks_mention:
        return _mentioned_thing(text, simplified, translation, vocabulary)
    attribute = _attribute(wording, regions, years)
    return Subject(attribute, terms=_terms(attribute))


def _archive_subject(kind: Kind, simplified: str, translation: Translation | None,
                     vocabulary: Vocabulary) -> Subject | None:  # fmt: skip
    """The subject of a question about the archive over time: the measure's words of a target
    question; the term of a first-mention or timeline question as it names it, with the forms
    counted (:func:`qa.terms.forms_of`)."""
    if isinstance(kind, TargetResult):
        words = measure_words(simplified)
        return Subject(words) if words else None
    found = mention_term(simplified, simplified, translation is not None, vocabulary.knows)
    if found is None:
        return None
    asked, counted = found
    return Subject(asked, forms_of(counted))


def _mentioned_thing(text: str, simplified: str, translation: Translation | None,
                     vocabulary: Vocabulary) -> Subject | None:  # fmt: skip
    """What a which-question asks the reports to mention, without its verb (:mod:`qa.questions.subject`),
    in Chinese (an English question's thing translated)."""
    if translation is None:
        return chinese_subject(simplified)
    return english_subject(text, translation, vocabulary.knows)


def _attribute(wording: str, regions: tuple[str, ...], years: YearSpan) -> str:
    """What a figure question asks of each report: its words (simplified) without regions, years and
    scope words."""
    text = wording
    for region in (*regions, *PROVINCES):
        text = text.replace(region, " ")
    if years.text:  # read from the simplified text
        text = text.replace(years.text, " ")
    text = re.sub(rf"{YEAR}年?", " ", text)
    return _SCOPE_WORDS.sub(" ", text)
