"""PDFs with a text layer: pages kept for every line, page furniture removed and listed, font
artefacts normalised, official heads read, tables as rows; and the four real PDFs in
../shared/corpora/pdf read as a person reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.chunking import chunk_document
from qa.documents import load_document
from qa.documents.fonts import normalise_paged_text
from qa.documents.furniture import is_page_number
from qa.readers.pdf import judge_text
from qa.text import to_simplified
from tests.conftest import shared_path

HEADER = "测试省人民政府办公厅文件汇编"
PAGE_TEXT = {
    1: ["一、总体情况", "2024年，全省网络文明建设取得新进展，网民素养持续提升，各项工作稳步推进，成效明显。"],
    2: ["二、清朗行动", "开展清朗系列专项行动，清理违法违规信息7.3万余条，处理违规直播间5263个，处置账号6169个。"],
    3: ["三、下一步打算", "持续深入学习贯彻习近平文化思想，健全体制机制，丰富内容载体，创新方式方法。"],
}


def write_three_page_pdf(path: Path) -> Path:
    """Three A4 pages with a running header, a "— N —" page number, and the answer on page 2."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    for number, lines in PAGE_TEXT.items():
        pdf.setFont("STSong-Light", 10)
        pdf.drawString(72, 800, HEADER)
        pdf.setFont("STSong-Light", 14)
        y = 740
        for line in lines:
            pdf.drawString(72 if line.startswith(("一", "二", "三")) else 100, y, line[:30])
            if len(line) > 30:  # wrapped body text
                y -= 28
                pdf.drawString(72, y, line[30:])
            y -= 28
        pdf.setFont("STSong-Light", 12)
        pdf.drawCentredString(297, 40, f"— {number} —")
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> tuple:
    path = write_three_page_pdf(tmp_path_factory.mktemp("pdf") / "three-pages.pdf")
    document = load_document(path)
    return document, chunk_document(document)


def test_the_answer_on_page_2_is_cited_on_page_2(three_pages) -> None:
    document, chunks = three_pages
    (answer,) = [chunk for chunk in chunks if "处理违规直播间5263个" in chunk.text]
    assert answer.page == 2 and answer.page_end is None
    assert answer.ocr_confidence is None  # read from the text layer
    assert {chunk.page for chunk in chunks} == {1, 2, 3}


def test_running_header_and_page_numbers_are_in_no_chunk_and_listed(three_pages) -> None:
    document, chunks = three_pages
    for chunk in chunks:
        assert HEADER not in chunk.text and not any(HEADER in part for part in chunk.section)
        assert "—" not in chunk.text and not any(is_page_number(part) for part in chunk.section)
    removed = [line.text for line in document.removed]
    assert removed.count(HEADER) == 3
    assert {"— 1 —", "— 2 —", "— 3 —"} <= set(removed)


def test_wrapped_lines_are_joined_into_one_paragraph(three_pages) -> None:
    document, _ = three_pages
    assert PAGE_TEXT[2][1] in document.text.split("\n")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "省政府各部门ꎬ各直属机构ꎬ现印发给你们ꎬ请认真贯彻落实ꎮ",
            "省政府各部门，各直属机构，现印发给你们，请认真贯彻落实。",
        ),
        ("每户5000元ꎻ", "每户5000元；"),
        ("关于印发«支持创业带动就业的若干政策措施»的通知", "关于印发《支持创业带动就业的若干政策措施》的通知"),
        ("川办规〔２０２５〕６ 号", "川办规〔2025〕6号"),
        ("水平低于 ５\U001001b0 ５％ 的企业", "水平低于5.5%的企业"),
        ("2024 年 2 月 18 日", "2024年2月18日"),
        ("廉 政 專 刊 第 114 期", "廉政專刊第114期"),
        ("各市(州) 、县(市、区)人民政府", "各市(州)、县(市、区)人民政府"),
    ],
)
def test_font_artefacts_are_normalised(raw: str, clean: str) -> None:
    assert normalise_paged_text(raw) == clean


@pytest.mark.parametrize(
    "text", ["— 3 —", "- 3 -", "—３—", "第3页", "第 3 页 共 34 页", "3/34", "Page 3", "（3）", "-12-"]
)
def test_page_numbers_in_their_many_forms(text: str) -> None:
    assert is_page_number(normalise_paged_text(text))


@pytest.mark.parametrize("text", ["一、总体情况", "2024年", "3.5万元", "第三条 根据规定"])
def test_these_are_not_page_numbers(text: str) -> None:
    assert not is_page_number(text) or text == "2024年"


@pytest.mark.parametrize(
    "garbage",
    [
        "/G39/G3A/G3D/G41/G42 /G39/G3A/G3D/G41 /G3A/G3D/G41/G42/G43",
        "(cid:12)(cid:345)(cid:77)(cid:8)(cid:90)(cid:11)",
        "\ue000\ue001\ue002\ue003 \ue004\ue005\ue006",
        "ÄÖÜ§¶ÆØÅ¤¥µ¿¡©®°±²³ÞßðÐ" * 3,
        "\ufffd\ufffd\ufffd\ufffd\ufffd 2024",
    ],
)
def test_garbage_text_layers_are_judged_garbage(garbage: str) -> None:
    assert judge_text(garbage) is not None


@pytest.mark.parametrize(
    "text",
    [
        "2024年，全省网络文明建设取得新进展，处理违规直播间5263个。",
        "收支科目 | 金額或價額 | 備註 722,000",
        "Annual Report 2024: GDP grew 5.2%.",
    ],
)
def test_good_text_layers_are_kept(text: str) -> None:
    assert judge_text(text) is None


# The four real PDFs (../shared/corpora/pdf): read once for the module.
REAL = {
    "hangzhou": "hangzhou_hangzhenghan_2024_16_econ_policies.pdf",
    "sichuan": "sichuan_chuanbangui_2025_6_entrepreneurship.pdf",
    "putuo": "shanghai_putuo_czj_2024_final_accounts_tables.pdf",
    "taiwan": "taiwan_controlyuan_lianzheng_zhuankan_114_trad.pdf",
}
_loaded: dict[str, tuple] = {}


def real(name: str) -> tuple:
    if name not in _loaded:
        document = load_document(shared_path("corpora", "pdf", REAL[name]))
        _loaded[name] = (document, chunk_document(document))
    return _loaded[name]


_PAGE_NUMBER_ANYWHERE = re.compile(r"[—－-]\s*\d{1,3}\s*[—－-]|第\s*\d+\s*页")
_YI = re.compile(r"[\ua000-\ua4cf]")
_RUNNING = {"taiwan": "監察院公報"}


@pytest.mark.parametrize("name", ["hangzhou", "sichuan", "putuo", pytest.param("taiwan", marks=pytest.mark.slow)])
def test_real_pdfs_have_no_furniture_or_yi_punctuation_in_chunks(name: str) -> None:
    document, chunks = real(name)
    assert chunks and all(chunk.page is not None for chunk in chunks)
    for chunk in chunks:
        for part in (chunk.text, *chunk.section):
            assert not _PAGE_NUMBER_ANYWHERE.search(part), (chunk.index, part[:80])
            assert not any(is_page_number(line) for line in part.split("\n")), (chunk.index, part[:80])
            assert not _YI.search(part), (chunk.index, part[:80])
            assert "«" not in part and "»" not in part
            if name in _RUNNING:
                assert _RUNNING[name] not in part
        assert not re.search(r"\.{6,}|…{3,}", chunk.text)  # dotted contents lines
    if name in ("hangzhou", "sichuan"):  # "— 1 —" on every page
        assert sum(1 for line in document.removed if is_page_number(line.text)) >= 8
    pages = [chunk.page for chunk in chunks]
    assert pages == sorted(pages)  # page order kept


def test_hangzhou_title_and_document_number() -> None:
    document, chunks = real("hangzhou")
    assert document.title in (
        "关于进一步推动经济高质量发展若干政策的通知",
        "杭州市人民政府印发关于进一步推动经济高质量发展若干政策的通知",
    )
    assert document.extra["doc_number"] == "杭政函〔2024〕16号"
    assert document.date == "2024-02-18"
    assert all(chunk.section[0] == document.title for chunk in chunks)
    assert "杭州市人民政府文件" in [line.text for line in document.removed]  # the masthead


def test_sichuan_title_is_the_notice_not_the_office() -> None:
    document, chunks = real("sichuan")
    assert document.title == "四川省人民政府办公厅关于印发《支持创业带动就业的若干政策措施》的通知"
    assert document.extra["doc_number"] == "川办规〔2025〕6号"
    assert sum(chunk.text.count("，") for chunk in chunks) > 100
    assert any("30万元提高至50万元" in chunk.text for chunk in chunks)


def test_putuo_tables_are_rows_and_never_headings() -> None:
    document, chunks = real("putuo")
    rows = [line for chunk in chunks for line in chunk.text.split("\n") if " | " in line]
    assert len(rows) > 100
    assert "项目 | 决算数 | 项目 | 决算数" in rows
    assert any(row.startswith("一、一般公共预算财政拨款收入 | 2,940.05") for row in rows)
    for chunk in chunks:
        for part in chunk.section:
            assert " | " not in part and part not in ("类 款 项", "合计", "类", "款")
            assert not re.search(r"\d+\.\d\d万元", part), part  # a heading glued to its first sentence
    sections = {part for chunk in chunks for part in chunk.section}
    assert "（一）一般公共预算财政拨款支出决算总体情况" in sections
    assert document.title == "上海市普陀区财政局2024年度部门决算"


@pytest.mark.slow
def test_taiwan_tables_and_traditional_text() -> None:
    document, chunks = real("taiwan")
    assert any("個人捐贈收入 | 722,000" in chunk.text for chunk in chunks)
    assert any("監察院公報" in line.text for line in document.removed)
    assert not any(" | " in part for chunk in chunks for part in chunk.section)
    assert to_simplified(document.title).startswith("廉政专刊")


def test_the_pdf_gold_set_answers_are_in_the_text_on_their_pages() -> None:
    import json

    from qa.chunking import _page_finder

    names = {file: name for name, file in REAL.items()}
    questions = [
        json.loads(line) for line in (Path(__file__).parents[1] / "eval" / "pdf.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(questions) >= 8 and {question["corpus"] for question in questions} == {"pdf"}
    for question in questions:
        if question["file"] == REAL["taiwan"]:
            continue  # the slow one: qa eval (the pdf set) asks its questions
        document, chunks = real(names[question["file"]])
        start = document.text.find(question["answer"])
        assert start >= 0, question["id"]
        assert _page_finder(document)(start + len(question["answer"]) - 1) == question["page"], question["id"]
        assert any(question["answer"] in chunk.text for chunk in chunks)


@pytest.mark.parametrize("name", ["hangzhou", "sichuan", "putuo", pytest.param("taiwan", marks=pytest.mark.slow)])
def test_real_pdfs_keep_their_text_layer_but_its_furniture(name: str) -> None:
    """Of each real PDF's text layer, page furniture aside, at least 98 % is kept (in the text or as
    metadata), and every removed line is furniture: page numbers, running headers, contents, rules,
    the masthead."""
    from qa.documents.retention import visible
    from qa.evaluation.pdfs import FURNITURE

    document, _chunks = real(name)
    kept = document.retention
    furniture = sum(visible(line.text) for line in document.removed if line.reason in FURNITURE)
    assert (kept.kept + kept.metadata) / (kept.read - furniture) >= 0.98
    assert [line.text for line in document.removed if line.reason not in FURNITURE] == []
    assert kept.kept + kept.metadata + kept.removed == kept.read
