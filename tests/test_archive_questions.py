"""Questions about the archive over time, told apart from the others, in simplified and traditional
Chinese and in English; the term and its forms; the measures; follow-ups that keep the question's frame."""

from __future__ import annotations

import pytest

from qa.measures import measures_asked
from qa.questions import Conversation, FirstMention, TargetResult, Timeline, Vocabulary, plan_question
from qa.terms import english_term, forms_of, forms_pattern

KNOWS = Vocabulary(lambda text: True, 2025)


def kind_of(question: str) -> str:
    return plan_question(question, KNOWS).kind.name


@pytest.mark.parametrize(
    "question",
    [
        "2023年国内生产总值增长目标完成了吗？",
        "2015年到2023年国内生产总值增长目标和实际增长分别是多少？",
        "各省2024年经济增长实际完成情况与2025年目标",
        "2012年至2016年赤字率的安排和实际执行情况如何？",
        "2008年物价涨幅控制住了吗？",
        "2019年城鎮新增就業目標是否完成？",
        "西藏去年的经济增速和今年的目标分别是多少？",
        "Did China meet its 2019 CPI target?",
        "How did actual GDP growth compare with the target from 2011 to 2015?",
        "How did grain output compare with the target in 2022?",
    ],
)
def test_target_against_result_questions(question: str) -> None:
    assert kind_of(question) == TargetResult.name


@pytest.mark.parametrize(
    "question",
    [
        "碳中和是哪一年首次出现在政府工作报告中的？",
        "“放管服”最早见于哪一年的报告？",
        "脫貧攻堅最後一次出現在哪一年的政府工作報告？",
        "When did the government work report first mention the low-altitude economy?",
        "In which year was 'common prosperity' last mentioned?",
    ],
)
def test_first_and_last_mention_questions(question: str) -> None:
    assert kind_of(question) == FirstMention.name


@pytest.mark.parametrize(
    "question",
    [
        "生态文明在历年政府工作报告中出现了多少次？",
        "“减税降费”每年被提到几次？",
        "京津冀協同發展在歷年報告中出現了幾次？",
        "How often did the reports mention the Greater Bay Area?",
    ],
)
def test_timeline_questions(question: str) -> None:
    assert kind_of(question) == Timeline.name


@pytest.mark.parametrize(
    "question",
    [
        "2025年经济增长目标是多少？",  # a target alone
        "2023年国内生产总值实际增长了多少？",  # a result alone
        "2005年到2012年CPI涨幅的目标分别是多少？",  # targets of a range of years
        "Compare the 2025 grain output targets of Heilongjiang, Henan and Shandong.",
        "湖北开展了多少次网络文明活动？",  # how many times, but nothing is mentioned
        "2024年首次提出了哪些新目标？",
        "哪些省份提到了人形机器人？",
    ],
)
def test_other_questions_keep_their_kind(question: str) -> None:
    assert kind_of(question) not in (TargetResult.name, FirstMention.name, Timeline.name)


def test_the_term_asked_and_its_forms() -> None:
    quoted = plan_question("“一带一路”最早出现在哪一年的政府工作报告里？", KNOWS)
    assert quoted.subject is not None and quoted.subject.words == ("一带一路", "丝绸之路经济带", "21世纪海上丝绸之路")
    traditional = plan_question("碳達峰最早出現在哪一年的政府工作報告中？", KNOWS)
    assert traditional.subject is not None and traditional.subject.words == ("碳达峰", "碳排放达峰")
    verb = plan_question("構建和諧社會的提法最早出現在哪一年的報告？", KNOWS)  # the verb is not the term
    assert verb.subject is not None and (verb.subject.text, verb.subject.words) == ("构建和谐社会", ("和谐社会",))
    unlisted = plan_question("全面深化改革是哪一年首次提出的？", KNOWS)  # not listed: counted as written
    assert unlisted.subject is not None and unlisted.subject.words == ("全面深化改革",)
    assert plan_question("出现了多少次？", KNOWS).subject is None  # the words that ask are not a term
    quoted_word = plan_question("“多少”这个词在历年报告中出现了多少次？", KNOWS).subject
    assert quoted_word is not None and quoted_word.words == ("多少",)
    after = plan_question("哪一年的政府工作报告首次提到了新质生产力？", KNOWS)
    assert after.subject is not None and after.subject.words == ("新质生产力",)
    english = plan_question("Which year's report first described the economy's 'new normal'?", KNOWS)
    assert english.subject is not None and english.subject.words == ("新常态",)
    listed = plan_question("In which year did the report first call for mass entrepreneurship and innovation?", KNOWS)
    assert listed.subject is not None and listed.subject.words[0] == "大众创业、万众创新"


def test_forms_count_the_longest_first_once() -> None:
    forms = forms_of("大众创业、万众创新")
    pattern = forms_pattern(forms)
    assert len(pattern.findall("推动大众创业、万众创新，双创示范基地，大众创业")) == 3
    assert forms_of("互联网＋") == ("互联网＋", "互联网+")  # either spelling asked counts both
    assert forms_of("雄安新區") == ("雄安新区",)
    assert english_term("reform and opening up") == "改革开放" and english_term("nothing listed") is None


def test_the_measures_a_question_names() -> None:
    def keys(text: str) -> list[str]:
        return [measure.key for measure in measures_asked(text)]

    assert keys("财政赤字占国内生产总值的比重") == ["deficit"]  # not also GDP
    assert keys("居民消费价格涨幅") == ["cpi"] and keys("consumer price inflation") == ["cpi"]
    assert keys("城镇调查失业率和城镇新增就业") == ["unemployment", "jobs"]
    assert keys("grain harvest") == ["grain"] and keys("增长目标") == ["gdp"]


def test_follow_ups_keep_the_frame_of_a_question_about_the_archive() -> None:
    def follow(earlier: str, question: str) -> tuple[str, str]:
        plan = Conversation.of([earlier], KNOWS).plan(question, KNOWS)
        return plan.text, plan.kind.name

    assert follow("2023年国内生产总值增长目标完成了吗？", "那2019年呢？") == (
        "2019年国内生产总值增长目标完成了吗？", "target_result")  # fmt: skip
    text, kind = follow("2023年国内生产总值增长目标完成了吗？", "居民消费价格呢？")
    assert kind == "target_result" and text.startswith("2023年居民消费价格")
    assert follow("新质生产力是哪一年首次出现在政府工作报告中？", "数字经济呢？") == (
        "数字经济是哪一年首次出现在政府工作报告中？", "first_mention")  # fmt: skip
    assert follow("高质量发展在历年政府工作报告中出现了多少次？", "那2019年呢？") == (
        "高质量发展在2019年政府工作报告中出现了多少次？", "timeline")  # fmt: skip
    assert follow("2010年居民消費價格漲幅目標達成了嗎？", "那2012年呢？")[0] == "2012年居民消費價格漲幅目標達成了嗎？"
