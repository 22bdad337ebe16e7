"""The lexical index: BM25 (bm25s) over a Chinese-aware tokenisation of each chunk.

Chunks are tokenised by character bigrams or jieba words (see :mod:`qa.text`) after traditional
characters are mapped to simplified ones, so that either script finds the other. Rows are mapped
to chunk ids in ``ids.npy``; nothing is pickled.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from qa.text import tokenize


@dataclass(frozen=True)
class LexicalConfig:
    tokenizer: str = "bigram"
    k1: float = 1.2
    b: float = 0.75

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class LexicalIndex:
    def __init__(self, model, ids: np.ndarray, config: LexicalConfig) -> None:
        self._model = model
        self.ids = np.asarray(ids, dtype=np.int64)
        self.config = config
        self._row_of = {int(chunk_id): row for row, chunk_id in enumerate(self.ids)}
        self._memo: dict[str, np.ndarray | None] = {}
        self._memo_lock = threading.Lock()

    @classmethod
    def build(cls, ids: Sequence[int], texts: Sequence[str], config: LexicalConfig) -> LexicalIndex:
        import bm25s

        model = bm25s.BM25(k1=config.k1, b=config.b)
        corpus = [tokenize(text, config.tokenizer) or [""] for text in texts]
        if corpus:
            model.index(corpus, show_progress=False)
        return cls(model, np.asarray(list(ids), dtype=np.int64), config)

    def __len__(self) -> int:
        return len(self.ids)

    def knows(self, text: str) -> bool:
        """Whether every token of ``text`` occurs somewhere in the indexed chunks."""
        if not len(self.ids):
            return False
        tokens = tokenize(text, self.config.tokenizer)
        return bool(tokens) and all(token in self._model.vocab_dict for token in tokens)

    def _all_scores(self, query: str) -> np.ndarray | None:
        """BM25 scores of every row, or None when no query token is in the index. The last few
        are kept: a search asks for the same query's candidates and then their scores."""
        with self._memo_lock:
            if query in self._memo:
                return self._memo[query]
        if not len(self.ids):
            return None
        tokens = [token for token in tokenize(query, self.config.tokenizer) if token in self._model.vocab_dict]
        scores = self._model.get_scores(tokens) if tokens else None
        with self._memo_lock:
            self._memo[query] = scores
            while len(self._memo) > 8:
                self._memo.pop(next(iter(self._memo)))
        return scores

    def scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        """BM25 score of each chunk in ``ids`` (0 for ids not in the index)."""
        result = np.zeros(len(ids), dtype=np.float32)
        all_scores = self._all_scores(query)
        if all_scores is None:
            return result
        for position, chunk_id in enumerate(ids):
            row = self._row_of.get(int(chunk_id))
            if row is not None:
                result[position] = all_scores[row]
        return result

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) of the best ``k`` chunks with a positive score."""
        scores = self._all_scores(query)
        if scores is None:
            return []
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            rows = [self._row_of[int(chunk_id)] for chunk_id in allowed if int(chunk_id) in self._row_of]
            mask[rows] = True
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[row]), float(scores[row])) for row in top if scores[row] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "ids.npy", self.ids, allow_pickle=False)
        if len(self.ids):
            self._model.save(str(folder / "bm25"), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, config: LexicalConfig) -> LexicalIndex:
        import bm25s

        ids = np.load(folder / "ids.npy", allow_pickle=False)
        model = bm25s.BM25.load(str(folder / "bm25"), allow_pickle=False) if len(ids) else bm25s.BM25()
        return cls(model, ids, config)
