"""Retrieval evaluation behind ``qa eval``, one job per module.

:mod:`~qa.evaluation.metrics` (pure functions), :mod:`~qa.evaluation.datasets` (data loaded from
outside), :mod:`~qa.evaluation.indexes` (cached indexes and vectors), :mod:`~qa.evaluation.runner`
(runs of one mode), one evaluator per file (:mod:`~qa.evaluation.gold`,
:mod:`~qa.evaluation.public`), and the printed :mod:`~qa.evaluation.report`.
"""

from __future__ import annotations

import time

from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.runner import Options, Timer, mark_ignored


def run_evaluation(options: Options, report: Report = quiet) -> dict[str, object]:
    """Everything ``qa eval`` measures, as one JSON-ready dictionary."""
    from qa.evaluation.combined import evaluate_combined
    from qa.evaluation.gold import evaluate_gold
    from qa.evaluation.public import evaluate_public

    started = time.perf_counter()
    timer = Timer()
    results: dict[str, object] = {
        "settings": {
            "model": options.model,
            "tokenizer": options.tokenizer,
            "simplify": options.simplify,
            "depth": 10,
            "limit_public": options.limit_public,
            "shared": str(options.shared),
            "index_root": str(options.index_root),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    }
    if not options.shared.is_dir():
        message = f"{options.shared} is absent: the corpora and benchmarks live beside the repository in ../shared"
        results["gold"] = {"skipped": message}
        results["public"] = {"skipped": message}
        results["seconds"] = {"total": 0.0}
        return results
    mark_ignored(options.index_root)
    encoders = Encoders(options.model, options.index_root)
    if "gold" in options.sets:
        results["gold"] = evaluate_gold(options, encoders, timer, report)
    if "public" in options.sets:
        skip = {"skipped": "--skip-public"}
        results["public"] = skip if options.skip_public else evaluate_public(options, encoders, timer, report)
    if set(options.sets) & {"national", "conversations", "tables", "meaning", "archive"}:
        results.update(evaluate_combined(options, encoders, timer, report))
    if "pdf" in options.sets:
        from qa.evaluation.pdfs import evaluate_pdfs

        results["pdf"] = evaluate_pdfs(options, encoders, timer, report)
    if "scans" in options.sets:
        from qa.evaluation.rendered import evaluate_rendered

        results["scans"] = evaluate_rendered(options, encoders, timer, report)
    timer.seconds["total"] = round(time.perf_counter() - started, 1)
    results["seconds"] = timer.seconds
    return results
