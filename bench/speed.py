"""Speed and memory benchmark of report-qa.

Run from the repository root::

    .venv/bin/python -m bench.speed [--quick] [--reuse-index] [--out bench/results/speed.json]

It measures, on the 31 provincial government work reports of 2025 (``corpora/gwr2025`` in the
shared folder, see :func:`qa.locations.find_shared`) plus the samples in ``data/``:

1. question latency of ``Retriever.search()`` next to its bare parts (the encoder on one query and
   the FAISS search alone), on the real index and on a 10k-chunk index made from the real chunks;
2. indexing throughput of ``update_index`` from scratch against the bare encoder on the same texts;
3. the time of an update with nothing changed and with one report changed;
4. the peak memory of a loaded index and the time from process start to the first answer, in a
   fresh process;
5. the dense index alone at 1k to 1M synthetic vectors, flat and HNSW: latency, memory, build time
   and HNSW recall@10;

and writes the figures as JSON plus a plot (``bench/results/speed.png``). The machine is shared
with whatever else runs on it: the load average is recorded next to every section. ``--smoke``
runs every part on a small scale (2 reports, 5 questions, up to 10k vectors) and writes into a
temporary folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/speed.py`: import `bench` from the repository root
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import gc
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

from bench.corpus import ROOT, Corpus, NoCorpus
from bench.fresh import bench_fresh
from bench.indexing import bench_indexing, reused_indexing, throughput_problem
from bench.latency import encoder_after_indexing, question_latency
from bench.machine import Untuned, load, machine, now, print_machine, say
from bench.openmp import busy_wait_problem, encoder_threading
from bench.plot import plot
from bench.questions import QUESTIONS
from bench.scaling import bench_scaling, threshold_advice
from bench.synthetic import build_synthetic_index
from bench.updates import bench_updates
from qa.embedding import Encoder, load_encoder
from qa.runtime import tune_for_questions
from qa.store import index_exists

RESULTS = ROOT / "bench" / "results"
INDEX_ROOT = ROOT / "bench" / ".index"
SYNTHETIC_SIZE = 10_000
STABLE_LATENCY = "real [OMP_WAIT_POLICY=passive]"  # whose encoder time the threshold advice uses


@dataclass(frozen=True)
class Plan:
    """How much of each section a run does."""

    quick: bool
    rounds: int  # latency: rounds over the questions
    repeats: int  # updates and fresh processes: runs of each
    processes: int  # encoder under OpenMP settings: processes per setting
    questions: int  # latency: the first N questions
    sizes: tuple[int, ...]  # scaling: index sizes
    scaling_queries: int
    bare_limit: int | None  # indexing: texts for the bare encoder after the build (None: the default)

    @classmethod
    def of(cls, args: argparse.Namespace) -> Plan:
        if args.smoke:
            return cls(True, 1, 1, 1, 5, (1_000, 10_000), 50, 64)
        if args.quick:
            return cls(True, 1, 2, 3, len(QUESTIONS), (1_000, 10_000, 100_000), 100, None)
        return cls(False, 2, 3, 5, len(QUESTIONS), (1_000, 10_000, 100_000, 1_000_000), 200, None)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no 1M-vector scaling point")
    parser.add_argument(
        "--smoke", action="store_true", help="every part on a small scale, written to a temporary folder"
    )
    parser.add_argument("--out", type=Path, default=None, help=f"default {RESULTS / 'speed.json'}")
    parser.add_argument("--skip-scaling", action="store_true", help="leave out the dense scaling section")
    parser.add_argument("--reports", type=int, default=None, help="only the first N reports (to try the script)")
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="keep bench/.index/real and the indexing figures of the previous --out instead of rebuilding",
    )
    parser.add_argument("--index-root", type=Path, default=None, help=f"where the indexes are built ({INDEX_ROOT})")
    parser.add_argument(
        "--shared", type=Path, default=None, help="the shared folder (default: found beside the checkout)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        scratch = Path(tempfile.mkdtemp(prefix="qa-bench-smoke-"))
        args.out = args.out or scratch / "results" / "speed.json"
        args.index_root = args.index_root or scratch / "index"
        args.reports = 2 if args.reports is None else args.reports
    args.out = args.out or RESULTS / "speed.json"
    args.index_root = args.index_root or INDEX_ROOT
    return args


def load_timed_encoder() -> tuple[Encoder, float]:
    started = now()
    encoder = load_encoder()
    encoder.encode_queries(["预热"])
    return encoder, now() - started


def indexing_section(args: argparse.Namespace, plan: Plan, data: Path, encoder: Encoder, sources: list[Path]) -> dict:
    """Section 2, first: it makes the index that the other sections use."""
    real_index = args.index_root / "real"
    if args.reuse_index and index_exists(real_index) and args.out.exists():
        previous = json.loads(args.out.read_text(encoding="utf-8"))
        written = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(args.out.stat().st_mtime))
        return reused_indexing(previous, written)
    shutil.rmtree(real_index, ignore_errors=True)
    return bench_indexing(data, real_index, encoder, sources, quick=plan.quick, bare_limit=plan.bare_limit)


def latency_section(real: Path, synthetic: Path, plan: Plan, problems: list[str]) -> dict[str, object]:
    """Section 1, in fresh processes (see section 1b for why the OpenMP setting matters)."""
    say("\n== 1. Question latency: Retriever.search() vs encoder + FAISS (fresh processes) ==")
    built = build_synthetic_index(real, synthetic, SYNTHETIC_SIZE)
    say(
        f"  synthetic 10k index: {built['real_chunks']} real chunks + {built['chunks'] - built['real_chunks']} "
        f"made from them (shuffled/mixed sentences, vector + noise); built in {built['build_s']} s"
    )
    indexes = {"real": real, "synthetic_10k": synthetic}
    return {"synthetic_10k_construction": built, **question_latency(indexes, plan.rounds, plan.questions, problems)}


def scaling_section(plan: Plan, results: dict, untuned: Untuned, out: Path) -> None:
    """Sections 5 and 6: the dense index against its size, the threshold advice and the plot."""
    gc.collect()
    scaling = bench_scaling(list(plan.sizes), plan.scaling_queries, untuned.faiss_threads)
    if plan.quick:
        scaling["note_1m"] = "--quick: the 1M-vector point was left out"
    # the query encoder as measured in the fresh process with OMP_WAIT_POLICY=passive (the stable one)
    encoder_ms = float(results["query_latency"][STABLE_LATENCY]["encoder_median_ms"])
    advice = threshold_advice(scaling, encoder_ms)
    scaling["threshold_advice"] = advice
    results["scaling"] = scaling
    say("  threshold:")
    for line in advice["reasoning"]:
        say("   " + line)
    plot_path = out.parent / "speed.png"
    plot(scaling, encoder_ms, plot_path)
    results["plot"] = str(plot_path.relative_to(ROOT) if plot_path.is_relative_to(ROOT) else plot_path)
    say(f"  plot written to {results['plot']}")


def add_problem(problems: list[str], problem: str | None) -> None:
    if problem:
        problems.append(problem)


def write_results(results: dict, out: Path, began: float) -> None:
    results["total_s"] = round(now() - began, 1)
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["load_average_at_end"] = load()
    temporary = out.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(temporary, out)
    say(f"\nwritten {out} in {results['total_s']} s")
    if results["problems"]:
        say("problems:")
        for problem in results["problems"]:
            say("  - " + problem)


def run(args: argparse.Namespace, corpus: Corpus, untuned: Untuned) -> None:
    began = now()
    plan = Plan.of(args)
    info = machine(untuned)
    print_machine(info)
    say("  tuned for questions (qa.runtime.tune_for_questions): FAISS 1 thread, OMP_WAIT_POLICY passive unless set")
    problems: list[str] = []
    results: dict[str, object] = {"machine": info, "quick": plan.quick, "problems": problems}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.index_root.mkdir(parents=True, exist_ok=True)
    real_index, synthetic_index = args.index_root / "real", args.index_root / "synthetic-10k"

    with tempfile.TemporaryDirectory(prefix="qa-bench-") as temporary:
        work = Path(temporary)
        sources = corpus.link_into(work / "data")
        reports = sum(1 for source in sources if source.suffix == ".docx")
        say(f"  corpus: {reports} .docx reports + {len(sources) - reports} .txt samples ({corpus.reports})")
        encoder, encoder_load_s = load_timed_encoder()
        say(f"  encoder {encoder.name} loaded in {encoder_load_s:.2f} s (dimension {encoder.dimension})")

        indexing = indexing_section(args, plan, work / "data", encoder, sources)
        if "reused_from_previous_run" not in indexing:
            indexing["encoder_load_s"] = round(encoder_load_s, 3)
        results["indexing"] = indexing
        add_problem(problems, throughput_problem(indexing))
        say(f"  query encoder in this (main) process now: {encoder_after_indexing(encoder.encode_queries)}")

        results["query_latency"] = latency_section(real_index, synthetic_index, plan, problems)
        results["updates"] = bench_updates(corpus, real_index, work, encoder, plan.repeats)

    results["fresh_process"] = bench_fresh({"real": real_index, "synthetic_10k": synthetic_index}, plan.repeats)
    threading = encoder_threading(QUESTIONS[:10], plan.processes)
    results["encoder_openmp"] = threading
    add_problem(problems, busy_wait_problem(threading))
    if not args.skip_scaling:
        scaling_section(plan, results, untuned, args.out)
    write_results(results, args.out, began)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    untuned = Untuned.capture()  # FAISS's default threads and the OpenMP environment, before tuning
    tune_for_questions()
    try:
        corpus = Corpus.find(args.shared, args.reports)
    except NoCorpus as problem:
        print(f"bench.speed: {problem}", file=sys.stderr)
        return 2
    run(args, corpus, untuned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
