"""The PDF text extractors compared on the four real PDFs: ``python -m bench.pdf_extractors [--shared DIR]``.

For pypdfium2 (PDFium, the one qa.readers.pdf uses), pypdf and pdfplumber: seconds to extract every page's text
(best of 3), the characters kept, the CJK characters kept, characters that are unmapped or private-use, and
"spaced-out" runs (three or more CJK characters each followed by a space: 加 大 创 业, a justified line
extracted glyph by glyph). Writes bench/results/pdf_extractors.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
_CJK = re.compile(r"[\u3400-\u9fff]")
_BAD = re.compile(r"[\ue000-\uf8ff\ufffd]|\(cid:\d+\)")
_SPACED = re.compile(r"(?:[\u3400-\u9fff] ){3,}[\u3400-\u9fff]")


def with_pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def with_pypdf(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def with_pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as document:
        return [page.extract_text() or "" for page in document.pages]


EXTRACTORS = {"pypdfium2": with_pdfium, "pypdf": with_pypdf, "pdfplumber": with_pdfplumber}


def measure(path: Path, extract) -> dict[str, object]:
    best = None
    pages: list[str] = []
    for _round in range(3):
        started = time.perf_counter()
        pages = extract(path)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    text = "\n".join(pages)
    return {"seconds": round(best or 0.0, 3), "pages": len(pages), "characters": len(text),
            "cjk": len(_CJK.findall(text)), "unmapped": len(_BAD.findall(text)),
            "spaced_runs": len(_SPACED.findall(text))}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = parser.parse_args(argv)
    folder = args.shared / "corpora" / "pdf"
    files = sorted(folder.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {folder}", file=sys.stderr)
        return 2
    results = {path.name: {name: measure(path, extract) for name, extract in EXTRACTORS.items()} for path in files}
    for name, by_extractor in results.items():
        print(name)
        for extractor, figures in by_extractor.items():
            print(f"  {extractor:<11} {figures['seconds']:7.3f} s  {figures['pages']:>3} pages  "
                  f"{figures['characters']:>7} chars  {figures['cjk']:>7} CJK  {figures['unmapped']:>4} unmapped  "
                  f"{figures['spaced_runs']:>4} spaced runs")  # fmt: skip
    totals = {extractor: round(sum(r[extractor]["seconds"] for r in results.values()), 3) for extractor in EXTRACTORS}
    print("total seconds: " + ", ".join(f"{name} {seconds}" for name, seconds in totals.items()))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pdf_extractors.json").write_text(
        json.dumps({"files": results, "total_seconds": totals}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
