"""Section 4: a fresh process, from its start to the first answer, and its peak memory."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.children import run_child
from bench.machine import say
from bench.questions import QUESTIONS

PEAK_MEASURE = "VmHWM of the child (ru_maxrss of a forked child starts at the parent's RSS)"


def fresh_process(index: Path, repeats: int) -> dict[str, object]:
    """Time from process start to the first answer and peak memory of ``from qa import retrieve;
    retrieve(...)`` in new Python processes (median of ``repeats``), and once the parts: imports,
    index load (and the memory it takes), encoder load, first search."""
    runs = [run_child("bench.child_retrieve", str(index), repr(time.time()), QUESTIONS[0]) for _ in range(repeats)]
    result: dict[str, object] = {
        key: round(statistics.median(float(run[key]) for run in runs), 3) for key in runs[0] if key != "hits"
    }
    result["runs"] = repeats
    result["peak_measure"] = PEAK_MEASURE
    parts = run_child("bench.child_breakdown", str(index), QUESTIONS[0])
    result["breakdown"] = {key: round(value, 3) for key, value in parts.items()}
    return result


def print_fresh(label: str, figures: dict, repeats: int) -> None:
    parts = figures["breakdown"]
    say(
        f"  {label}: `from qa import retrieve; retrieve(...)` from process start to the first answer "
        f"{figures['process_start_to_answer_s']:.2f} s (median of {repeats}; interpreter "
        f"{figures['interpreter_start_s']:.2f} s, import {figures['import_s']:.2f} s, first retrieve() "
        f"{figures['retrieve_first_call_s']:.2f} s), peak RSS {figures['peak_rss_mb']:.0f} MB"
    )
    say(
        f"    parts: import {parts['import_s']:.2f} s, index load {parts['index_load_s']:.2f} s "
        f"(+{parts['index_rss_mb']:.0f} MB RSS, {parts['rss_after_index_load_mb']:.0f} MB in all), encoder load "
        f"{parts['encoder_load_s']:.2f} s ({parts['rss_after_encoder_load_mb']:.0f} MB), first search "
        f"{parts['first_search_s']:.2f} s, peak {parts['peak_rss_mb']:.0f} MB"
    )


def bench_fresh(indexes: dict[str, Path], repeats: int) -> dict[str, dict[str, object]]:
    say("\n== 4. Fresh process: memory and time to the first answer ==")
    say("  (the child calls qa.runtime.tune_for_questions() after its imports, as the entry points do)")
    startup: dict[str, dict[str, object]] = {}
    for label, index in indexes.items():
        startup[label] = fresh_process(index, repeats)
        print_fresh(label, startup[label], repeats)
    return startup
