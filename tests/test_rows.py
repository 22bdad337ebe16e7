"""Answers across reports: which reports mention a term, a figure of each, named regions side by side,
a run of years, and the country beside a province — each row a real span of its report."""

from __future__ import annotations

import pytest

from qa.answer import answer
from qa.indexing import update_index
from qa.questions import Each, Which, Years
from qa.retrieval import Retriever
from qa.store import IndexConfig
from tests.conftest import SHARED
from tests.corpus import NATIONAL, PROVINCES, write_corpus
from tests.fakes import HashingEncoder


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("rows")
    data = write_corpus(root / "data")
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return Retriever(root / "index", encoder=HashingEncoder())


def rows_by_label(result) -> dict[str, object]:
    return {row.label: row for row in result.rows}


def check_rows_are_real_spans(result, retriever: Retriever) -> None:
    for row in result.rows:
        if not row.found:
            assert row.marker is None and row.sentence is None
            continue
        hit = result.hits[row.marker - 1]
        assert hit.text[row.start : row.end] == row.sentence
        source = retriever.source(hit.chunk_id)
        assert source.text[hit.citation.start : hit.citation.end] == hit.text


def test_which_reports_mention_a_term_lists_exactly_those(retriever: Retriever) -> None:
    result = answer("哪些省份提到了人形机器人？", retriever=retriever)
    assert isinstance(result.kind, Which)
    mentioned = {row.label for row in result.rows if row.found}
    assert mentioned == {region for region, (*_rest, term) in PROVINCES.items() if term == "人形机器人"}
    assert len(result.rows) == len(PROVINCES)  # the national reports are not provinces
    assert result.text.startswith("4 份报告中有 2 份提到「人形机器人」") and "2 of 4 reports" in result.text
    check_rows_are_real_spans(result, retriever)


@pytest.mark.parametrize(
    "question",
    ["哪些省份提出要发展人形机器人？", "哪些省份提到发展人形机器人？", "哪些省份布局了人形機器人？",
     "哪些省份把“人形机器人”列为重点？", "Which provinces mention humanoid robots?"],
)  # fmt: skip
def test_a_which_question_with_a_verb_finds_the_thing_apart_from_it(retriever: Retriever, question: str) -> None:
    result = answer(question, retriever=retriever)
    assert isinstance(result.kind, Which)
    mentioned = {row.label for row in result.rows if row.found}
    assert mentioned == {region for region, (*_rest, term) in PROVINCES.items() if term == "人形机器人"}
    check_rows_are_real_spans(result, retriever)


def test_whether_a_named_region_mentions_a_term_is_its_own_row(retriever: Retriever) -> None:
    said = answer("北京提到了人形机器人吗？", retriever=retriever)
    assert isinstance(said.kind, Which) and [(row.label, row.found) for row in said.rows] == [("北京", True)]
    assert "人形机器人" in said.rows[0].sentence and said.found
    not_said = answer("重慶有沒有提到人形機器人？", retriever=retriever)
    assert [(row.label, row.found, row.note) for row in not_said.rows] == [("重庆", False, "未提及 not stated")]
    assert not not_said.found and "0 of 1 reports" in not_said.text
    check_rows_are_real_spans(said, retriever)


def test_a_figure_of_each_report_with_its_value(retriever: Retriever) -> None:
    result = answer("各省2025年经济增长目标分别是多少？", retriever=retriever)
    rows = rows_by_label(result)
    assert isinstance(result.kind, Each) and set(rows) == set(PROVINCES)
    for region, (*_title, _review, target, _term) in PROVINCES.items():
        row = rows[region]
        assert row.found and target in row.sentence
        assert row.figure is not None and row.figure.text in target.replace("％", "%")
        assert (row.year, row.level) == (2025, "provincial")
    check_rows_are_real_spans(result, retriever)


def test_a_report_that_does_not_state_it_says_so(retriever: Retriever) -> None:
    result = answer("各省2025年粮食产量目标分别是多少？", retriever=retriever)
    assert result.rows and not any(row.found for row in result.rows)
    assert all(row.note == "未提及 not stated" for row in result.rows)


def test_named_regions_side_by_side_and_the_country_beside_a_province(retriever: Retriever) -> None:
    compared = rows_by_label(answer("比较北京和重庆2025年的经济增长目标", retriever=retriever))
    assert list(compared) == ["北京", "重庆"]
    assert compared["重庆"].figure.value == 6.0 and compared["北京"].figure.value == 5.0
    levels = answer("全国和四川2025年的经济增长目标分别是多少？", retriever=retriever)
    national, sichuan = levels.rows
    assert national.label == "全国" and not national.found and "no report" in national.note  # no 2025 national one
    assert sichuan.found and sichuan.figure.text == "5.5%以上"


def test_a_run_of_years_gives_one_row_per_year_from_its_report(retriever: Retriever) -> None:
    targets = answer("2010年到2012年的国内生产总值增长目标分别是多少？", retriever=retriever)
    assert isinstance(targets.kind, Years) and [row.year for row in targets.rows] == [2010, 2011, 2012]
    for row in targets.rows:
        assert row.file == f"{row.year}年国务院政府工作报告.txt" and NATIONAL[row.year][1] in row.sentence
    assert [row.figure.value for row in targets.rows] == [8.0, 8.0, 7.5]
    achieved = answer("2010年到2011年国内生产总值实际增长了多少？", retriever=retriever)
    assert [(row.year, row.file) for row in achieved.rows] == [
        (2010, "2011年国务院政府工作报告.txt"), (2011, "2012年国务院政府工作报告.txt")]  # fmt: skip
    assert [row.figure.value for row in achieved.rows] == [10.3, 9.2]
    check_rows_are_real_spans(achieved, retriever)


def test_relative_years_of_a_province_with_one_report_are_one_answer_not_a_one_year_table(
    retriever: Retriever,
) -> None:
    for question in ("近三年四川的地区生产总值增长目标分别是多少？", "近几年四川每年的地区生产总值增长目标是多少？"):
        result = answer(question, retriever=retriever)  # Sichuan's reports: 2025 only
        assert result.kind.name == "single" and not result.rows, question
        assert result.found and "5.5%以上" in result.text and result.hits[0].citation.region == "四川"
    national = answer("历年的国内生产总值增长目标分别是多少？", retriever=retriever)  # the country's: many years
    assert isinstance(national.kind, Years) and len(national.rows) >= 3


def test_follow_up_over_years_and_regions(retriever: Retriever) -> None:
    first = "2010年国内生产总值增长目标是多少？"
    follow = answer("那2012年呢？", retriever=retriever, history=[first])
    assert follow.resolved_question == "2012年国内生产总值增长目标是多少？"
    assert follow.hits[follow.sentences[0].marker - 1].citation.file == "2012年国务院政府工作报告.txt"
    region = answer("那重庆呢？", retriever=retriever, history=["北京2025年经济增长目标是多少？"])
    assert region.resolved_question == "重庆2025年经济增长目标是多少？"
    assert region.found and "6%左右" in region.text and region.hits[0].citation.region == "重庆"


def test_cross_report_rows_are_in_the_json(retriever: Retriever) -> None:
    record = answer("各省2025年经济增长目标分别是多少？", retriever=retriever).to_dict()
    assert record["kind"] == "each" and len(record["rows"]) == 4
    first = record["rows"][0]
    keys = {"label", "region", "year", "level", "file", "sentence", "marker", "value", "unit", "qualifier"}
    assert keys <= set(first)
    assert first["unit"] == "%" and isinstance(first["value"], float)


def test_a_year_range_filter_and_a_level_filter(retriever: Retriever) -> None:
    from qa.retrieval import Filters

    hits = retriever.search("国内生产总值增长", k=10, filters=Filters(year="2011-2012"))
    kept = {"2011年国务院政府工作报告.txt", "2012年国务院政府工作报告.txt"}
    assert hits and {hit.citation.file for hit in hits} <= kept
    provincial = retriever.search("生产总值增长", k=10, filters=Filters(level="provincial"))
    assert provincial and all(retriever.documents[hit.citation.file].level == "provincial" for hit in provincial)


def test_a_question_about_one_year_is_answered_from_that_years_report(tmp_path) -> None:
    data = write_corpus(tmp_path / "data", provinces=False)  # only the national reports 2010-2012
    (data / "2009年国务院政府工作报告.txt").write_text(  # a decoy in the question's own words
        "2009年国务院政府工作报告\n各位代表：\n一、2009年工作总体部署\n"
        "今年国内生产总值增长目标是多少？今年国内生产总值增长目标是8%，这是综合权衡的结果。\n",
        encoding="utf-8",
    )
    update_index(data, tmp_path / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    national = Retriever(tmp_path / "index", encoder=HashingEncoder())
    for question, year in [("2011年国内生产总值增长目标是多少？", 2011), ("今年国内生产总值增长目标是多少？", 2012)]:
        result = answer(question, retriever=national)
        cited = {result.hits[s.marker - 1].citation.title for s in result.sentences}
        assert result.found and cited == {f"{year}年国务院政府工作报告"}, (question, result.text)
    follow = answer("前一年呢？", retriever=national, history=["今年国内生产总值增长目标是多少？"])
    assert "8%左右" in follow.text and {h.citation.title for h in follow.hits[:1]} == {"2011年国务院政府工作报告"}


def test_the_reports_a_question_points_at_are_found_with_one_encoding(tmp_path) -> None:
    """Retriever.find: the passages of the year's report apart from the hits (a target of 2011 in
    2011's report, what 2011 achieved in 2012's), searched apart when no hit is from it (the 2009
    decoy in the question's own words comes first), the question encoded once."""
    data = write_corpus(tmp_path / "data", provinces=False)
    (data / "2009年国务院政府工作报告.txt").write_text(
        "2009年国务院政府工作报告\n各位代表：\n一、2009年工作总体部署\n"
        "今年国内生产总值增长目标是多少？今年国内生产总值增长目标是8%，这是综合权衡的结果。\n",
        encoding="utf-8",
    )
    update_index(data, tmp_path / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    national = Retriever(tmp_path / "index", encoder=HashingEncoder())
    encoded: list[list[str]] = []
    encode = national.encode_queries
    national.encode_queries = lambda texts: encoded.append(texts) or encode(texts)  # type: ignore[method-assign]
    for question, report in [
        ("2011年国内生产总值增长目标是多少？", "2011"),
        ("2011年国内生产总值实际增长了多少？", "2012"),
    ]:
        encoded.clear()
        found = national.find(national.plan(question), k=1)
        assert [hit.citation.file for hit in found.hits] == ["2009年国务院政府工作报告.txt"], question
        assert found.narrowed and {hit.citation.file for hit in found.pool} == {f"{report}年国务院政府工作报告.txt"}
        assert len(encoded) == 1, question
    unpointed = national.find(national.plan("国内生产总值增长目标是多少？"), k=3)
    assert not unpointed.narrowed and unpointed.pool == unpointed.hits


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = SHARED / "corpora" / "national"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the national reports live in ../shared")
    root = tmp_path_factory.mktemp("national")
    data = root / "data"
    data.mkdir()
    for year in (2007, 2012, 2013, 2014, 2018):
        (data / f"{year}年国务院政府工作报告.txt").symlink_to(folder / f"{year}年国务院政府工作报告.txt")
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return Retriever(root / "index", encoder=HashingEncoder())


@pytest.mark.parametrize(
    ("question", "year", "first_said"),
    [
        # the list of targets, not "这里要着重说明……提出国内生产总值增长8%左右的目标" that explains it
        ("2007年到2012年GDP增长目标分别是多少？", 2007, "国内生产总值增长8%左右；城镇新增就业人数不低于900万人"),
        ("2007年到2012年CPI涨幅的目标分别是多少？", 2012, "居民消费价格涨幅控制在4％左右；进出口"),
        # the review of the year, not "关于物价总水平……去年居民消费价格涨幅回落到2.6%" that explains it
        ("2012年到2013年物价每年实际涨了多少？", 2012, "居民消费价格涨幅回落到2.6%，为今年"),
    ],
)
def test_a_year_row_cites_where_its_report_first_states_the_figure(
    national: Retriever, question: str, year: int, first_said: str
) -> None:
    result = answer(question, retriever=national)
    row = next(row for row in result.rows if row.year == year)
    assert row.found and first_said in result.hits[row.marker - 1].text.replace(" ", "")
    check_rows_are_real_spans(result, national)


def test_what_was_achieved_is_an_exact_figure_not_a_targets_about_one(national: Retriever) -> None:
    # The 2014 report reviews 2013 (居民消费价格涨幅控制在2.6%) and explains its 2014 target in a sentence
    # that also says 去年: 把居民消费价格涨幅控制在3.5%左右，考虑了去年涨价翘尾影响和今年新涨价因素
    result = answer("2012年到2013年物价每年实际涨了多少？", retriever=national)
    row = next(row for row in result.rows if row.year == 2013)
    assert row.found and row.figure is not None and row.figure.value == 2.6, row.sentence


def test_a_years_row_is_not_a_figure_said_of_a_run_of_years(national: Retriever) -> None:
    # The 2018 report gives no 2017 CPI figure, only five years': 居民消费价格年均上涨1.9%
    result = answer("2016年到2017年物价每年实际涨了多少？", retriever=national)
    row = next(row for row in result.rows if row.year == 2017)
    assert not row.found, row.sentence


def test_a_years_row_is_not_from_a_passage_reviewing_several_years(national: Retriever) -> None:
    # The 2018 report: 五年来，……城镇新增就业6600万人以上 (five years'), and 2017's own 1351万人
    result = answer("2016年到2017年每年实际城镇新增就业多少人？", retriever=national)
    row = next(row for row in result.rows if row.year == 2017)
    assert row.found and row.figure is not None and row.figure.value == 1351.0, row.sentence
