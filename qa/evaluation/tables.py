"""The cross-report evaluator: one row per report, region or year, checked row by row.

Recall: expected rows (a region or year whose report states it) answered by a row whose passage
holds the gold string; precision: listed rows that are right (an expected region or year, from
its report, holding the gold string); values: rows whose parsed figure equals the gold figure.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from qa.answer import Answer, answer
from qa.evaluation.datasets import HALVES, TableQuestion, split_halves
from qa.evaluation.metrics import contains_answer, same_file_name
from qa.retrieval import Retriever


def _key(kind: str, row: dict | object) -> object:
    """Rows are matched by year in a year table, by region in any other."""
    field = "year" if kind == "year_range" else "region"
    return row.get(field) if isinstance(row, dict) else getattr(row, field)


def _value(gold: object) -> object:
    return tuple(gold) if isinstance(gold, list) else gold


def score_table(question: TableQuestion, result: Answer) -> dict[str, object]:
    expected = {_key(question.kind, row): row for row in question.rows}
    listed = {}
    for row in result.rows:
        if row.found and row.marker is not None:
            listed[_key(question.kind, row)] = (row, result.hits[row.marker - 1])
    found = right = values = 0
    for key, gold in expected.items():
        if key in listed and contains_answer(listed[key][1].text, gold["answer"]):
            found += 1
            figure = listed[key][0].figure
            if gold.get("value") is not None and figure is not None and figure.value == _value(gold["value"]):
                values += 1
    for key, (_row, hit) in listed.items():
        gold = expected.get(key)
        if gold is None or not same_file_name(hit.citation.file, gold["file"]):
            continue
        right += contains_answer(hit.text, gold["answer"])
    return {
        "id": question.id, "kind": question.kind, "expected": len(expected), "found": found, "listed": len(listed),
        "right": right, "values_expected": sum(1 for gold in expected.values() if gold.get("value") is not None),
        "values_right": values, "answer_kind": result.kind.name, "rows": len(result.rows),
    }  # fmt: skip


def _totals(items: Sequence[dict[str, object]]) -> dict[str, float | int]:
    total = {name: sum(int(item[name]) for item in items) for name in
             ("expected", "found", "listed", "right", "values_expected", "values_right")}  # fmt: skip
    return {
        "n": len(items),
        **total,
        "recall": round(total["found"] / total["expected"], 4) if total["expected"] else 0.0,
        "precision": round(total["right"] / total["listed"], 4) if total["listed"] else 0.0,
        "values": round(total["values_right"] / total["values_expected"], 4) if total["values_expected"] else 0.0,
    }


def totals_by_kind(items: Sequence[dict[str, object]], field: str = "kind") -> dict[str, object]:
    """Totals of all the scored questions and of each ``field`` value (kind, group...)."""
    kinds = sorted({str(item[field]) for item in items})
    return {"all": _totals(items),
            "by_kind": {kind: _totals([item for item in items if item[field] == kind]) for kind in kinds}}  # fmt: skip


def evaluate_tables(retriever: Retriever, questions: Sequence[TableQuestion]) -> dict[str, object]:
    halves = split_halves((question.id, question.kind) for question in questions)
    items: list[dict[str, object]] = []
    seconds: list[float] = []
    for question in questions:
        started = time.perf_counter()
        result = answer(question.question, retriever=retriever)
        seconds.append(time.perf_counter() - started)
        items.append({**score_table(question, result), "half": halves[question.id], "seconds": round(seconds[-1], 3)})
    return {
        "questions": len(items),
        **totals_by_kind(items),
        "halves": {half: totals_by_kind([item for item in items if item["half"] == half]) for half in HALVES},
        "median_seconds": round(statistics.median(seconds), 3) if seconds else None,
        "max_seconds": round(max(seconds), 3) if seconds else None,
        "per_question": items,
    }
