"""Which reports mention a thing: found by its names, and by a short form only where that is whole
words of the report's sentence."""

from __future__ import annotations

import re

import pytest

from qa.answer import answer
from qa.answer.which import WholeWords
from qa.retrieval import Retriever
from tests.conftest import shared_path
from tests.fakes import hashing_index_of

# Four 2025 provincial reports: Jiangsu and Liaoning say 夜经济, Shanghai 夜间经济, Guangdong neither.
REPORTS = ("江苏省", "辽宁省", "上海市", "广东省")


@pytest.mark.parametrize(
    ("short", "sentence", "found"),
    [  # sentences of the 2025 reports of Jiangsu, Liaoning, Guangdong (沿海 + 经济带), Chongqing (四首经济)
        ("夜经济", "服务消费，培育银发经济、夜经济，拓展首发、首店、首秀、首展等消费场景", True),
        ("夜经济", "大力发展银发经济、会展经济、首发经济和夜经济。", True),
        ("海经济", "大力发展海洋经济和湾区经济，高水平规划建设沿海经济带，整合利用海岸、海岛、港口等资源", False),
        ("首经济", "扩大家政、康养、托幼等服务消费，大力发展四首经济、冰雪经济、夜间经济", False),
    ],
)
def test_a_short_form_counts_only_as_whole_words(short: str, sentence: str, found: bool) -> None:
    assert (WholeWords(re.compile(short)).search(sentence) is not None) is found


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = shared_path("corpora", "gwr2025")
    return hashing_index_of([folder / f"2025年{name}政府工作报告.docx" for name in REPORTS],
                            tmp_path_factory.mktemp("which"))  # fmt: skip


def test_reports_saying_a_short_form_are_listed(provinces: Retriever) -> None:
    result = answer("哪些省份提到要繁荣夜间经济？", retriever=provinces)
    found = {row.region: row for row in result.rows if row.found}
    assert set(found) == {"江苏", "辽宁", "上海"}
    assert "夜经济" in found["江苏"].sentence and "夜经济" in found["辽宁"].sentence
    assert "夜间经济" in found["上海"].sentence
