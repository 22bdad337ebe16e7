"""Paragraphs of PDFs and scans from their layout, and nothing of the body lost: the samples, five
of the 2025 reports and a four-page 公文 decision typeset in the three layouts (a 公文 page, the
issue's 36-character news column, two columns) at 150 and 200 dpi, read as a perfect reader would
give them (each line's text and box, no OCR): the cleaned text keeps every body character, no
body line is removed, paragraphs and headings come back as they were typeset; the decision's
trailer becomes metadata without taking its last page. OCR of such pages is tested in
tests/test_scans.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.documents import clean, load_document
from qa.documents.headings import BodyLine
from qa.documents.official import read_trailer
from qa.documents.retention import CAPTION, RELATED
from qa.evaluation.metrics import spread_sample
from qa.evaluation.rendered import body_lines_removed, retained_share
from qa.evaluation.scans import (
    LAYOUTS,
    as_raw_lines,
    cjk_font_file,
    document_blocks,
    load_blocks,
    typeset_document,
)
from qa.readers.base import RawDocument, RawLine
from tests.conftest import GUIZHOU, HUBEI, ROOT, SHARED

if cjk_font_file() is None:
    pytest.skip("no CJK font to typeset test pages: apt-get install fonts-noto-cjk", allow_module_level=True)

DECISION = ROOT / "eval" / "decision.tsv"


def _reports() -> list[Path]:
    gwr = sorted((SHARED / "corpora" / "gwr2025").glob("*.docx"))
    return [HUBEI, GUIZHOU, *spread_sample(gwr, 5)]


def _scan(blocks, layout: str, dpi: int, title: str = "") -> tuple[object, RawDocument]:
    rendered = typeset_document(blocks, LAYOUTS[layout].with_dpi(dpi), title)
    return rendered, RawDocument(as_raw_lines(rendered))


@pytest.fixture(scope="module")
def sources() -> dict[str, tuple[list, str]]:
    return {path.name: document_blocks(path) for path in _reports()}


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_keeps_the_body_and_removes_no_body_line(sources, layout: str, dpi: int) -> None:
    if len(sources) < 7:
        pytest.skip(f"{SHARED}/corpora/gwr2025 is absent: only the samples are typeset")
    for name, (blocks, body) in sources.items():
        rendered, raw = _scan(blocks, layout, dpi, blocks[0].text)
        document = clean(raw, path=f"{name}.pdf")
        assert retained_share(body, document.text) >= 0.995, (name, layout, dpi)
        assert not body_lines_removed(document.removed, body, blocks[0].text), (name, layout, dpi)
        assert not [line for line in document.removed if line.reason in (CAPTION, RELATED)]  # web rules: web only
        kept = document.retention
        assert kept is not None and abs(kept.kept + kept.metadata + kept.removed - kept.read) <= 0.01 * kept.read


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_paragraphs_and_headings_come_back_as_typeset(sources, layout: str) -> None:
    """Wrapped lines are joined, and a paragraph or heading is never glued to the next: in the
    news column too, where lines are cut at 36 characters wherever a sentence stands and
    paragraphs are set apart by a blank line (the issue's scan)."""
    blocks, body = sources[HUBEI.name]
    _rendered, raw = _scan(blocks, layout, 150, blocks[0].text)
    lines = clean(raw, path="hubei.pdf").text.split("\n")
    paragraphs = [block.text for block in blocks if block.kind in ("body", "heading")]
    found = sum(1 for paragraph in paragraphs if paragraph in lines)
    assert found >= 0.95 * len(paragraphs), [p[:20] for p in paragraphs if p not in lines][:5]


def test_a_hard_wrapped_line_of_a_news_scan_is_never_a_caption(sources) -> None:
    """The issue's scan of the Hubei sample: its news header makes it a news page, but a line that
    stops mid-sentence at the 36th character is body text of a PDF, not a photo caption."""
    blocks, body = sources[HUBEI.name]
    _rendered, raw = _scan(blocks, "news", 150, blocks[0].text)
    document = clean(raw, path="hubei-scan.pdf")
    assert "處理違規直播間5263個,處置賬號6169個" in document.text
    assert retained_share(body, document.text) >= 0.995


@pytest.fixture(scope="module")
def decision():
    blocks = load_blocks(DECISION)
    rendered, raw = _scan(blocks, "official", 150)
    return rendered, clean(raw, path="decision.pdf")


def test_the_decision_keeps_its_last_page_and_its_trailer_is_metadata(decision) -> None:
    rendered, document = decision
    assert len(rendered.pages) == 4 and rendered.page_of("加入网络主播黑名单，期限为终身") == 4
    last = [document.text[line.start : line.end] for line in document.lines if line.page == 4]
    assert any("加入网络主播黑名单，期限为终身" in text for text in document.text.split("\n"))
    assert last and last[-1] == "特此决定。"  # the body runs to its last paragraph, then the trailer
    assert document.title == "关于对杭州星河互动文化传媒有限公司及相关责任人给予纪律处分的决定"
    assert document.extra["doc_number"] == "中网视协发〔2024〕27号"
    assert document.extra["signed_by"] == "中国网络视听行业协会"
    assert document.extra["signed_date"] == "2024-06-18" and document.date == "2024-06-18"
    assert document.extra["copied_to"].startswith("国家广播电视总局网络视听节目管理司")
    assert document.extra["copied_to"].endswith("浙江省广播电视局。")
    assert "2024年6月18日印发" in document.extra["printed_by"]
    for trailer in ("抄送", "印发", "中国网络视听行业协会\n2024年6月18日"):
        assert trailer not in document.text


def _lines(*texts: str) -> list[BodyLine]:
    return [BodyLine(text, None, 1) for text in texts]


def test_a_trailer_never_takes_the_body_before_it() -> None:
    body = ["三、工作要求", "各地要高度重视，认真组织实施。", "特此通知。"]
    kept, trailer = read_trailer(_lines(*body, "四川省人民政府办公厅", "2025年3月4日", "（此件公开发布）"))
    assert [line.text for line in kept] == body
    assert (trailer.signed_by, trailer.signed_date, trailer.note) == (
        "四川省人民政府办公厅",
        "2025-03-04",
        "（此件公开发布）",
    )
    for ending in (["各地要认真组织实施。", "2025年3月4日"], ["全省网络文明建设取得新进展", "湖北省委网信办"]):
        kept, trailer = read_trailer(_lines(*ending))  # a date or a name alone is no trailer
        assert len(kept) == 2 and not trailer.metadata()
    kept, trailer = read_trailer(_lines("特此通知。", "抄送：省委办公厅，省人大常委会办公厅，", "省政协办公厅。",
                                        "四川省人民政府办公厅 2025年3月5日印发"))  # fmt: skip
    assert [line.text for line in kept] == ["特此通知。"]
    assert trailer.copied_to == "省委办公厅，省人大常委会办公厅，省政协办公厅。"


def test_what_was_read_is_kept_as_text_or_metadata_or_listed_as_removed() -> None:
    for path in (HUBEI, GUIZHOU):
        document = load_document(path)
        kept = document.retention
        assert kept is not None and kept.read > 2000
        assert abs(kept.kept + kept.metadata + kept.removed - kept.read) <= 0.01 * kept.read
        assert all(line.reason for line in document.removed)
    hubei = load_document(HUBEI)
    reasons = {line.text: line.reason for line in hubei.removed}
    assert reasons["小字號"] == "web page navigation" and reasons["推薦閱讀"] == RELATED


def test_a_sentence_ending_in_an_ellipsis_is_no_contents_leader() -> None:
    from qa.documents.furniture import remove_furniture
    from qa.readers.base import RawLine

    sentence, leader = "各地要抓好宣传、教育、引导等等……", "郭裕信........................ 1"
    kept, removed = remove_furniture([RawLine(text, page=1) for text in (sentence, leader, "。")])
    assert [line.text for line in kept] == [sentence, "。"]
    assert [(line.text, line.reason) for line in removed] == [(leader, "rule or leader line")]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_lead_ins_open_their_sections_on_a_page_as_in_the_text(tmp_path: Path, layout: str) -> None:
    """Lead-ins ending in "——", numbered ("（一）着力扩大内需——") or not ("坚持稳中求进——"), typeset
    in every layout and read back by their layout: the same headings as the text file gives."""
    text = (
        "2025年政府工作报告\n二、2025年重点工作\n（一）着力扩大内需——\n"
        + "大力提振消费，全方位扩大国内需求，推动消费提质升级，全年社会消费品零售总额增长6%左右。" * 2
        + "\n坚持稳中求进——\n经济运行稳中向好\n"
        + "加快建设科技强省，深入实施创新驱动发展战略，全社会研发经费投入增长10%以上。" * 2
        + "\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    from_text = load_document(path)

    def lead_ins(document) -> list[tuple[int | None, str]]:
        headings = [line for line in document.lines if not line.is_body and line.title]
        return [(line.level, line.title) for line in headings if "——" in line.title]

    expected = lead_ins(from_text)
    assert expected == [(2, "（一）着力扩大内需——"), (1, "坚持稳中求进——经济运行稳中向好")]
    for dpi in (150, 200):
        blocks, _body = document_blocks(path)
        _rendered, raw = _scan(blocks, layout, dpi, blocks[0].text)
        assert lead_ins(clean(raw, path="report.pdf")) == expected, (layout, dpi)


def test_a_dash_misread_by_ocr_is_read_as_the_dash() -> None:
    """The engine's readings of lines of the Sichuan report (2025) and the Guizhou sample as 公文
    pages at 150 dpi: "——" came back as "—一" or "—". "一一" and "1—3月" are left as read."""
    from qa.readers.base import Box

    texts = [
        "—一民生保障水平提升。全省城乡居民人均可支配收入分别",
        "文明同行—兴义向未来”抖音短视频大赛。一一对应的台账1—3月已经建立，各项任务逐条落实到位。",
    ]
    lines = [
        RawLine(text, page=1, box=Box(0.15, 0.2 + 0.05 * row, 0.85, 0.23 + 0.05 * row, 0.02), confidence=0.97)
        for row, text in enumerate(texts)
    ]
    document = clean(RawDocument(lines), path="scan.pdf")
    assert document.text == (  # one paragraph
        "——民生保障水平提升。全省城乡居民人均可支配收入分别"
        "文明同行——兴义向未来”抖音短视频大赛。一一对应的台账1—3月已经建立，各项任务逐条落实到位。"
    )
