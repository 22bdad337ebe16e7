"""A row of a figure across reports: the sentence chosen for it among its report's passages."""

from __future__ import annotations

import pytest

from qa.answer.config import AnswerConfig
from qa.answer.figures import _best
from qa.answer.rows import Group
from qa.questions import plan_question
from qa.retrieval import Retriever
from tests.conftest import shared_path
from tests.fakes import hashing_index_of


@pytest.fixture(scope="module")
def inner_mongolia(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    report = shared_path("corpora", "gwr2025") / "2025年内蒙古自治区政府工作报告.docx"
    return hashing_index_of([report], tmp_path_factory.mktemp("each"))


def test_a_row_of_an_indicator_cites_a_sentence_stating_its_figure(inner_mongolia: Retriever) -> None:
    # The report's passage saying 消费弱、出口小，对经济增长的拉动有限 ranked first, the one stating
    # 预计地区生产总值增长6%左右 second: the row states the figure
    file = "2025年内蒙古自治区政府工作报告.docx"
    store = inner_mongolia.store
    ids = [int(i) for i in store.ids_of([file])]
    without = next(i for i in ids if "对经济增长的拉动有限" in store.chunk(i).text)
    stating = next(i for i in ids if "预计地区生产总值增长6%左右" in store.chunk(i).text)
    plan = plan_question("How fast did each province's economy grow in 2024?", inner_mongolia.vocabulary)
    passages = {file: [inner_mongolia.hit(without), inner_mongolia.hit(stating)]}
    chosen = _best(plan, Group("内蒙古", "内蒙古", 2025, (file,)), passages, AnswerConfig())
    assert chosen is not None and chosen.figure is not None and chosen.figure.value == 6.0
