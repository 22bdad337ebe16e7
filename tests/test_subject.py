"""The thing a which-question asks about, apart from its verb, and the names it is found by."""

from __future__ import annotations

import pytest

from qa.questions import Vocabulary, plan_question
from qa.questions.subject import names_of, short_forms, thing_asked, thing_asked_english
from qa.text import to_simplified


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("哪些省份提出要发展生物制造？", "生物制造"),
        ("哪几个地区在布局卫星互联网？", "卫星互联网"),
        ("哪些省份把数字经济列为重点？", "数字经济"),
        ("哪些省份把文旅产业作为主导产业？", "文旅产业"),
        ("哪些地方表示要支持民营经济？", "民营经济"),
        ("哪些省份打算建设算力中心？", "算力中心"),
        ("哪些省份提到要壮大新型储能？", "新型储能"),
        ("哪些省份的报告提到发展林下经济？", "林下经济"),
        ("哪些省份提出加快建设全国统一大市场？", "全国统一大市场"),
        ("哪些省份提到了中欧班列？", "中欧班列"),  # 中 is not a word of its own here
        ("哪些省份提到有机农业？", "有机农业"),  # nor 有
        ("哪些省份提到乡村建设？", "乡村建设"),  # too short to lose its last word
        ("哪些省份提出推进城市更新行动建设？", "城市更新行动"),
        ("哪些省份提出要發展生物製造？", "生物制造"),  # traditional
        ("哪些省份在佈局衛星互聯網？", "卫星互联网"),
        ("西藏有没有提到量子通信？", "量子通信"),
        ("北京提到了脑机接口吗？", "脑机接口"),
        ("各地报告里，哪些提到了城中村改造？", "城中村改造"),
    ],
)
def test_the_verb_is_not_part_of_the_thing(question: str, thing: str) -> None:
    assert thing_asked(to_simplified(question)) == thing


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Which provinces plan to develop satellite internet?", "satellite internet"),
        ("Which provinces mention building computing centers in their 2025 government work reports?",
         "computing centers"),
        ("Which regions support the private economy?", "private economy"),
        ("Which provinces list the digital economy as a priority?", "digital economy"),
        ("Which provinces mention 5G-A?", "5G-A"),
        ("Does Hainan's report mention duty-free shopping?", "duty-free shopping"),
    ],
)  # fmt: skip
def test_the_verb_is_not_part_of_the_thing_in_english(question: str, thing: str) -> None:
    assert thing_asked_english(question) == thing


def test_a_thing_is_found_by_its_quoted_name_its_other_names_and_without_a_generic_head() -> None:
    names, cores = names_of("“人工智能+”行动")
    assert names[0] == "人工智能+行动" and "人工智能+" in names
    names, cores = names_of("微短剧")
    assert "短剧" in names
    assert names_of("量子科技") == (("量子科技",), ("量子",))
    assert names_of("氢能产业")[1] == ("氢能",)
    assert names_of("人形机器人") == (("人形机器人",), ())


def test_an_english_thing_is_translated_phrase_by_phrase() -> None:
    index_words = {"卫星", "互联网", "卫星互联网", "北斗", "导航", "系统"}
    plan = plan_question("Which provinces promote the BeiDou navigation system?", Vocabulary(index_words.__contains__))
    assert plan.subject is not None and ("北斗",) in plan.subject.parts  # its pinyin, which CC-CEDICT reads
    literal = plan_question("Which provinces mention 6G?", Vocabulary(lambda word: False))
    assert literal.subject is not None and literal.subject.words == ("6G",)


def test_an_english_thing_is_named_by_the_compound_its_phrases_make_when_reports_say_it_so() -> None:
    from qa.answer.which import _compounds

    def reports(*texts: str) -> dict:
        return {(f"{number}.docx",): [(number, text, "")] for number, text in enumerate(texts)}

    machine_tools = reports("聚焦工业母机等领域。", "发展高端数控机床。", "支持工业母机自主创新。", "工业稳定增长。")
    assert _compounds((("工业", "产业"), ("机床", "母机")), machine_tools) == ["工业母机"]  # 母机 only in it
    beidou = reports("推进北斗规模应用。", "北斗导航卫星。", "卫星导航产业。", "北斗产业。")
    assert _compounds((("北斗",), ("导航",)), beidou) == []  # 北斗 is said alone: the part names it


def test_a_thing_has_the_short_forms_reports_abbreviate_it_to() -> None:
    assert "夜经济" in short_forms("夜间经济")  # Jiangsu's and Liaoning's 2025 reports say 夜经济
    assert short_forms("氢能产业") == ("氢产业",)  # a two-character word before the last is cut
    assert short_forms("氢能") == ()  # one word has no short form
    assert "地方专项债券" in names_of("地方政府专项债券")[0]  # an indicator's other forms, by its rules
