"""Running questions against an index: options, timing, judges and the runs of one mode.

Evaluators (:mod:`qa.evaluation.gold`, :mod:`qa.evaluation.public`) build on these; the metric
functions are pure (:mod:`qa.evaluation.metrics`); nothing here prints (progress goes to a
``report`` callback).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.embedding import DEFAULT_MODEL
from qa.errors import QuestionError
from qa.evaluation.datasets import HALVES, Question, question_halves
from qa.evaluation.indexes import CachingEncoder, Encoders, Report, ensure_index, index_name
from qa.evaluation.metrics import (
    DEPTH,
    contains_answer,
    first_correct_rank,
    same_file_name,
    summarise,
    summarise_groups,
)
from qa.indexing import UpdateSummary
from qa.retrieval import Hit, Retriever, SearchConfig
from qa.store import IndexConfig
from qa.store.lexical import LexicalConfig

MODES = ("lexical", "dense", "hybrid")
SETS = ("gold", "public", "national", "conversations", "tables", "pdf", "meaning", "archive", "scans")
DEFAULT_SETS = SETS[:-1]  # the scans take an hour of OCR the first time: ask for them (--sets ...,scans)
TOKENIZERS = ("bigram", "jieba")
EXAMPLES = 20  # misses kept per set and mode in the results, with their top hit


@dataclass(frozen=True)
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
    scan_reports: int | None = 5  # government work reports typeset and OCR'd for the scans set, beside the samples
    scan_layouts: tuple[str, ...] = ()  # of qa.evaluation.rendered.LAYOUT_NAMES (empty: all three)
    scan_dpis: tuple[int, ...] = ()  # (empty: 150 and 200)
    compare: bool = True
    sets: tuple[str, ...] = DEFAULT_SETS
    national: Path = Path("eval/national.jsonl")
    conversations: Path = Path("eval/conversations.jsonl")
    tables: Path = Path("eval/tables.jsonl")
    pdf: Path = Path("eval/pdf.jsonl")
    meaning: Path = Path("eval/meaning.jsonl")
    meaning_tables: Path = Path("eval/meaning_tables.jsonl")
    archive: Path = Path("eval/archive.jsonl")

    def config(self) -> IndexConfig:
        return IndexConfig(model=self.model, simplify=self.simplify, lexical=LexicalConfig(tokenizer=self.tokenizer))

    def variant(self, *, tokenizer: str | None = None, simplify: bool | None = None) -> IndexConfig:
        """The index settings with one of them changed."""
        config = self.config()
        if tokenizer is not None:
            config = replace(config, lexical=replace(config.lexical, tokenizer=tokenizer))
        if simplify is not None:
            config = replace(config, simplify=simplify)
        return config


@dataclass
class Timer:
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, started: float) -> None:
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 2)


@dataclass(frozen=True)
class EvalIndex:
    """One cached index of the evaluation, opened with the caching encoder of its settings."""

    folder: Path
    summary: UpdateSummary
    retriever: Retriever
    encoder: CachingEncoder

    def prime(self, questions: Sequence[Question]) -> None:
        self.encoder.prime(question.question for question in questions)


def open_eval_index(
    kind: str, data_dir: Path, config: IndexConfig, options: Options, encoders: Encoders, timer: Timer, report: Report
) -> EvalIndex:
    """The cached ``kind`` index ("gold", "pool") with ``config`` over ``data_dir``, brought up to date."""
    folder = options.index_root / index_name(kind, config)
    started = time.perf_counter()
    summary = ensure_index(data_dir, folder, config, encoders, report)
    timer.add(f"{kind} index", started)
    encoder = encoders.get(config.simplify)
    return EvalIndex(folder, summary, Retriever(folder, encoder=encoder), encoder)


Judge = Callable[[Question, Hit], bool]


def gold_judge(question: Question, hit: Hit) -> bool:
    return same_file_name(hit.citation.file, question.file) and contains_answer(hit.text, question.answer or "")


def paragraph_judge(question: Question, hit: Hit) -> bool:
    return hit.citation.file == question.file


@dataclass(frozen=True)
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
    config = SearchConfig(mode=mode, fusion=fusion)  # type: ignore[arg-type]
    ranks: list[int | None] = []
    top: list[Hit | None] = []
    for question in questions:
        try:
            hits = retriever.search(question.question, k=depth, config=config)
        except QuestionError:
            hits = []
        ranks.append(first_correct_rank(judge(question, hit) for hit in hits))
        top.append(hits[0] if hits else None)
    return ModeRun(mode, ranks, top, round(time.perf_counter() - started, 2))


def halves_of(questions: Sequence[Question], halves: dict[str, str] | None = None) -> list[str]:
    """Each question's half ("tune" or "test"), in order; ``halves`` when the questions are a part
    of a larger set (its halves were drawn over the whole set)."""
    halves = halves if halves is not None else question_halves(questions)
    return [halves[question.id] for question in questions]


def half_summaries(
    ranks: Sequence[int | None], halves: Sequence[str], groups: Sequence[str] | None = None
) -> dict[str, dict[str, object]]:
    """The figures of each half: ``{"tune": {"all": ..., "by_kind": ...}, "test": {...}}``
    (``by_kind`` only with ``groups``)."""
    if len(halves) != len(ranks):
        raise ValueError("one half per rank")
    result: dict[str, dict[str, object]] = {}
    for half in HALVES:
        kept = [position for position, name in enumerate(halves) if name == half]
        entry: dict[str, object] = {"all": summarise([ranks[position] for position in kept])}
        if groups is not None:
            entry["by_kind"] = summarise_groups([ranks[position] for position in kept],
                                                [groups[position] for position in kept])  # fmt: skip
        result[half] = entry
    return result


def rank_summaries(ranks: Sequence[int | None], groups: Sequence[str], halves: Sequence[str]) -> dict[str, object]:
    """All the questions and each kind, then the same for each half."""
    return {"all": summarise(ranks), "by_kind": summarise_groups(ranks, groups),
            "halves": half_summaries(ranks, halves, groups)}  # fmt: skip


def hit_brief(hit: Hit | None, length: int = 120) -> dict[str, object] | None:
    if hit is None:
        return None
    text = " ".join(hit.text.split())
    return {
        "file": hit.citation.file,
        "section": " > ".join(hit.citation.section[1:]),
        "text": text[:length] + ("…" if len(text) > length else ""),
    }


def question_brief(question: Question) -> dict[str, object]:
    return {
        "id": question.id,
        "question": question.question,
        "group": question.group,
        "file": question.file,
        "answer": question.answer,
    }


def mark_ignored(folder: Path) -> None:
    """The cached indexes are not part of the repository: say so to git from inside the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
