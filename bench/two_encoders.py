"""Does fusing two encoders' dense signals with BM25 beat either encoder with BM25?

``python -m bench.two_encoders --first eval/.indexes/gold-<A>-bigram-original --second
eval/.indexes/gold-<B>-bigram-original [--set gold|cmrc2018|drcd] [--limit N]``: two indexes of the
same files with the same chunking (``qa eval --model A`` and ``--model B`` build them), each
question searched three ways through the retriever's own candidate gathering, scoring, province and
year preference and fusion: A's dense signal + BM25 (the eval's hybrid for A), B's + BM25, and both
dense signals + BM25, where the dense share of the fused score is split evenly between the two
encoders (as it is between the question vectors of one encoder). Each question is encoded once per
encoder. Prints recall@1/5/10 and MRR@10 per way (and per kind on the gold set) and writes
bench/results/two_encoders-<set>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.machine import load

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_GOLD = Path("eval/gold.jsonl")
DEFAULT_SHARED = Path("../shared")
WAYS = ("first", "second", "both")


def same_chunks(first, second) -> str | None:  # noqa: ANN001 - Retrievers
    """Why the two indexes cannot be fused chunk by chunk, or None."""
    a, b = first.store, second.store
    if len(a) != len(b):
        return f"{len(a)} chunks against {len(b)}"
    for chunk_id in range(len(a)):
        if a.chunk(chunk_id).key != b.chunk(chunk_id).key or a.chunk(chunk_id).text != b.chunk(chunk_id).text:
            return f"chunk {chunk_id} differs"
    return None


def search_fused(first, stores_and_vectors: Sequence[tuple[object, np.ndarray]], plan, k: int):  # noqa: ANN001
    """Retriever.search_plan for ``first``, with the dense signals of every (store, question
    vectors) pair; chunk ids are shared (:func:`same_chunks`). Uses the retriever's private steps:
    this is an experiment, not a way the library searches."""
    from qa.retrieval.candidates import Candidates, best_sentence_scores, gather, score, uses_sentences

    config = first.config
    snapshot = first._snapshot
    pool = max(config.candidates, 4 * k)
    lexical_only = replace(config, mode="lexical")
    dense_only = replace(config, mode="dense")
    within = first._preferred(snapshot, plan, None, config)
    found = gather(snapshot.store, plan, None, lexical_only, pool, None)
    if within is not None:
        found |= gather(snapshot.store, plan, None, lexical_only, pool, within)
    for store, vectors in stores_and_vectors:
        found |= gather(store, plan, vectors, dense_only, pool, None)
        if within is not None:
            found |= gather(store, plan, vectors, dense_only, pool, within)
    base = score(snapshot.store, plan, None, config, found, within)
    dense = tuple(row for store, vectors in stores_and_vectors for row in store.dense_scores(vectors, base.ids))
    sentence = tuple(  # each store's best-sentence signal, as the retriever adds its own
        row
        for store, vectors in stores_and_vectors
        if uses_sentences(store, config)
        for row in best_sentence_scores(store, vectors, base.ids, np.vstack(store.dense_scores(vectors, base.ids)))
    )
    candidates = Candidates(base.ids, dense, base.lexical, base.inside, sentence)
    return first._hits(snapshot, plan, candidates, config, k)


def load_questions(name: str, gold: Path, shared: Path, limit: int | None):  # noqa: ANN201
    from qa.evaluation.datasets import PUBLIC_FOLDERS, PUBLIC_SETS, load_gold, load_squad
    from qa.evaluation.metrics import spread_sample
    from qa.evaluation.runner import gold_judge, paragraph_judge

    if name == "gold":
        return spread_sample(load_gold(gold), limit), gold_judge
    _paragraphs, questions = load_squad(shared / "bench" / PUBLIC_SETS[name], name, PUBLIC_FOLDERS[name])
    return spread_sample([q for q in questions if q.question.strip()], limit), paragraph_judge


def measure(first_index: Path, second_index: Path, set_name: str, gold: Path, shared: Path, limit: int | None):  # noqa: ANN201
    from qa.evaluation.metrics import DEPTH, first_correct_rank, summarise, summarise_groups
    from qa.retrieval import Retriever

    first, second = Retriever(first_index), Retriever(second_index)
    problem = same_chunks(first, second)
    if problem:
        raise SystemExit(f"{first_index} and {second_index} do not hold the same chunks: {problem}")
    questions, judge = load_questions(set_name, gold, shared, limit)
    ranks: dict[str, list[int | None]] = {way: [] for way in WAYS}
    agrees = 0  # questions where the "first" way gives the retriever's own hybrid ranking
    started, started_load = time.perf_counter(), load()
    for number, question in enumerate(questions, start=1):
        plan = first.plan(question.question)
        a = (first.store, first.encode_queries(plan.queries))
        b = (second.store, second.encode_queries(plan.queries))
        ways = {"first": [a], "second": [b], "both": [a, b]}
        for way, pairs in ways.items():
            hits = search_fused(first, pairs, plan, DEPTH)
            ranks[way].append(first_correct_rank(judge(question, hit) for hit in hits))
            if way == "first" and number <= 50:
                own = first.search(question.question, k=DEPTH)
                agrees += [h.chunk_id for h in own] == [h.chunk_id for h in hits]
        if number % 100 == 0:
            print(f"  … {number}/{len(questions)}", file=sys.stderr)
    groups = [q.group for q in questions]
    result: dict[str, object] = {
        "set": set_name,
        "questions": len(questions),
        "first": str(first_index),
        "second": str(second_index),
        "chunks": len(first.store),
        "first_way_equals_retriever_search": f"{agrees} of {min(50, len(questions))}",
        "ways": {
            way: {"all": summarise(r), **({"by_kind": summarise_groups(r, groups)} if set_name == "gold" else {})}
            for way, r in ranks.items()
        },
        "seconds": round(time.perf_counter() - started, 1),
        "load_average": [started_load, load()],
    }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=Path, required=True, help="index folder of encoder A")
    parser.add_argument("--second", type=Path, required=True, help="index folder of encoder B, same files")
    parser.add_argument("--set", default="gold", choices=("gold", "cmrc2018", "drcd"))
    parser.add_argument("--limit", type=int, default=None, help="at most N questions, spread evenly")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args(argv)
    from qa.runtime import tune_for_questions

    tune_for_questions()
    result = measure(args.first, args.second, args.set, args.gold, args.shared, args.limit)
    for way, figures in result["ways"].items():
        a = figures["all"]
        print(f"{way:>6}: R@1 {a['recall@1']:.3f}  R@5 {a['recall@5']:.3f}  R@10 {a['recall@10']:.3f}  "
              f"MRR@10 {a['mrr@10']:.3f}")  # fmt: skip
    print(f"the first way equals Retriever.search for {result['first_way_equals_retriever_search']} questions")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"two_encoders-{args.set}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
