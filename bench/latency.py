"""Section 1: question latency of ``Retriever.search()`` next to its bare parts, in fresh processes.

Per question and round: the encoder alone, FAISS alone and BM25 alone, then the whole
``search()`` with its parts timed inside the same call (so that a change of machine load hits
both sides alike). The parts inside ``search()`` are timed by wrapping, for the call, the seams
it goes through (see :data:`PART_SOURCES`) and the named stages of
:mod:`qa.retrieval.retriever` (:data:`STAGES`).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import faiss

import qa.retrieval.retriever as retriever_module
from bench.children import run_child
from bench.machine import load, ms, now, percentile, say
from bench.questions import QUESTIONS
from qa.retrieval import Retriever
from qa.store.dense import DenseIndex
from qa.store.folder import DENSE, IndexFolder

OVERHEAD_TARGET = 0.20
K = 5
WARM_UP = 3

# JSON key -> sample name; the keys are those of earlier runs (README), whatever the stages are called now.
INSIDE_SEARCH_PARTS = {
    "encode": "in_encode",
    "first dense search": "in_dense_first",
    "more dense searches": "in_dense_more",
    "lexical searches": "in_lexical",
    "rest (translation, regions, fusion, duplicates, hits)": "in_rest",
}

# What each part is in the retriever of qa/retrieval/retriever.py.
PART_SOURCES = {
    "encode": "Retriever.encode_queries -> Encoder.encode_queries (one call, one or two query vectors)",
    "first dense search": "the first Store.dense_search, in gather() over the whole index",
    "more dense searches": "the other Store.dense_search calls: gather() again within the province named",
    "lexical searches": "every Store.lexical_search (BM25) in gather()",
    "rest (translation, regions, fusion, duplicates, hits)": "plan_question (translation, province), score "
    "(Store.dense_scores, Store.lexical_scores), rankings, fuse_groups, _prefer_quantities, "
    "collapse_duplicates, drop_near_duplicates, making the hits",
}

# The named stages of search(), timed each (module functions of qa.retrieval.retriever).
STAGES = (
    "plan_question",
    "gather",
    "score",
    "rankings",
    "fuse_groups",
    "_prefer_quantities",
    "collapse_duplicates",
    "drop_near_duplicates",
)
OTHER_STAGE = "other (province ids, hits)"

BARE = ("search", "encoder", "faiss", "bm25")
INSIDE = ("in_encode", "in_dense_first", "in_dense_more", "in_lexical", "in_rest")

DEFINITIONS = (
    "overhead = median(search) / (median(bare encoder) + median(bare FAISS)) - 1; "
    "overhead_paired_median = median over questions of search / (encoder + FAISS) - 1, measured back to "
    "back; overhead_inside_search = median over calls of (search - its encoding - its first dense search) / "
    "(its encoding + its first dense search): everything else search() does, relative to those two. "
    "Parts inside search(): "
    + "; ".join(f"{name} = {source}" for name, source in PART_SOURCES.items())
    + "; inside_search_stages_median_ms: the named stages of qa.retrieval.retriever, each timed (gather "
    "holds the dense and lexical searches, score the scoring of every candidate by every signal)"
)

SETTINGS: tuple[tuple[str, dict[str, str]], ...] = (
    ("default", {}),
    ("OMP_WAIT_POLICY=passive", {"OMP_WAIT_POLICY": "passive"}),
)


class Timed:
    """Replaces ``owner.name`` (a method of an instance, or a function of a module) by a wrapper
    that records how long each call takes, until :meth:`remove`."""

    def __init__(self, owner: object, name: str) -> None:
        self.owner, self.name = owner, name
        self.original: Callable = getattr(owner, name)
        self.own = name in vars(owner)  # a module's function, not an instance's bound method
        self.calls: list[float] = []
        setattr(owner, name, self)

    def __call__(self, *args: object, **kwargs: object) -> object:
        started = now()
        try:
            return self.original(*args, **kwargs)
        finally:
            self.calls.append(now() - started)

    def take(self) -> list[float]:
        calls, self.calls = self.calls, []
        return calls

    def remove(self) -> None:
        if self.own:
            setattr(self.owner, self.name, self.original)
        else:
            delattr(self.owner, self.name)


class Timers:
    """The wrappers of one retriever: its encoder, its store's searches and the stages."""

    def __init__(self, retriever: Retriever, module: ModuleType = retriever_module) -> None:
        store = retriever.store
        self.encode = Timed(retriever.encoder, "encode_queries")
        self.dense = Timed(store, "dense_search")
        self.lexical = Timed(store, "lexical_search")
        self.stages = {name: Timed(module, name) for name in STAGES}

    def all(self) -> list[Timed]:
        return [self.encode, self.dense, self.lexical, *self.stages.values()]

    def reset(self) -> None:
        for timer in self.all():
            timer.take()

    def remove(self) -> None:
        for timer in self.all():
            timer.remove()


def bare_faiss(retriever: Retriever) -> faiss.Index:
    """The FAISS index of the retriever's generation, loaded once more on its own: FAISS alone,
    without the store's conversions (the store seam does not expose its FAISS index)."""
    generation = IndexFolder(retriever.location).current()
    if generation is None:
        raise FileNotFoundError(f"no index in {retriever.location}")
    return DenseIndex.load(generation / DENSE, retriever.manifest.dense_type).index


class Samples:
    """Per call: the bare parts, search() and the parts inside it, in seconds."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {name: [] for name in (*BARE, *INSIDE)}
        self.stages: dict[str, list[float]] = {name: [] for name in (*STAGES, OTHER_STAGE)}
        self.counts = {"dense": 0, "lexical": 0, "encode": 0}
        self.paired: list[float] = []
        self.in_call: list[float] = []

    def add(self, bare: dict[str, float], timers: Timers) -> None:
        encodes, denses, lexicals = timers.encode.take(), timers.dense.take(), timers.lexical.take()
        self.counts["encode"] += len(encodes)
        self.counts["dense"] += len(denses)
        self.counts["lexical"] += len(lexicals)
        search, encoder, faiss_s = bare["search"], bare["encoder"], bare["faiss"]
        encode, lexical = sum(encodes), sum(lexicals)
        dense_first, dense_more = (denses[0] if denses else 0.0), sum(denses[1:])
        inside = (encode, dense_first, dense_more, lexical, search - encode - dense_first - dense_more - lexical)
        for name, value in (*bare.items(), *zip(INSIDE, inside, strict=True)):
            self.values[name].append(value)
        stages = {name: sum(timer.take()) for name, timer in timers.stages.items()}
        stages[OTHER_STAGE] = search - encode - sum(stages.values())
        for name, value in stages.items():
            self.stages[name].append(value)
        self.paired.append(search / (encoder + faiss_s))
        self.in_call.append((search - encode - dense_first) / (encode + dense_first))


def time_question(retriever: Retriever, question: str, timers: Timers, index: faiss.Index, pool: int) -> dict:
    """The bare encoder, FAISS and BM25 on ``question``, then the whole search() (timers reset before)."""
    started = now()
    vector = timers.encode.original([question])
    encoder = now() - started
    started = now()
    index.search(vector, pool)
    faiss_s = now() - started
    started = now()
    timers.lexical.original(question, pool)
    bm25 = now() - started
    timers.reset()
    started = now()
    retriever.search(question, k=K)
    return {"search": now() - started, "encoder": encoder, "faiss": faiss_s, "bm25": bm25}


def measure_queries(retriever: Retriever, questions: list[str], rounds: int) -> dict[str, object]:
    """search() may search the dense and the lexical index more than once for a question (again
    within the province the question names); the first dense search counts as "the FAISS
    search", the others as overhead."""
    pool = max(retriever.config.candidates, 4 * K)
    index = bare_faiss(retriever)
    for question in questions[:WARM_UP]:
        retriever.search(question, k=K)
    samples = Samples()
    timers = Timers(retriever)
    try:
        for _round in range(rounds):
            for question in questions:
                samples.add(time_question(retriever, question, timers, index, pool), timers)
    finally:
        timers.remove()
    return summarise(retriever, samples, len(questions), rounds)


def summarise(retriever: Retriever, samples: Samples, questions: int, rounds: int) -> dict[str, object]:
    values = samples.values
    medians = {name: statistics.median(series) for name, series in values.items()}
    means = {name: statistics.fmean(series) for name, series in values.items()}
    bare = medians["encoder"] + medians["faiss"]
    overhead = medians["search"] / bare - 1.0
    in_call_overhead = statistics.median(samples.in_call)
    calls = rounds * questions
    return {
        "chunks": len(retriever.store),
        "dense_type": retriever.manifest.dense_type,
        "questions": questions,
        "rounds": rounds,
        "search_median_ms": ms(medians["search"]),
        "search_p95_ms": ms(percentile(values["search"], 95)),
        "encoder_median_ms": ms(medians["encoder"]),
        "encoder_p95_ms": ms(percentile(values["encoder"], 95)),
        "faiss_median_ms": ms(medians["faiss"]),
        "bm25_median_ms": ms(medians["bm25"]),
        "ratio_search_over_bare": round(medians["search"] / bare, 4),
        "overhead": round(overhead, 4),
        "overhead_paired_median": round(statistics.median(samples.paired) - 1.0, 4),
        "inside_search_mean_ms": inside_search(means),
        "inside_search_median_ms": inside_search(medians),
        "inside_search_stages_median_ms": {
            name: ms(statistics.median(series)) for name, series in samples.stages.items()
        },
        "calls_per_search": {name: round(count / calls, 2) for name, count in samples.counts.items()},
        "overhead_inside_search": round(in_call_overhead, 4),
        "meets_target": overhead < OVERHEAD_TARGET,
        "meets_target_inside_search": in_call_overhead < OVERHEAD_TARGET,
        "load_average": load(),
        "definitions": DEFINITIONS,
    }


def inside_search(statistic: dict[str, float]) -> dict[str, float]:
    """The parts timed inside search(), in ms, from one statistic (means or medians) of the samples."""
    return {label: ms(statistic[name]) for label, name in INSIDE_SEARCH_PARTS.items()}


def meets_targets(figures: dict) -> bool:
    return bool(figures["meets_target"] and figures["meets_target_inside_search"])


def profile_search(retriever: Retriever, questions: list[str]) -> list[str]:
    """The functions that take the time in search(), by own time (cProfile)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for question in questions:
        retriever.search(question, k=K)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
    lines = [line.rstrip() for line in stream.getvalue().splitlines() if line.strip()]
    return lines[-17:]


def child_latency(index: Path, rounds: int, questions: list[str]) -> dict[str, object]:
    """measure_queries, and the profile when the overhead is above target (in the child process)."""
    retriever = Retriever(index)
    figures = measure_queries(retriever, questions, rounds)
    if not meets_targets(figures):
        figures["profile_tottime_top"] = profile_search(retriever, questions)
    return figures


def latency_in_child(index: Path, rounds: int, questions: int, env: dict[str, str]) -> dict[str, object]:
    """:func:`child_latency` in a fresh process (``python -m bench.child_latency``)."""
    arguments = (str(index), "--rounds", str(rounds), "--questions", str(questions))
    return run_child("bench.child_latency", *arguments, env=env)


def encoder_after_indexing(encode: Callable[[list[str]], object]) -> str:
    """The query encoder of this (main) process, after the indexing section."""
    times = []
    for question in QUESTIONS[:10]:
        started = now()
        encode([question])
        times.append(now() - started)
    return f"median {ms(statistics.median(times)):.1f} ms over 10 questions"


def print_parts() -> None:
    say("  parts timed inside search() (qa/retrieval/retriever.py):")
    for name, source in PART_SOURCES.items():
        say(f"    {name}: {source}")


def print_latency(label: str, figures: dict) -> None:
    say(
        f"  {label}: {figures['chunks']} chunks ({figures['dense_type']}), {figures['questions']} questions x "
        f"{figures['rounds']} rounds; search() median {figures['search_median_ms']:.1f} ms, p95 "
        f"{figures['search_p95_ms']:.1f} ms | bare encoder median {figures['encoder_median_ms']:.1f} ms, bare FAISS "
        f"median {figures['faiss_median_ms']:.3f} ms, bare BM25 median {figures['bm25_median_ms']:.2f} ms"
    )
    for kind in ("median", "mean"):
        parts = figures[f"inside_search_{kind}_ms"]
        say(f"    inside search() ({kind}s): " + ", ".join(f"{name} {value:.2f} ms" for name, value in parts.items()))
    stages = figures["inside_search_stages_median_ms"]
    say("    stages of search() (medians): " + ", ".join(f"{name} {value:.2f} ms" for name, value in stages.items()))
    say(f"    calls per search(): {figures['calls_per_search']}")
    verdict = "OK" if figures["meets_target"] else "ABOVE TARGET"
    verdict_inside = "OK" if figures["meets_target_inside_search"] else "ABOVE TARGET"
    say(
        f"    search / (encoder + FAISS) = {figures['ratio_search_over_bare']:.3f} -> overhead "
        f"{100 * figures['overhead']:.1f}% [{verdict}] (paired per question "
        f"{100 * figures['overhead_paired_median']:.1f}%; measured inside search() "
        f"{100 * figures['overhead_inside_search']:.1f}% [{verdict_inside}]); target < 20%"
    )


def overhead_problem(label: str, setting: str, figures: dict) -> str:
    return (
        f"query overhead on the {label} index with OpenMP {setting} is "
        f"{100 * float(figures['overhead']):.1f}% by medians, "
        f"{100 * float(figures['overhead_inside_search']):.1f}% inside search() (target < 20%); "
        f"parts inside search(): {figures['inside_search_median_ms']}; see profile_tottime_top"
    )


def question_latency(
    indexes: dict[str, Path], rounds: int, questions: int, problems: list[str]
) -> dict[str, dict[str, object]]:
    """Every index of ``indexes`` (label -> folder) under each OpenMP setting, in fresh processes."""
    print_parts()
    latency: dict[str, dict[str, object]] = {}
    for setting, env in SETTINGS:
        say(f"  OpenMP: {setting}" + (" (as the entry points set it, qa.runtime)" if not env else ""))
        for label, index in indexes.items():
            figures = latency_in_child(index, rounds, questions, env)
            latency[f"{label} [{setting}]"] = figures
            print_latency(label, figures)
            if not meets_targets(figures):
                problems.append(overhead_problem(label, setting, figures))
                say("    profile of search() (by own time):")
                for line in figures.get("profile_tottime_top", []):
                    say("      " + line)
    return latency
