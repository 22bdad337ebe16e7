"""Compact JSON records of answers and passages: one shape for ``qa search --json``, ``qa ask --json``
and the MCP tools, sized for an assistant's context.

Nothing is said twice. An answer's sentences are in ``answer``, each ending with its ``[n]``, and a
passage is its number ``n`` (what ``[n]`` refers to), its ``chunk_id`` (for ``get_source``) and its
one-line citation ``cite``. A table's rows carry their figure, the clause that states it and their
own ``chunk_id`` and ``cite`` (a row has one passage: no markers, no list of passages); the rows
whose reports do not state it are only named (``not_stated``). The passage's text, the citation as
an object, the answer's sentences with their offsets and the retrieval scores are added when asked
for (``fields``): by default a search and a one-passage answer give the texts, a table none (its
rows quote what answers). The 31-row table of a figure of each province is about 8 KB instead of
the 30 KB of the library's whole ``Answer.to_dict()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa.answer import Answer, AnswerSentence, Row, question_terms
from qa.answer.rows import NOT_STATED
from qa.answer.values import Figure, clause_of, figure_for, figures
from qa.errors import QuestionError
from qa.retrieval import Hit
from qa.text import to_simplified

FIELDS = ("text", "citation", "sentences", "score")
SEARCH_FIELDS = ("text", "score")  # a search is its passages
ANSWER_FIELDS = ("text",)  # the passages an answer's sentences come from, to read around them
TABLE_FIELDS: tuple[str, ...] = ()  # each row quotes its clause; get_source opens a passage
NEAREST = ("以下是最接近的段落，并非答案：报告中没有句子回答这个问题。"
           "These are the nearest passages, not answers: no sentence of the reports answers the question.")  # fmt: skip
# Beside a "cannot tell" (words of the question no word of the reports renders): no claim of absence.
NEAREST_TO_CHECK = ("以下是最接近的段落，并非答案：请核对其中是否有回答。"
                    "These are the nearest passages, not answers: check whether one answers the question.")  # fmt: skip


def nearest_note(result: Answer) -> str:
    """The line above the passages of an answer not found."""
    return NEAREST_TO_CHECK if result.unrendered else NEAREST


DEFAULT_MAX_ROWS = 40  # every province and a few more: a table of all 31 regions fits whole
MAX_ROWS = 500


@dataclass(frozen=True)
class Quote:
    """The clause of an answer's sentence that states the figure asked for: ``sentence.text[start:end]``,
    the figure at ``figure.start:figure.end`` of the sentence."""

    sentence: AnswerSentence
    start: int
    end: int
    figure: Figure

    @property
    def clause(self) -> str:
        return self.sentence.text[self.start : self.end]

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end >= len(self.sentence.text.rstrip("。；;！!？?"))

    def pieces(self) -> tuple[str, str, str]:
        """The clause as (before the figure, the figure, after it), with "…" where the sentence goes on."""
        clause, start, end = self.clause, self.figure.start - self.start, self.figure.end - self.start
        before = "…" if self.start > 0 else ""
        after = "…" if self.end < len(self.sentence.text.rstrip("。；;！!？?")) else ""
        return before + clause[:start], clause[start:end], clause[end:] + after

    def text(self, mark: tuple[str, str] = ("", "")) -> str:
        """The clause with "…" where the sentence goes on, and the figure between ``mark``."""
        before, figure, after = self.pieces()
        return f"{before}{mark[0]}{figure}{mark[1]}{after}"


def quotes(result: Answer) -> list[Quote | None]:
    """For a one-answer question that asks a figure of an indicator it names (湖南2025年固定资产投资目标
    是多少？): for each sentence of the answer, the clause that states that figure, or None where it
    does not state it. A sentence listing twelve targets is then quoted by the one asked for; the
    whole sentence stays in its passage, a click away."""
    plan = result.plan
    if result.rows or not result.found or plan is None or not plan.asks_quantity:
        return [None] * len(result.sentences)
    groups = plan.indicators
    found: list[Quote | None] = []
    for sentence in result.sentences:
        simplified = to_simplified(sentence.text)
        if len(simplified) != len(sentence.text):  # offsets in the simplified text would not fit the text
            found.append(None)
            continue
        figure = figure_for(simplified, groups) if groups else _figure_after_terms(simplified, plan.text)
        if figure is None:
            found.append(None)
            continue
        start, end = clause_of(simplified, figure, groups)
        found.append(Quote(sentence, start, end, figure))
    return found


TERMS_BEFORE = 12  # characters before a figure that say what it counts (处理违规直播间5263个)


def _figure_after_terms(simplified: str, question: str) -> Figure | None:
    """For a question naming no indicator of the list (湖北处理了多少个违规直播间？): the figure of a
    sentence (in simplified script) whose preceding words share the most of the question's words
    (two at least, and more than any other figure's), else none."""
    terms = {term for term in question_terms(question) if len(term) >= 2}
    scored = []
    for figure in figures(simplified):
        before = simplified[max(0, figure.start - TERMS_BEFORE) : figure.start]
        scored.append((len(terms & {before[i : i + 2] for i in range(len(before) - 1)}), figure))
    scored.sort(key=lambda item: -item[0])
    if not scored or scored[0][0] < 2 or len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def quoted_answer(result: Answer, mark: tuple[str, str] = ("", "")) -> str:
    """The answer's text with each sentence that states the asked figure cut to its clause."""
    if result.rows:
        return result.text
    parts = []
    for sentence, quote in zip(result.sentences, quotes(result), strict=True):
        said = sentence.text if quote is None else quote.text(mark)
        parts.append(f"{said}[{sentence.marker}]")
    return "".join(parts) or result.text


def checked_fields(fields: Iterable[str] | None) -> tuple[str, ...] | None:
    """The optional parts asked for, in :data:`FIELDS`; None when nothing was said (each record
    then takes its own default); an unknown name is an error that lists the names there are."""
    if fields is None:
        return None
    if isinstance(fields, str):
        fields = [part for part in fields.replace(",", " ").split() if part]
    chosen = tuple(dict.fromkeys(str(field).strip().lower() for field in fields))
    unknown = [field for field in chosen if field not in FIELDS]
    if unknown:
        raise QuestionError(f"fields {', '.join(unknown)}: unknown; choose among {', '.join(FIELDS)}")
    return chosen


def checked_max_rows(max_rows: object) -> int:
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or not 1 <= max_rows <= MAX_ROWS:
        raise QuestionError(f"max_rows={max_rows!r}: give 1 to {MAX_ROWS} rows")
    return max_rows


def passage_record(hit: Hit, number: int, fields: Sequence[str]) -> dict[str, object]:
    record: dict[str, object] = {"n": number, "chunk_id": hit.chunk_id, "cite": hit.citation.label()}
    if "score" in fields:
        record["score"] = round(hit.score, 4)
    if "text" in fields:
        record["text"] = hit.text
    if "citation" in fields:
        record["citation"] = hit.citation.to_dict()
    return record


def search_record(question: str, hits: Sequence[Hit], fields: Sequence[str] | None = None) -> dict[str, object]:
    """A search: the question and its ranked passages (``n`` is the rank)."""
    chosen = SEARCH_FIELDS if fields is None else fields
    return {"question": question, "passages": [passage_record(hit, n, chosen) for n, hit in enumerate(hits, 1)]}


def answer_record(
    result: Answer, *, fields: Sequence[str] | None = None, max_rows: int = DEFAULT_MAX_ROWS
) -> dict[str, object]:
    """An answer: ``answer`` (the sentences with their markers, or a table's summary line), for a
    table its ``rows`` that answer (``max_rows`` at most; ``more_rows`` counts the rest) and the
    ``not_stated`` ones by name, then the ``passages`` the markers refer to."""
    record: dict[str, object] = {"question": result.question}
    if result.resolved_question and result.resolved_question != result.question:
        record["understood_as"] = result.resolved_question
    record.update(kind=result.kind.name, found=result.found)
    if result.over_time:  # the archive over time: its comparisons or mentions say what its rows say, and more
        record["answer"] = result.text.split("\n", 1)[0]
        if result.comparisons:  # both sides of each, cited by marker, and the verdict
            record["comparisons"] = [comparison.to_dict() for comparison in result.comparisons]
        if result.mentions is not None:  # every report checked, with its count and sentences
            record["mentions"] = result.mentions.to_dict()
        chosen = TABLE_FIELDS if fields is None else fields
        record["passages"] = [passage_record(hit, n, chosen) for n, hit in enumerate(result.hits, 1)]
        return record
    if result.rows:
        chosen = TABLE_FIELDS if fields is None else fields
        answered = [row for row in result.rows if row.found]
        shown = answered[:max_rows]
        record["answer"] = result.text.split("\n", 1)[0]
        record["rows"] = [row_record(row, result.hits[row.marker - 1] if row.marker else None, chosen) for row in shown]
        if len(answered) > len(shown):
            record["more_rows"] = len(answered) - len(shown)
        unstated = [_unstated(row) for row in result.rows if not row.found]
        if unstated:
            record["not_stated"] = unstated
        return record
    chosen = ANSWER_FIELDS if fields is None else fields
    record["answer"] = quoted_answer(result)  # the clause with the figure asked for; the sentence is in its passage
    if "sentences" in chosen:
        record["sentences"] = [sentence.to_dict() for sentence in result.sentences]
    if not result.found and result.hits:
        record["note"] = nearest_note(result)
    if result.unrendered:  # no finding that the reports do not say it: these words were not understood
        record["unrendered"] = list(result.unrendered)
    record["passages"] = [passage_record(hit, n, chosen) for n, hit in enumerate(result.hits, 1)]
    return record


def row_record(row: Row, hit: Hit | None, fields: Sequence[str] = TABLE_FIELDS) -> dict[str, object]:
    """A row that answers: its label (region, report or year), its figure as a number with its unit
    and qualifier (the quote states it as the report does: "地区生产总值增长5%左右"), the quoted clause,
    and the passage it is from (``chunk_id``, ``cite``; its text and citation object when asked for)."""
    record: dict[str, object] = {"label": row.label}
    if row.figure is not None:
        record.update(value=_number(row.figure.value), unit=row.figure.unit)
        if row.figure.qualifier:
            record["qualifier"] = row.figure.qualifier
    record["quote"] = row.sentence
    if hit is not None:
        passage = passage_record(hit, row.marker or 0, fields)
        del passage["n"]
        record.update(passage)
    return record


def _number(value: float | tuple[float, float]) -> object:
    """5 for 5.0, 5.5 as it is, [5, 5.5] for a range."""
    if isinstance(value, tuple):
        return [_number(part) for part in value]
    return int(value) if float(value).is_integer() else value


def _unstated(row: Row) -> str:
    """A row's label, with its reason when it is not the plain "not stated" (no report of that year)."""
    return row.label if not row.note or row.note == NOT_STATED else f"{row.label} ({row.note})"
