"""An indicator under its several names: each group lists a name once, and the forms reports shorten
it to (地方政府X / 地方X, 财政X / X, 债券 / 债) follow by rule."""

from __future__ import annotations

import pytest

from qa.indicators import mentioned, other_forms
from qa.text import to_simplified


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # the 2016 national report says 地方专项债券, the 2024 one 地方政府专项债券
        ("2016年到2025年每年安排了多少地方政府专项债券？", "安排地方专项债券4000亿元，继续发行地方政府置换债券。"),
        ("各年的专项债分别是多少？", "拟安排地方政府专项债券3.9万亿元、比上年增加1000亿元。"),
        # the 2025 national report says 赤字率, a question 财政赤字率
        ("2011年至2019年各年的财政赤字率是多少？", "今年赤字率拟按4%左右安排、比上年提高1个百分点。"),
        ("近兩年的財政赤字率分別定為多少？", "今年赤字率拟按4%左右安排、比上年提高1个百分点。"),
    ],
)
def test_a_question_and_a_report_naming_an_indicator_differently_name_one_indicator(question, sentence) -> None:
    asked = mentioned(to_simplified(question))
    assert asked and asked[0] in mentioned(sentence)


def test_a_name_is_shortened_only_as_reports_shorten_it() -> None:
    assert set(other_forms("地方政府专项债券")) == {"地方政府专项债券", "地方专项债券", "地方政府专项债", "地方专项债"}
    assert other_forms("财政赤字率") == ("财政赤字率", "赤字率")
    assert other_forms("财政收入") == ("财政收入",)  # 收入 alone is no fiscal indicator
