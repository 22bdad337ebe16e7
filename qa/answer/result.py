"""What an answer is: cited sentences, the passages they are from, and the rows of an answer across reports.

Every sentence of an answer is a span of one of its passages (``hits``), followed in the text by
the marker ``[n]`` of that passage, so a citation cannot drift from its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.answer.config import AnswerConfig
from qa.answer.series import Comparison, Mentions
from qa.answer.values import Figure
from qa.questions import Kind, Plan, Single
from qa.retrieval import Filters, Hit

NOT_FOUND = "没有找到能回答这个问题的段落。No passage in the indexed reports answers this question."
UNRENDERED = ("无法判断报告是否提到：问题中的 {words_zh} 在报告用词中找不到对应的词，"
              "以下是最接近的段落（不是答案），请核对。"
              "Cannot tell whether the reports say it: no word of the reports renders {words_en} of the question; "
              "the nearest passages follow (not answers): check them.")  # fmt: skip
STARTED_OVER = "已重新开始，请提出新问题。Started over: ask a new question."
NEEDS_CONTEXT = ("「{question}」是追问，但前面没有可接的问题：请把问题问完整（问什么、哪个地区、哪一年）。"
                 "This follows up on a question, but there is none before it: ask the whole question "
                 "(what, where, which year).")  # fmt: skip


@dataclass(frozen=True)
class Request:
    """How a question is to be answered: ``k`` passages, within ``filters``, tuned by ``config``."""

    k: int = 5
    filters: Filters | None = None
    config: AnswerConfig = field(default_factory=AnswerConfig)


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    marker: int  # 1-based: the hit this sentence came from is hits[marker - 1]
    start: int  # offsets of the sentence within that hit's text
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "marker": self.marker, "start": self.start, "end": self.end}


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
class Answer:
    """``question`` as typed, ``resolved_question`` as understood (a follow-up filled in from the
    conversation); ``kind`` the question's kind (:mod:`qa.questions.kinds`): :class:`Single`, or one
    across reports with one :class:`Row` per report, region or year. ``plan`` is the question as
    understood, for the next turn of a conversation (:meth:`qa.questions.Conversation.after`)."""

    question: str
    found: bool
    text: str
    sentences: tuple[AnswerSentence, ...]
    hits: tuple[Hit, ...]
    resolved_question: str = ""
    kind: Kind = field(default_factory=Single)
    rows: tuple[Row, ...] = ()
    plan: Plan | None = field(default=None, compare=False, repr=False)
    # The best cosine of a sentence of the passages found with the question (stored sentence
    # vectors), what "not stated" is decided by; None without them or across reports.
    meaning: float | None = None
    comparisons: tuple[Comparison, ...] = ()  # a target against its result, by year or region
    mentions: Mentions | None = None  # a term's mentions year by year: first, last, counts
    # Not found, but no finding that the reports do not say it: the English words of the question
    # no word of the reports renders, so that absence could not be judged.
    unrendered: tuple[str, ...] = ()

    @property
    def over_time(self) -> bool:
        """Whether this answers a question about the archive over time (:mod:`qa.answer.series`)."""
        return bool(self.comparisons) or self.mentions is not None

    def to_dict(self) -> dict[str, object]:
        record: dict[str, object] = {
            "question": self.question,
            "resolved_question": self.resolved_question or self.question,
            "kind": self.kind.name,
            "found": self.found,
            "answer": self.text,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "rows": [row.to_dict() for row in self.rows],
            "hits": [hit.to_dict() for hit in self.hits],
            "meaning": None if self.meaning is None else round(self.meaning, 4),
        }
        if self.comparisons:
            record["comparisons"] = [comparison.to_dict() for comparison in self.comparisons]
        if self.mentions is not None:
            record["mentions"] = self.mentions.to_dict()
        if self.unrendered:
            record["unrendered"] = list(self.unrendered)
        return record
