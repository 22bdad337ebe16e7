"""The public-set evaluator: CMRC 2018 (simplified) and DRCD (traditional) as retrieval.

Every paragraph of both sets becomes a small document of one pool, with the report chunks as
distractors; a passage is correct when it comes from the question's own paragraph.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from qa.evaluation.datasets import (
    PUBLIC_FOLDERS,
    PUBLIC_SETS,
    Paragraph,
    Question,
    load_squad,
    question_halves,
    report_files,
    write_pool,
)
from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.metrics import spread_sample, summarise
from qa.evaluation.runner import (
    EXAMPLES,
    MODES,
    TOKENIZERS,
    EvalIndex,
    ModeRun,
    Options,
    Timer,
    half_summaries,
    halves_of,
    hit_brief,
    open_eval_index,
    paragraph_judge,
    question_brief,
    run_mode,
)


def load_public(
    options: Options,
) -> tuple[list[Paragraph], dict[str, list[Question]], dict[str, list[str]], dict[str, str]] | str:
    """Paragraphs, questions per set, the ids of questions without text, and each question's half
    (drawn over the whole set, before --limit-public takes some); or why not."""
    bench = options.shared / "bench"
    paths = {name: bench / file for name, file in PUBLIC_SETS.items()}
    absent = [str(path) for path in paths.values() if not path.is_file()]
    if absent:
        return f"absent: {', '.join(absent)}"
    paragraphs: list[Paragraph] = []
    questions: dict[str, list[Question]] = {}
    empty: dict[str, list[str]] = {}  # questions without text (CMRC 2018 has two): left out
    halves: dict[str, str] = {}
    for name, path in paths.items():
        set_paragraphs, set_questions = load_squad(path, name, PUBLIC_FOLDERS[name])
        paragraphs.extend(set_paragraphs)
        asked = [question for question in set_questions if question.question.strip()]
        empty[name] = [question.id for question in set_questions if not question.question.strip()]
        halves.update(question_halves(asked))
        questions[name] = spread_sample(asked, options.limit_public)
    return paragraphs, questions, empty, halves


def evaluate_public(options: Options, encoders: Encoders, timer: Timer, report: Report = quiet) -> dict[str, object]:
    loaded = load_public(options)
    if isinstance(loaded, str):
        return {"skipped": loaded}
    paragraphs, questions, empty, halves = loaded
    data_dir = options.index_root / "pool-data"
    write_pool(data_dir, paragraphs, report_files(options.data, options.shared))
    index = open_eval_index("pool", data_dir, options.config(), options, encoders, timer, report)
    indexed = set(index.retriever.documents)
    result: dict[str, object] = {
        "index": {
            "folder": str(index.folder),
            "documents": len(indexed),
            "chunks": len(index.retriever.store),
            "paragraphs": {name: sum(p.set_name == name for p in paragraphs) for name in PUBLIC_SETS},
            "paragraphs_not_indexed": [p.file for p in paragraphs if p.file not in indexed],
            "skipped_files": index.summary.skipped,
        },
    }
    sets: dict[str, object] = {}
    result["sets"] = sets
    started = time.perf_counter()
    runs: dict[str, dict[str, ModeRun]] = {}
    for name, set_questions in questions.items():
        report(f"{name}: encoding {len(set_questions)} questions")
        index.prime(set_questions)
        runs[name] = {}
        for mode in MODES:
            report(f"{name}: {mode}")
            runs[name][mode] = run_mode(index.retriever, set_questions, mode, paragraph_judge)
        sets[name] = {**_set_result(set_questions, runs[name], halves_of(set_questions, halves)),
                      "empty_questions_left_out": empty[name]}  # fmt: skip
    timer.add("public questions", started)
    if options.compare:
        result["comparisons"] = _comparisons(options, data_dir, index, questions, runs, encoders, timer, report,
                                             halves)  # fmt: skip
    return result


def _set_result(questions: Sequence[Question], runs: dict[str, ModeRun], halves: list[str]) -> dict[str, object]:
    misses = [i for i, _ in enumerate(questions) if runs["hybrid"].ranks[i] is None][:EXAMPLES]
    return {
        "questions": len(questions),
        "modes": {mode: {"all": summarise(run.ranks), "seconds": run.seconds,
                         "halves": half_summaries(run.ranks, halves)} for mode, run in runs.items()},  # fmt: skip
        "hybrid_misses": [
            {**question_brief(questions[i]), "top_hit": hit_brief(runs["hybrid"].top[i])} for i in misses
        ],
        "per_question": {
            "ids": [q.id for q in questions],
            "halves": halves,
            **{mode: run.ranks for mode, run in runs.items()},
        },
    }


def _comparisons(
    options: Options,
    data_dir: Path,
    index: EvalIndex,
    questions: dict[str, list[Question]],
    runs: dict[str, dict[str, ModeRun]],
    encoders: Encoders,
    timer: Timer,
    report: Report,
    halves: dict[str, str],
) -> dict[str, object]:
    """Each variant's figures over all the set's questions, with each half's under "halves"."""

    def figures(name: str, ranks: list[int | None]) -> dict[str, object]:
        return {**summarise(ranks), "halves": half_summaries(ranks, halves_of(questions[name], halves))}

    started = time.perf_counter()
    tokenizers: dict[str, dict[str, object]] = {name: {} for name in questions}
    for tokenizer in TOKENIZERS:
        variant = None
        if tokenizer != options.tokenizer:
            variant = open_eval_index("pool", data_dir, options.variant(tokenizer=tokenizer), options, encoders,
                                      timer, report)  # fmt: skip
        for name, set_questions in questions.items():
            if variant is None:
                ranks = runs[name]["lexical"].ranks
            else:
                report(f"{name}: lexical with the {tokenizer} tokeniser")
                ranks = run_mode(variant.retriever, set_questions, "lexical", paragraph_judge).ranks
            tokenizers[name][tokenizer] = figures(name, ranks)
    timer.add("tokenizer comparison", started)

    started = time.perf_counter()
    simplify: dict[str, dict[str, object]] = {"drcd": {}}
    for flag in (False, True):
        if flag == options.simplify:
            ranks = runs["drcd"]["dense"].ranks
        else:
            variant = open_eval_index("pool", data_dir, options.variant(simplify=flag), options, encoders, timer,
                                      report)  # fmt: skip
            report(f"drcd: encoding questions with simplify={flag}")
            variant.prime(questions["drcd"])
            report(f"drcd: dense with simplify={flag}")
            ranks = run_mode(variant.retriever, questions["drcd"], "dense", paragraph_judge).ranks
        simplify["drcd"][str(flag).lower()] = figures("drcd", ranks)
    timer.add("simplify comparison", started)

    started = time.perf_counter()
    fusion: dict[str, dict[str, object]] = {}
    for name, set_questions in questions.items():
        report(f"{name}: hybrid with reciprocal rank fusion")
        rrf = run_mode(index.retriever, set_questions, "hybrid", paragraph_judge, fusion="rrf").ranks
        fusion[name] = {"scores": figures(name, runs[name]["hybrid"].ranks), "rrf": figures(name, rrf)}
    timer.add("fusion comparison", started)
    return {"tokenizer_lexical": tokenizers, "simplify_dense": simplify, "fusion_hybrid": fusion}
