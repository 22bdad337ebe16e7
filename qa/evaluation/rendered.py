"""The evaluator on rendered scans: the gold set's reports typeset onto page images, saved as
image-only PDFs, read back by OCR and indexed; then the gold questions against that index.

Two figures: the gold set's recall on the index of scans, beside the same questions over the same
reports read from their text (the issue's bar: R@5 within 0.03), and the OCR's character accuracy
on a page of every report scanned, clean, turned 90 degrees, and with mild noise and blur
(1 - edit distance / characters, white space and Unicode width ignored). Rendering and OCR are
cached (the PDFs in the index root, OCR results in the index's ocr-cache), so a rerun costs only
the questions. By default 12 of the gold set's 33 reports are scanned, spread over them
(``--scan-reports``; all of them take an hour of OCR on two cores).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from qa.evaluation.datasets import Question, link_reports, load_gold, question_halves, report_files
from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.metrics import contains_answer, same_file_name, spread_sample, summarise
from qa.evaluation.runner import (
    MODES,
    Options,
    Timer,
    half_summaries,
    halves_of,
    open_eval_index,
    rank_summaries,
    run_mode,
)

ACCURACY_PAGE = 1  # the page of each report whose variants are read for the accuracy figures (from 0)


def report_paragraphs(path: Path) -> list[str]:
    """The text a report's scan shows: its paragraphs (and table rows) as the reader gives them."""
    from qa.readers import read_file

    return [line.text.strip() for line in read_file(path).lines if line.text.strip()]


def fold(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKC", text) if not char.isspace())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one row at a time (pages of a few hundred characters)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def accuracy(found: str, truth: str) -> float:
    truth, found = fold(truth), fold(found)
    return max(0.0, 1 - edit_distance(found, truth) / max(len(truth), 1))


def render_scans(reports: Sequence[Path], folder: Path, report: Report = quiet) -> dict[str, Path]:
    """One image-only PDF per report in ``folder`` (kept between runs): report file name -> scan."""
    from qa.evaluation.scans import render_report_pages, save_image_pdf

    folder.mkdir(parents=True, exist_ok=True)
    scans: dict[str, Path] = {}
    for number, path in enumerate(reports, start=1):
        scan = folder / f"{path.stem}.pdf"
        if not scan.is_file() or scan.stat().st_mtime < path.stat().st_mtime:
            report(f"rendering {number}/{len(reports)}: {path.name}")
            save_image_pdf(render_report_pages(report_paragraphs(path)), scan)
        scans[path.name] = scan
    return scans


def page_accuracy(reports: Sequence[Path], report: Report = quiet) -> dict[str, object]:
    """OCR character accuracy on one page of every report: clean, turned 90 degrees, noisy and blurred."""
    import numpy as np

    from qa.evaluation.scans import degrade, draw_page, typeset
    from qa.readers import ocr

    variants = {"clean": lambda image: image, "turned 90°": lambda image: image.rotate(90, expand=True),
                "noise and blur": degrade}  # fmt: skip
    scores: dict[str, list[float]] = {name: [] for name in variants}
    started = time.perf_counter()
    pages = 0
    for number, path in enumerate(reports, start=1):
        layout = typeset(report_paragraphs(path))
        if len(layout) <= ACCURACY_PAGE:
            continue
        truth = "".join(text for _x, _y, text in layout[ACCURACY_PAGE])
        image = draw_page(layout[ACCURACY_PAGE], ACCURACY_PAGE + 1)
        report(f"OCR accuracy {number}/{len(reports)}: {path.name}")
        for name, make in variants.items():
            page = ocr.recognise_page(np.asarray(make(image).convert("RGB")))
            lines, _dropped = ocr.page_lines(page, ACCURACY_PAGE + 1)
            found = "".join(line.text for line in lines if not line.text.strip().startswith("—"))  # not "— 2 —"
            scores[name].append(accuracy(found, truth))
            pages += 1
    elapsed = time.perf_counter() - started
    return {
        "pages": pages,
        "pages_per_minute": round(60 * pages / elapsed, 1) if elapsed else None,
        "by_variant": {name: {"n": len(values), "mean": round(sum(values) / len(values), 4) if values else None,
                              "min": round(min(values), 4) if values else None}
                       for name, values in scores.items()},  # fmt: skip
    }


def evaluate_rendered(options: Options, encoders: Encoders, timer: Timer, report: Report = quiet) -> dict[str, object]:
    gwr = options.shared / "corpora" / "gwr2025"
    if not gwr.is_dir():
        return {"skipped": f"{gwr} is absent"}
    every = report_files(options.data, options.shared)
    asked = {question.file for question in load_gold(options.gold)}
    reports = spread_sample([path for path in every if path.name in asked], options.scan_reports)
    chosen = {path.name for path in reports}
    every_question = load_gold(options.gold)
    on_text = [question for question in every_question if question.file in chosen]
    halves = halves_of(on_text, question_halves(every_question))  # drawn over the whole gold set
    started = time.perf_counter()
    scans = render_scans(reports, options.index_root / f"scans-data-{len(reports)}", report)
    timer.add("rendering scans", started)
    index = open_eval_index(f"scans{len(reports)}", options.index_root / f"scans-data-{len(reports)}",
                            options.config(), options, encoders, timer, report)  # fmt: skip
    questions = [_on_scan(question, scans) for question in on_text]
    index.prime(questions)
    started = time.perf_counter()
    runs = {mode: run_mode(index.retriever, questions, mode, _scan_judge) for mode in MODES}
    text_index = options.index_root / "gold-data"
    link_reports(text_index, every)  # the same reports read from their text: the gold set's index
    text = open_eval_index("gold", text_index, options.config(), options, encoders, timer, report)
    text.prime(on_text)
    from_text = {mode: run_mode(text.retriever, on_text, mode, _text_judge) for mode in MODES}
    timer.add("questions on scans", started)
    started = time.perf_counter()
    pages = page_accuracy(reports, report)
    timer.add("OCR accuracy", started)
    kinds = [question.group for question in questions]
    return {
        "questions": len(questions),
        "reports": sorted(chosen),
        "index": {"folder": str(index.folder), "documents": len(index.retriever.documents),
                  "chunks": len(index.retriever.store), "skipped_files": index.summary.skipped},  # fmt: skip
        "modes": {mode: rank_summaries(run.ranks, kinds, halves) for mode, run in runs.items()},
        "from_text": {mode: {"all": summarise(run.ranks), "halves": half_summaries(run.ranks, halves)}
                      for mode, run in from_text.items()},  # fmt: skip
        "per_question": [{"id": q.id, **{f"scan_{mode}": runs[mode].ranks[i] for mode in MODES},
                          **{f"text_{mode}": from_text[mode].ranks[i] for mode in MODES}}
                         for i, q in enumerate(on_text)],  # fmt: skip
        "ocr_accuracy": pages,
    }


def _on_scan(question: Question, scans: dict[str, Path]) -> Question:
    from dataclasses import replace

    scan = scans.get(question.file)
    return replace(question, file=scan.name if scan else question.file)


def _scan_judge(question: Question, hit) -> bool:
    return Path(hit.citation.file).name == question.file and _holds(hit.text, question.answer or "")


def _text_judge(question: Question, hit) -> bool:
    return same_file_name(hit.citation.file, question.file) and _holds(hit.text, question.answer or "")


def _holds(passage: str, answer: str) -> bool:
    """The gold string in the passage, Unicode width aside: OCR reads the report's ％ and ， as % and ,
    (the search does not care: its tokens leave punctuation out), which is not a miss."""
    return contains_answer(unicodedata.normalize("NFKC", passage), unicodedata.normalize("NFKC", answer))
