"""Which year's words answer a question: what a report plans for its own year, or what it reviews of
the year before (qa.answer.stance), on sentences and section paths of the shared 2025 reports."""

from __future__ import annotations

import pytest

from qa.answer.stance import Stance, question_basis

# Sentences of the plan parts of 2025 provincial reports that carry no target word of their own.
PLANNED = [
    ("2025年上海市政府工作报告 二、2025年主要任务 （一）聚力扩内需、稳外需，保持经济稳定增长",
     "推进重大工程建设，全年完成投资2400亿元。"),
    ("2025年吉林省政府工作报告 二、2025年工作安排 （三）聚焦扛稳国家粮食安全重任，着力加快高水平农业强省建设",
     "保护性耕作面积新增200万亩，“水肥一体化”推广面积新增100万亩。"),
    ("2025年北京市政府工作报告 二、2025年工作总体要求和重点任务 （六）深入做好首都文化大文章",
     "实施文化惠民工程，举办市民系列文化活动1.6万场，开展各类阅读活动3万场。"),
]  # fmt: skip
REVIEWED = ("2025年上海市政府工作报告 一、2024年工作回顾 （一）奋力落实“五个中心”建设重要使命",
            "盘活处置低效产业用地45平方公里，实施“工业上楼”项目151个。")  # fmt: skip


@pytest.mark.parametrize(("section", "sentence"), PLANNED)
def test_a_sentence_of_the_plan_part_does_not_answer_what_was_achieved(section: str, sentence: str) -> None:
    stance = Stance.of(sentence, section)
    assert stance.planned and not stance.review
    assert stance.against("actual") and not stance.against("target")


def test_a_sentence_of_the_review_part_is_not_planned() -> None:
    section, sentence = REVIEWED
    stance = Stance.of(sentence, section)
    assert not stance.planned and stance.review
    assert stance.against("target") and not stance.against("actual")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("江西去年新建了多少所中小学？", "actual"),
        ("四川過去一年新增了多少個5G基站？", "actual"),
        ("How many kilometres of expressway did Hebei open last year?", "actual"),
        ("How many new charging piles has Henan built?", "actual"),
        ("广西今年要新增多少个托位？", "target"),
        ("湖南明年打算建多少公里高速公路？", "target"),
        ("How many affordable homes will Shaanxi build this year?", "target"),
        ("云南的森林覆盖率是多少？", "unknown"),  # no time word: either
    ],
)
def test_a_question_without_a_target_word_takes_its_basis_from_its_time_words(question: str, asked: str) -> None:
    from qa.text import to_simplified

    assert question_basis("unknown", to_simplified(question)) == asked


def test_a_basis_the_question_states_is_kept() -> None:
    assert question_basis("target", "去年定的目标是多少") == "target"
    assert question_basis("actual", "今年实际完成了多少") == "actual"


def test_expected_alone_says_neither_target_nor_result() -> None:
    """English "expected" renders both the reports' 预期 (a target) and 预计 (an estimate of the year
    just ended: 数字经济增加值预计达3.2万亿元, in a review)."""
    assert question_basis("target", "How much is Anhui's grain output expected to reach?") == "unknown"
    assert question_basis("target", "What growth is Hebei's economy expected to achieve this year?") == "target"
    assert question_basis("target", "What is the expected growth target for 2025?") == "target"
    assert Stance.of("数字中国建设峰会效应持续放大，数字经济增加值预计达3.2万亿元、位列全国第一梯队。").review


def test_a_target_reached_in_the_review_part_is_no_target() -> None:
    """The review part leaves the past tense unsaid: a target met there answers no target question."""
    section = "2025年江苏省政府工作报告 一、2024年工作回顾"
    sentence = (
        "2024年地区生产总值达13.7万亿元、增长5.8%、增量全国第一，一般公共预算收入再次达到万亿级规模，"
        "顺利完成全年经济社会发展主要目标任务，在全国发展大局中发挥了带动和支柱作用，“强富美高”新江苏现代化建设迈出新的坚实步伐。"
    )  # fmt: skip
    assert Stance.of(sentence, section).against("target")
    # the same words in the plan part are still to be done: a target
    planned = Stance.of(
        "单位地区生产总值能耗完成“十四五”国家考核目标。", "2025年湖北省政府工作报告 二、2025年工作思路和重点任务"
    )
    assert planned.target and not planned.against("target")


def test_a_target_word_inside_an_indicators_name_is_no_target() -> None:
    """人均预期寿命 (life expectancy) holds 预期 without asking for a target."""
    assert question_basis("target", "2024年陕西人均预期寿命达到多少岁？") == "unknown"
    assert question_basis("target", "2025年人均预期寿命的目标是多少？") == "target"
