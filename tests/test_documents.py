from __future__ import annotations

import re
from pathlib import Path

from qa.chunking import chunk_document
from qa.documents import load_document
from tests.conftest import GUIZHOU, HUBEI
from tests.fixtures import write_html

GUIZHOU_CAPTIONS = [
    "“网络文明贵州行动”2022年贵州省网络文化节暨网络文明宣传季启动式现场",
    "新时代中国网络文明建设成果展贵州展馆受到与会人员关注",
    "“贵州DOU是好风光”网络主题宣传启动式现场",
    "视频截图来自“陪山里孩子过夏天”抖音话题",
    "黔南州“四新四化谱新篇 绘就发展新画卷”网络主题宣传",
    "“贵州好网民与时代同行”优秀故事征集展播活动优秀故事名单截图",
    "“网络文明有我”主题团课队课征集评选参赛作品截图",
    "贵阳市网络文明志愿服务“四进活动”现场",
    "黔东南州凯里市“传播网络正能量 争做中国好网民”主题宣传活动现场",
]
HUBEI_LEFTOVERS = ["人民網", "小字號", "分享讓更多人看到", "推薦閱讀", "返回頂部", "湖北省高校畢業生", "責編"]


def test_guizhou_header_is_read() -> None:
    document = load_document(GUIZHOU)
    assert (document.date, document.source, document.region) == ("2022-12-27", "众望新闻", "贵州")
    assert document.title.startswith("【网络文明贵州行动】汇聚多彩贵州正能量")
    assert [credit.split(":")[0] for credit in document.credits] == ["编辑", "统筹", "编审"]


def test_hubei_header_is_read_in_its_own_script() -> None:
    document = load_document(HUBEI)
    assert (document.date, document.source, document.region) == ("2024-05-28", "湖北日報", "湖北")
    assert document.title == "湖北:網聚文明力量 締造美好生活"
    assert document.credits == ("責編:周雯、周恬",)


def test_no_chunk_holds_web_leftovers_or_captions() -> None:
    for path, leftovers in ((GUIZHOU, GUIZHOU_CAPTIONS + ["编辑:", "发布时间"]), (HUBEI, HUBEI_LEFTOVERS)):
        chunks = chunk_document(load_document(path))
        for chunk in chunks:
            for leftover in leftovers:
                assert leftover not in chunk.text, f"{path.name} chunk {chunk.index} holds {leftover!r}"


def _body_paragraphs(path: Path, not_body: list[str]) -> list[str]:
    """The file's lines minus what a reader would not call the report's body."""
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    lines = [re.sub(r"\s+", " ", line).strip() for line in raw_lines if line.strip()]
    return [line for line in lines if not any(line.startswith(prefix) for prefix in not_body)]


def test_every_body_paragraph_is_in_a_chunk() -> None:
    guizhou_not_body = GUIZHOU_CAPTIONS + ["【网络文明贵州行动】", "发布时间", "编辑", "统筹", "编审"]
    guizhou_headings = ["高举旗帜", "统筹联动", "文化滋养", "共建共享", "天朗气清,构筑"]
    hubei_not_body = HUBEI_LEFTOVERS + ["湖北:網聚", "2024年05月28日", "(責編", "5月27日,省政府召開"]
    hubei_headings = ["堅持思想引領——", "網絡空間主流輿論不斷壯大", "創新建設路徑——", "中央網信辦推介湖北經驗",
                      "推動共建共治——", "網絡空間生態更加清朗", "重視素養教育", "共建精神家園", "網絡綜治體系",
                      "網絡空間愈發", "網絡安全屏障"]  # fmt: skip
    for path, not_body in ((GUIZHOU, guizhou_not_body + guizhou_headings), (HUBEI, hubei_not_body + hubei_headings)):
        document = load_document(path)
        covered = set()
        for chunk in chunk_document(document):
            covered.update(range(chunk.start, chunk.end))
        for paragraph in _body_paragraphs(path, not_body):
            start = document.text.find(paragraph)
            assert start >= 0, f"{path.name}: lost {paragraph[:30]!r}"
            missing = [i for i in range(start, start + len(paragraph)) if i not in covered]
            assert not missing, f"{path.name}: {paragraph[:30]!r} is not wholly in chunks"


def test_section_paths_name_the_report_headings() -> None:
    guizhou = {section for chunk in chunk_document(load_document(GUIZHOU)) for section in chunk.section}
    assert "高举旗帜,筑牢网络文明阵地" in guizhou
    hubei_chunks = chunk_document(load_document(HUBEI))
    figure = next(chunk for chunk in hubei_chunks if "5263" in chunk.text)
    assert figure.section[1:] == ("推動共建共治——網絡空間生態更加清朗", "網絡空間愈發天朗氣清——")
    assert any("堅持思想引領" in section for chunk in hubei_chunks for section in chunk.section)


def test_html_news_page_is_cleaned(tmp_path: Path) -> None:
    document = load_document(write_html(tmp_path / "page.html"))
    assert (document.date, document.source, document.region) == ("2024-05-28", "湖北日报", "湖北")
    assert "5263" in document.text
    assert "责编" not in document.text and document.credits == ("责编：周雯",)


def test_a_numbered_lead_in_opens_a_section(tmp_path: Path) -> None:
    """ "（一）着力扩大内需——" opens its section as "坚持稳中求进——" does (it was read as body)."""
    path = tmp_path / "report.txt"
    path.write_text(
        "2025年政府工作报告\n二、2025年重点工作\n（一）着力扩大内需——\n"
        "大力提振消费，全方位扩大国内需求，全年社会消费品零售总额增长6%。\n"
        "（二）坚持创新驱动——\n加快建设科技强省，研发经费投入增长10%。\n",
        encoding="utf-8",
    )
    document = load_document(path)
    headings = {line.title: line.level for line in document.lines if not line.is_body and line.title}
    assert headings.get("（一）着力扩大内需——") == 2 and headings.get("（二）坚持创新驱动——") == 2
    chunk = next(chunk for chunk in chunk_document(document) if "社会消费品零售总额" in chunk.text)
    assert chunk.section[-1] == "（一）着力扩大内需——"
