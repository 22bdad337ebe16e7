"""bench.two_encoders: its search path is the retriever's own, so its figures compare like with like."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.two_encoders import same_chunks, search_fused
from qa.indexing import IndexConfig, update_index
from qa.retrieval import Retriever
from tests.conftest import copy_samples
from tests.fakes import HashingEncoder

QUESTIONS = (
    "湖北处理了多少个违规直播间？",
    "贵州开展了哪些网络文明活动？",
    "How many live-streaming rooms did Hubei deal with?",
)


class OtherHashingEncoder(HashingEncoder):
    """A second, different encoder over the same chunks."""

    name = "test-hashing-other"

    def _vector(self, text: str) -> np.ndarray:
        return np.roll(super()._vector(text[::-1]), 7)


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> tuple[Retriever, Retriever]:
    root = tmp_path_factory.mktemp("two")
    made = []
    data = copy_samples(root / "data")  # the two samples, not every report data/ ships
    for encoder in (HashingEncoder(), OtherHashingEncoder()):
        folder = root / encoder.name
        update_index(data, folder, config=IndexConfig(model=encoder.name), encoder=encoder)
        made.append(Retriever(folder, encoder=encoder))
    return made[0], made[1]


def test_one_encoder_through_the_bench_path_is_the_retrievers_search(two: tuple[Retriever, Retriever]) -> None:
    first, _second = two
    for question in QUESTIONS:
        plan = first.plan(question)
        fused = search_fused(first, [(first.store, first.encode_queries(plan.queries))], plan, 10)
        assert [hit.chunk_id for hit in fused] == [hit.chunk_id for hit in first.search(question, k=10)]


def test_both_encoders_change_the_scores_but_keep_the_chunks(two: tuple[Retriever, Retriever]) -> None:
    first, second = two
    assert same_chunks(first, second) is None
    plan = first.plan(QUESTIONS[0])
    a = (first.store, first.encode_queries(plan.queries))
    b = (second.store, second.encode_queries(plan.queries))
    alone = search_fused(first, [a], plan, 10)
    both = search_fused(first, [a, b], plan, 10)
    assert {hit.chunk_id for hit in both} <= set(range(len(first.store)))
    assert [hit.score for hit in both] != [hit.score for hit in alone]


def test_indexes_of_different_files_are_refused(two: tuple[Retriever, Retriever], tmp_path: Path) -> None:
    first, _second = two
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "one.txt").write_text("一、总体情况\n今年全省新建5G基站1.2万个。\n", encoding="utf-8")
    encoder = HashingEncoder()
    update_index(tmp_path / "data", tmp_path / "index", config=IndexConfig(model=encoder.name), encoder=encoder)
    assert "chunks against" in (same_chunks(first, Retriever(tmp_path / "index", encoder=encoder)) or "")
