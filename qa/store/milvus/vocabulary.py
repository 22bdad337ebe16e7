"""The vocabulary: document frequencies of the index's own tokens, kept in ``qa_meta`` by every
update, and the BM25 that scores with it as the local store does."""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qa.text import tokenize

VOCAB_PART = 32_000  # base64 characters per vocabulary record


@dataclass
class Vocabulary:
    """Document frequency of each token over the chunks, the chunk count and the total length: BM25
    as the local store computes it (bm25s, Lucene's idf), and :meth:`MilvusStore.knows`."""

    frequencies: dict[str, int]
    chunks: int = 0
    length: int = 0

    @staticmethod
    def tokens(text: str, tokenizer: str) -> list[str]:
        return tokenize(text, tokenizer) or [""]  # an empty chunk is one empty token, as in bm25s

    def add(self, tokens: Sequence[str], sign: int = 1) -> None:
        self.chunks += sign
        self.length += sign * len(tokens)
        frequencies = self.frequencies
        for token in set(tokens):
            count = frequencies.get(token, 0) + sign
            if count > 0:
                frequencies[token] = count
            else:
                frequencies.pop(token, None)

    def encode(self) -> list[str]:
        data = json.dumps({"chunks": self.chunks, "length": self.length, "df": self.frequencies}, ensure_ascii=False)
        packed = base64.b64encode(zlib.compress(data.encode("utf-8"), 6)).decode("ascii")
        return [packed[start : start + VOCAB_PART] for start in range(0, len(packed), VOCAB_PART)] or [""]

    @classmethod
    def decode(cls, parts: Sequence[str]) -> Vocabulary:
        record = json.loads(zlib.decompress(base64.b64decode("".join(parts))).decode("utf-8"))
        return cls(dict(record["df"]), int(record["chunks"]), int(record["length"]))


class Scorer:
    """BM25 of a query against chunks, from the vocabulary and each chunk's tokens (the numbers of the
    local store's bm25s index over the same chunks: Lucene idf, k1 and b of the index's settings)."""

    def __init__(self, vocabulary: Vocabulary, k1: float, b: float) -> None:
        self.vocabulary, self.k1, self.b = vocabulary, k1, b
        self.average = vocabulary.length / vocabulary.chunks if vocabulary.chunks else 1.0

    def idf(self, token: str) -> float:
        frequency = self.vocabulary.frequencies.get(token, 0)
        chunks = self.vocabulary.chunks
        return math.log(1.0 + (chunks - frequency + 0.5) / (frequency + 0.5))

    def score(self, query: Sequence[str], counts: Mapping[str, int], length: int) -> float:
        norm = self.k1 * (1.0 - self.b + self.b * length / self.average)
        total = 0.0
        for token in query:  # a repeated query token counts again, as in bm25s
            frequency = counts.get(token, 0)
            if frequency:
                total += self.idf(token) * frequency / (norm + frequency)
        return total
