from __future__ import annotations

import pytest

from qa.quantities import quantity_starts, states_quantity
from qa.questions import Vocabulary, plan_question
from qa.text import to_simplified


def asks_for_quantity(question: str) -> bool:
    return plan_question(question, Vocabulary(lambda word: True)).asks_quantity


@pytest.mark.parametrize(
    "question", ["湖北处理了多少个违规直播间？", "處理了多少個直播間", "How many trains ran?", "覆盖率占比是多大"]
)
def test_quantity_questions_are_recognised(question: str) -> None:
    assert asks_for_quantity(question)


@pytest.mark.parametrize("question", ["湖北如何建设网络文明？", "What did Hubei do about live streaming?"])
def test_other_questions_are_not_quantity_questions(question: str) -> None:
    assert not asks_for_quantity(question)


def test_counted_quantities_in_either_script_and_not_bare_dates() -> None:
    assert states_quantity("處理違規直播間5263個") and states_quantity("活动累计1.9万余次")
    assert states_quantity("覆盖率达51.7%")
    assert not states_quantity("2022年12月27日发布")
    text = "开展活动累计1.9万余次,发放资料103万份"
    assert [text[start : start + 4] for start in quantity_starts(text)] == ["1.9万", "103万"]


def test_simplified_conversion_keeps_length() -> None:
    traditional = "處理違規直播間5263個"
    assert len(to_simplified(traditional)) == len(traditional)
