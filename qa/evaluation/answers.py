"""Answer-level measures: does the composed answer (not just a retrieved passage) hold the gold string?"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer import AnswerConfig, answer
from qa.errors import QuestionError
from qa.evaluation.datasets import HALVES, Question, question_halves
from qa.evaluation.metrics import contains_answer, same_file_name
from qa.retrieval import Retriever

_MARKER = re.compile(r"\[\d+\]")


def answer_text(text: str) -> str:
    """An answer's sentences without their [n] markers."""
    return _MARKER.sub("", text)


def evaluate_answers(
    retriever: Retriever, questions: Sequence[Question], config: AnswerConfig | None = None
) -> dict[str, object]:
    """Share of questions whose answer holds the gold string (and cites its report), by kind; and
    the same for each half of the set."""
    outcomes: list[tuple[str, bool, bool]] = []
    for question in questions:
        try:
            result = answer(question.question, retriever=retriever, config=config)
        except QuestionError:
            outcomes.append((question.group, False, False))
            continue
        cited = {result.hits[s.marker - 1].citation.file for s in result.sentences}
        holds = result.found and contains_answer(answer_text(result.text), question.judged)
        right_report = any(same_file_name(file, question.file) for file in cited)
        outcomes.append((question.group, holds and right_report, result.found))
    halves = question_halves(questions)
    # No timing here: the evaluation's encoder remembers every vector, so only bench/answers.py times answers.
    return {
        **_by_kind(outcomes),
        "halves": {
            half: _by_kind([outcome for outcome, q in zip(outcomes, questions, strict=True) if halves[q.id] == half])
            for half in HALVES
        },
    }


def _by_kind(outcomes: Sequence[tuple[str, bool, bool]]) -> dict[str, object]:
    by_kind: dict[str, dict[str, float | int]] = {}
    for kind in sorted({kind for kind, _, _ in outcomes}):
        kept = [outcome for outcome in outcomes if outcome[0] == kind]
        by_kind[kind] = _shares(kept)
    return {"all": _shares(outcomes), "by_kind": by_kind}


def _shares(outcomes: Sequence[tuple[str, bool, bool]]) -> dict[str, float | int]:
    count = len(outcomes)
    return {
        "n": count,
        "contains_gold": round(sum(holds for _, holds, _ in outcomes) / count, 4) if count else 0.0,
        "answered": round(sum(found for _, _, found in outcomes) / count, 4) if count else 0.0,
    }
