"""The gold-set evaluator: questions about the sample reports and the 31 reports of 2025.

A passage is correct when it comes from the question's report *and* contains its answer (spaces
ignored). Recall@1/5/10 and MRR@10 per mode and per kind of question; then the variants of the
settings (tokeniser, simplify, fusion), each built from configuration.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from qa.answer import AnswerConfig
from qa.documents import load_document
from qa.errors import DocumentError
from qa.evaluation.answers import evaluate_answers
from qa.evaluation.datasets import HALVES, Question, link_reports, load_gold, report_files
from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.metrics import compact, summarise, summarise_groups
from qa.evaluation.runner import (
    MODES,
    TOKENIZERS,
    EvalIndex,
    ModeRun,
    Options,
    Timer,
    gold_judge,
    half_summaries,
    halves_of,
    hit_brief,
    open_eval_index,
    question_brief,
    run_mode,
)
from qa.retrieval import Retriever


def answer_locations(retriever: Retriever, data_dir: Path, questions: Sequence[Question]) -> dict[str, str]:
    """Where each gold answer is in the index: "chunk" (inside one chunk of its report), "split"
    (in the cleaned text, but no single chunk holds it: cut between chunks, or in a heading),
    "cleaned_away" (not in the cleaned text: removed by the cleaner) or "no_document"."""
    by_file: dict[str, list[str]] = {}
    for chunk in retriever.store:
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


def evaluate_gold(options: Options, encoders: Encoders, timer: Timer, report: Report = quiet) -> dict[str, object]:
    gwr = options.shared / "corpora" / "gwr2025"
    if not gwr.is_dir():
        return {"skipped": f"{gwr} is absent"}
    questions = load_gold(options.gold)
    data_dir = options.index_root / "gold-data"
    link_reports(data_dir, report_files(options.data, options.shared))
    index = open_eval_index("gold", data_dir, options.config(), options, encoders, timer, report)
    retriever = index.retriever
    missing = sorted({q.file for q in questions} - {Path(name).name for name in retriever.documents})

    started = time.perf_counter()
    index.prime(questions)
    runs = {}
    for mode in MODES:
        report(f"gold set: {mode}")
        runs[mode] = run_mode(retriever, questions, mode, gold_judge)
    timer.add("gold questions", started)
    started = time.perf_counter()
    report("gold set: answers")
    answers = evaluate_answers(retriever, questions)
    embedded = None
    if options.compare:  # the earlier composition embeds ~30 sentences a question: long with a large encoder
        report("gold set: answers with sentence vectors (the earlier composition)")
        embedded = evaluate_answers(retriever, questions, AnswerConfig.with_sentence_vectors())
    timer.add("gold answers", started)

    groups = [q.group for q in questions]
    halves = halves_of(questions)
    where = answer_locations(retriever, data_dir, questions)
    failures = [
        {
            **question_brief(question),
            "answer_location": where[question.id],
            "top_hits": {mode: hit_brief(runs[mode].top[position]) for mode in MODES},
        }
        for position, question in enumerate(questions)
        if all(runs[mode].ranks[position] is None for mode in MODES)
    ]
    result: dict[str, object] = {
        "questions": len(questions),
        "index": {
            "folder": str(index.folder),
            "documents": len(retriever.documents),
            "chunks": len(retriever.store),
            "skipped_files": index.summary.skipped,
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
            mode: {"all": summarise(run.ranks), "by_kind": summarise_groups(run.ranks, groups), "seconds": run.seconds,
                   "halves": half_summaries(run.ranks, halves, groups)}
            for mode, run in runs.items()
        },
        "answers": answers,
        **({"answers_sentence_vectors": embedded} if embedded else {}),
        "failed_in_all_modes": failures,
        "per_question": [
            {"id": q.id, "kind": q.group, "half": halves[i], **{mode: runs[mode].ranks[i] for mode in MODES}}
            for i, q in enumerate(questions)
        ],
    }
    if options.compare:
        result["comparisons"] = _comparisons(options, data_dir, index, questions, runs, encoders, timer, report)
    return result


def _by_script(ranks: Sequence[int | None], questions: Sequence[Question]) -> dict[str, object]:
    """The cross-script questions, all, and each language's."""
    cross = [rank for rank, question in zip(ranks, questions, strict=True) if question.group == "cross_script"]
    return {
        "cross_script": summarise(cross),
        "all": summarise(ranks),
        "by_lang": summarise_groups(ranks, [q.lang for q in questions]),
    }


def _comparisons(
    options: Options,
    data_dir: Path,
    index: EvalIndex,
    questions: Sequence[Question],
    runs: dict[str, ModeRun],
    encoders: Encoders,
    timer: Timer,
    report: Report,
) -> dict[str, object]:
    kinds = [q.group for q in questions]
    halves = halves_of(questions)
    started = time.perf_counter()
    tokenizers: dict[str, object] = {}
    for tokenizer in TOKENIZERS:
        if tokenizer == options.tokenizer:
            ranks = runs["lexical"].ranks
        else:
            variant = open_eval_index("gold", data_dir, options.variant(tokenizer=tokenizer), options, encoders,
                                      timer, report)  # fmt: skip
            report(f"gold set: lexical with the {tokenizer} tokeniser")
            ranks = run_mode(variant.retriever, questions, "lexical", gold_judge).ranks
        tokenizers[tokenizer] = {"all": summarise(ranks), "by_kind": summarise_groups(ranks, kinds),
                                 "halves": half_summaries(ranks, halves, kinds)}  # fmt: skip
    timer.add("tokenizer comparison", started)

    started = time.perf_counter()
    simplify: dict[str, object] = {}
    halves_kept = {half: [i for i, name in enumerate(halves) if name == half] for half in HALVES}
    for flag in (False, True):
        if flag == options.simplify:
            ranks = runs["dense"].ranks
        else:
            variant = open_eval_index("gold", data_dir, options.variant(simplify=flag), options, encoders, timer,
                                      report)  # fmt: skip
            variant.prime(questions)
            report(f"gold set: dense with simplify={flag}")
            ranks = run_mode(variant.retriever, questions, "dense", gold_judge).ranks
        simplify[str(flag).lower()] = {
            **_by_script(ranks, questions),
            "halves": {half: _by_script([ranks[i] for i in kept], [questions[i] for i in kept])
                       for half, kept in halves_kept.items()},
        }
    timer.add("simplify comparison", started)

    started = time.perf_counter()
    report("gold set: hybrid with reciprocal rank fusion")
    rrf = run_mode(index.retriever, questions, "hybrid", gold_judge, fusion="rrf").ranks
    fusion = {
        name: {"all": summarise(ranks), "by_kind": summarise_groups(ranks, kinds),
               "halves": half_summaries(ranks, halves, kinds)}
        for name, ranks in (("scores", runs["hybrid"].ranks), ("rrf", rrf))
    }
    timer.add("fusion comparison", started)
    return {"tokenizer_lexical": tokenizers, "simplify_dense": simplify, "fusion_hybrid": fusion}
