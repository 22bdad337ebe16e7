"""Years in questions: single years, ranges, relative years, target or actual, and which report answers."""

from __future__ import annotations

import pytest

from qa.text import to_simplified
from qa.years import basis, find_years, report_year


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("2019年国内生产总值增长目标是多少？", 2019, 2019),
        ("2005年到2012年的国内生产总值增长目标分别是多少？", 2005, 2012),
        ("2015—2019年的城镇新增就业目标分别是多少？", 2015, 2019),
        ("2003年至2006年的經濟增長預期目標分別是多少？", 2003, 2006),
        ("What were the targets for new urban jobs from 2021 to 2025?", 2021, 2025),
        ("What was the GDP growth target in 2011?", 2011, 2011),
        ("近五年的粮食产量是多少？", 2021, 2025),
        ("新疆今年的经济增长目标是多少？", 2025, 2025),
        ("福建去年地区生产总值是多少？", 2024, 2024),
    ],
)
def test_years_and_ranges_are_found(question: str, first: int, last: int) -> None:
    span = find_years(to_simplified(question), newest=2025)
    assert (span.first, span.last) == (first, last)


def test_figures_that_look_like_years_are_not_years() -> None:
    assert find_years("地区生产总值增长5%，城镇新增就业1200万人").first is None
    assert find_years("历年的粮食产量").all_years


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2011年政府工作报告提出的国内生产总值增长目标是多少？", "target"),
        ("2010年国内生产总值实际增长了多少？", "actual"),
        ("How much did China's GDP grow in 2023?", "actual"),
        ("江苏2024年城镇新增就业目标是多少人？", "target"),
        ("2024年湖南的研发投入强度是多少？", "unknown"),
        ("浙江宜居宜业的美丽村庄在全部村庄中已占到多少比例？", "actual"),
        ("2023年已經累計建成多少個5G基站？", "actual"),
    ],
)
def test_target_or_actual_from_the_question_s_words(question: str, expected: str) -> None:
    assert basis(to_simplified(question)) == expected


def test_a_target_is_in_its_year_s_report_an_achievement_in_the_next() -> None:
    available = {2010, 2011, 2012}
    assert report_year(2011, "target", available) == [2011]
    assert report_year(2010, "actual", available) == [2011]
    assert report_year(2011, "unknown", available) == [2011, 2012]
    assert report_year(2012, "unknown", available) == [2012]
