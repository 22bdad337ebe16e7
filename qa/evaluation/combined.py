"""The evaluations over one index of every report: the national reports 1954-2025, the 31
provincial reports of 2025 and the samples — single questions about the national reports,
follow-up conversations, questions across reports (tables), questions in other words (meaning)
and the archive over time (targets against results, first mentions, timelines)."""

from __future__ import annotations

import time

from qa.evaluation.answers import evaluate_answers
from qa.evaluation.conversations import evaluate_conversations
from qa.evaluation.datasets import combined_files, link_reports, load_conversations, load_gold, load_tables
from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.runner import MODES, Options, Timer, gold_judge, halves_of, open_eval_index, rank_summaries, run_mode
from qa.evaluation.tables import evaluate_tables


def evaluate_combined(options: Options, encoders: Encoders, timer: Timer, report: Report = quiet) -> dict[str, object]:
    national = options.shared / "corpora" / "national"
    if not national.is_dir():
        skipped = {"skipped": f"{national} is absent"}
        names = ("national", "conversations", "tables", "meaning", "archive")
        return {name: skipped for name in names if name in options.sets}
    data_dir = options.index_root / "combined-data"
    link_reports(data_dir, combined_files(options.data, options.shared))
    index = open_eval_index("combined", data_dir, options.config(), options, encoders, timer, report)
    retriever = index.retriever
    described = {"documents": len(retriever.documents), "chunks": len(retriever.store), "folder": str(index.folder)}
    results: dict[str, object] = {}
    if "national" in options.sets:
        started = time.perf_counter()
        questions = load_gold(options.national)
        index.prime(questions)
        runs = {}
        for mode in MODES:
            report(f"national set: {mode}")
            runs[mode] = run_mode(retriever, questions, mode, gold_judge)
        kinds = [q.group for q in questions]
        halves = halves_of(questions)
        report("national set: answers")
        results["national"] = {
            "questions": len(questions),
            "index": described,
            "modes": {mode: rank_summaries(run.ranks, kinds, halves) for mode, run in runs.items()},
            "answers": evaluate_answers(retriever, questions),
            "per_question": [{"id": q.id, "kind": q.group, "half": halves[i],
                              **{mode: runs[mode].ranks[i] for mode in MODES}}
                             for i, q in enumerate(questions)],  # fmt: skip
        }
        timer.add("national questions", started)
    if "conversations" in options.sets:
        started = time.perf_counter()
        report("conversations")
        results["conversations"] = {**evaluate_conversations(retriever, load_conversations(options.conversations)),
                                    "index": described}  # fmt: skip
        timer.add("conversations", started)
    if "tables" in options.sets:
        started = time.perf_counter()
        report("questions across reports")
        results["tables"] = {**evaluate_tables(retriever, load_tables(options.tables)), "index": described}
        timer.add("tables", started)
    if "meaning" in options.sets:
        from qa.evaluation.meaning import evaluate_meaning

        started = time.perf_counter()
        report("questions in other words")
        results["meaning"] = {**evaluate_meaning(index, options.meaning, options.meaning_tables, report),
                              "index": described}  # fmt: skip
        timer.add("meaning", started)
    if "archive" in options.sets:
        from qa.evaluation.archive import evaluate_archive

        started = time.perf_counter()
        report("the archive over time")
        results["archive"] = {**evaluate_archive(retriever, options.archive, report), "index": described}
        timer.add("archive", started)
    return results
