"""Retrieval evaluation: metric functions and the runners behind ``qa eval``.

Two evaluations, both scored on the top 10 passages a :class:`~qa.retrieval.Retriever` returns:

* the gold set (``eval/gold.jsonl``): questions about the sample reports and the 31 government work
  reports of 2025, each with the report it is answered in and an exact answer string. A passage is
  correct when it comes from that report *and* contains the answer (spaces ignored).
* public reading-comprehension sets (CMRC 2018 trial, simplified; DRCD dev, traditional): every
  paragraph of both sets becomes a small document in one pool, with the report chunks as
  distractors; a passage is correct when it comes from the question's own paragraph.

Besides recall@1/5/10 and MRR@10 for the lexical, dense and hybrid modes, two settings are compared
cheaply on the indexes already built: the lexical tokeniser (bigram vs jieba, a second BM25 index
over the stored chunks) and the ``simplify`` option of the encoder (a second set of dense vectors,
re-embedding only the chunks whose text OpenCC changes).

The metric functions are pure; the runners report progress through a callback and never print.
Indexes are cached under an index root and brought up to date (not rebuilt) on later runs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import qa
from qa.dense import DenseIndex
from qa.documents import DocumentError, load_document
from qa.embedding import DEFAULT_MODEL, Encoder, load_encoder
from qa.indexing import IndexConfig, UpdateSummary, _embedding_text, update_index
from qa.lexical import LexicalConfig, LexicalIndex
from qa.retrieval import Hit, QuestionError, Retriever
from qa.store import IndexBusy, IndexFolder, IndexProblem
from qa.text import to_simplified

MODES = ("lexical", "dense", "hybrid")
KS = (1, 5, 10)
DEPTH = 10
TOKENIZERS = ("bigram", "jieba")
PUBLIC_SETS = {"cmrc2018": "cmrc2018_trial.json", "drcd": "drcd_dev.json"}
PUBLIC_FOLDERS = {"cmrc2018": "cmrc", "drcd": "drcd"}
EXAMPLES = 20  # misses kept per set and mode in the results, with their top hit
EMBED_BATCH = 64
QUERY_BATCH = 32
SAVE_EVERY = 512  # passages embedded between saves of the vector cache

Report = Callable[[str], None]
"""``report(message)``: a line of progress for a person watching."""


def _quiet(message: str) -> None:
    return None


# --------------------------------------------------------------------------------------------
# Metrics: pure functions over the 1-based rank of the first correct passage (None: not found)
# --------------------------------------------------------------------------------------------


def first_correct_rank(correct: Iterable[bool]) -> int | None:
    """1-based position of the first true flag in a ranking, None if there is none."""
    for rank, flag in enumerate(correct, start=1):
        if flag:
            return rank
    return None


def recall_at_k(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose first correct passage is within the top ``k`` (0.0 for no questions)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not ranks:
        return 0.0
    return sum(1 for rank in ranks if rank is not None and rank <= k) / len(ranks)


def mrr_at_k(ranks: Sequence[int | None], k: int = DEPTH) -> float:
    """Mean reciprocal rank of the first correct passage, counting 0 beyond rank ``k``."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not ranks:
        return 0.0
    return sum(1.0 / rank for rank in ranks if rank is not None and rank <= k) / len(ranks)


def summarise(ranks: Sequence[int | None], ks: Sequence[int] = KS, depth: int = DEPTH) -> dict[str, float | int]:
    """``{"n": ..., "recall@1": ..., ..., "mrr@10": ...}``, figures rounded to four places."""
    summary: dict[str, float | int] = {"n": len(ranks)}
    for k in ks:
        summary[f"recall@{k}"] = round(recall_at_k(ranks, k), 4)
    summary[f"mrr@{depth}"] = round(mrr_at_k(ranks, depth), 4)
    return summary


def summarise_groups(ranks: Sequence[int | None], groups: Sequence[str]) -> dict[str, dict[str, float | int]]:
    """:func:`summarise` of each group (questions paired with ``groups`` by position), in sorted order."""
    if len(ranks) != len(groups):
        raise ValueError("one group per rank")
    by_group: dict[str, list[int | None]] = {}
    for rank, group in zip(ranks, groups, strict=True):
        by_group.setdefault(group, []).append(rank)
    return {group: summarise(by_group[group]) for group in sorted(by_group)}


def compact(text: str) -> str:
    """Text without any white space: the cleaner may join or re-space lines of a report."""
    return "".join(text.split())


def contains_answer(passage: str, answer: str) -> bool:
    """Whether ``answer`` occurs in ``passage``, ignoring white space (an empty answer never does)."""
    needle = compact(answer)
    return bool(needle) and needle in compact(passage)


def same_file_name(cited: str, gold: str) -> bool:
    """A citation's file (relative to the data folder) names the gold file (a bare file name)."""
    return Path(cited).name == Path(gold).name


def spread_sample(items: Sequence, limit: int | None) -> list:
    """At most ``limit`` items spread evenly over ``items`` (all of them when ``limit`` is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    return [items[index * len(items) // limit] for index in range(limit)]


# --------------------------------------------------------------------------------------------
# Questions and the documents they are asked about
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    file: str  # gold set: the report's file name; public sets: the paragraph's path in the pool
    group: str  # gold set: kind; public sets: the set's name
    lang: str
    answer: str | None = None


@dataclass(frozen=True)
class Paragraph:
    set_name: str
    id: str
    title: str
    text: str
    file: str  # path in the pool folder, e.g. drcd/1147-5.txt


def load_gold(path: Path) -> list[Question]:
    questions = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                questions.append(
                    Question(
                        id=record["id"],
                        question=record["question"],
                        file=record["file"],
                        group=record["kind"],
                        lang=record["lang"],
                        answer=record["answer"],
                    )
                )
            except (json.JSONDecodeError, KeyError) as error:
                raise ValueError(f"{path}:{number}: not a gold question ({error})") from error
    return questions


def _safe_name(identifier: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]", "_", identifier) or "_"


def load_squad(path: Path, set_name: str, folder: str) -> tuple[list[Paragraph], list[Question]]:
    """Paragraphs and questions of a SQuAD-format file (CMRC 2018 and DRCD both are)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs: list[Paragraph] = []
    questions: list[Question] = []
    used: set[str] = set()
    lang = "zh-Hant" if set_name == "drcd" else "zh-Hans"
    for article_number, article in enumerate(data):
        for paragraph_number, paragraph in enumerate(article["paragraphs"]):
            identifier = str(paragraph.get("id") or f"{article.get('id', article_number)}-{paragraph_number}")
            name = _safe_name(identifier)
            while name in used:
                name += "_"
            used.add(name)
            file = f"{folder}/{name}.txt"
            paragraphs.append(
                Paragraph(set_name, identifier, str(article.get("title") or ""), paragraph["context"], file)
            )
            for qa_item in paragraph["qas"]:
                answers = qa_item.get("answers") or [{}]
                questions.append(
                    Question(
                        id=str(qa_item["id"]),
                        question=qa_item["question"],
                        file=file,
                        group=set_name,
                        lang=lang,
                        answer=answers[0].get("text"),
                    )
                )
    return paragraphs, questions


def paragraph_document(paragraph: Paragraph) -> str:
    """A paragraph as a report file: the article's title as its first line (the cleaner takes the
    first line for the title), then the paragraph."""
    title = " ".join(paragraph.title.split())
    return f"{title}\n{paragraph.text.strip()}\n" if title else f"{paragraph.text.strip()}\n"


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and not path.is_symlink():
        try:
            if path.read_text(encoding="utf-8") == text:
                return
        except (OSError, UnicodeDecodeError):
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _link(target: Path, link: Path) -> None:
    target = target.resolve()
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def _sync_folder(folder: Path, wanted: set[str]) -> None:
    """Remove files in ``folder`` (not below it) that are not in ``wanted``."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in wanted and (path.is_file() or path.is_symlink()):
                path.unlink()


def link_reports(folder: Path, reports: Sequence[Path]) -> None:
    """``folder`` holds exactly a symbolic link to each report, under the report's own name."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {report.name for report in reports}
    if len(names) != len(reports):
        raise ValueError("two reports share a file name")
    _sync_folder(folder, names)
    for report in reports:
        _link(report, folder / report.name)


def write_pool(folder: Path, paragraphs: Sequence[Paragraph], reports: Sequence[Path]) -> None:
    """The public pool: one file per paragraph under cmrc/ and drcd/, and the reports at the top, as
    in the gold set's folder (so that the pool's index can start from the gold set's)."""
    wanted: dict[str, set[str]] = {}
    for paragraph in paragraphs:
        _write_if_changed(folder / paragraph.file, paragraph_document(paragraph))
        subfolder, name = paragraph.file.split("/", 1)
        wanted.setdefault(subfolder, set()).add(name)
    for subfolder, names in wanted.items():
        _sync_folder(folder / subfolder, names)
    link_reports(folder, reports)


# --------------------------------------------------------------------------------------------
# Indexes
# --------------------------------------------------------------------------------------------


class CachingEncoder:
    """An encoder that remembers passage vectors by text (see :class:`VectorCache`): a rebuilt index,
    another index over the same reports or a second setting embeds only texts it has not seen."""

    def __init__(self, inner: Encoder, cache: VectorCache) -> None:
        self.inner, self.cache = inner, cache
        self.name, self.dimension = inner.name, inner.dimension
        self.embedded = self._saved_at = 0

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        missing = list(dict.fromkeys(text for text in texts if self.cache.get(text) is None))
        if missing:
            for text, vector in zip(missing, self.inner.encode_passages(missing, batch_size), strict=True):
                self.cache.put(text, vector)
            self.embedded += len(missing)
            if self.embedded - self._saved_at >= SAVE_EVERY:  # an interrupted build keeps its vectors
                self.cache.save()
                self._saved_at = self.embedded
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self.cache.get(text) for text in texts]).astype(np.float32)


class Encoders:
    """One caching encoder per ``simplify`` setting, loaded when first needed; the vectors are kept
    in ``cache_dir`` (one file per setting) by :meth:`save`."""

    def __init__(self, model: str = DEFAULT_MODEL, cache_dir: Path | None = None) -> None:
        self.model, self.cache_dir = model, cache_dir
        self._loaded: dict[bool, CachingEncoder] = {}

    def get(self, simplify: bool) -> CachingEncoder:
        if simplify not in self._loaded:
            setting = f"{self.model}|simplify={simplify}"
            name = f"vectors-{_safe_name(self.model)}-simplify-{str(simplify).lower()}.npz"
            cache = VectorCache(self.cache_dir / name if self.cache_dir else None, setting)
            self._loaded[simplify] = CachingEncoder(load_encoder(self.model, simplify=simplify), cache)
        return self._loaded[simplify]

    def save(self) -> None:
        for encoder in self._loaded.values():
            encoder.cache.save()


def index_name(kind: str, config: IndexConfig) -> str:
    script = "simplified" if config.simplify else "original"
    model = _safe_name(config.model)
    return f"{kind}-{model}-{config.lexical.tokenizer}-{script}"


def _index_progress(name: str, report: Report) -> Callable[[str, int, int], None]:
    last: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if total and (done == total or done - last.get(stage, -step) >= step):
            last[stage] = done
            report(f"{name}: {stage} {done}/{total}")

    return progress


# The modules whose code decides what an index holds: a cached index made by other code is rebuilt.
INDEX_MODULES = ("readers", "documents", "chunking", "text", "indexing", "lexical", "embedding", "dense", "store")


def code_fingerprint(config: IndexConfig) -> str:
    digest = hashlib.sha1(json.dumps([config.model, config.simplify, config.lexical.to_dict()]).encode())
    package = Path(qa.__file__).resolve().parent
    for module in INDEX_MODULES:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


def ensure_index(
    data_dir: Path, index_dir: Path, config: IndexConfig, encoders: Encoders, report: Report = _quiet
) -> UpdateSummary:
    """Bring a cached index up to date with ``data_dir`` (only new or changed files are read again).
    It is built again when it was made with other settings, by another version or by other indexing
    code; vectors of texts embedded before come from the encoders' cache."""
    progress = _index_progress(index_dir.name, report)
    encoder = encoders.get(config.simplify)
    embedded_before = encoder.embedded
    stamp = index_dir.with_name(index_dir.name + ".code")
    fingerprint = code_fingerprint(config)
    current = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None
    rebuild = IndexFolder(index_dir).exists() and current != fingerprint
    if rebuild:
        report(f"{index_dir.name}: rebuilding (the indexing code changed since it was built)")
    try:
        summary = update_index(data_dir, index_dir, config=config, encoder=encoder, rebuild=rebuild, progress=progress)
    except IndexBusy:
        raise
    except IndexProblem as problem:
        report(f"{index_dir.name}: rebuilding ({problem})")
        summary = update_index(data_dir, index_dir, config=config, encoder=encoder, rebuild=True, progress=progress)
    encoders.save()
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    fresh = encoder.embedded - embedded_before
    report(f"{index_dir.name}: {summary.chunks_total} chunks, {fresh} embedded now, the rest unchanged or cached")
    return summary


class EvalRetriever(Retriever):
    """A :class:`Retriever` that remembers query vectors, so that the dense and hybrid modes encode
    each question once, and that encodes questions in batches ahead of the searches."""

    def __init__(self, index_dir: Path, *, encoder: Encoder) -> None:
        super().__init__(index_dir, encoder=encoder)
        self.query_vectors: dict[str, np.ndarray] = {}

    def encode_queries(self, questions: list[str]) -> np.ndarray:
        missing = [question for question in dict.fromkeys(questions) if question not in self.query_vectors]
        if missing:
            for text, vector in zip(missing, super().encode_queries(missing), strict=True):
                self.query_vectors[text] = vector[None, :]
        return np.vstack([self.query_vectors[question] for question in questions])

    def prime(self, questions: Iterable[str], batch: int = QUERY_BATCH) -> None:
        missing = list(dict.fromkeys(q.strip() for q in questions if q.strip() and q.strip() not in self.query_vectors))
        for start in range(0, len(missing), batch):
            self.encode_queries(missing[start : start + batch])


def with_tokenizer(retriever: Retriever, tokenizer: str) -> Retriever:
    """The same index searched with a BM25 index over the stored chunks tokenised by ``tokenizer``
    (the dense side is shared); the retriever itself when it already uses that tokeniser."""
    if retriever.config.lexical.tokenizer == tokenizer:
        return retriever
    chunks = sorted(retriever.chunks.values(), key=lambda chunk: chunk.id)
    config = LexicalConfig(tokenizer=tokenizer, k1=retriever.config.lexical.k1, b=retriever.config.lexical.b)
    variant = copy.copy(retriever)
    variant.lexical = LexicalIndex.build([c.id for c in chunks], [_embedding_text(c) for c in chunks], config)
    return variant


def with_simplify(
    retriever: Retriever, index_dir: Path, encoders: Encoders, simplify: bool, report: Report
) -> EvalRetriever:
    """The same index with the dense vectors an index built with ``simplify`` would hold: chunks whose
    text OpenCC does not change keep their vectors, the others are embedded again (or come from the
    encoders' cache)."""
    encoder = encoders.get(simplify)
    variant = EvalRetriever(index_dir, encoder=encoder)
    if retriever.config.simplify == simplify:
        return variant
    chunks = sorted(variant.chunks.values(), key=lambda chunk: chunk.id)
    texts = [_embedding_text(chunk) for chunk in chunks]
    changed = [position for position, text in enumerate(texts) if to_simplified(text) != text]
    ids = np.array([chunk.id for chunk in chunks], dtype=np.int64)
    vectors = variant.dense.vectors(ids)
    for start in range(0, len(changed), EMBED_BATCH):
        report(f"{index_dir.name}: vectors with simplify={simplify} {start}/{len(changed)}")
        batch = changed[start : start + EMBED_BATCH]
        vectors[batch] = encoder.encode_passages([texts[position] for position in batch])
    report(f"{index_dir.name}: vectors with simplify={simplify} {len(changed)}/{len(changed)}")
    encoders.save()
    variant.dense = DenseIndex.build(encoder.dimension, ids, vectors, kind=variant.dense.kind)
    return variant


class VectorCache:
    """Passage vectors by the SHA-1 of their text, in one ``.npz`` file (no pickle) per encoder setting."""

    def __init__(self, path: Path | None, setting: str) -> None:
        self.path, self.setting = path, setting
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        if path is not None and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    if str(stored["setting"]) == setting:
                        self._vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                self._vectors = {}

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> np.ndarray | None:
        return self._vectors.get(self._key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        self._vectors[self._key(text)] = np.asarray(vector, dtype=np.float32)
        self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        keys = np.array(list(self._vectors))
        vectors = np.vstack(list(self._vectors.values())).astype(np.float32)
        temporary = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(temporary, setting=np.array(self.setting), keys=keys, vectors=vectors)
        os.replace(temporary, self.path)
        self._dirty = False


# --------------------------------------------------------------------------------------------
# Running questions
# --------------------------------------------------------------------------------------------


Judge = Callable[[Question, Hit], bool]


def gold_judge(question: Question, hit: Hit) -> bool:
    return same_file_name(hit.citation.file, question.file) and contains_answer(hit.text, question.answer or "")


def paragraph_judge(question: Question, hit: Hit) -> bool:
    return hit.citation.file == question.file


@dataclass
class ModeRun:
    mode: str
    ranks: list[int | None]
    top: list[Hit | None]  # the first hit of each question
    seconds: float


def run_mode(
    retriever: Retriever,
    questions: Sequence[Question],
    mode: str,
    judge: Judge,
    depth: int = DEPTH,
    *,
    fusion: str = "scores",
) -> ModeRun:
    started = time.perf_counter()
    ranks: list[int | None] = []
    top: list[Hit | None] = []
    for question in questions:
        try:
            hits = retriever.search(question.question, k=depth, mode=mode, fusion=fusion)
        except QuestionError:
            hits = []
        ranks.append(first_correct_rank(judge(question, hit) for hit in hits))
        top.append(hits[0] if hits else None)
    return ModeRun(mode, ranks, top, round(time.perf_counter() - started, 2))


def _prime(retriever: Retriever, questions: Sequence[Question]) -> None:
    if isinstance(retriever, EvalRetriever):
        retriever.prime(question.question for question in questions)


def _hit_brief(hit: Hit | None, length: int = 120) -> dict[str, object] | None:
    if hit is None:
        return None
    text = " ".join(hit.text.split())
    return {
        "file": hit.citation.file,
        "section": " > ".join(hit.citation.section[1:]),
        "text": text[:length] + ("…" if len(text) > length else ""),
    }


def _question_brief(question: Question) -> dict[str, object]:
    return {
        "id": question.id,
        "question": question.question,
        "group": question.group,
        "file": question.file,
        "answer": question.answer,
    }


# --------------------------------------------------------------------------------------------
# The evaluations
# --------------------------------------------------------------------------------------------


@dataclass
class Options:
    shared: Path
    gold: Path
    data: Path
    index_root: Path
    model: str = DEFAULT_MODEL
    tokenizer: str = "bigram"
    simplify: bool = False
    skip_public: bool = False
    limit_public: int | None = None
    compare: bool = True

    def config(self) -> IndexConfig:
        return IndexConfig(model=self.model, simplify=self.simplify, lexical=LexicalConfig(tokenizer=self.tokenizer))


@dataclass
class Timer:
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, started: float) -> None:
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 2)


def default_shared() -> Path:
    """``shared/`` beside the repository (the corpora and benchmarks are not copied into it)."""
    return Path(qa.__file__).resolve().parents[2] / "shared"


def report_files(options: Options) -> list[Path]:
    """The sample reports in the data folder and the 31 government work reports of 2025."""
    reports = sorted(path for path in options.data.glob("*.txt") if path.is_file())
    gwr = options.shared / "corpora" / "gwr2025"
    return reports + sorted(gwr.glob("*.docx"))


def _mark_ignored(folder: Path) -> None:
    """The cached indexes are not part of the repository: say so to git from inside the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def answer_locations(retriever: Retriever, data_dir: Path, questions: Sequence[Question]) -> dict[str, str]:
    """Where each gold answer is in the index: "chunk" (inside one chunk of its report), "split"
    (in the cleaned text, but no single chunk holds it: cut between chunks, or in a heading),
    "cleaned_away" (not in the cleaned text: removed by the cleaner) or "no_document"."""
    by_file: dict[str, list[str]] = {}
    for chunk in retriever.chunks.values():
        by_file.setdefault(Path(chunk.file).name, []).append(compact(chunk.text))
    texts: dict[str, str | None] = {}
    where: dict[str, str] = {}
    for question in questions:
        answer = compact(question.answer or "")
        chunks = by_file.get(question.file)
        if not chunks:
            where[question.id] = "no_document"
        elif any(answer in chunk for chunk in chunks):
            where[question.id] = "chunk"
        else:
            if question.file not in texts:
                try:
                    texts[question.file] = compact(load_document(data_dir / question.file).text)
                except (DocumentError, OSError):
                    texts[question.file] = None
            text = texts[question.file]
            where[question.id] = "split" if text is not None and answer in text else "cleaned_away"
    return where


def open_eval_index(
    kind: str, data_dir: Path, options: Options, encoders: Encoders, timer: Timer, report: Report
) -> tuple[Path, UpdateSummary, EvalRetriever]:
    """The cached ``kind`` index ("gold" or "pool") over ``data_dir``, brought up to date and opened."""
    config = options.config()
    index_dir = options.index_root / index_name(kind, config)
    started = time.perf_counter()
    summary = ensure_index(data_dir, index_dir, config, encoders, report)
    timer.add(f"{kind} index", started)
    return index_dir, summary, EvalRetriever(index_dir, encoder=encoders.get(config.simplify))


def evaluate_gold(options: Options, encoders: Encoders, timer: Timer, report: Report = _quiet) -> dict[str, object]:
    gwr = options.shared / "corpora" / "gwr2025"
    if not gwr.is_dir():
        return {"skipped": f"{gwr} is absent"}
    questions = load_gold(options.gold)
    data_dir = options.index_root / "gold-data"
    reports = report_files(options)
    link_reports(data_dir, reports)
    index_dir, summary, retriever = open_eval_index("gold", data_dir, options, encoders, timer, report)
    missing = sorted({q.file for q in questions} - {Path(c.file).name for c in retriever.chunks.values()})

    started = time.perf_counter()
    _prime(retriever, questions)
    runs = {}
    for mode in MODES:
        report(f"gold set: {mode}")
        runs[mode] = run_mode(retriever, questions, mode, gold_judge)
    timer.add("gold questions", started)

    groups = [q.group for q in questions]
    where = answer_locations(retriever, data_dir, questions)
    failures = [
        {
            **_question_brief(question),
            "answer_location": where[question.id],
            "top_hits": {mode: _hit_brief(runs[mode].top[position]) for mode in MODES},
        }
        for position, question in enumerate(questions)
        if all(runs[mode].ranks[position] is None for mode in MODES)
    ]
    result: dict[str, object] = {
        "questions": len(questions),
        "index": {
            "folder": str(index_dir),
            "documents": len(retriever.documents),
            "chunks": len(retriever.chunks),
            "skipped_files": summary.skipped,
            "gold_files_not_indexed": missing,
        },
        "answer_locations": {
            "counts": {place: list(where.values()).count(place) for place in sorted(set(where.values()))},
            "not_in_one_chunk": [
                {"id": q.id, "file": q.file, "answer": q.answer, "location": where[q.id]}
                for q in questions
                if where[q.id] != "chunk"
            ],
        },
        "modes": {
            mode: {"all": summarise(run.ranks), "by_kind": summarise_groups(run.ranks, groups), "seconds": run.seconds}
            for mode, run in runs.items()
        },
        "failed_in_all_modes": failures,
        "per_question": [
            {"id": q.id, "kind": q.group, **{mode: runs[mode].ranks[i] for mode in MODES}}
            for i, q in enumerate(questions)
        ],
    }
    if options.compare:
        result["comparisons"] = _gold_comparisons(
            options, retriever, index_dir, questions, runs, encoders, timer, report
        )
    return result


def _gold_comparisons(
    options: Options,
    retriever: EvalRetriever,
    index_dir: Path,
    questions: Sequence[Question],
    runs: dict[str, ModeRun],
    encoders: Encoders,
    timer: Timer,
    report: Report,
) -> dict[str, object]:
    started = time.perf_counter()
    tokenizers: dict[str, object] = {}
    for tokenizer in TOKENIZERS:
        if tokenizer == options.tokenizer:
            ranks = runs["lexical"].ranks
        else:
            report(f"gold set: lexical with the {tokenizer} tokeniser")
            ranks = run_mode(with_tokenizer(retriever, tokenizer), questions, "lexical", gold_judge).ranks
        tokenizers[tokenizer] = {
            "all": summarise(ranks),
            "by_kind": summarise_groups(ranks, [q.group for q in questions]),
        }
    timer.add("tokenizer comparison", started)

    started = time.perf_counter()
    simplify: dict[str, object] = {}
    cross = [i for i, q in enumerate(questions) if q.group == "cross_script"]
    for flag in (False, True):
        if flag == options.simplify:
            ranks = runs["dense"].ranks
        else:
            variant = with_simplify(retriever, index_dir, encoders, flag, report)
            _prime(variant, questions)
            report(f"gold set: dense with simplify={flag}")
            ranks = run_mode(variant, questions, "dense", gold_judge).ranks
        simplify[str(flag).lower()] = {
            "cross_script": summarise([ranks[i] for i in cross]),
            "all": summarise(ranks),
            "by_lang": summarise_groups(ranks, [q.lang for q in questions]),
        }
    timer.add("simplify comparison", started)

    started = time.perf_counter()
    report("gold set: hybrid with reciprocal rank fusion")
    rrf = run_mode(retriever, questions, "hybrid", gold_judge, fusion="rrf").ranks
    fusion = {
        name: {"all": summarise(ranks), "by_kind": summarise_groups(ranks, [q.group for q in questions])}
        for name, ranks in (("scores", runs["hybrid"].ranks), ("rrf", rrf))
    }
    timer.add("fusion comparison", started)
    return {"tokenizer_lexical": tokenizers, "simplify_dense": simplify, "fusion_hybrid": fusion}


def evaluate_public(options: Options, encoders: Encoders, timer: Timer, report: Report = _quiet) -> dict[str, object]:
    bench = options.shared / "bench"
    paths = {name: bench / file for name, file in PUBLIC_SETS.items()}
    absent = [str(path) for path in paths.values() if not path.is_file()]
    if absent:
        return {"skipped": f"absent: {', '.join(absent)}"}
    paragraphs: list[Paragraph] = []
    questions: dict[str, list[Question]] = {}
    empty: dict[str, list[str]] = {}  # questions without text (CMRC 2018 has two): left out
    for name, path in paths.items():
        set_paragraphs, set_questions = load_squad(path, name, PUBLIC_FOLDERS[name])
        paragraphs.extend(set_paragraphs)
        asked = [question for question in set_questions if question.question.strip()]
        empty[name] = [question.id for question in set_questions if not question.question.strip()]
        questions[name] = spread_sample(asked, options.limit_public)
    data_dir = options.index_root / "pool-data"
    write_pool(data_dir, paragraphs, report_files(options))
    index_dir, summary, retriever = open_eval_index("pool", data_dir, options, encoders, timer, report)
    indexed = {chunk.file for chunk in retriever.chunks.values()}

    result: dict[str, object] = {
        "index": {
            "folder": str(index_dir),
            "documents": len(retriever.documents),
            "chunks": len(retriever.chunks),
            "paragraphs": {name: sum(p.set_name == name for p in paragraphs) for name in PUBLIC_SETS},
            "paragraphs_not_indexed": [p.file for p in paragraphs if p.file not in indexed],
            "skipped_files": summary.skipped,
        },
    }
    sets: dict[str, object] = {}
    result["sets"] = sets
    started = time.perf_counter()
    runs: dict[str, dict[str, ModeRun]] = {}
    for name, set_questions in questions.items():
        report(f"{name}: encoding {len(set_questions)} questions")
        _prime(retriever, set_questions)
        runs[name] = {}
        for mode in MODES:
            report(f"{name}: {mode}")
            runs[name][mode] = run_mode(retriever, set_questions, mode, paragraph_judge)
        sets[name] = {**_set_result(set_questions, runs[name]), "empty_questions_left_out": empty[name]}
    timer.add("public questions", started)

    if options.compare:
        result["comparisons"] = _public_comparisons(
            options, retriever, index_dir, questions, runs, encoders, timer, report
        )
    return result


def _set_result(questions: Sequence[Question], runs: dict[str, ModeRun]) -> dict[str, object]:
    misses = [i for i, _ in enumerate(questions) if runs["hybrid"].ranks[i] is None][:EXAMPLES]
    return {
        "questions": len(questions),
        "modes": {mode: {"all": summarise(run.ranks), "seconds": run.seconds} for mode, run in runs.items()},
        "hybrid_misses": [
            {**_question_brief(questions[i]), "top_hit": _hit_brief(runs["hybrid"].top[i])} for i in misses
        ],
        "per_question": {
            "ids": [q.id for q in questions],
            **{mode: run.ranks for mode, run in runs.items()},
        },
    }


def _public_comparisons(
    options: Options,
    retriever: EvalRetriever,
    index_dir: Path,
    questions: dict[str, list[Question]],
    runs: dict[str, dict[str, ModeRun]],
    encoders: Encoders,
    timer: Timer,
    report: Report,
) -> dict[str, object]:
    started = time.perf_counter()
    tokenizers: dict[str, dict[str, object]] = {}
    variants = {tokenizer: with_tokenizer(retriever, tokenizer) for tokenizer in TOKENIZERS}
    for name, set_questions in questions.items():
        tokenizers[name] = {}
        for tokenizer, variant in variants.items():
            if tokenizer == options.tokenizer:
                ranks = runs[name]["lexical"].ranks
            else:
                report(f"{name}: lexical with the {tokenizer} tokeniser")
                ranks = run_mode(variant, set_questions, "lexical", paragraph_judge).ranks
            tokenizers[name][tokenizer] = summarise(ranks)
    timer.add("tokenizer comparison", started)

    started = time.perf_counter()
    simplify: dict[str, dict[str, object]] = {"drcd": {}}
    for flag in (False, True):
        if flag == options.simplify:
            ranks = runs["drcd"]["dense"].ranks
        else:
            variant = with_simplify(retriever, index_dir, encoders, flag, report)
            report(f"drcd: encoding questions with simplify={flag}")
            _prime(variant, questions["drcd"])
            report(f"drcd: dense with simplify={flag}")
            ranks = run_mode(variant, questions["drcd"], "dense", paragraph_judge).ranks
        simplify["drcd"][str(flag).lower()] = summarise(ranks)
    timer.add("simplify comparison", started)

    started = time.perf_counter()
    fusion: dict[str, dict[str, object]] = {}
    for name, set_questions in questions.items():
        report(f"{name}: hybrid with reciprocal rank fusion")
        rrf = run_mode(retriever, set_questions, "hybrid", paragraph_judge, fusion="rrf").ranks
        fusion[name] = {"scores": summarise(runs[name]["hybrid"].ranks), "rrf": summarise(rrf)}
    timer.add("fusion comparison", started)
    return {"tokenizer_lexical": tokenizers, "simplify_dense": simplify, "fusion_hybrid": fusion}


def run_evaluation(options: Options, report: Report = _quiet) -> dict[str, object]:
    """Everything ``qa eval`` measures, as one JSON-ready dictionary."""
    started = time.perf_counter()
    timer = Timer()
    results: dict[str, object] = {
        "settings": {
            "model": options.model,
            "tokenizer": options.tokenizer,
            "simplify": options.simplify,
            "depth": DEPTH,
            "limit_public": options.limit_public,
            "shared": str(options.shared),
            "index_root": str(options.index_root),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    }
    if not options.shared.is_dir():
        message = f"{options.shared} is absent: the corpora and benchmarks live beside the repository in ../shared"
        results["gold"] = {"skipped": message}
        results["public"] = {"skipped": message}
        results["seconds"] = {"total": 0.0}
        return results
    _mark_ignored(options.index_root)
    encoders = Encoders(options.model, options.index_root)
    results["gold"] = evaluate_gold(options, encoders, timer, report)
    if options.skip_public:
        results["public"] = {"skipped": "--skip-public"}
    else:
        results["public"] = evaluate_public(options, encoders, timer, report)
    timer.seconds["total"] = round(time.perf_counter() - started, 1)
    results["seconds"] = timer.seconds
    return results
