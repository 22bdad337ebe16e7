"""Targets against results and a term's mentions, answered from real reports: the reports the tests
write (tests/corpus.py) and, when ../shared is there, the national reports 1954-2025 and three
provincial reports of 2025. Every value is a span of its cited sentence; every count equals a count
made here, apart from the library, over the texts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from qa.answer import answer
from qa.answer.export import rows_csv
from qa.answer.targets import measure_figures, report_parts
from qa.answer.values import figures
from qa.indexing import update_index
from qa.measures import BY_KEY
from qa.retrieval import Filters, Retriever
from qa.store import IndexConfig
from qa.text import to_simplified
from tests.conftest import SHARED
from tests.corpus import write_corpus
from tests.fakes import HashingEncoder

PROVINCES = ("2025年四川省政府工作报告.docx", "2025年湖北省政府工作报告.docx", "2025年福建省政府工作报告.docx")


def _index(data: Path, folder: Path) -> Retriever:
    update_index(data, folder, config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return Retriever(folder, encoder=HashingEncoder())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("written")
    return _index(write_corpus(root / "data"), root / "index")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    national = SHARED / "corpora" / "national"
    provincial = SHARED / "corpora" / "gwr2025"
    if not national.is_dir() or not provincial.is_dir():
        pytest.skip(f"{SHARED / 'corpora'} is absent: the national and provincial reports live in ../shared")
    root = tmp_path_factory.mktemp("archive")
    data = root / "data"
    data.mkdir()
    for path in sorted(national.glob("*.txt")):
        (data / path.name).symlink_to(path)
    for name in PROVINCES:
        shutil.copy(provincial / name, data / name)
    return _index(data, root / "index")


def assert_spans(result) -> None:
    """Every side's figure is a span of its cited sentence, which is a span of its passage."""
    for comparison in result.comparisons:
        for side in (comparison.target, comparison.result):
            if side is None:
                continue
            hit = result.hits[side.marker - 1]
            assert hit.text[side.start : side.end] == side.sentence
            read = figures(to_simplified(side.figure_span))
            assert [(f.value, f.unit) for f in read] == [(side.figure.value, side.figure.unit)], side.figure_span


def test_a_figure_is_the_measure_s_own() -> None:
    gdp, deficit, jobs = BY_KEY["gdp"], BY_KEY["deficit"], BY_KEY["jobs"]

    def values(sentence: str, measure) -> list[object]:
        return [found.figure.value for found in measure_figures(sentence, measure)]

    assert values("国内生产总值达到67.7万亿元，增长6.9%，消费对经济增长的贡献率达到66.4%。", gdp) == [6.9]
    assert values("国内生产总值达到74.4万亿元，增长6.7%，对全球经济增长的贡献率超过30%。", gdp) == [6.7]
    assert values("2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%，年均增长10.6%。", gdp) == []
    assert values("地区生产总值增长5%左右，产业投资增长7%左右，单位国内生产总值能耗降低3%左右。", gdp) == [5]
    assert values("区域海洋创新指数位居全国第一梯次，海洋生产总值增长10.4%。", gdp) == []
    assert values("地区生产总值、一般公共预算收入分别增长5.5%和3%。", gdp) == [5.5]
    assert values("赤字率从去年的2.1%提高到2.3%。", deficit) == [2.1, 2.3]
    assert [f.previous for f in measure_figures("赤字率从去年的2.1%提高到2.3%。", deficit)] == [True, False]
    assert values("城镇新增就业预期目标比去年多100万人。", jobs) == []
    assert values("今年的预期目标是，新增城镇就业900万人，下岗失业人员再就业500万人。", jobs) == [900]


def test_the_parts_of_a_report() -> None:
    title = ("2025年某省政府工作报告",)
    sections = [title, (*title, "一、2024年工作回顾"), (*title, "一、2024年工作回顾", "（一）产业"),
                (*title, "二、2025年工作安排"), (*title, "三、加强政府自身建设")]  # fmt: skip
    assert report_parts(sections, 2025) == [None, "review", "review", "plan", "plan"]
    unnamed = [
        title,
        (*title, "一、牢记嘱托，取得新成效"),
        (*title, "一、牢记嘱托，取得新成效"),
        (*title, "二、牢记使命，奋勇争先"),
    ]
    assert report_parts(unnamed, 2025) == [None, "review", "review", "plan"]  # a report reviews first


def test_targets_against_results_of_the_written_reports(written: Retriever) -> None:
    result = answer("2010年到2011年国内生产总值增长目标和实际分别是多少？", retriever=written)
    assert result.kind.name == "target_result" and len(result.comparisons) == 2
    first, second = result.comparisons
    assert first.target and first.result and (first.target.figure.text, first.result.figure.text) == ("8%左右", "10.3%")
    assert (first.target.file, first.result.file) == ("2010年国务院政府工作报告.txt", "2011年国务院政府工作报告.txt")
    assert first.verdict == "met" and first.difference == pytest.approx(2.3)
    assert second.result and second.result.figure.value == 9.2 and second.verdict == "met"
    assert_spans(result)
    assert "达成 met" in result.text and "[1]" in result.text
    csv = rows_csv(result).lstrip("\ufeff").splitlines()
    assert csv[0].startswith("地区 Region,指标 Measure,年份 Year,判断 Verdict") and len(csv) == 3
    assert "2011年国务院政府工作报告" in csv[1] and "国内生产总值增长10.3%" in csv[1]

    provinces = answer("各省2024年经济增长实际完成情况与2025年目标", retriever=written)
    rows = {comparison.region: comparison for comparison in provinces.comparisons}
    assert set(rows) == {"北京", "上海", "重庆", "四川"}
    sichuan = rows["四川"]
    assert sichuan.result and sichuan.target and (sichuan.result_year, sichuan.target_year) == (2024, 2025)
    assert (sichuan.result.figure.text, sichuan.target.figure.text, sichuan.verdict) == ("5.7%", "5.5%以上", None)
    assert_spans(provinces)


def test_a_year_without_its_report_says_so(written: Retriever) -> None:
    result = answer("2012年国内生产总值增长目标完成了吗？", retriever=written)  # no 2013 report written
    (row,) = result.comparisons
    assert row.target is not None and row.result is None and "no report" in (row.result_note or "")
    assert row.verdict is None


def test_the_issue_s_examples_over_the_national_reports(archive: Retriever) -> None:
    result = answer("2015年到2023年国内生产总值增长目标和实际增长分别是多少？", retriever=archive)
    rows = {comparison.year: comparison for comparison in result.comparisons}
    assert sorted(rows) == list(range(2015, 2024))
    assert rows[2015].result and rows[2015].result.figure.value == 6.9  # not 66.4, the consumption share
    assert rows[2016].result and rows[2016].result.figure.value == 6.7  # not 超过30%, the share of world growth
    assert rows[2016].target and rows[2016].target.figure.value == (6.5, 7.0) and rows[2016].verdict == "met"
    assert rows[2019].result is None and rows[2020].target is None  # the archive has no 2020 report
    assert rows[2022].verdict == "missed" and rows[2021].target and rows[2021].target.figure.qualifier == "以上"
    assert_spans(result)

    met = answer("2023年国内生产总值增长目标完成了吗？", retriever=archive)
    (row,) = met.comparisons
    assert row.target and row.target.figure.text == "5%左右" and row.target.file.startswith("2023年")
    assert row.result and row.result.figure.value == 5.2 and row.result.file.startswith("2024年")
    assert row.verdict == "met" and row.difference == pytest.approx(0.2)

    first = answer("新质生产力是哪一年首次出现在政府工作报告中？", retriever=archive)
    assert first.mentions is not None and first.mentions.first and first.mentions.first.year == 2024
    assert len(first.mentions.reports) == 52  # the work reports, not the resolutions on them
    assert first.mentions.earlier_checked == 50 and "此前的 50 份报告都没有提到" in first.text
    assert "新质生产力" in first.sentences[0].text


def test_other_measures_languages_and_scripts(archive: Retriever) -> None:
    cpi = answer("2007年物价涨幅控制住了吗？", retriever=archive).comparisons[0]
    assert cpi.target and cpi.result and (cpi.target.figure.text, cpi.result.figure.value) == ("3%以内", 4.8)
    assert cpi.verdict == "missed"
    deficit = answer("2014年赤字率的安排和实际执行情况如何？", retriever=archive).comparisons[0]
    assert deficit.result and deficit.result.figure.value == 2.1 and deficit.result.file.startswith("2015年")
    grain = answer("Did China's 2023 grain harvest reach the year's target?", retriever=archive).comparisons[0]
    assert grain.result and (grain.result.figure.value, grain.result.figure.unit) == (1.39, "万亿斤")
    assert grain.verdict == "met"
    jobs = answer("2013年城鎮新增就業目標是否完成？", retriever=archive).comparisons[0]
    assert jobs.result and jobs.result.figure.value == 1310 and jobs.verdict == "met"
    sichuan = answer("四川2024年經濟實際增長多少？2025年目標是多少？", retriever=archive).comparisons[0]
    assert (
        sichuan.result and sichuan.target and (sichuan.result.figure.value, sichuan.target.figure.value) == (5.7, 5.5)
    )


def _own_count(forms: list[str], text: str) -> int:
    """A count made here: OpenCC directly, white space out, the forms longest first."""
    import opencc

    converter = opencc.OpenCC("t2s")
    simplified = converter.convert("".join(text.split()))
    wanted = sorted({converter.convert(form) for form in forms}, key=len, reverse=True)
    return len(re.findall("|".join(re.escape(form) for form in wanted), simplified))


@pytest.mark.parametrize(
    ("question", "forms"),
    [
        ("改革开放在历年政府工作报告中出现了多少次？", ["改革开放"]),
        ("“一带一路”每年在政府工作报告里被提到几次？", ["一带一路", "丝绸之路经济带", "21世纪海上丝绸之路"]),
        ("小康社會在歷年政府工作報告中出現了多少次？", ["小康社会"]),
        ("How many times did each year's report mention mass entrepreneurship and innovation?",
         ["大众创业、万众创新", "大众创业万众创新", "大众创业", "万众创新", "双创"]),
    ],
)  # fmt: skip
def test_a_timeline_equals_a_count_over_the_texts(archive: Retriever, question: str, forms: list[str]) -> None:
    from qa.documents import load_document

    result = answer(question, retriever=archive)
    assert result.kind.name == "timeline" and result.mentions is not None
    national = SHARED / "corpora" / "national"
    own = {int(path.name[:4]): _own_count(forms, load_document(path).text)
           for path in sorted(national.glob("*年国务院政府工作报告.txt"))}  # fmt: skip
    assert result.mentions.counts() == own
    assert result.mentions.total == sum(own.values()) > 0
    for report in result.mentions.mentioning:  # every sentence shown holds the term, but one under a heading
        assert report.mentions and any(m.form in "".join(to_simplified(m.sentence).split()) for m in report.mentions)


def test_filters_and_follow_ups_over_the_archive(archive: Retriever) -> None:
    within = answer(
        "高质量发展在历年政府工作报告中出现了多少次？", retriever=archive, filters=Filters(year="2018-2021")
    )
    assert within.mentions is not None and [r.year for r in within.mentions.reports] == [2018, 2019, 2021]
    provincial = answer("新质生产力是哪一年首次出现的？", retriever=archive, filters=Filters(level="provincial"))
    assert provincial.mentions is not None and {r.file for r in provincial.mentions.reports} == set(PROVINCES)
    follow = answer("那2022年呢？", retriever=archive, history=["2023年国内生产总值增长目标完成了吗？"])
    assert follow.resolved_question == "2022年国内生产总值增长目标完成了吗？"
    assert follow.comparisons[0].verdict == "missed"
    other = answer("居民消费价格呢？", retriever=archive, history=["2023年国内生产总值增长目标完成了吗？"])
    assert other.comparisons[0].measure == "cpi" and other.comparisons[0].result is not None
    term = answer("数字经济呢？", retriever=archive, history=["新质生产力是哪一年首次出现在政府工作报告中？"])
    assert term.mentions is not None and term.mentions.first and term.mentions.first.year == 2017
