"""Follow-ups resolved against the previous question, and new questions left exactly as typed."""

from __future__ import annotations

import pytest

from qa.questions import Conversation, StartOver, Vocabulary

KNOWN = {"固定资产投资", "居民消费价格", "目标", "江苏", "湖北", "陕西", "天津"}


def known(word: str) -> bool:
    return word in KNOWN


VOCABULARY = Vocabulary(known, newest=2025)


def resolved(question: str, *history: str) -> str:
    return Conversation.of(history, VOCABULARY).plan(question, VOCABULARY).text


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["上海2025年经济增长目标是多少？"], "那重庆呢？", "重庆2025年经济增长目标是多少？"),
        (["2024年湖南的研发投入强度是多少？"], "換成重慶呢？", "2024年重庆的研发投入强度是多少？"),
        (["江苏2024年城镇新增就业多少人？", "浙江呢"], "那广东呢？", "广东2024年城镇新增就业多少人？"),
        (
            ["What GDP growth target has Hubei set for 2025?"],
            "And Jiangsu?",
            "What GDP growth target has Jiangsu set for 2025?",
        ),
    ],
    ids=["region", "traditional region", "three turns", "english region"],
)
def test_a_new_region_asks_the_previous_question_about_it(history, question, expected) -> None:
    assert resolved(question, *history) == expected


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["2010年城镇新增就业目标是多少？"], "那2012年呢？", "2012年城镇新增就业目标是多少？"),
        (["2014年国内生产总值增长目标是多少？"], "前一年呢？", "2013年国内生产总值增长目标是多少？"),
        (
            ["2008年政府工作报告提出的居民消费价格涨幅目标是多少？"],
            "下一年呢？",
            "2009年政府工作报告提出的居民消费价格涨幅目标是多少？",
        ),
        (["What was the GDP growth target in 2011?"], "And in 2012?", "What was the GDP growth target in 2012?"),
    ],
    ids=["year", "the year before", "the year after", "english year"],
)
def test_a_new_year_asks_the_previous_question_of_that_year(history, question, expected) -> None:
    assert resolved(question, *history) == expected


def test_a_new_attribute_is_asked_of_the_previous_region_and_year() -> None:
    assert resolved("粮食产量目标呢？", "四川2025年地区生产总值增长目标是多少？") == "四川2025年粮食产量目标是多少？"
    assert resolved("固定资产投资呢？", "海南2025年地区生产总值预期增长多少？") == "海南2025年固定资产投资目标是多少？"
    assert resolved("What about its fixed-asset investment?", "陕西2025年地区生产总值增长目标是多少？") == (
        "陕西2025年固定资产投资目标是多少？"
    )


def test_references_take_the_previous_region() -> None:
    assert resolved("该省的研发投入强度目标是多少？", "安徽2025年的经济增长目标是多少？") == (
        "安徽2025年的研发投入强度目标是多少？"
    )
    gansu = resolved("其粮食产量目标是多少？", "甘肃2025年地区生产总值增长目标是多少？")
    assert gansu == "甘肃2025年粮食产量目标是多少？"
    assert resolved("當地固定資產投資要增長多少？", "內蒙古2025年的經濟增長目標是多少？").startswith("内蒙古2025年")


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        ("北京2025年经济增长目标是多少？", "辽宁2025年进出口总额增长目标是多少？"),
        ("湖南2025年粮食产量目标是多少？", "2016年政府工作报告提出的国内生产总值增长目标是多少？"),
        ("What is Zhejiang's 2025 GDP growth target?", "How much did China's GDP grow in 2023?"),
        ("湖北处理了多少个违规直播间？", "贵州全省累计开展了多少次网络文明建设活动？"),
        ("湖北处理了多少个违规直播间？", "哪些省份提到了人形机器人呢？"),
        ("湖北处理了多少个违规直播间？", "培育了多少名农村电商带头人？"),
    ],
)
def test_a_self_contained_question_is_left_exactly_as_typed(previous: str, question: str) -> None:
    plan = Conversation.of([previous], VOCABULARY).plan(question, VOCABULARY)
    assert plan.text == plan.question == question and plan.followup == "new"


def test_starting_over_clears_the_context() -> None:
    conversation = Conversation.of(["上海2025年经济增长目标是多少？"], VOCABULARY)
    assert isinstance(conversation.plan("/new", VOCABULARY).kind, StartOver)
    assert conversation.after(conversation.plan("/new", VOCABULARY)).previous is None
    assert resolved("那重庆呢？", "上海2025年经济增长目标是多少？", "重新开始") == "那重庆呢？"
    assert resolved("那重庆呢？") == "那重庆呢？"


def test_each_turn_reads_only_its_own_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversation is a state: a turn reads its question (and, for a follow-up, the question as
    understood), never the earlier ones again, however long the conversation."""
    from qa.questions import conversation as module

    reads: list[str] = []
    read = module.read
    monkeypatch.setattr(
        module, "read", lambda question, text, *a, **k: reads.append(text) or read(question, text, *a, **k)
    )
    turns = ["上海2025年经济增长目标是多少？", "那重庆呢？", "2024年呢？", "固定资产投资呢？", "那江苏呢？"] * 4
    conversation = Conversation()
    for number, question in enumerate(turns, start=1):
        before = len(reads)
        plan = conversation.plan(question, VOCABULARY)
        assert len(reads) - before <= 2, (number, reads[before:])
        conversation = conversation.after(plan)
    assert conversation.previous is not None and conversation.previous.text == "江苏2024年固定资产投资目标是多少？"
    reads.clear()
    assert Conversation.of(turns, VOCABULARY).previous == conversation.previous
    assert len(reads) <= 2 * len(turns)  # replaying a history is linear in its length
