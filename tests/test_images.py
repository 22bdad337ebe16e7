"""Scans and photos as reports: a .png page, the same page turned 90° and 180°, a multi-page TIFF,
and bad images (blank, corrupt, 200 megapixels) with a clear message in bounded time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from qa.chunking import chunk_document
from qa.documents import load_document
from qa.errors import DocumentError
from qa.evaluation.scans import PageStyle, cjk_font_file, render_report_pages, text_paragraphs
from qa.readers import SUPPORTED_SUFFIXES, ocr, read_file
from qa.text import to_simplified
from tests.conftest import HUBEI

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
ANSWER = "违规直播间5263个"


def test_image_suffixes_are_registered() -> None:
    assert set(IMAGE_SUFFIXES) <= set(SUPPORTED_SUFFIXES)


def test_a_blank_image_says_so_without_running_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("RGB", (1240, 1754), "white").save(path)
    before = ocr.stats.recognised
    with pytest.raises(DocumentError, match="no text found: the image is blank"):
        read_file(path)
    assert ocr.stats.recognised == before


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".tif", ".webp", ".bmp"])
def test_a_corrupt_image_is_reported(tmp_path: Path, suffix: str) -> None:
    from qa.evaluation.scans import png_bytes

    whole = tmp_path / f"whole{suffix}"
    Image.new("RGB", (600, 800), (200, 200, 200)).save(whole)
    data = whole.read_bytes()
    broken = tmp_path / f"broken{suffix}"
    broken.write_bytes(data[: len(data) // 3] if suffix != ".bmp" else data[:40])
    with pytest.raises(DocumentError, match="image"):
        read_file(broken)
    garbage = tmp_path / f"garbage{suffix}"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + png_bytes(Image.new("L", (4, 4)))[8:20] + bytes(range(256)) * 4)
    with pytest.raises(DocumentError):
        read_file(garbage)


def test_a_200_megapixel_image_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    import psutil

    path = tmp_path / "huge.png"
    Image.new("1", (20000, 10000), 1).save(path, optimize=True)  # a few kilobytes on disk
    assert path.stat().st_size < 1_000_000
    rss = psutil.Process().memory_info().rss
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="megapixels"):
        read_file(path)
    assert time.perf_counter() - started < 5
    assert psutil.Process().memory_info().rss - rss < 100_000_000  # never decoded (it would take 600 MB)


needs_ocr = pytest.mark.skipif(
    cjk_font_file() is None, reason="no CJK font to draw test scans: apt-get install fonts-noto-cjk"
)


@pytest.fixture(scope="module")
def answer_page() -> Image.Image:
    """Page 2 of the Hubei sample typeset as a scan: the page that holds the 5263 sentence."""
    pytest.importorskip("rapidocr", reason="the OCR engine (rapidocr) is not installed: pip install -e .")
    return render_report_pages(text_paragraphs(HUBEI))[1]


def answer_chunk(path: Path):
    document = load_document(path)
    chunks = [chunk for chunk in chunk_document(document) if ANSWER in to_simplified(chunk.text)]
    assert len(chunks) == 1, document.text[-600:]
    return document, chunks[0]


@needs_ocr
@pytest.mark.slow
def test_a_png_page_is_read_by_ocr(tmp_path: Path, answer_page: Image.Image) -> None:
    path = tmp_path / "page.png"
    answer_page.save(path)
    document, chunk = answer_chunk(path)
    assert chunk.page == 1 and chunk.ocr and chunk.ocr_confidence > 0.9
    assert document.extra["ocr_pages"] == "1"
    sections = [part for chunk in chunk_document(document) for part in chunk.section]
    assert any(part.startswith("網絡空間愈發天朗氣清") for part in sections)  # headings found as elsewhere


@needs_ocr
@pytest.mark.slow
@pytest.mark.parametrize("angle", [90, 180])
def test_a_page_turned_on_its_side_or_upside_down_is_read_right(
    tmp_path: Path, answer_page: Image.Image, angle: int
) -> None:
    path = tmp_path / f"turned-{angle}.jpg"
    answer_page.rotate(angle, expand=True).save(path, quality=90)
    _, chunk = answer_chunk(path)
    assert chunk.page == 1 and chunk.ocr
    lines = [line for line in chunk.text.split("\n") if line]
    assert to_simplified(lines[0]).startswith("开展")  # read top to bottom, the right way up


@needs_ocr
@pytest.mark.slow
def test_a_multi_page_tiff_is_read_as_pages(tmp_path: Path) -> None:
    pytest.importorskip("rapidocr", reason="the OCR engine (rapidocr) is not installed")
    style = PageStyle(height=700, page_numbers=False)
    first = render_report_pages(["一、总体情况", "全省网络文明建设取得新进展，网民素养持续提升。"], style)[0]
    second = render_report_pages(["二、清朗行动", "处理违规直播间5263个，处置账号6169个。"], style)[0]
    path = tmp_path / "two-pages.tif"
    first.save(path, save_all=True, append_images=[second], compression="tiff_deflate")
    document = load_document(path)
    pages = {document.text[line.start : line.end]: line.page for line in document.lines}
    assert document.title == "一、总体情况"  # the first line of page 1
    assert pages.get("全省网络文明建设取得新进展，网民素养持续提升。") == 1 and pages.get("二、清朗行动") == 2
    assert any(ANSWER in to_simplified(chunk.text) and chunk.page == 2 for chunk in chunk_document(document))


@needs_ocr
@pytest.mark.slow
def test_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    from PIL import ImageDraw

    from qa.evaluation.scans import cjk_font

    pytest.importorskip("rapidocr", reason="the OCR engine (rapidocr) is not installed")
    image = Image.new("RGB", (1240, 900), "white")
    draw = ImageDraw.Draw(image)
    font = cjk_font(26)
    left = [f"左栏第{n}行：网络文明建设取得新进展" for n in range(1, 7)]
    right = [f"右栏第{n}行：处理违规直播间{n}个" for n in range(1, 7)]
    for row in range(6):
        draw.text((90, 120 + 60 * row), left[row], font=font, fill="black")
        draw.text((690, 120 + 60 * row), right[row], font=font, fill="black")
    path = tmp_path / "columns.png"
    image.save(path)
    text = read_file(path).lines
    order = [line.text[:5] for line in text]
    assert order == [f"左栏第{n}行" for n in range(1, 7)] + [f"右栏第{n}行" for n in range(1, 7)], order


def test_a_pdf_page_holding_a_200_megapixel_image_is_refused(tmp_path: Path) -> None:
    import psutil

    path = tmp_path / "bomb.pdf"
    Image.new("1", (20000, 10000), 1).save(path, "PDF", resolution=300)  # a scan of nothing, 200 megapixels
    rss = psutil.Process().memory_info().rss
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="megapixels"):
        read_file(path)
    assert time.perf_counter() - started < 10
    assert psutil.Process().memory_info().rss - rss < 150_000_000
