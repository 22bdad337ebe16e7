"""Section 6: the plot of the scaling section, latency and memory of the dense index against its size."""

from __future__ import annotations

from pathlib import Path

from bench.scaling import DIMENSION, K
from qa.store.dense import HNSW_THRESHOLD

CURVES = (
    ("latency_median_ms", "-", "median"),
    ("latency_p95_ms", ":", "p95"),
    ("latency_1thread_median_ms", "--", "median, 1 FAISS thread"),
)


def plot(scaling: dict, encoder_ms: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for kind, marker, color in (("flat", "o", "tab:blue"), ("hnsw", "s", "tab:orange")):
        rows = [row for row in scaling["rows"] if row["kind"] == kind and "latency_median_ms" in row]
        sizes = [row["size"] for row in rows]
        for key, style, label in CURVES:
            values = [row[key] for row in rows]
            left.plot(sizes, values, marker=marker, color=color, linestyle=style, label=f"{kind} {label}")
        right.plot(sizes, [row["index_mb"] for row in rows], marker=marker, color=color, label=kind)
    left.axhline(encoder_ms, color="grey", linestyle="--", label=f"query encoder ({encoder_ms:.0f} ms)")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.axvline(HNSW_THRESHOLD, color="red", linestyle="-.", linewidth=0.8, label="HNSW_THRESHOLD")
        axis.set_xlabel(f"vectors in the index (synthetic, {DIMENSION}-dim)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    left.set_ylabel(f"one-question search latency, k={K} (ms)")
    left.set_title("Dense search latency vs index size")
    right.set_ylabel("index size (MB, serialised FAISS index)")
    right.set_title("Dense index memory vs index size")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
