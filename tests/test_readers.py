from __future__ import annotations

from pathlib import Path

import pytest

from qa.readers import DocumentError, decode_text, read_file
from tests.fixtures import REPORT_LINES, write_docx, write_html, write_markdown, write_pdf, write_text


def texts(path: Path) -> list[str]:
    return [line.text.strip() for line in read_file(path).lines if line.text.strip()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5"])
def test_text_files_decode_without_mojibake(tmp_path: Path, encoding: str) -> None:
    lines = REPORT_LINES
    if encoding == "big5":
        lines = ["一、總體情況", "2024年，全省網絡文明建設取得新進展，處理違規直播間5263個。"]
    path = write_text(tmp_path / f"report-{encoding}.txt", encoding, lines)
    assert texts(path) == lines


def test_short_gbk_and_big5_are_told_apart() -> None:
    simplified = "网络文明建设综述".encode("gbk")
    traditional = "網絡文明建設綜述".encode("big5")
    assert decode_text(simplified) == "网络文明建设综述"
    assert decode_text(traditional) == "網絡文明建設綜述"


def test_markdown_headings_carry_levels(tmp_path: Path) -> None:
    raw = read_file(write_markdown(tmp_path / "report.md"))
    levels = {line.text: line.heading_level for line in raw.lines if line.text}
    assert levels["总体情况"] == 2 and levels["主要做法"] == 3  # the words, without their "#" marks
    assert levels["处理违规直播间5263个。"] is None
    assert raw.title == "测试省网络文明报告"


def test_html_drops_scripts_and_navigation_markup(tmp_path: Path) -> None:
    raw = read_file(write_html(tmp_path / "report.html"))
    lines = [line.text.strip() for line in raw.lines if line.text.strip()]
    assert "开展清朗系列专项行动，处理违规直播间5263个，处置账号6169个。" in lines
    assert not any("alert" in line or "版权所有" in line or "首页" in line for line in lines)
    assert raw.title == "湖北网络文明建设综述"
    assert any(line.heading_level == 2 and line.text == "推动共建共治" for line in raw.lines)


def test_docx_reads_heading_styles_and_tables(tmp_path: Path) -> None:
    raw = read_file(write_docx(tmp_path / "report.docx"))
    by_text = {line.text: line.heading_level for line in raw.lines}
    assert by_text["总体情况"] == 1
    assert by_text["主要做法"] == 2
    assert by_text["坚持思想引领，开展网络文明宣传活动1.9万余次。"] is None
    assert "处置账号 | 6169个" in by_text


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    assert texts(write_pdf(tmp_path / "report.pdf")) == REPORT_LINES


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
        ("empty.txt", b"", "the file is empty"),
        ("garbage.txt", bytes(range(256)) * 20, "binary data"),
        ("garbage.docx", b"this is not a zip", "not a .docx file"),
        ("garbage.pdf", b"%PDF-1.4 nothing else", "not a readable"),
    ],
)
def test_unreadable_files_raise_a_named_clear_error(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        read_file(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_truncated_docx_is_reported(tmp_path: Path) -> None:
    whole = write_docx(tmp_path / "whole.docx").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DocumentError, match="truncated.docx"):
        read_file(truncated)


def test_encrypted_pdf_is_reported(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "secret.pdf", password="s3cret")
    with pytest.raises(DocumentError, match="encrypted PDF"):
        read_file(path)


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 200, 200, fill=1)  # an image-like page with no text
    pdf.save()
    with pytest.raises(DocumentError, match="no text layer, needs OCR"):
        read_file(path)
