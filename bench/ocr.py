"""OCR benchmark: speed of the whole scanned-PDF path beside the bare engine on the same page images
in the same run, character accuracy on pages rendered from the 2025 government work reports
(clean, turned 90°, with mild noise and blur), the confidence threshold, and peak memory.

    .venv/bin/python -m bench.ocr [--reports 3] [--pages 2] [--out bench/results/ocr.json]

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=3, help="reports of the 31 to render (default 3)")
    parser.add_argument("--pages", type=int, default=2, help="pages of each report (default 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ocr.json")
    args = parser.parse_args(argv)

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
