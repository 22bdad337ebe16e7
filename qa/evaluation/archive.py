"""The evaluator of the archive over time (``eval/archive.jsonl``, schema in docs/evaluation-sets.md):
targets against results, first mentions and timelines, over the combined index.

* a target-against-result row is right when both sides are (the same figure, value and unit, from
  the gold side's report, and a span of the sentence the answer cites; no side where the gold has
  none or no figure) and the verdict is the gold's; qualifiers are counted apart;
* a first mention is right when the first and last years, the number of earlier reports checked
  and the number of reports mentioning the term are the gold's, and the first cited sentence holds
  one of the term's forms;
* a timeline is right when every year's count and the total are the gold's.

Every figure for all questions and for each half (the seeded split), per kind and language, with
each question's seconds (the 10-year tables apart: the issue asks them under 3 s).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.answer import Answer, answer
from qa.answer.series import Comparison, Side
from qa.answer.values import figures
from qa.errors import QuestionError
from qa.evaluation.datasets import HALVES, read_jsonl, split_halves
from qa.evaluation.indexes import Report, quiet
from qa.evaluation.metrics import same_file_name
from qa.regions import NATIONAL
from qa.retrieval import Retriever
from qa.terms import compact, forms_pattern
from qa.text import to_simplified

KINDS = ("target_result", "first_mention", "timeline")
MEASURE_OF = {"gdp": "gdp", "cpi": "cpi", "jobs": "jobs", "deficit": "deficit", "grain": "grain"}
LONG_TABLE = 9  # rows of a question whose time is the issue's "10-year table"


@dataclass(frozen=True)
class ArchiveQuestion:
    id: str
    kind: str
    question: str
    lang: str
    corpus: str
    record: dict


def load_archive(path: Path) -> list[ArchiveQuestion]:
    return read_jsonl(path, "an archive question", lambda record: ArchiveQuestion(
        record["id"], record["kind"], record["question"], record["lang"], record["corpus"], record))  # fmt: skip


# -- target against result ---------------------------------------------------------------------------


def _same_value(gold: object, value: object) -> bool:
    if gold is None or value is None:
        return gold is None and value is None
    wanted = tuple(float(number) for number in gold) if isinstance(gold, list) else (float(gold),)  # type: ignore[union-attr]
    got = tuple(float(number) for number in value) if isinstance(value, tuple) else (float(value),)  # type: ignore[arg-type]
    return len(wanted) == len(got) and all(abs(a - b) < 1e-9 for a, b in zip(wanted, got, strict=True))


def span_holds_figure(side: Side) -> bool:
    """Whether the side's figure is a span of its cited sentence: the words there read as the value."""
    read = figures(to_simplified(side.figure_span))
    return any(figure.value == side.figure.value and figure.unit == side.figure.unit for figure in read)


def side_right(gold: dict | None, side: Side | None) -> bool:
    """A gold side (None, or one without a figure) against the answer's."""
    if gold is None or gold.get("value") is None:
        return side is None
    if side is None:
        return False
    return (_same_value(gold["value"], side.figure.value) and gold["unit"] == side.figure.unit
            and same_file_name(side.file, gold["file"]) and span_holds_figure(side))  # fmt: skip


def _qualifier_right(gold: dict | None, side: Side | None) -> bool | None:
    if gold is None or gold.get("value") is None or side is None:
        return None
    return (gold.get("qualifier") or None) == (side.figure.qualifier or None)


def _matching(record: dict, row: dict, comparisons: Sequence[Comparison]) -> Comparison | None:
    measure = MEASURE_OF.get(record.get("indicator", ""), record.get("indicator"))
    for comparison in comparisons:
        if comparison.measure != measure:
            continue
        if record["corpus"] == "national":
            if comparison.region == NATIONAL and comparison.year == row["year"]:
                return comparison
        elif comparison.region == row["region"]:
            return comparison
    return None


def score_target_result(item: ArchiveQuestion, result: Answer | None) -> dict[str, object]:
    record = item.record
    comparisons = result.comparisons if result is not None else ()
    rows = []
    for row in record["rows"]:
        found = _matching(record, row, comparisons)
        target = found.target if found else None
        got = found.result if found else None
        target_ok = side_right(row["target"], target)
        result_ok = side_right(row["result"], got)
        verdict_ok = (found.verdict if found else None) == row["verdict"]
        rows.append({"region": row["region"], "year": row["year"], "target": target_ok, "result": result_ok,
                     "verdict": verdict_ok, "right": target_ok and result_ok and verdict_ok,
                     "qualifiers": [q for q in (_qualifier_right(row["target"], target),
                                                _qualifier_right(row["result"], got)) if q is not None],
                     "answered": [target.figure.text if target else None, got.figure.text if got else None,
                                  found.verdict if found else None]})  # fmt: skip
    stated = set(record.get("not_stated", []))
    extra = [c for c in comparisons if c.year in stated and (c.target is not None or c.result is not None)]
    return {"rows": rows, "extra_sides": len(extra)}


# -- first mentions and timelines -----------------------------------------------------------------


def score_first_mention(item: ArchiveQuestion, result: Answer | None) -> dict[str, object]:
    record = item.record
    mentions = result.mentions if result is not None else None
    first = mentions.first if mentions else None
    last = mentions.last if mentions else None
    pattern = forms_pattern(tuple(compact(to_simplified(form)) for form in record["forms"]))
    cited = first.mentions[0].sentence if first and first.mentions else ""
    checks = {
        "first": first is not None and first.year == record["first"]["year"],
        "last": last is not None and last.year == record["last"]["year"],
        "earlier_checked": mentions is not None and mentions.earlier_checked == record["earlier_reports_checked"],
        "reports_mentioning": mentions is not None and len(mentions.mentioning) == record["reports_mentioning"],
        "cited_form": bool(pattern.search(compact(to_simplified(cited)))),
    }
    return {**checks, "right": all(checks.values()),
            "answered": {"first": first.year if first else None, "last": last.year if last else None,
                         "earlier_checked": mentions.earlier_checked if mentions else None,
                         "forms": list(mentions.forms) if mentions else None}}  # fmt: skip


def score_timeline(item: ArchiveQuestion, result: Answer | None) -> dict[str, object]:
    record = item.record
    counts = result.mentions.counts() if result is not None and result.mentions is not None else {}
    gold = {int(year): count for year, count in record["counts"].items() if year.isdigit()}
    wrong = sorted(year for year, count in gold.items() if counts.get(year, 0) != count)
    extra = sorted(year for year, count in counts.items() if year not in gold and count)
    total = sum(counts.values())
    return {"years": len(gold), "years_right": len(gold) - len(wrong), "wrong_years": wrong[:10],
            "extra_years": extra[:10], "total": total, "total_right": total == record["total"],
            "right": not wrong and not extra and total == record["total"]}  # fmt: skip


SCORERS = {"target_result": score_target_result, "first_mention": score_first_mention, "timeline": score_timeline}


def evaluate_archive(retriever: Retriever, path: Path, report: Report = quiet) -> dict[str, object]:
    items = load_archive(path)
    halves = split_halves((item.id, item.kind) for item in items)
    outcomes = []
    for number, item in enumerate(items, start=1):
        if number % 10 == 0:
            report(f"archive set: {number}/{len(items)}")
        started = time.perf_counter()
        try:
            result: Answer | None = answer(item.question, retriever=retriever)
        except QuestionError:
            result = None
        seconds = time.perf_counter() - started
        scored = SCORERS[item.kind](item, result)
        outcomes.append({"id": item.id, "kind": item.kind, "lang": item.lang, "corpus": item.corpus,
                         "half": halves[item.id], "answer_kind": result.kind.name if result else None,
                         "seconds": round(seconds, 3), **scored})  # fmt: skip
    return summarise_archive(outcomes)


def _figures(outcomes: Sequence[dict[str, object]]) -> dict[str, object]:
    """The figures of some questions: rows right (targets), questions right (mentions, timelines),
    and their times."""
    targets = [item for item in outcomes if item["kind"] == "target_result"]
    rows = [row for item in targets for row in item["rows"]]  # type: ignore[union-attr]
    qualifiers = [flag for row in rows for flag in row["qualifiers"]]
    figures_: dict[str, object] = {"questions": len(outcomes)}
    if targets:
        figures_["target_result"] = {
            "questions": len(targets), "rows": len(rows),
            "rows_right": round(sum(row["right"] for row in rows) / len(rows), 4) if rows else 0.0,
            "rows_right_n": sum(row["right"] for row in rows),
            "targets_right": sum(row["target"] for row in rows), "results_right": sum(row["result"] for row in rows),
            "verdicts_right": sum(row["verdict"] for row in rows),
            "qualifiers_right": f"{sum(qualifiers)} of {len(qualifiers)}",
            "extra_sides": sum(int(item["extra_sides"]) for item in targets),  # type: ignore[call-overload]
        }  # fmt: skip
    for kind in ("first_mention", "timeline"):
        chosen = [item for item in outcomes if item["kind"] == kind]
        if chosen:
            figures_[kind] = {"questions": len(chosen), "right": sum(bool(item["right"]) for item in chosen),
                              "share": round(sum(bool(item["right"]) for item in chosen) / len(chosen), 4)}  # fmt: skip
    seconds = [float(item["seconds"]) for item in outcomes]  # type: ignore[arg-type]
    long = [float(item["seconds"]) for item in targets if len(item["rows"]) >= LONG_TABLE]  # type: ignore[arg-type]
    if seconds:
        figures_["seconds"] = {"median": round(statistics.median(seconds), 3), "max": round(max(seconds), 3)}
    if long:
        figures_["seconds"]["long_tables_max"] = round(max(long), 3)  # type: ignore[index]
    return figures_


def summarise_archive(outcomes: Sequence[dict[str, object]]) -> dict[str, object]:
    langs = sorted({str(item["lang"]) for item in outcomes})
    return {"all": _figures(outcomes),
            "by_lang": {lang: _figures([item for item in outcomes if item["lang"] == lang]) for lang in langs},
            "halves": {half: _figures([item for item in outcomes if item["half"] == half]) for half in HALVES},
            "per_question": list(outcomes)}  # fmt: skip


def archive_lines(archive: dict | None) -> list[str]:
    """The printed report of the archive set: all, tune and test, then the misses."""
    if not archive:
        return []
    if "skipped" in archive:
        return [f"The archive over time: skipped: {archive['skipped']}"]
    lines = [
        "The archive over time (eval/archive.jsonl): targets against results (a row is right when both values come",
        "  from the right reports, each a span of its cited sentence, and the verdict is right), first mentions (first",
        "  and last year, earlier reports checked) and timelines (every year's count equal to a count over the texts)",
        "",
        f"{'half':<6}{'target rows':>18}{'targets':>9}{'results':>9}{'verdicts':>10}{'qualifiers':>12}"
        f"{'first mention':>15}{'timeline':>10}{'median s':>10}{'max s':>8}{'10-year s':>11}",
    ]
    for half, entry in [("all", archive["all"]), *archive["halves"].items()]:
        targets = entry.get("target_result", {})
        first = entry.get("first_mention", {})
        timeline = entry.get("timeline", {})
        seconds = entry.get("seconds", {})
        rows = f"{targets.get('rows_right_n', 0)}/{targets.get('rows', 0)} ({targets.get('rows_right', 0):.3f})"
        long = seconds.get("long_tables_max")
        lines.append(
            f"{half:<6}{rows:>18}{targets.get('targets_right', 0):>9}{targets.get('results_right', 0):>9}"
            f"{targets.get('verdicts_right', 0):>10}{targets.get('qualifiers_right', '-'):>12}"
            f"{_share(first):>15}{_share(timeline):>10}{seconds.get('median', 0):>10.3f}{seconds.get('max', 0):>8.2f}"
            f"{'-' if long is None else f'{long:.2f}':>11}"
        )
    wrong = [item for item in archive["per_question"] if not _right(item)]
    if wrong:
        lines.append("misses: " + ", ".join(f"{item['id']} ({item['half']})" for item in wrong))
    return lines


def _share(entry: dict) -> str:
    return f"{entry.get('right', 0)}/{entry.get('questions', 0)}" if entry else "-"


def _right(item: dict) -> bool:
    if item["kind"] == "target_result":
        return all(row["right"] for row in item["rows"])
    return bool(item["right"])
