"""What a question asks, planned before any index is touched: regions, years, kind, level, subject."""

from __future__ import annotations

import pytest

from qa.questions import Compare, Each, Plan, Single, StartOver, Vocabulary, Which, Years, plan_question


def known(word: str) -> bool:
    return True


def plan_query(question: str, knows=known, newest: int | None = None) -> Plan:
    return plan_question(question, Vocabulary(knows, newest))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("湖北处理了多少个违规直播间？", "single"),
        ("截至2022年12月1日，贵州全省各地各部门累计开展了多少次网络文明建设活动？", "single"),
        ("湖北网络文明建设有哪些做法？", "single"),
        ("海南2025年城镇和农村居民收入分别计划增长多少？", "single"),
        ("哪些省份提到了人形机器人？", "which"),
        ("各地报告里，哪些提到了城中村改造？", "which"),
        ("Which provinces mention the China-Europe Railway Express?", "which"),
        ("各省2025年经济增长目标分别是多少？", "each"),
        ("What fixed-asset investment growth target has each province set for 2025?", "each"),
        ("比较广东、江苏、浙江三省的研发投入强度", "compare"),
        ("四川和重庆的固定资产投资目标分别是多少？", "compare"),
        ("全国和广东2025年的经济增长目标分别是多少？", "compare"),
        ("2005年到2012年的国内生产总值增长目标分别是多少？", "years"),
        ("西藏2025年有没有提到量子计算？", "which"),
        ("廣東是否提及低空經濟", "which"),
        ("北京提到了人形机器人吗？", "which"),
        ("Does Shanghai's report mention humanoid robots?", "which"),
        ("有没有提到量子计算？", "single"),  # no region named: an ordinary question
        ("How many China Time-honored Brands did Jiangxi cultivate in 2024?", "single"),  # a brand, not the country
        ("What proportion of China's car exports were made in Anhui?", "single"),
        ("Compare Guangdong and China on GDP growth", "compare"),
        ("How does Hubei's growth compare with China's?", "compare"),
    ],
)
def test_questions_across_reports_are_told_from_single_ones(question: str, kind: str) -> None:
    assert plan_query(question, known, newest=2025).kind.name == kind


def test_regions_levels_and_terms() -> None:
    plan = plan_query("全国和广东2025年的经济增长目标分别是多少？", known, newest=2025)
    assert plan.regions == ("全国", "广东") and plan.kind.name == "compare" and plan.basis == "target"
    assert plan_query("全国2025年经济增长目标是多少？", known).level == "national"
    assert plan_query("国家级专精特新企业有多少家？", known).regions == ()
    which = plan_query("哪些省份的報告提到了商業航天？", known)
    assert which.subject.text == "商业航天" and which.level == "provincial"
    english = plan_query("Which provinces mention humanoid robots?", lambda word: word == "人形机器人")
    assert english.subject.text == "人形机器人"
    assert plan_query("西藏2025年有没有提到量子计算？", known).subject.text == "量子计算"
    assert plan_query("北京提到了人形机器人吗？", known).subject.text == "人形机器人"
    single = plan_query("湖北處理了多少個違規直播間？", known)
    assert single.region == "湖北" and single.asks_quantity


def test_china_alone_is_the_country_only_when_no_province_is_named() -> None:
    assert plan_query("What is China's GDP growth target for 2025?", known).regions == ("全国",)
    assert plan_query("How many China Time-honored Brands did Jiangxi cultivate?", known).regions == ("江西",)
    assert plan_query("Is Sichuan growing faster than the national average?", known).regions == ("全国", "四川")


def test_a_plan_reads_its_text_once_and_carries_what_every_stage_needs() -> None:
    plan = plan_query("各省2025年經濟增長目標分別是多少？", known, newest=2025)
    assert plan.question == plan.text == "各省2025年經濟增長目標分別是多少？"
    assert plan.simplified == "各省2025年经济增长目标分别是多少？"
    assert isinstance(plan.kind, Each) and plan.across_reports and str(plan.kind) == "each"
    assert plan.indicators[0][0] == "经济增长" and plan.indicator_terms[0] >= {"经济", "增长"}
    assert {"经济", "增长", "目标"} <= plan.terms and "多少" not in plan.terms
    assert plan.subject is not None and "经济增长目标" in plan.subject.text and "2025" not in plan.subject.text
    assert (plan.years.single, plan.basis, plan.level) == (2025, "target", "provincial")


def test_an_english_question_is_translated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.questions import plan as planning

    calls: list[str] = []
    translate = planning.translate
    monkeypatch.setattr(planning, "translate", lambda text, knows: calls.append(text) or translate(text, knows))
    which = plan_query("Which provinces mention humanoid robots?", lambda word: word == "人形机器人")
    assert calls == ["Which provinces mention humanoid robots?"]  # its subject's words from the same pass
    assert which.subject is not None and which.subject.words == ("人形机器人",) and which.subject.loose


def test_the_kinds_are_types_each_with_its_answer_function() -> None:
    from qa.answer.registry import ANSWERS
    from qa.questions import FirstMention, NeedsContext, TargetResult, Timeline
    from qa.questions.kinds import Kind

    kinds = {Single, Which, Each, Compare, Years, StartOver, NeedsContext, TargetResult, FirstMention, Timeline}
    assert set(ANSWERS) == kinds == {kind for kind in Kind.__subclasses__()}
    assert {kind().name for kind in kinds} == {"single", "which", "each", "compare", "years", "start_over",
                                               "needs_context", "target_result", "first_mention",
                                               "timeline"}  # fmt: skip
    assert Which() == Which() and Which() != Each()


def test_an_english_question_names_an_indicator_in_its_own_words() -> None:
    from qa.questions import Vocabulary, plan_question

    vocabulary = Vocabulary(lambda word: True, 2025)
    questions = ("How fast did each province's economy grow in 2024?", "What economic growth did each province see?")
    for question in questions:
        plan = plan_question(question, vocabulary)
        assert plan.indicators and "经济增长" in plan.indicators[0], question
