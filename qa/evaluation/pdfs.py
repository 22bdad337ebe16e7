"""The evaluator on real PDFs: the four government PDFs of ``corpora/pdf`` (typeset notices with page
furniture, a traditional-script gazette with running headers, a budget of tables), indexed on their
own, and the questions of ``eval/pdf.jsonl`` about them. A passage counts when it is from the right
PDF, holds the gold string and its citation's pages include the gold page.

And each PDF's retention against its text layer: of the characters read, those that are not page
furniture (page numbers, running headers and footers, contents, rules, the masthead), the share
kept in the text or as metadata; and its removed lines by reason (none may be body text).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from qa.documents.retention import CONTENTS, MASTHEAD, PAGE_NUMBER, RULE, RUNNING_HEADER, visible
from qa.evaluation.datasets import Question, link_reports, load_gold
from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.metrics import summarise
from qa.evaluation.runner import (
    MODES,
    Options,
    Timer,
    gold_judge,
    half_summaries,
    halves_of,
    open_eval_index,
    rank_summaries,
    run_mode,
)


def load_pages(path: Path) -> dict[str, int]:
    """Each question's gold page (1-based), by question id."""
    pages = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            record = json.loads(line)
            if not isinstance(record.get("page"), int):
                raise ValueError(f"{path}:{number}: a PDF question needs its page")
            pages[record["id"]] = record["page"]
    return pages


def on_page(hit, page: int) -> bool:
    first = hit.citation.page
    return first is not None and first <= page <= (hit.citation.page_end or first)


FURNITURE = (PAGE_NUMBER, RUNNING_HEADER, CONTENTS, RULE, MASTHEAD)


def pdf_retention(path: Path, ocr_cache: Path | None = None) -> dict[str, object]:
    """What cleaning kept of a PDF's text layer, page furniture aside."""
    from qa.documents import load_document

    document = load_document(path, ocr_cache=ocr_cache)
    kept = document.retention
    assert kept is not None
    furniture = sum(visible(line.text) for line in document.removed if line.reason in FURNITURE)
    reasons: dict[str, int] = {}
    for line in document.removed:
        reasons[line.reason] = reasons.get(line.reason, 0) + 1
    return {
        **kept.to_json(),
        "chars_furniture": furniture,
        "body_retention": round((kept.kept + kept.metadata) / max(kept.read - furniture, 1), 4),
        "removed_by_reason": reasons,
        "removed_not_furniture": [line.text for line in document.removed if line.reason not in FURNITURE],
    }


def evaluate_pdfs(options: Options, encoders: Encoders, timer: Timer, report: Report = quiet) -> dict[str, object]:
    folder = options.shared / "corpora" / "pdf"
    if not folder.is_dir():
        return {"skipped": f"{folder} is absent"}
    questions = load_gold(options.pdf)
    pages = load_pages(options.pdf)
    data_dir = options.index_root / "pdf-data"
    link_reports(data_dir, sorted(folder.glob("*.pdf")))
    index = open_eval_index("pdf", data_dir, options.config(), options, encoders, timer, report)
    index.prime(questions)

    def judge(question: Question, hit) -> bool:
        return gold_judge(question, hit) and on_page(hit, pages[question.id])

    started = time.perf_counter()
    runs = {mode: run_mode(index.retriever, questions, mode, judge) for mode in MODES}
    any_page = run_mode(index.retriever, questions, "hybrid", gold_judge)
    timer.add("pdf questions", started)
    started = time.perf_counter()
    from qa.store import ocr_cache_dir

    retention = {path.name: pdf_retention(path, ocr_cache_dir(index.folder)) for path in sorted(folder.glob("*.pdf"))}
    timer.add("pdf retention", started)
    kinds = [question.group for question in questions]
    halves = halves_of(questions)
    return {
        "retention": retention,
        "questions": len(questions),
        "index": {"folder": str(index.folder), "documents": len(index.retriever.documents),
                  "chunks": len(index.retriever.store), "skipped_files": index.summary.skipped},  # fmt: skip
        "modes": {mode: rank_summaries(run.ranks, kinds, halves) for mode, run in runs.items()},
        "hybrid_any_page": summarise(any_page.ranks),
        "hybrid_any_page_halves": half_summaries(any_page.ranks, halves),
        "per_question": [{"id": q.id, "page": pages[q.id], "half": halves[i],
                          **{mode: runs[mode].ranks[i] for mode in MODES}}
                         for i, q in enumerate(questions)],  # fmt: skip
    }
