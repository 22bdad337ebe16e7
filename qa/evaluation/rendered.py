"""The evaluator on rendered scans: the gold set's reports typeset onto page images in three
layouts (a 公文 page, a news column, two columns; :mod:`qa.evaluation.scans`) at 150 and 200 dpi,
saved as image-only PDFs, read back by OCR and indexed; then, for every layout and resolution:

- retention: the share of each report's body (the cleaned text of the report read from its text)
  that the scan's cleaned text keeps, by matching blocks of the two (white space, width and the
  " | " of table rows aside), and the body lines found in the scan's ``removed`` (must be none);
- the gold questions of those reports against the index of scans, a passage counting when it is
  from the report's scan, holds the gold string and its pages include the page the answer is
  typeset on; beside the same questions over the same reports read from their text (the bar:
  within 0.02);
- a four-page disciplinary decision (eval/decision.tsv) in the 公文 layout, red seal over its last
  page: its last page must be in the index, and its question answered from that page.

And the OCR's character accuracy on one page of the first reports, clean, turned 90 degrees and
with mild noise and blur. The scans are kept in the index root and OCR results in each index's
ocr-cache, so a rerun costs only the questions. The two samples are always scanned; of the 31
government work reports, ``--scan-reports`` (default 5, spread over them); each is 50-60 pages a
layout set at both resolutions, ~12 minutes of OCR on two cores.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from qa.evaluation.datasets import Question, link_reports, load_gold, question_halves, report_files
from qa.evaluation.indexes import Encoders, Report, quiet
from qa.evaluation.metrics import contains_answer, same_file_name, spread_sample, summarise
from qa.evaluation.runner import MODES, Options, Timer, half_summaries, halves_of, open_eval_index, run_mode

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
        "by_variant": {
            name: {
                "n": len(values),
                "mean": round(sum(values) / len(values), 4) if values else None,
                "min": round(min(values), 4) if values else None,
            }
            for name, values in scores.items()
        },  # fmt: skip
    }


LAYOUT_NAMES = ("official", "news", "columns")
DPIS = (150, 200)
DECISION = Path("eval/decision.tsv")
DECISION_QUESTION = "对主播“小鹿爱生活”作出了什么处理？期限多长？"
DECISION_ANSWER = "加入网络主播黑名单，期限为终身"


def fold_body(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKC", text) if not char.isspace() and char != "|")


def retained_share(body: str, found: str) -> float:
    """Share of ``body``'s characters that ``found`` keeps, in order (matching blocks of the two)."""
    import difflib

    truth, kept = fold_body(body), fold_body(found)
    if not truth:
        return 1.0
    matcher = difflib.SequenceMatcher(None, truth, kept, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(truth)


def body_lines_removed(removed, body: str, title: str) -> list[str]:
    """Removed lines that are body text: eight characters or more, 90 % of whose character pairs
    are in the body (OCR may misread one in twenty), and not the title (a running header repeats
    it). A masthead ("中国网络视听行业协会文件") shares 80 % of its pairs with a body that names the
    association, and is not body."""
    truth = fold_body(body)
    pairs = {truth[index : index + 2] for index in range(len(truth) - 1)}
    found = []
    for line in removed:
        text = fold_body(line.text)
        if len(text) < 8 or text in fold_body(title):
            continue
        own = [text[index : index + 2] for index in range(len(text) - 1)]
        if sum(pair in pairs for pair in own) >= 0.9 * len(own):
            found.append(line.text)
    return found


def scan_reports(options: Options) -> list[Path]:
    """The two samples and ``options.scan_reports`` of the government work reports, spread over them."""
    every = report_files(options.data, options.shared)
    asked = {question.file for question in load_gold(options.gold)}
    samples = [path for path in every if path.suffix == ".txt" and path.name in asked]
    reports = [path for path in every if path.suffix != ".txt" and path.name in asked]
    return samples + spread_sample(reports, options.scan_reports)


def evaluate_rendered(options: Options, encoders: Encoders, timer: Timer, report: Report = quiet) -> dict[str, object]:
    from qa.evaluation.scans import LAYOUTS, document_blocks, load_blocks, save_image_pdf, typeset_document

    gwr = options.shared / "corpora" / "gwr2025"
    if not gwr.is_dir():
        return {"skipped": f"{gwr} is absent"}
    reports = scan_reports(options)
    chosen = {path.name for path in reports}
    every_question = load_gold(options.gold)
    on_text = [question for question in every_question if question.file in chosen]
    halves = halves_of(on_text, question_halves(every_question))  # drawn over the whole gold set
    sources = {path.name: document_blocks(path) for path in reports}  # blocks, body
    started = time.perf_counter()
    text_index = options.index_root / "gold-data"
    link_reports(text_index, report_files(options.data, options.shared))  # the gold set's index
    text = open_eval_index("gold", text_index, options.config(), options, encoders, timer, report)
    text.prime(on_text)
    from_text = {mode: run_mode(text.retriever, on_text, mode, _text_judge) for mode in MODES}
    timer.add("questions on text", started)
    layouts: dict[str, object] = {}
    decision: dict[str, object] = {}
    for name in options.scan_layouts or LAYOUT_NAMES:
        for dpi in options.scan_dpis or DPIS:
            layout = LAYOUTS[name].with_dpi(dpi)
            key = f"{name}@{dpi}"
            folder = options.index_root / f"scans-{name}-{dpi}-{len(reports)}"
            folder.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            rendered, bodies, titles = {}, {}, {}
            for path in reports:
                blocks, body = sources[path.name]
                scan = folder / f"{path.stem}.pdf"
                rendered[scan.name] = typeset_document(blocks, layout, blocks[0].text)
                bodies[scan.name], titles[scan.name] = body, blocks[0].text
                _save_if_changed(rendered[scan.name].images(), scan, dpi, save_image_pdf)
            if name == "official" and DECISION.is_file():
                blocks = load_blocks(DECISION)
                scan = folder / "decision.pdf"
                rendered[scan.name] = typeset_document(blocks, layout)
                _save_if_changed(rendered[scan.name].images(seal=_seal(blocks)), scan, dpi, save_image_pdf)
            timer.add("rendering scans", started)
            report(f"scans {key}: {sum(len(item.pages) for item in rendered.values())} pages")
            index = open_eval_index(f"scans-{name}{dpi}-{len(reports)}", folder, options.config(), options, encoders,
                                    timer, report)  # fmt: skip
            started = time.perf_counter()
            kept = _retention(folder, bodies, titles, index.folder)
            questions = [_on_scan(question, {path.name: folder / f"{path.stem}.pdf" for path in reports})
                         for question in on_text]  # fmt: skip
            pages = {question.id: rendered[question.file].page_of(question.answer or "") for question in questions}
            index.prime(questions)

            def judge(question: Question, hit, pages=pages) -> bool:
                page = pages.get(question.id)
                return _scan_judge(question, hit) and (page is None or _on_page(hit, page))

            runs = {mode: run_mode(index.retriever, questions, mode, judge) for mode in MODES}
            timer.add("questions on scans", started)
            layouts[key] = {
                "pages": sum(len(item.pages) for item in rendered.values()),
                "documents": len(index.retriever.documents),
                "skipped_files": index.summary.skipped,
                "retention": kept,
                "modes": {mode: summarise(run.ranks) for mode, run in runs.items()},
                "halves": {mode: half_summaries(run.ranks, halves) for mode, run in runs.items()},
                "per_question": [{"id": q.id, "page": pages[q.id], "scan_hybrid": runs["hybrid"].ranks[i],
                                  "text_hybrid": from_text["hybrid"].ranks[i]} for i, q in enumerate(questions)],
            }  # fmt: skip
            if "decision.pdf" in rendered:
                decision[key] = _decision(index, folder / "decision.pdf", rendered["decision.pdf"])
    started = time.perf_counter()
    accuracy = page_accuracy(reports[:3], report)
    timer.add("OCR accuracy", started)
    return {
        "questions": len(on_text),
        "reports": sorted(chosen),
        "from_text": {mode: summarise(run.ranks) for mode, run in from_text.items()},
        "from_text_halves": {mode: half_summaries(run.ranks, halves) for mode, run in from_text.items()},
        "layouts": layouts,
        "decision": decision,
        "ocr_accuracy": accuracy,
    }


def _seal(blocks) -> str | None:
    return next((block.text for block in blocks if block.kind == "signature"), None)


def _save_if_changed(images, path: Path, dpi: int, save) -> None:
    """Write the scan unless the same one is there (an index then sees an unchanged file)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        fresh = save(images, Path(folder) / path.name, dpi=dpi)
        data = fresh.read_bytes()
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def _on_page(hit, page: int) -> bool:
    first = hit.citation.page
    return first is not None and first <= page <= (hit.citation.page_end or first)


def _retention(folder: Path, bodies: dict[str, str], titles: dict[str, str], index: Path) -> dict[str, object]:
    """Each scan's retention of its report's body and the body lines in its ``removed``."""
    from qa.documents import load_document
    from qa.store import ocr_cache_dir

    by_document = {}
    for name, body in bodies.items():
        document = load_document(folder / name, ocr_cache=ocr_cache_dir(index))  # the index's OCR, cached
        by_document[name] = {
            "retention": round(retained_share(body, document.text), 4),
            "kept_share": round(document.retention.ratio, 4) if document.retention else None,
            "removed_lines": len(document.removed),
            "body_lines_removed": body_lines_removed(document.removed, body, titles[name]),
        }
    shares = [entry["retention"] for entry in by_document.values()]
    return {
        "lowest": min(shares) if shares else None,
        "mean": round(sum(shares) / len(shares), 4) if shares else None,
        "body_lines_removed": sum(len(entry["body_lines_removed"]) for entry in by_document.values()),
        "by_document": by_document,
    }


def _decision(index, scan: Path, rendered) -> dict[str, object]:
    """The decision's last page in the index, and its question answered from that page."""
    from qa.documents import load_document
    from qa.retrieval import SearchConfig
    from qa.store import ocr_cache_dir

    last = len(rendered.pages)
    document = load_document(scan, ocr_cache=ocr_cache_dir(index.folder))
    on_last = [line for line in document.lines if line.page == last or any(p == last for _, p in line.page_breaks)]
    hits = index.retriever.search(DECISION_QUESTION, k=5, config=SearchConfig(mode="hybrid"))
    answer_page = rendered.page_of(DECISION_ANSWER)
    rank = next((number for number, hit in enumerate(hits, start=1)
                 if hit.citation.file == scan.name and _holds(hit.text, DECISION_ANSWER)
                 and _on_page(hit, answer_page or last)), None)  # fmt: skip
    return {
        "pages": last,
        "answer_page": answer_page,
        "last_page_lines": len(on_last),
        "last_page_found": bool(on_last) and _holds(document.text, DECISION_ANSWER),
        "answer_rank": rank,
        "trailer": {key: document.extra.get(key) for key in ("signed_by", "signed_date", "copied_to", "printed_by")},
    }


def _on_scan(question: Question, scans: dict[str, Path]) -> Question:
    from dataclasses import replace

    scan = scans.get(question.file)
    return replace(question, file=scan.name if scan else question.file)


def _scan_judge(question: Question, hit) -> bool:
    return Path(hit.citation.file).name == question.file and _holds(hit.text, question.answer or "")


def _text_judge(question: Question, hit) -> bool:
    return same_file_name(hit.citation.file, question.file) and _holds(hit.text, question.answer or "")


_QUOTES = str.maketrans("", "", "‘’“”'\"「」『』")


def _holds(passage: str, answer: str) -> bool:
    """The gold string in the passage, Unicode width and quotation marks aside: OCR reads the report's
    ％ and ， as % and , and misses a thin ‘ now and then ("700余件网络文明’微课作品"); the search
    does not care (its tokens leave punctuation out), and neither does a reader."""
    found, wanted = (unicodedata.normalize("NFKC", text).translate(_QUOTES) for text in (passage, answer))
    return contains_answer(found, wanted)
