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

from qa.answer import Answer
from qa.answer.rows import NOT_STATED, Row
from qa.errors import QuestionError
from qa.retrieval import Hit

FIELDS = ("text", "citation", "sentences", "score")
SEARCH_FIELDS = ("text", "score")  # a search is its passages
ANSWER_FIELDS = ("text",)  # the passages an answer's sentences come from, to read around them
TABLE_FIELDS: tuple[str, ...] = ()  # each row quotes its clause; get_source opens a passage
DEFAULT_MAX_ROWS = 40  # every province and a few more: a table of all 31 regions fits whole
MAX_ROWS = 500


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
    record.update(kind=result.kind, found=result.found)
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
    record["answer"] = result.text
    if "sentences" in chosen:
        record["sentences"] = [sentence.to_dict() for sentence in result.sentences]
    record["passages"] = [passage_record(hit, n, chosen) for n, hit in enumerate(result.hits, 1)]
    return record


def row_record(row: Row, hit: Hit | None, fields: Sequence[str] = TABLE_FIELDS) -> dict[str, object]:
    """A row that answers: its label (region, report or year), the figure as the report states it
    (``figure``: "5%左右") and as a number with its unit and qualifier, the quoted clause, and the
    passage it is from (``chunk_id``, ``cite``; its text and citation object when asked for)."""
    record: dict[str, object] = {"label": row.label}
    if row.figure is not None:
        record.update(figure=row.figure.text, value=_number(row.figure.value), unit=row.figure.unit)
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
