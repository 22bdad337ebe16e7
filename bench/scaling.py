"""Section 5: the dense index alone at 1k to 1M synthetic vectors, flat (exact) against HNSW:
latency, memory, build time and HNSW recall@10; and where the HNSW threshold should be."""

from __future__ import annotations

import gc
import statistics

import faiss
import numpy as np

from bench.machine import faiss_threads, load, ms, now, percentile, rss_mb, say
from qa.retrieval import SearchConfig
from qa.store.dense import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, HNSW_THRESHOLD, DenseIndex

DIMENSION = 384
HNSW_1M_BUDGET_S = 300.0
BUILD_BLOCK = 50_000
OVERHEAD_TARGET = 0.20
K = SearchConfig().candidates  # what the retriever asks of each dense search

VECTORS_NOTE = (
    "synthetic: random normal vectors, L2-normalised (uniform on the 384-dim sphere); this is the "
    "hardest case for HNSW, real embeddings are clustered and usually give a higher recall"
)


def random_unit_vectors(count: int, seed: int, block: int = 100_000) -> np.ndarray:
    generator = np.random.default_rng(seed)
    vectors = np.empty((count, DIMENSION), dtype=np.float32)
    for start in range(0, count, block):
        part = generator.standard_normal((min(block, count - start), DIMENSION), dtype=np.float32)
        part /= np.linalg.norm(part, axis=1, keepdims=True)
        vectors[start : start + len(part)] = part
    return vectors


def serialized_mb(index: faiss.Index) -> float:
    return faiss.serialize_index(index).nbytes / 2**20


def build_within(vectors: np.ndarray, kind: str, budget_s: float) -> tuple[DenseIndex | None, dict]:
    """Add in blocks and give up (extrapolating the build time linearly from the part added)
    when the budget is spent."""
    started = now()
    ids = np.arange(len(vectors), dtype=np.int64)
    dense = DenseIndex.build(DIMENSION, ids[:0], vectors[:0], kind)
    for start in range(0, len(vectors), BUILD_BLOCK):
        dense.index.add_with_ids(vectors[start : start + BUILD_BLOCK], ids[start : start + BUILD_BLOCK])
        elapsed = now() - started
        done = start + BUILD_BLOCK
        if elapsed > budget_s and done < len(vectors):
            return None, {
                "built": False,
                "added_before_budget": done,
                "seconds_for_part": round(elapsed, 1),
                "build_s_extrapolated": round(elapsed * len(vectors) / done, 1),
            }
    return dense, {}


def build_timed(vectors: np.ndarray, kind: str, budget_s: float | None) -> tuple[DenseIndex | None, dict]:
    """Build the index the way qa.store.dense does, within ``budget_s`` if given."""
    gc.collect()
    rss_before = rss_mb()
    started = now()
    if budget_s is None:
        dense = DenseIndex.build(DIMENSION, np.arange(len(vectors), dtype=np.int64), vectors, kind)
    else:
        dense, stopped = build_within(vectors, kind, budget_s)
        if dense is None:
            return None, stopped
    seconds = now() - started
    return dense, {"built": True, "build_s": round(seconds, 3), "rss_growth_mb": round(rss_mb() - rss_before, 1)}


def query_latency(dense: DenseIndex, queries: np.ndarray, k: int, threads: int) -> tuple[list[float], np.ndarray]:
    """One query at a time, as the retriever asks, with ``threads`` FAISS OpenMP threads; the ids found at ``k``."""
    with faiss_threads(threads):
        times, found = [], []
        dense.index.search(queries[:1], k)  # warm-up
        for row in range(len(queries)):
            started = now()
            _scores, ids = dense.index.search(queries[row : row + 1], k)
            times.append(now() - started)
            found.append(ids[0])
    return times, np.vstack(found)


def recall_at_10(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, truth, strict=True))
    return round(hits / truth.size, 4)


def measure(dense: DenseIndex, queries: np.ndarray, default_threads: int, row: dict) -> np.ndarray:
    """Size and latencies of ``dense`` into ``row``; the top 10 found for each query."""
    row["index_mb"] = round(serialized_mb(dense.index), 1)
    times, found_k = query_latency(dense, queries, K, default_threads)
    row["latency_median_ms"] = ms(statistics.median(times))
    row["latency_p95_ms"] = ms(percentile(times, 95))
    one_thread, _found = query_latency(dense, queries, K, 1)
    row["latency_1thread_median_ms"] = ms(statistics.median(one_thread))
    row["latency_1thread_p95_ms"] = ms(percentile(one_thread, 95))
    return found_k[:, :10]


def print_row(size: int, kind: str, row: dict) -> None:
    if not row["built"]:
        say(
            f"  {size:>9,} {kind:<5} build stopped after {row['seconds_for_part']} s at "
            f"{row['added_before_budget']:,} vectors; full build extrapolated to "
            f"{row['build_s_extrapolated']} s (not measured)"
        )
        return
    say(
        f"  {size:>9,} {kind:<5} build {row['build_s']:8.2f} s  index {row['index_mb']:8.1f} MB  "
        f"(RSS +{row['rss_growth_mb']:.0f} MB)  query median {row['latency_median_ms']:8.3f} ms  "
        f"p95 {row['latency_p95_ms']:8.3f} ms  (1 thread: median {row['latency_1thread_median_ms']:.3f} ms, "
        f"p95 {row['latency_1thread_p95_ms']:.3f} ms)  recall@10 {row['recall_at_10']:.4f}"
    )


def scale_size(size: int, queries: np.ndarray, default_threads: int) -> list[dict[str, object]]:
    """Flat, then HNSW at ``size`` vectors (HNSW's recall against the flat top 10)."""
    vectors = random_unit_vectors(size, seed=size)
    truth: np.ndarray | None = None
    rows: list[dict[str, object]] = []
    for kind in ("flat", "hnsw"):
        budget = HNSW_1M_BUDGET_S if kind == "hnsw" and size >= 1_000_000 else None
        row: dict[str, object] = {"size": size, "kind": kind, "load_average": load()}
        dense, build = build_timed(vectors, kind, budget)
        row.update(build)
        if dense is not None:
            found = measure(dense, queries, default_threads, row)
            if kind == "flat":
                truth, row["recall_at_10"] = found, 1.0
            else:
                assert truth is not None
                row["recall_at_10"] = recall_at_10(found, truth)
        print_row(size, kind, row)
        rows.append(row)
        del dense
        gc.collect()
    return rows


def bench_scaling(sizes: list[int], query_count: int, default_threads: int) -> dict[str, object]:
    """Builds and the default latencies run with FAISS's ``default_threads`` (this process is
    tuned to one thread for questions), the ``1thread`` latencies with one."""
    say("\n== 5. Dense index scaling (synthetic random unit vectors, 384-dim, uniform on the sphere) ==")
    queries = random_unit_vectors(query_count, seed=12345)
    rows: list[dict[str, object]] = []
    with faiss_threads(default_threads):
        for size in sizes:
            rows.extend(scale_size(size, queries, default_threads))
            gc.collect()
    return {
        "vectors": VECTORS_NOTE,
        "queries": query_count,
        "k_searched": K,
        "latency": f"one question at a time (nq=1), k={K} as the retriever asks; latency_* with FAISS's default "
        f"OpenMP threads ({default_threads} here, also used for the builds), latency_1thread_* with "
        "faiss.omp_set_num_threads(1), what qa.runtime.tune_for_questions() sets for the entry points",
        "hnsw_settings": {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION, "efSearch": HNSW_EF_SEARCH},
        "rows": rows,
    }


def round_down(value: float) -> int:
    """To one significant figure, downwards (183_000 -> 100_000, 460_000 -> 400_000)."""
    if value < 1:
        return 0
    scale = 10 ** int(np.floor(np.log10(value)))
    return int(value // scale * scale)


def measured(scaling: dict, kind: str) -> dict[int, dict]:
    return {row["size"]: row for row in scaling["rows"] if row["kind"] == kind and "latency_median_ms" in row}


def threshold_advice(scaling: dict, encoder_ms: float) -> dict[str, object]:
    """Where exact search stops being cheap compared with the rest of a question (the query encoder)."""
    flat, hnsw = measured(scaling, "flat"), measured(scaling, "hnsw")
    big = max(flat)
    per_vector = {  # flat search is linear in the size
        "default_threads": flat[big]["latency_median_ms"] / big,
        "one_thread": flat[big]["latency_1thread_median_ms"] / big,
    }
    budget_ms = OVERHEAD_TARGET * encoder_ms
    crossover = {name: int(budget_ms / value) for name, value in per_vector.items()}
    recommended = max(round_down(max(crossover.values())), 10_000)
    hnsw_build_per_vector = hnsw[max(hnsw)]["build_s"] / max(hnsw) if hnsw else None
    recalls = {size: row["recall_at_10"] for size, row in sorted(hnsw.items())}
    lines = reasoning(big, per_vector, encoder_ms, budget_ms, crossover, recalls, hnsw_build_per_vector, recommended)
    return {
        "encoder_query_ms_used": round(encoder_ms, 3),
        "flat_ms_per_million": {name: round(value * 1e6, 3) for name, value in per_vector.items()},
        "flat_ms_at_current_threshold": {name: round(value * HNSW_THRESHOLD, 3) for name, value in per_vector.items()},
        "flat_reaches_20pct_of_encoder_at": crossover,
        "hnsw_recall_at_10": recalls,
        "hnsw_build_s_per_vector": hnsw_build_per_vector,
        "current_threshold": HNSW_THRESHOLD,
        "suggested_threshold": recommended,
        "reasoning": lines,
    }


def reasoning(
    big: int,
    per_vector: dict[str, float],
    encoder_ms: float,
    budget_ms: float,
    crossover: dict[str, int],
    recalls: dict[int, float],
    hnsw_build_per_vector: float | None,
    recommended: int,
) -> list[str]:
    lines = [
        f"Exact (flat) search of one question costs about {per_vector['default_threads'] * 1e6:.0f} ms per million "
        f"vectors with FAISS's default threads and {per_vector['one_thread'] * 1e6:.0f} ms with one thread (from the "
        f"{big:,} point), i.e. {per_vector['default_threads'] * HNSW_THRESHOLD:.1f} / "
        f"{per_vector['one_thread'] * HNSW_THRESHOLD:.1f} ms at the current HNSW_THRESHOLD of {HNSW_THRESHOLD:,}, "
        f"against {encoder_ms:.1f} ms to encode the question.",
        f"Flat search alone reaches 20% of the query-encoding time ({budget_ms:.1f} ms) at about "
        f"{crossover['default_threads']:,} vectors (default threads) / {crossover['one_thread']:,} (one thread).",
        f"HNSW (M={HNSW_M}, efSearch={HNSW_EF_SEARCH}) recall@10 against exact search on these random vectors: "
        + ", ".join(f"{size:,}: {recall:.3f}" for size, recall in recalls.items())
        + " (random vectors are the worst case; real embeddings are clustered and fare better).",
    ]
    if hnsw_build_per_vector is not None:
        lines.append(
            f"HNSW builds at about {hnsw_build_per_vector * 1e3:.2f} ms per vector here "
            f"({hnsw_build_per_vector * HNSW_THRESHOLD:.0f} s at {HNSW_THRESHOLD:,}); DenseIndex.updated() rebuilds "
            "HNSW from all kept vectors on every update, so every update above the threshold pays that build "
            "(a flat index is only cloned and appended)."
        )
    one_thread_wins = crossover["one_thread"] > crossover["default_threads"]
    lines.append(
        f"Suggested threshold from these figures: about {recommended:,} vectors (where flat search stays within 20% "
        f"of the encoder{' with one FAISS thread' if one_thread_wins else ''}); the current {HNSW_THRESHOLD:,} is "
        + ("about right." if 0.5 <= HNSW_THRESHOLD / max(recommended, 1) <= 2 else "off by more than a factor 2.")
    )
    return lines
