"""The evaluator of questions in other words (``eval/meaning.jsonl``, ``eval/meaning_tables.jsonl``):
paraphrases, English, relative time, answers a term-overlap rule would call "not stated", questions
the reports do not answer, and questions across reports (which-questions with a verb, English
tables, indicators under another name, relative years), over the combined index.

Single questions, per kind, language and corpus, for all of them and each half: the gold passage
(a passage of the right report holding the gold string) at rank 1 / 5 of the hybrid search; the
answer holding the gold string and citing its report; false "not stated" (no answer while a gold
passage is among the answer's own passages); answers given to a question the reports do not
answer. Tables are judged row by row as in :mod:`qa.evaluation.tables`, per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qa.answer import Answer, answer
from qa.errors import QuestionError
from qa.evaluation.answers import answer_text
from qa.evaluation.datasets import HALVES, Question, TableQuestion, load_tables, read_jsonl, split_halves
from qa.evaluation.indexes import Report, quiet
from qa.evaluation.metrics import DEPTH, contains_answer, same_file_name, summarise
from qa.evaluation.runner import EvalIndex, gold_judge, run_mode
from qa.evaluation.tables import score_table, totals_by_kind
from qa.retrieval import Retriever

FALSE_NOT_STATED_DEPTH = 5  # the answer's passages searched for the gold one (the answer composes from 5)


@dataclass(frozen=True)
class MeaningQuestion:
    """One line of ``eval/meaning.jsonl``: ``answer`` None for a question the reports do not answer."""

    question: Question
    corpus: str

    @property
    def answerable(self) -> bool:
        return self.question.answer is not None


def load_meaning(path: Path) -> list[MeaningQuestion]:
    return read_jsonl(path, "a meaning question", lambda record: MeaningQuestion(
        Question(record["id"], record["question"], record["file"] or "", record["kind"], record["lang"],
                 record["answer"], record.get("asked")), record["corpus"]))  # fmt: skip


def table_groups(path: Path) -> dict[str, str]:
    """Each table question's group (verb_which, english_table, synonym_years, relative_years)."""
    pairs = read_jsonl(path, "a table question", lambda record: (record["id"], record.get("group", record["kind"])))
    return dict(pairs)


def score_single(item: MeaningQuestion, rank: int | None, retriever: Retriever) -> dict[str, object]:
    """One question's outcome: the answer, whether it holds the gold, whether it wrongly says not stated."""
    question = item.question
    try:
        result = answer(question.question, retriever=retriever)
    except QuestionError:
        result = None
    found = bool(result and result.found)
    outcome: dict[str, object] = {"id": question.id, "kind": question.group, "lang": question.lang,
                                  "corpus": item.corpus, "answerable": item.answerable, "rank": rank,
                                  "answered": found}  # fmt: skip
    outcome["answer"] = result.text[:160] if result is not None else ""
    outcome["meaning"] = result.meaning if result is not None else None
    if not item.answerable:
        return outcome
    gold_in_answer = bool(result) and any(gold_judge(question, hit) for hit in result.hits[:FALSE_NOT_STATED_DEPTH])
    holds = False
    if result is not None and found:
        cited = {result.hits[sentence.marker - 1].citation.file for sentence in result.sentences}
        holds = contains_answer(answer_text(result.text), question.judged) and any(
            same_file_name(file, question.file) for file in cited
        )
    cannot_tell = bool(result and not found and result.unrendered)  # no claim that the reports do not say it
    return {**outcome, "holds_gold": holds, "gold_in_answer_passages": gold_in_answer, "cannot_tell": cannot_tell,
            "false_not_stated": gold_in_answer and not found and not cannot_tell}  # fmt: skip


def single_figures(outcomes: Sequence[dict[str, object]]) -> dict[str, object]:
    """The figures of some single questions (zeros, and n 0, for none)."""
    answerable = [item for item in outcomes if item["answerable"]]
    unanswerable = [item for item in outcomes if not item["answerable"]]
    count = len(answerable)
    figures: dict[str, object] = {
        "n": len(outcomes),
        "answerable": count,
        **{key: value for key, value in summarise([item["rank"] for item in answerable]).items() if key != "n"},  # type: ignore[misc]
        "holds_gold": round(sum(bool(item["holds_gold"]) for item in answerable) / count, 4) if count else 0.0,
        "answered": round(sum(bool(item["answered"]) for item in answerable) / count, 4) if count else 0.0,
        "not_stated": sum(not item["answered"] for item in answerable),
        "gold_in_answer_passages": sum(bool(item["gold_in_answer_passages"]) for item in answerable),
        "false_not_stated": sum(bool(item["false_not_stated"]) for item in answerable),
        "cannot_tell": sum(bool(item.get("cannot_tell")) for item in answerable),
        "unanswerable": len(unanswerable),
        "answered_unanswerable": sum(bool(item["answered"]) for item in unanswerable),
    }
    return figures


def _breakdown(outcomes: Sequence[dict[str, object]]) -> dict[str, object]:
    def by(field: str) -> dict[str, object]:
        values = sorted({str(item[field]) for item in outcomes})
        return {value: single_figures([item for item in outcomes if item[field] == value]) for value in values}

    return {"all": single_figures(outcomes), "by_kind": by("kind"), "by_lang": by("lang"), "by_corpus": by("corpus")}


def load_off_topic(path: Path) -> list[tuple[str, str, str]]:
    """(id, question, lang) of each question far from every report (``eval/off_topic.jsonl``): what
    the "not stated" threshold of each encoder is calibrated on."""
    return read_jsonl(path, "an off-topic question", lambda record: (record["id"], record["question"], record["lang"]))


def score_off_topic(items: Sequence[tuple[str, str, str]], retriever: Retriever) -> list[dict[str, object]]:
    """Each off-topic question's answer: whether it was answered, and its best sentence's cosine."""
    halves = split_halves((item_id, "en" if lang == "en" else "zh") for item_id, _question, lang in items)
    outcomes = []
    for item_id, question, lang in items:
        try:
            result = answer(question, retriever=retriever)
        except QuestionError:
            result = None
        outcomes.append({"id": item_id, "lang": lang, "half": halves[item_id],
                         "answered": bool(result and result.found),
                         "meaning": result.meaning if result is not None else None})  # fmt: skip
    return outcomes


def off_topic_figures(outcomes: Sequence[dict[str, object]]) -> dict[str, object]:
    """How many off-topic questions were answered, and the highest best-sentence cosine of the
    Chinese and the English ones: a threshold above it refuses them all (the calibration)."""

    def highest(english: bool) -> float | None:
        values = [float(item["meaning"]) for item in outcomes
                  if item["meaning"] is not None and (item["lang"] == "en") == english]  # type: ignore[arg-type]  # fmt: skip
        return round(max(values), 4) if values else None

    return {"n": len(outcomes), "answered": sum(bool(item["answered"]) for item in outcomes),
            "highest_meaning_chinese": highest(False), "highest_meaning_english": highest(True)}  # fmt: skip


def evaluate_meaning(
    index: EvalIndex, single_path: Path, tables_path: Path, report: Report = quiet, off_topic_path: Path | None = None
) -> dict[str, object]:
    retriever = index.retriever
    items = load_meaning(single_path)
    halves = split_halves((item.question.id, item.question.group) for item in items)
    questions = [item.question for item in items]
    index.prime(questions)
    report(f"meaning set: {len(items)} questions, hybrid search")
    ranks = run_mode(retriever, questions, "hybrid", _judge, DEPTH).ranks
    outcomes = []
    for number, (item, rank) in enumerate(zip(items, ranks, strict=True), start=1):
        if number % 25 == 0:
            report(f"meaning set: answers {number}/{len(items)}")
        outcomes.append({**score_single(item, rank, retriever), "half": halves[item.question.id]})

    tables = load_tables(tables_path)
    groups = table_groups(tables_path)
    table_halves = split_halves((table.id, groups[table.id]) for table in tables)
    scored = []
    for number, table in enumerate(tables, start=1):
        report(f"meaning set: across reports {number}/{len(tables)}")
        try:
            result = answer(table.question, retriever=retriever)
        except QuestionError:
            result = Answer(question=table.question, found=False, text="", sentences=(), hits=())
        score = score_table(with_cited_spans(table, result), result)
        scored.append({**score, "group": groups[table.id], "lang": table.lang, "half": table_halves[table.id]})
    summary = summarise_meaning(outcomes, scored)
    if off_topic_path is not None and off_topic_path.is_file():
        report("meaning set: off-topic questions")
        off_topic = score_off_topic(load_off_topic(off_topic_path), retriever)
        summary["off_topic"] = {**off_topic_figures(off_topic), "halves": {
            half: off_topic_figures([item for item in off_topic if item["half"] == half]) for half in HALVES},
            "per_question": off_topic}  # fmt: skip
    return summary


def summarise_meaning(outcomes: Sequence[dict[str, object]], scored: Sequence[dict[str, object]]) -> dict[str, object]:
    """The figures of the single questions' outcomes and of the scored table questions: all, each
    kind (group), language and corpus, then the same for each half."""
    single = {
        **_breakdown(outcomes),
        "halves": {half: _breakdown([item for item in outcomes if item["half"] == half]) for half in HALVES},
    }
    tables = {
        **_table_totals(scored),
        "halves": {half: _table_totals([item for item in scored if item["half"] == half]) for half in HALVES},
    }
    return {"questions": len(outcomes), "table_questions": len(scored), "single": single, "tables": tables,
            "per_question": list(outcomes), "per_table": list(scored)}  # fmt: skip


def with_cited_spans(question: TableQuestion, result: Answer) -> TableQuestion:
    """The question with each row's gold string chosen among its spans ("answer", then "also": a
    report naming the thing asked about several times) as the one the answer's passage for that row
    holds, so that a row citing any mention is judged right; the first span when it holds none."""
    field = "year" if question.kind == "year_range" else "region"
    cited = {getattr(row, field): result.hits[row.marker - 1].text for row in result.rows
             if row.found and row.marker is not None}  # fmt: skip
    rows = []
    for gold in question.rows:
        spans = [gold["answer"], *gold.get("also", ())]
        text = cited.get(gold.get(field))
        chosen = next((span for span in spans if text is not None and contains_answer(text, span)), spans[0])
        rows.append({**gold, "answer": chosen})
    return replace(question, rows=tuple(rows))


def _table_totals(scored: Sequence[dict[str, object]]) -> dict[str, object]:
    """Row totals of all the table questions, of each group and of each language."""
    return {**totals_by_kind(scored, "group"), "by_lang": totals_by_kind(scored, "lang")["by_kind"]}


def _judge(question: Question, hit) -> bool:
    """A passage of the question's report holding its gold string (never, for one with no answer)."""
    return question.answer is not None and gold_judge(question, hit)
