"""OCR benchmark: speed of the whole scanned-PDF path beside the bare engine on the same page images
in the same run, character accuracy on pages rendered from the 2025 government work reports
(clean, turned 90°, with mild noise and blur), the confidence threshold, and peak memory.

    .venv/bin/python -m bench.ocr [--reports 3] [--pages 2] [--out bench/results/ocr.json]
    .venv/bin/python -m bench.ocr --settings-only [--repeat 2] [--settings-out bench/results/ocr-settings.json]

The settings comparison (always run; alone with ``--settings-only``) reads dense rendered pages
(the 公文 decision of eval/decision.tsv, quotation marks, 《》 and numbers; the Hubei sample in the
news column and as a 公文 at 200 dpi) with rapidocr's defaults (the engine called as it comes),
with the settings of before this comparison (our parameters, each line turned as the direction
classifier says), and with today's (the page turned as a whole): characters read, accuracy and
pages a minute, the three taking turns on each page so that the machine's load hits them alike.

Pages are the reports' text (read with python-docx from ../shared/corpora/gwr2025) typeset by
qa/evaluation/scans.py with Debian's Noto CJK font at 150 dpi, A4, 13-point type. "Bare engine" is
rapidocr with its defaults called on each page image (RGB→BGR array); "whole path" is
``read_file`` on an image-only PDF of the same pages: PDFium rendering, the page judgement,
seal removal, orientation, detection, classification, recognition, reading order, paragraphs
(no cache). Accuracy is 1 - edit distance / length over the page's characters, whitespace
removed and punctuation folded to one width (NFKC).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.evaluation.rendered import accuracy  # noqa: E402 (1 - edit distance / characters, width and space aside)

REPORTS = ROOT.parent / "shared" / "corpora" / "gwr2025"
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


def report_paragraphs(path: Path) -> list[str]:
    import docx

    return [paragraph.text.strip() for paragraph in docx.Document(str(path)).paragraphs if paragraph.text.strip()]


def page_truth(lines) -> str:
    return "".join(text for _, _, text in lines)


def _peak_rss_reading(pages) -> float:
    """Peak RSS of a fresh process that reads an image-only PDF of ``pages`` (OCR, no cache)."""
    import subprocess

    from qa.evaluation.scans import save_image_pdf

    with tempfile.TemporaryDirectory() as folder:
        pdf = save_image_pdf([image for _, _, image, _ in pages], Path(folder) / "scan.pdf")
        code = (
            # VmHWM, not getrusage: a child's ru_maxrss starts from its parent's at fork
            "import sys; from pathlib import Path; from qa.readers import read_file; read_file(Path(sys.argv[1])); "
            "print([line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')][0])"
        )
        output = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, cwd=ROOT)
        return round(int(output.stdout.strip().splitlines()[-1]) / 1024, 1)


def dense_pages() -> list[tuple[str, object, str]]:
    """(name, image, truth) of the dense pages the settings are compared on."""
    from qa.evaluation.scans import DECISION_SEAL, LAYOUTS, document_blocks, load_blocks, typeset_document

    pages = []
    decision = typeset_document(load_blocks(ROOT / "eval" / "decision.tsv"), LAYOUTS["official"])
    for number, image in enumerate(decision.images(seal=DECISION_SEAL)[:3]):
        pages.append((f"decision p{number + 1}", image, _truth(decision.pages[number])))
    blocks, _body = document_blocks(ROOT / "data" / "hubei-2024-online-civility.txt")
    for name, layout in (
        ("hubei news p1", LAYOUTS["news"]),
        ("hubei 公文 200 dpi p1", LAYOUTS["official"].with_dpi(200)),
    ):
        rendered = typeset_document(blocks, layout, blocks[0].text)
        pages.append((name, rendered.images()[0], _truth(rendered.pages[0])))
    return pages


def _truth(lines) -> str:
    return "".join(line.text for line in lines if line.role not in ("page_number", "header"))


def compare_settings(repeat: int = 1) -> dict[str, object]:
    """rapidocr's defaults, the settings before this comparison and today's, on the dense pages."""
    import numpy as np
    from rapidocr import RapidOCR

    from qa.readers import ocr

    settings = {  # name: (engine parameters, each line turned by the classifier, confidence threshold)
        "rapidocr defaults": ({"Global.log_level": "error"}, True, 0.5),
        "before (box 0.3, detection at 1280, lines turned one by one)": (ocr.ENGINE_PARAMS, True, ocr.MIN_CONFIDENCE),
        "today (the page turned as a whole)": (ocr.ENGINE_PARAMS, False, ocr.MIN_CONFIDENCE),
    }  # fmt: skip
    engines = {name: RapidOCR(params=dict(params)) for name, (params, _, _) in settings.items()}
    pages = dense_pages()
    results = {name: {"chars": 0, "accuracy": [], "seconds": 0.0} for name in settings}
    names = list(settings)
    for name in names:  # load the models and run each once before timing
        ocr.recognise_page(np.asarray(pages[0][1].convert("RGB")), using=engines[name])
    for round_number in range(repeat):
        for position, (_name, image, truth) in enumerate(pages):
            array = ocr.fit_for_ocr(image)
            turn = (position + round_number) % len(names)
            for name in names[turn:] + names[:turn]:  # the settings take turns going first
                _params, per_line, threshold = settings[name]
                started = time.perf_counter()
                page = ocr.recognise_page(array, using=engines[name], per_line_direction=per_line)
                lines, _dropped = ocr.page_lines(page, 1, threshold)
                results[name]["seconds"] += time.perf_counter() - started
                text = "".join(line.text for line in lines if not line.text.strip().strip("—-– ").isdigit())
                if round_number == 0:
                    results[name]["chars"] += len("".join(text.split()))
                    results[name]["accuracy"].append(round(accuracy(text, truth), 4))
    summary = {}
    for name, entry in results.items():
        summary[name] = {
            "chars_read": entry["chars"],
            "accuracy_mean": round(sum(entry["accuracy"]) / len(entry["accuracy"]), 4),
            "accuracy_by_page": dict(zip([page[0] for page in pages], entry["accuracy"], strict=True)),
            "pages_per_min": round(60 * len(pages) * repeat / entry["seconds"], 2),
        }
        print(f"{name}: {entry['chars']} characters, accuracy {summary[name]['accuracy_mean']:.4f}, "
              f"{summary[name]['pages_per_min']:.2f} pages/min", flush=True)  # fmt: skip
    truth_chars = sum(len("".join(truth.split())) for _, _, truth in pages)
    return {"pages": [page[0] for page in pages], "truth_chars": truth_chars, "repeat": repeat, "settings": summary}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=3, help="reports of the 31 to render (default 3)")
    parser.add_argument("--pages", type=int, default=2, help="pages of each report (default 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ocr.json")
    parser.add_argument("--settings-only", action="store_true", help="only compare OCR settings on dense pages")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the settings comparison (default 1)")
    parser.add_argument("--settings-out", type=Path, default=ROOT / "bench" / "results" / "ocr-settings.json")
    args = parser.parse_args(argv)
    load = Path("/proc/loadavg").read_text().split()[:3]
    compared = compare_settings(args.repeat)
    compared["machine"] = f"{platform.machine()}, Python {platform.python_version()}, load average {' '.join(load)}"
    args.settings_out.parent.mkdir(parents=True, exist_ok=True)
    args.settings_out.write_text(json.dumps(compared, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.settings_out}")
    if args.settings_only:
        return 0

    import numpy as np
    from rapidocr import RapidOCR

    from qa.evaluation.scans import PageStyle, degrade, draw_page, save_image_pdf, typeset
    from qa.readers import ocr, read_file

    if not REPORTS.is_dir():
        print(f"{REPORTS} is absent: the 31 reports live in ../shared/corpora/gwr2025")
        return 1
    began = time.perf_counter()
    style = PageStyle()
    reports = sorted(REPORTS.glob("*.docx"))[:: max(1, 31 // args.reports)][: args.reports]
    pages = []  # (report, number, image, truth)
    for report in reports:
        laid = typeset(report_paragraphs(report), style)[: args.pages]
        for number, lines in enumerate(laid, start=1):
            pages.append((report.stem, number, draw_page(lines, number, style), page_truth(lines)))
    variants = {
        "clean": lambda image: image,
        "rotated 90°": lambda image: image.rotate(90, expand=True),
        "noise + blur": lambda image: degrade(image, noise=12, blur=0.8),
    }
    bare = RapidOCR(params={"Global.log_level": "error"})
    ocr.engine()  # load both engines and run each once on a real page before timing
    warm = pages[0][2]
    bare(np.ascontiguousarray(np.asarray(warm)[..., ::-1]))
    ocr.recognise_page(np.asarray(warm))

    load = Path("/proc/loadavg").read_text().split()[:3]
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}, load average {' '.join(load)}",
        "pages": len(pages),
        "reports": [report.stem for report in reports],
        "style": {"dpi": 150, "width": style.width, "height": style.height, "font_px": style.font_size},
        "engine_params": ocr.ENGINE_PARAMS,
        "min_confidence": ocr.MIN_CONFIDENCE,
        "variants": {},
    }
    for name, make in variants.items():
        images = [make(image) for _, _, image, _ in pages]
        truths = [truth for _, _, _, truth in pages]
        # The bare engine on each page image and the whole path on a one-page image-only PDF of it,
        # alternating which goes first, so that a change in the machine's load hits both alike.
        bare_seconds = path_seconds = 0.0
        bare_texts, path_texts = [], []
        with tempfile.TemporaryDirectory() as folder:
            for position, image in enumerate(images):
                pdf = save_image_pdf([image], Path(folder) / f"page-{position}.pdf")
                array = np.ascontiguousarray(np.asarray(image.convert("RGB"))[..., ::-1])
                for turn in (0, 1) if position % 2 == 0 else (1, 0):
                    started = time.perf_counter()
                    if turn == 0:
                        output = bare(array)
                        bare_seconds += time.perf_counter() - started
                        bare_texts.append("".join(output.txts or ()))
                    else:
                        raw = read_file(pdf)
                        path_seconds += time.perf_counter() - started
                        path_texts.append("".join(line.text for line in raw.lines))
        # the same recognised pages at each confidence threshold (recognised once more, for the items)
        by_threshold = {}
        items = [ocr.recognise_page(np.asarray(image.convert("RGB"))) for image in images]
        for threshold in THRESHOLDS:
            texts = ["".join(line.text for line in ocr.page_lines(page, 1, threshold)[0]) for page in items]
            dropped = sum(ocr.page_lines(page, 1, threshold)[1] for page in items)
            by_threshold[str(threshold)] = {
                "accuracy": round(
                    float(np.mean([accuracy(t, truth) for t, truth in zip(texts, truths, strict=True)])), 4
                ),
                "boxes_dropped": dropped,
            }
        low = [item for page in items for item in page.items if item.confidence < ocr.MIN_CONFIDENCE]
        results["variants"][name] = {
            "bare_engine_pages_per_min": round(60 * len(images) / bare_seconds, 2),
            "whole_path_pages_per_min": round(60 * len(images) / path_seconds, 2),
            "ratio_whole_to_bare": round(bare_seconds / path_seconds, 3),
            "bare_engine_accuracy": round(
                float(np.mean([accuracy(t, truth) for t, truth in zip(bare_texts, truths, strict=True)])), 4
            ),
            "whole_path_accuracy": round(
                float(np.mean([accuracy(t, truth) for t, truth in zip(path_texts, truths, strict=True)])), 4
            ),
            "by_threshold": by_threshold,
            "boxes": sum(len(page.items) for page in items),
            "boxes_below_threshold": [[item.text, round(item.confidence, 3)] for item in low][:20],
            "rotation_found": [page.rotation for page in items],
        }
        print(f"{name:>13}: bare {results['variants'][name]['bare_engine_pages_per_min']:.1f} pages/min, "
              f"whole path {results['variants'][name]['whole_path_pages_per_min']:.1f} pages/min "
              f"(x{results['variants'][name]['ratio_whole_to_bare']:.2f}); accuracy bare "
              f"{results['variants'][name]['bare_engine_accuracy']:.4f}, whole path "
              f"{results['variants'][name]['whole_path_accuracy']:.4f}; by threshold "
              + ", ".join(f"{key}: {value['accuracy']:.4f}" for key, value in by_threshold.items()),
              flush=True)  # fmt: skip
    results["peak_rss_mb_benchmark"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["seconds"] = round(time.perf_counter() - began, 1)
    results["peak_rss_mb_reading_a_scan"] = _peak_rss_reading(pages)
    print(
        f"peak RSS: reading a {len(pages)}-page scanned PDF in a fresh process "
        f"{results['peak_rss_mb_reading_a_scan']} MB (this benchmark, two engines: "
        f"{results['peak_rss_mb_benchmark']} MB); {results['machine']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
