"""Scanned PDFs read by OCR: the Hubei sample typeset onto page images (an image-only PDF), a PDF
whose middle page is a scan, a page whose text layer is glyph-name garbage; seals give no text;
the OCR cache; an engine that cannot load. Real rendering and the real engine, no mocks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from qa.chunking import chunk_document
from qa.documents import load_document
from qa.errors import DocumentError
from qa.evaluation.scans import PageStyle, add_seal, cjk_font_file, render_report_pages, save_image_pdf, text_paragraphs
from qa.readers import ocr
from qa.text import to_simplified
from tests.conftest import HUBEI

pytest.importorskip("rapidocr", reason="the OCR engine (rapidocr) is not installed: pip install -e .")
if cjk_font_file() is None:
    pytest.skip("no CJK font to draw test scans: apt-get install fonts-noto-cjk", allow_module_level=True)

ANSWER = "违规直播间5263个"


def answer_chunks(document):
    return [chunk for chunk in chunk_document(document) if ANSWER in to_simplified(chunk.text).replace(",", "，")]


@pytest.fixture(scope="module")
def hubei_pages():
    pages = render_report_pages(text_paragraphs(HUBEI))
    assert len(pages) == 3
    # the stamp of the issuing office at the end, as on a stamped copy
    pages[2] = add_seal(pages[2], (pages[2].width - 320, pages[2].height - 330))
    return pages


@pytest.fixture(scope="module")
def hubei_scan(tmp_path_factory, hubei_pages):
    folder = tmp_path_factory.mktemp("scan")
    path = save_image_pdf(hubei_pages, folder / "hubei-scan.pdf")
    cache = folder / "ocr-cache"
    events: list[tuple[str, int, int]] = []
    before = ocr.stats.recognised
    started = time.perf_counter()
    document = load_document(path, ocr_cache=cache, progress=lambda *event: events.append(event))
    return {
        "path": path,
        "cache": cache,
        "document": document,
        "events": events,
        "recognised": ocr.stats.recognised - before,
        "seconds": time.perf_counter() - started,
    }


@pytest.mark.slow
def test_scanned_pdf_answers_with_the_right_page_and_the_ocr_mark(hubei_scan) -> None:
    document = hubei_scan["document"]
    chunks = answer_chunks(document)
    assert chunks, document.text[-800:]
    (chunk,) = chunks
    assert chunk.page == 2  # the 5263 sentence is typeset on page 2
    assert chunk.ocr and 0.9 <= chunk.ocr_confidence <= 1.0
    assert document.extra["ocr_pages"] == "3"
    assert all(item.ocr_confidence is not None for item in chunk_document(document))
    assert document.title == "湖北:網聚文明力量締造美好生活"


@pytest.mark.slow
def test_scan_progress_is_reported_per_page(hubei_scan) -> None:
    assert [event for event in hubei_scan["events"] if event[0] == "ocr"] == [("ocr", n, 3) for n in range(4)]
    assert hubei_scan["recognised"] == 3


@pytest.mark.slow
def test_page_numbers_of_the_scan_are_removed(hubei_scan) -> None:
    document = hubei_scan["document"]
    assert sum(1 for line in document.removed if line.text.strip("—－- ").isdigit()) == 3
    for chunk in chunk_document(document):
        assert not any(line.strip("—－- ").isdigit() for line in chunk.text.split("\n"))


@pytest.mark.slow
def test_the_seal_gives_no_text(hubei_scan) -> None:
    text = to_simplified(hubei_scan["document"].text)
    assert "网络文明办公室" not in text and "文明办公" not in text
    assert "省委网信办表示" in text  # the text around the seal is still read


@pytest.mark.slow
def test_a_second_read_uses_the_ocr_cache(hubei_scan) -> None:
    assert len(list(hubei_scan["cache"].rglob("*.json"))) == 3
    before = ocr.stats.recognised
    started = time.perf_counter()
    again = load_document(hubei_scan["path"], ocr_cache=hubei_scan["cache"])
    assert ocr.stats.recognised == before  # the engine did not run
    assert again.text == hubei_scan["document"].text
    assert time.perf_counter() - started < hubei_scan["seconds"] / 3


def _text_and_scan_pdf(path: Path, page_image, garbage_layer: bool = False) -> Path:
    """Pages 1 and 3 with a text layer; page 2 an image (with a glyph-name text layer if asked)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    texts = {1: "第一页的正文：全省网络文明建设取得新进展。", 3: "第三页的正文：下一步将健全体制机制。"}
    for number in (1, 2, 3):
        if number == 2:
            pdf.drawImage(ImageReader(page_image), 0, 0, width=595, height=842)
            if garbage_layer:  # the page shows its text, but its text layer holds glyph names
                layer = pdf.beginText()
                layer.setTextRenderMode(3)  # invisible, as a text layer over its page image
                layer.setFont("Helvetica", 10)
                for row in range(30):
                    layer.setTextOrigin(60, 780 - 24 * row)
                    layer.textOut("/G39/G3A/G3D/G41/G42/G43/G44/G45/G46/G47")
                pdf.drawText(layer)
        else:
            pdf.setFont("STSong-Light", 14)
            pdf.drawString(72, 760, texts[number])
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def short_scan():
    """A short scanned page: a heading and two paragraphs, the answer in the second."""
    paragraphs = [
        "网络空间愈发天朗气清——",
        "开展“清朗·从严整治‘自媒体’乱象”等9个清朗系列专项行动，清理、屏蔽违法违规信息7.3万余条，处理违规直播间5263个，处置账号6169个。",
        "推动网络规则进入地方法规制度，不断强化网络规则的刚性约束力。",
    ]
    (page,) = render_report_pages(paragraphs, PageStyle(page_numbers=False))
    return page


@pytest.mark.slow
def test_mixed_pdf_keeps_page_order_and_pages(tmp_path: Path, short_scan) -> None:
    path = _text_and_scan_pdf(tmp_path / "mixed.pdf", short_scan)
    document = load_document(path)
    chunks = chunk_document(document)
    text = document.text
    first, answer, third = text.find("第一页的正文"), to_simplified(text).find("5263"), text.find("第三页的正文")
    assert 0 <= first < answer < third
    pages = {line.page for line in document.lines}
    assert pages == {1, 2, 3}
    (scanned,) = answer_chunks(document)
    assert scanned.page == 2 and scanned.ocr
    for line in document.lines:
        text = document.text[line.start : line.end]
        if "第一页的正文" in text or "第三页的正文" in text:
            assert line.page == (1 if "第一页" in text else 3) and line.confidence is None  # the text layer
    assert [chunk.page for chunk in chunks] == sorted(chunk.page for chunk in chunks)
    assert chunks[-1].page_end == 3 or chunks[-1].page == 3
    assert document.extra["ocr_pages"] == "1"


@pytest.mark.slow
def test_a_glyph_name_text_layer_is_ocred_instead(tmp_path: Path, short_scan) -> None:
    path = _text_and_scan_pdf(tmp_path / "garbage-layer.pdf", short_scan, garbage_layer=True)
    document = load_document(path)
    assert "/G39" not in document.text
    (chunk,) = answer_chunks(document)
    assert chunk.page == 2 and chunk.ocr


def test_blank_scanned_pages_give_a_clear_message_quickly(tmp_path: Path) -> None:
    from PIL import Image

    pages = [Image.new("RGB", (1240, 1754), "white") for _ in range(40)]
    path = save_image_pdf(pages, tmp_path / "blank-scans.pdf")
    before = ocr.stats.recognised
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="no text.*40 pages"):
        load_document(path)
    assert time.perf_counter() - started < 30
    assert ocr.stats.recognised == before  # blank pages never reach the engine


def test_an_engine_that_cannot_load_skips_the_file_with_the_reason(tmp_path: Path, monkeypatch, short_scan) -> None:
    import sys

    from qa.indexing import IndexConfig, update_index
    from tests.fakes import HashingEncoder

    data = tmp_path / "data"
    data.mkdir()
    save_image_pdf([short_scan], data / "scan.pdf")
    (data / "report.txt").write_text("一、总体情况\n处理违规直播间5263个，处置账号6169个。\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # its import fails, as when it is not installed
    ocr.reset_engine()
    try:
        with pytest.raises(DocumentError, match="needs OCR.*cannot load"):
            load_document(data / "scan.pdf")
        summary = update_index(
            data, tmp_path / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder()
        )
    finally:
        monkeypatch.delitem(sys.modules, "rapidocr")
        ocr.reset_engine()
    assert summary.added == ["report.txt"]
    assert [item["file"] for item in summary.skipped] == ["scan.pdf"]
    assert "OCR engine" in summary.skipped[0]["reason"]
    assert (tmp_path / "index" / "CURRENT").exists()


@pytest.mark.slow
def test_indexing_caches_ocr_in_the_index_folder_and_a_rebuild_reuses_it(tmp_path: Path, short_scan) -> None:
    from qa.indexing import IndexConfig, update_index
    from qa.store.folder import IndexFolder, read_chunks
    from tests.fakes import HashingEncoder

    data = tmp_path / "data"
    data.mkdir()
    save_image_pdf([short_scan], data / "scan.pdf")
    index = tmp_path / "index"
    config = IndexConfig(model=HashingEncoder.name)
    events: list[tuple[str, int, int]] = []
    update_index(data, index, config=config, encoder=HashingEncoder(), progress=lambda *event: events.append(event))
    assert ("ocr", 1, 1) in events
    assert len(list((index / "ocr-cache").rglob("*.json"))) == 1
    stored = read_chunks(IndexFolder(index).current())
    assert any(ANSWER in to_simplified(chunk.text) and chunk.page == 1 and chunk.ocr_confidence for chunk in stored)
    before = ocr.stats.recognised
    update_index(data, index, config=config, encoder=HashingEncoder(), rebuild=True)
    assert ocr.stats.recognised == before  # the rebuild read the page from the cache
    line = (IndexFolder(index).current() / "chunks.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert '"ocr_confidence"' in line and '"page": 1' in line


@pytest.mark.slow
def test_a_scanned_report_answers_with_its_page_and_the_ocr_mark_in_the_ui(tmp_path: Path, hubei_scan) -> None:
    import shutil

    from qa.answer import answer
    from qa.indexing import update_index
    from qa.retrieval import Retriever
    from qa.store import IndexConfig
    from qa.web.render import passages_html
    from tests.fakes import HashingEncoder

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(hubei_scan["path"], data / "hubei-scan.pdf")
    shutil.copytree(hubei_scan["cache"], tmp_path / "index" / "ocr-cache")  # already read: no OCR again
    update_index(data, tmp_path / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    result = answer("湖北处理了多少个违规直播间？", retriever=Retriever(tmp_path / "index", encoder=HashingEncoder()))
    first = result.hits[result.sentences[0].marker - 1]
    assert result.found and "5263" in first.text.replace(",", "")
    assert first.citation.page == 2 and first.citation.ocr and first.citation.to_dict()["ocr"] is True
    assert "第2页 p. 2" in first.citation.label() and "OCR 识别" in first.citation.label()
    page = passages_html(result)
    assert "第2页 p. 2" in page and "OCR 识别" in page
    import contextlib
    import io

    from qa.cli.show import print_answer

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        print_answer(result)  # what qa ask prints
    assert "第2页 p. 2" in printed.getvalue() and "OCR 识别" in printed.getvalue()


def test_two_columns_under_a_title_and_over_a_page_number_are_read_column_by_column() -> None:
    """A centred title, a running header and a page number cross the gutter of a two-column page:
    the columns are still found, and read one after the other."""
    from qa.readers.ocr import OcrItem, OcrPage, page_lines

    items = [OcrItem("湖北日报", 0.99, 560, 40, 680, 70), OcrItem("網聚文明力量締造美好生活", 0.99, 380, 100, 860, 150)]
    for row in range(20):
        top = 200 + 40 * row
        items.append(OcrItem(f"左栏第{row}行的正文", 0.99, 120, top, 600, top + 28))
        items.append(OcrItem(f"右栏第{row}行的正文", 0.99, 640, top, 1120, top + 28))
    items.append(OcrItem("第 1 页", 0.99, 580, 1650, 660, 1680))
    lines, _dropped = page_lines(OcrPage(1240, 1754, 0, tuple(items)), 1)
    texts = [line.text for line in lines]
    assert texts.index("左栏第19行的正文") < texts.index("右栏第0行的正文")
    assert texts[2:22] == [f"左栏第{row}行的正文" for row in range(20)]


def _red(pixels):
    import numpy as np

    red, green, blue = (pixels[..., channel].astype(np.int16) for channel in range(3))
    return (red > 120) & (red - green > 50) & (red - blue > 40)


@pytest.mark.parametrize("dpi", [150, 200])
def test_the_seal_is_painted_out_and_every_character_of_the_red_masthead_stays(dpi: int) -> None:
    """The rendered 公文 decision: its red masthead "中国网络视听行业协会文件" on page 1 (one red
    character of it, "中", was taken for a seal), its seal over the signature on page 4 (ring,
    star and text: the text round the ring stayed). The black print under the seal stays."""
    import numpy as np

    from qa.evaluation.scans import DECISION_SEAL, LAYOUTS, draw_placed, load_blocks, typeset_document
    from tests.conftest import ROOT

    rendered = typeset_document(load_blocks(ROOT / "eval" / "decision.tsv"), LAYOUTS["official"].with_dpi(dpi))
    images = rendered.images(seal=DECISION_SEAL)
    first = np.asarray(images[0].convert("RGB"))
    assert _red(first).sum() > 20_000  # the masthead and the rule under the document number
    assert np.array_equal(ocr.remove_seals(first), first)
    last = np.asarray(images[-1].convert("RGB"))
    unsealed = np.asarray(draw_placed(rendered.pages[-1], rendered.layout))  # the page before it was stamped
    cleaned = ocr.remove_seals(last)
    assert _red(last).sum() > 10_000 and _red(cleaned).sum() == 0
    dark = ocr._gray(unsealed) < 100
    assert (ocr._gray(cleaned)[dark] < 128).mean() > 0.99  # the signature and date under the seal


def _drawn_line(text: str, font: str, size: int = 33) -> tuple[object, object]:
    """The gray pixels of a strip with ``text`` drawn on it, and its font."""
    import numpy as np
    from PIL import Image, ImageDraw

    from qa.evaluation.scans import face

    drawn = face(font, size)
    image = Image.new("RGB", (1000, 100), "white")
    ImageDraw.Draw(image).text((40, 30), text, font=drawn, fill=(25, 25, 25))
    return ocr._gray(np.asarray(image)), drawn


def _box(gray, start: float, end: float, read: str):
    """The detector's box of the ink between ``start`` and ``end`` (a few pixels around it)."""
    import numpy as np

    ys, xs = np.nonzero(gray[:, int(start) : int(end) + 1] < 128)
    return ocr.OcrItem(read, 0.99, start + xs.min() - 3, ys.min() - 4.0, start + xs.max() + 3, ys.max() + 4.0)


@pytest.mark.parametrize("font", ["bold", "serif"])
def test_a_lead_in_dash_the_recognizer_dropped_is_read_from_the_image(font: str) -> None:
    """PP-OCR's detector boxes "堅持思想引領——" whole, but its recognizer reads "堅持思想引領": the
    dash is found in the image after the text, and before it ("——经济运行持续向好。") when the box
    leaves it out. One "—", a "一" and text without a dash are left as read."""
    gray, drawn = _drawn_line("堅持思想引領——", font)
    assert ocr.with_dashes(_box(gray, 40, 1000, "堅持思想引領"), gray).text == "堅持思想引領——"
    gray, drawn = _drawn_line("——经济运行持续向好。", font)
    after_dash = 40 + drawn.getlength("——")
    assert ocr.with_dashes(_box(gray, after_dash, 1000, "经济运行持续向好。"), gray).text == "——经济运行持续向好。"
    for text, read in (("网络文明—", "网络文明"), ("一、总体要求", "、总体要求"), ("全国宣传思想文化工作会议", None)):
        gray, drawn = _drawn_line(text, font)
        start = 40 + (drawn.getlength("一") if read == "、总体要求" else 0)
        item = _box(gray, start, 1000, read or text)
        assert ocr.with_dashes(item, gray) == item


@pytest.mark.parametrize(
    "name", ["hangzhou_hangzhenghan_2024_16_econ_policies.pdf", "taiwan_controlyuan_lianzheng_zhuankan_114_trad.pdf"]
)
def test_real_red_mastheads_are_not_taken_for_seals(name: str) -> None:
    """Page 1 of two real documents of shared/corpora/pdf at 150 dpi: the red masthead
    "杭州市人民政府文件" lost "市" and "件", "監察院公報" lost "察" and "院" to the seal remover."""
    import numpy as np
    import pypdfium2

    from tests.conftest import SHARED

    path = SHARED / "corpora" / "pdf" / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared)")
    document = pypdfium2.PdfDocument(path)
    try:
        page = np.asarray(document[0].render(scale=150 / 72).to_pil().convert("RGB"))
    finally:
        document.close()
    assert _red(page).sum() > 20_000
    assert np.array_equal(ocr.remove_seals(page), page)
