"""Section 2: indexing throughput of ``update_index`` from scratch against the bare encoder on the same texts."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.machine import cpu_seconds, load, now, say
from qa.chunking import chunk_document, embedding_text
from qa.documents import load_document
from qa.embedding import Encoder
from qa.indexing import EMBED_BATCH, UpdateSummary, update_index
from qa.store import open_store

THROUGHPUT_TARGET = 0.9
QUICK_BARE_TEXTS = 640

NOTE = (
    "update_index is given the already loaded encoder; its time includes reading the .docx "
    "files, hashing, chunking, BM25 and writing the generation. ratio_cpu_time = CPU seconds of the "
    "bare encoder / CPU seconds of update_index; embedding_share_of_update_wall = time in the embedding "
    "stage / whole update (both less sensitive to a load that changes between the two measurements)."
)


class StageClock:
    """A ``progress`` callback that records when each stage of ``update_index`` starts."""

    def __init__(self) -> None:
        self.started = now()
        self.marks: list[tuple[str, float]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.marks or self.marks[-1][0] != stage:
            self.marks.append((stage, now()))

    def breakdown(self, finished: float) -> dict[str, float]:
        """Seconds per stage; "before <first>" is locking and hashing; the last stage includes saving."""
        result: dict[str, float] = {}
        edges = [("start", self.started), *self.marks, ("end", finished)]
        if self.marks:
            result[f"before {self.marks[0][0]}"] = round(self.marks[0][1] - self.started, 3)
        for (stage, start), (following, end) in zip(edges[1:-1], edges[2:], strict=True):
            label = stage if following != "end" else f"{stage} + saving"
            result[label] = round(result.get(label, 0.0) + end - start, 3)
        return result


def timed_update(data: Path, index: Path, encoder: Encoder, *, rebuild: bool) -> tuple[UpdateSummary, dict]:
    clock = StageClock()
    cpu = cpu_seconds()
    summary = update_index(data, index, rebuild=rebuild, encoder=encoder, progress=clock)
    finished = now()
    return summary, {
        "seconds": round(finished - clock.started, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "stages_s": clock.breakdown(finished),
        "chunks_embedded": summary.chunks_embedded,
        "chunks_total": summary.chunks_total,
        "added": len(summary.added),
        "changed": len(summary.changed),
        "unchanged": len(summary.unchanged),
        "skipped": summary.skipped,
    }


def bare_encode(encoder: Encoder, texts: list[str]) -> dict[str, float]:
    """The encoder alone on ``texts`` in the indexer's batches."""
    cpu, started = cpu_seconds(), now()
    for start in range(0, len(texts), EMBED_BATCH):
        encoder.encode_passages(texts[start : start + EMBED_BATCH], batch_size=EMBED_BATCH)
    seconds = now() - started
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "chunks_per_s": round(len(texts) / seconds, 2),
    }


def chunk_texts(sources: list[Path]) -> list[str]:
    """The texts the indexer will embed, computed without the indexer (for a bare run before it)."""
    return [chunk.embedding_text() for path in sources for chunk in chunk_document(load_document(path))]


def stored_texts(index: Path) -> list[str]:
    """What the index embedded for each of its chunks."""
    return [embedding_text(chunk.section, chunk.text) for chunk in open_store(index)]


def bench_indexing(
    data: Path, index: Path, encoder: Encoder, sources: list[Path], *, quick: bool, bare_limit: int | None = None
) -> dict[str, object]:
    """update_index from scratch against the bare encoder on the same texts. In a full run the bare
    encoder runs before and after the build and the two are averaged, so that a change of load on a
    shared machine during the ~minutes of each run hits both sides alike. ``bare_limit``: at most
    this many texts for the bare encoder after the build (default: 640 with ``quick``, else all)."""
    say("\n== 2. Indexing throughput (update_index from scratch vs bare encoder) ==")
    result: dict[str, object] = {"load_average_before": load(), "embed_batch": EMBED_BATCH}
    bare_runs: list[dict[str, float]] = []
    if not quick:
        before = chunk_texts(sources)
        bare_runs.append({**bare_encode(encoder, before), "texts": len(before), "when": "before"})
        say(f"  bare encoder before the build, {len(before)} texts: {bare_runs[-1]['chunks_per_s']:.2f} chunks/s")
    summary, build = timed_update(data, index, encoder, rebuild=True)
    pipeline_rate = summary.chunks_embedded / build["seconds"]
    say(
        f"  update_index --rebuild: {summary.chunks_embedded} chunks in {build['seconds']:.1f} s "
        f"= {pipeline_rate:.2f} chunks/s  (documents {build['added']}, skipped {len(summary.skipped)})"
    )
    say(f"  stages (s): {build['stages_s']}")
    texts = stored_texts(index)
    limit = bare_limit if bare_limit is not None else (QUICK_BARE_TEXTS if quick else None)
    bare_texts = texts[:limit]
    bare_runs.append({**bare_encode(encoder, bare_texts), "texts": len(bare_texts), "when": "after"})
    say(
        f"  bare encoder after the build, the {len(bare_texts)} stored texts in batches of {EMBED_BATCH}: "
        f"{bare_runs[-1]['chunks_per_s']:.2f} chunks/s"
    )
    result.update(_compare(summary, build, bare_runs, texts, pipeline_rate))
    result["load_average_after"] = load()
    result["note"] = NOTE
    say(
        f"  ratio update_index / bare encoder: {result['ratio_wall']:.3f} (wall), {result['ratio_cpu_time']:.3f} "
        f"(CPU time); embedding is {100 * float(result['embedding_share_of_update_wall']):.1f}% of the update's "
        f"wall time; target >= {THROUGHPUT_TARGET}"
    )
    return result


def _compare(
    summary: UpdateSummary, build: dict, bare_runs: list[dict[str, float]], texts: list[str], pipeline_rate: float
) -> dict[str, object]:
    bare_rate = statistics.mean(float(run["chunks_per_s"]) for run in bare_runs)
    bare_cpu_per_chunk = statistics.mean(float(run["cpu_seconds"]) / float(run["texts"]) for run in bare_runs)
    ratio = pipeline_rate / bare_rate
    cpu_ratio = bare_cpu_per_chunk * len(texts) / build["cpu_seconds"]
    embedding_s = sum(value for key, value in build["stages_s"].items() if key.startswith("embedding"))
    return {
        "chunks": summary.chunks_embedded,
        "characters": sum(len(text) for text in texts),
        "update_index": build,
        "update_index_chunks_per_s": round(pipeline_rate, 3),
        "bare_encoder_runs": bare_runs,
        "bare_encoder_chunks_per_s": round(bare_rate, 3),
        "ratio_wall": round(ratio, 3),
        "ratio_cpu_time": round(cpu_ratio, 3),
        "embedding_share_of_update_wall": round(embedding_s / build["seconds"], 3),
        "target": THROUGHPUT_TARGET,
        "meets_target": ratio >= THROUGHPUT_TARGET,
    }


def reused_indexing(previous: dict, written: str) -> dict[str, object]:
    """The indexing figures of the previous run (``--reuse-index``)."""
    indexing = {**previous["indexing"], "reused_from_previous_run": previous.get("finished", written)}
    say("\n== 2. Indexing throughput: reused from the previous run (--reuse-index) ==")
    say(
        f"  update_index {indexing['update_index_chunks_per_s']} chunks/s, bare encoder "
        f"{indexing['bare_encoder_chunks_per_s']} chunks/s: ratio {indexing['ratio_wall']} (wall), "
        f"{indexing['ratio_cpu_time']} (CPU time), embedding share {indexing['embedding_share_of_update_wall']}"
    )
    return indexing


def throughput_problem(indexing: dict) -> str | None:
    if indexing["meets_target"]:
        return None
    return (
        f"indexing throughput ratio {indexing['ratio_wall']} < {THROUGHPUT_TARGET} "
        f"(stages: {indexing['update_index']['stages_s']})"
    )
