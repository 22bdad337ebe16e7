"""Realistic scans read by OCR end to end (real rendering, the real engine): the issue's scan of the
Hubei sample (36 characters a line, a blank line between paragraphs, a running header, page
numbers, Noto Serif CJK, 150 dpi, an image-only PDF) keeps its body and answers from its page;
a four-page disciplinary decision with a red seal over its last page keeps that page. Eight pages
of OCR in all; the measurement over every layout and resolution is ``qa eval --sets scans``."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.chunking import chunk_document
from qa.documents import load_document
from qa.evaluation.rendered import body_lines_removed, retained_share
from qa.evaluation.scans import (
    DECISION_SEAL,
    LAYOUTS,
    cjk_font_file,
    document_blocks,
    load_blocks,
    save_image_pdf,
    typeset_document,
)
from qa.text import to_simplified
from tests.conftest import HUBEI, ROOT

pytest.importorskip("rapidocr", reason="the OCR engine (rapidocr) is not installed: pip install -e .")
if cjk_font_file() is None:
    pytest.skip("no CJK font to draw test scans: apt-get install fonts-noto-cjk", allow_module_level=True)


@pytest.fixture(scope="module")
def news_scan(tmp_path_factory):
    blocks, body = document_blocks(HUBEI)
    rendered = typeset_document(blocks, LAYOUTS["news"], blocks[0].text)
    path = save_image_pdf(rendered.images(), tmp_path_factory.mktemp("news") / "hubei-scan.pdf")
    return rendered, body, blocks[0].text, load_document(path)


@pytest.mark.slow
def test_the_issues_news_scan_keeps_its_body(news_scan) -> None:
    rendered, body, title, document = news_scan
    assert len(rendered.pages) == 4
    assert retained_share(body, document.text) >= 0.98
    assert not body_lines_removed(document.removed, body, title)
    furniture = {"page number", "running header or footer", "OCR confidence below the threshold"}
    assert {line.reason for line in document.removed} <= furniture
    kept = document.retention
    assert kept is not None and kept.ratio >= 0.95


@pytest.mark.slow
def test_lines_with_quotation_marks_are_read(news_scan) -> None:
    """The direction classifier turned such lines upside down and they came back as "图一"."""
    _rendered, _body, _title, document = news_scan
    text = to_simplified(document.text).replace(" ", "")
    assert "习近平总书记指出" in text and "团结统一的中华民族" in text
    assert "听青年华侨华人讲述“根”“魂”“梦”》" in text.replace(",", "，")


@pytest.mark.slow
def test_the_news_scan_answers_from_the_right_page(news_scan) -> None:
    rendered, _body, _title, document = news_scan
    page = rendered.page_of("處理違規直播間5263個")
    chunks = [chunk for chunk in chunk_document(document) if "违规直播间5263个" in to_simplified(chunk.text)]
    assert chunks and page is not None
    assert any(chunk.page <= page <= (chunk.page_end or chunk.page) for chunk in chunks)


@pytest.mark.slow
def test_a_scanned_decision_keeps_its_last_page(tmp_path: Path) -> None:
    blocks = load_blocks(ROOT / "eval" / "decision.tsv")
    rendered = typeset_document(blocks, LAYOUTS["official"])
    path = save_image_pdf(rendered.images(seal=DECISION_SEAL), tmp_path / "decision.pdf")
    document = load_document(path)
    assert len(rendered.pages) == 4
    decided = [chunk for chunk in chunk_document(document) if "期限为终身" in chunk.text]
    assert decided and any(4 in (chunk.page, chunk.page_end) for chunk in decided)
    assert "特此决定。" in document.text.split("\n")
    assert document.extra.get("signed_date") == "2024-06-18"
    assert "抄送" not in document.text and "印发" not in document.text
    body = "\n".join(block.text for block in blocks if block.kind in ("body", "heading", "address"))
    assert retained_share(body, document.text) >= 0.98
    assert not body_lines_removed(document.removed, body, document.title)


@pytest.mark.slow
def test_a_lead_in_heading_is_read_from_the_scan_as_from_the_text(tmp_path: Path) -> None:
    """Page 1 of the Hubei sample as a 公文 (150 dpi): "堅持思想引領——" over "網絡空間主流輿論不斷壯大"
    opens the same section as in the text; the recognizer had dropped the dash, and the two lines
    came back as two headings of another kind. One page of OCR."""
    blocks, _body = document_blocks(HUBEI)
    rendered = typeset_document(blocks, LAYOUTS["official"], blocks[0].text)
    scan = load_document(save_image_pdf(rendered.images()[:1], tmp_path / "page-1.pdf"))

    def headings(document) -> list[tuple[int | None, str]]:
        return [(line.level, line.title) for line in document.lines if not line.is_body and line.title]

    from_text = [heading for heading in headings(load_document(HUBEI)) if heading[1].startswith("堅持思想引領")]
    assert from_text == [(1, "堅持思想引領——網絡空間主流輿論不斷壯大")]
    assert headings(scan)[: len(from_text)] == from_text
    assert "堅持思想引領——" in scan.text.split("\n")
