"""Reading: a snapshot of an index that asks Milvus for candidates and scores them with the stored
vectors and the index's own BM25."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pymilvus import MilvusClient, MilvusException

from qa.store.base import DocumentText, SentenceVectors
from qa.store.dense import HNSW_EF_SEARCH, HNSW_THRESHOLD
from qa.store.folder import StoredChunk
from qa.store.milvus.connection import Location, NoIndex, connect
from qa.store.milvus.rows import _CHUNK_FIELDS, _stored_chunk
from qa.store.milvus.schema import ID_BATCH, MAX_LIMIT, META, SETTINGS, _load, _names, _quote, _scan, _sentences_name
from qa.store.milvus.state import _read_state, _State
from qa.store.milvus.vocabulary import Scorer, Vocabulary
from qa.text import to_simplified, tokenize

log = logging.getLogger(__name__)

MAX_ID_FILTER = 10_000  # an allowed set larger than this (and not whole documents) is filtered by files
CACHE_CHUNKS = 50_000  # chunks kept by an open store (fetched with the candidates of each question)
LEXICAL_POOL = 2  # Milvus BM25 candidates per chunk asked for, re-scored with the index's BM25


@dataclass(frozen=True)
class _Cached:
    chunk: StoredChunk
    counts: Counter  # token counts of its matched text (for BM25)
    length: int


class MilvusStore:
    """A snapshot of a Milvus index: its manifest and vocabulary, read once; chunks fetched from Milvus
    with each question's candidates and kept (up to :data:`CACHE_CHUNKS`). Thread-safe for reading.

    Rows that are not in the snapshot's manifest (written by an update after it was opened) are never
    returned; :meth:`stale` says when to open a newer snapshot."""

    def __init__(self, location: Location, client: MilvusClient, state: _State) -> None:
        self._location, self._client, self._state = location, client, state
        self.manifest = state.manifest
        self._chunks_name, _, self._texts_name = _names(state.generation)
        self._tokenizer = state.manifest.lexical.tokenizer
        self._scorer = Scorer(state.vocabulary, state.manifest.lexical.k1, state.manifest.lexical.b)
        self._ids_of_file = {
            name: np.array(sorted(entry.chunk_ids), dtype=np.int64) for name, entry in self.manifest.documents.items()
        }
        self._files = sorted(self._ids_of_file)
        ids = [self._ids_of_file[name] for name in self._files]
        owner = [np.full(len(array), number, dtype=np.int32) for number, array in enumerate(ids)]
        all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        order = np.argsort(all_ids, kind="stable")
        self._ids = all_ids[order]
        self._owner = (np.concatenate(owner) if owner else np.zeros(0, dtype=np.int32))[order]
        self._cache: OrderedDict[int, _Cached] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._texts: OrderedDict[str, DocumentText] = OrderedDict()
        name = _sentences_name(state.generation)
        self._sentences_name = name if state.manifest.sentences and client.has_collection(name) else None
        self._sentences: OrderedDict[int, SentenceVectors] = OrderedDict()  # by chunk, fetched with the candidates

    @classmethod
    def open(cls, location: Path | str) -> MilvusStore:
        parsed = Location.parse(location)
        client = connect(parsed)
        state = _read_state(client, parsed, vocabulary=True)
        if state is None:
            raise NoIndex(parsed)
        _load(client, _names(state.generation))
        if state.manifest.sentences and client.has_collection(_sentences_name(state.generation)):
            _load(client, [_sentences_name(state.generation)])
        store = cls(parsed, client, state)
        log.info(
            "opened %s (generation %d, version %d): %d chunks", parsed.text, state.generation, state.version, len(store)
        )
        return store

    @property
    def location(self) -> str:
        return self._location.text

    @property
    def version(self) -> str:
        return f"milvus-g{self._state.generation}-v{self._state.version}"

    def stale(self) -> bool:
        try:
            rows = self._client.query(META, ids=[SETTINGS], output_fields=["value"])
        except MilvusException:
            return True  # gone: opening it again says what happened
        settings = rows[0]["value"] if rows else {}
        return (settings.get("generation"), settings.get("version")) != (self._state.generation, self._state.version)

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[StoredChunk]:
        for start in range(0, len(self._ids), ID_BATCH):
            batch = self._ids[start : start + ID_BATCH]
            rows = {int(row["id"]): row for row in self._query_ids(batch, _CHUNK_FIELDS)}
            for chunk_id in batch:
                row = rows.get(int(chunk_id))
                if row is not None:
                    yield _stored_chunk(row)

    def _known(self, ids: np.ndarray) -> np.ndarray:
        """Which of ``ids`` the snapshot holds."""
        if not len(self._ids):
            return np.zeros(len(ids), dtype=bool)
        positions = np.clip(np.searchsorted(self._ids, ids), 0, len(self._ids) - 1)
        return self._ids[positions] == ids

    def file_of(self, chunk_id: int) -> str:
        position = int(np.searchsorted(self._ids, chunk_id))
        if position >= len(self._ids) or self._ids[position] != chunk_id:
            raise KeyError(chunk_id)
        return self._files[int(self._owner[position])]

    def chunk(self, chunk_id: int) -> StoredChunk:
        chunk_id = int(chunk_id)
        with self._cache_lock:
            cached = self._cache.get(chunk_id)
            if cached is not None:
                self._cache.move_to_end(chunk_id)
                return cached.chunk
        file = self.file_of(chunk_id)  # KeyError for a chunk the snapshot lacks
        # A miss fetches the chunk's whole document: passages of one report are read together
        # (a row of a cross-report answer, the passages of one document).
        self._fetch(self._ids_of_file[file])
        with self._cache_lock:
            cached = self._cache.get(chunk_id)
        if cached is None:
            raise KeyError(chunk_id)  # deleted by an update after this snapshot was opened
        return cached.chunk

    def _query_ids(self, ids: Sequence[int] | np.ndarray, fields: list[str]) -> list[dict]:
        rows: list[dict] = []
        unique = list(dict.fromkeys(int(i) for i in ids))
        for start in range(0, len(unique), ID_BATCH):
            part = unique[start : start + ID_BATCH]
            rows.extend(self._client.query(self._chunks_name, ids=part, output_fields=fields))
        return rows

    def _fetch(self, ids: Sequence[int] | np.ndarray, vectors: bool = False) -> dict[int, np.ndarray]:
        """Fetch the chunks of ``ids`` not cached yet (all of them, with their vectors, if
        ``vectors``) into the cache; the vectors by id."""
        with self._cache_lock:
            wanted = [int(i) for i in ids if vectors or int(i) not in self._cache]
        if not wanted:
            return {}
        rows = self._query_ids(wanted, _CHUNK_FIELDS + ["match_text"] + (["dense"] if vectors else []))
        found: dict[int, np.ndarray] = {}
        entries = []
        for row in rows:
            tokens = Vocabulary.tokens(str(row["match_text"]), self._tokenizer)
            entries.append(_Cached(_stored_chunk(row), Counter(tokens), len(tokens)))
            if vectors:
                found[int(row["id"])] = np.asarray(row["dense"], dtype=np.float32)
        with self._cache_lock:
            for entry in entries:
                self._cache[entry.chunk.id] = entry
                self._cache.move_to_end(entry.chunk.id)
            while len(self._cache) > CACHE_CHUNKS:
                self._cache.popitem(last=False)
        return found

    def _cached(self, ids: Sequence[int] | np.ndarray) -> list[_Cached | None]:
        self._fetch(ids)
        with self._cache_lock:
            return [self._cache.get(int(i)) for i in ids]

    def ids_of(self, files: Iterable[str]) -> np.ndarray:
        arrays = [self._ids_of_file[name] for name in files if name in self._ids_of_file]
        return np.unique(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.int64)

    def has_vectors(self) -> bool:
        return len(self._ids) > 0

    def _filter(self, allowed: np.ndarray | None, id_field: str = "id") -> str:
        """The Milvus expression for ``allowed``: its documents when it is whole documents (what a
        filter resolves to), else its ids; results are checked against ``allowed`` either way."""
        if allowed is None:
            return ""
        allowed = np.unique(np.asarray(allowed, dtype=np.int64))
        allowed = allowed[self._known(allowed)]
        owners = np.unique(self._owner[np.searchsorted(self._ids, allowed)]) if len(allowed) else []
        files = [self._files[int(number)] for number in owners]
        if sum(len(self._ids_of_file[name]) for name in files) == len(allowed) or len(allowed) > MAX_ID_FILTER:
            return f"file in {json.dumps(files, ensure_ascii=False)}"
        return f"{id_field} in {allowed.tolist()}"

    def _kept(self, ids: list[int], allowed: np.ndarray | None) -> np.ndarray:
        array = np.asarray(ids, dtype=np.int64)
        keep = self._known(array)
        if allowed is not None:
            keep &= np.isin(array, allowed)
        return keep

    def dense_search(
        self, vectors: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.manifest.encoder.dimension)
        if not len(self._ids) or (allowed is not None and not len(allowed)):
            return [[] for _ in vectors]
        limit = min(MAX_LIMIT, k + max(16, k // 4))  # room for rows an update wrote after this snapshot
        params: dict[str, object] = {"metric_type": "IP"}
        if self.manifest.dense_type == "hnsw":
            params["params"] = {"ef": max(limit, HNSW_EF_SEARCH)}
        results = self._client.search(
            self._chunks_name,
            data=vectors.tolist(),
            anns_field="dense",
            limit=limit,
            filter=self._filter(allowed),
            search_params=params,
            output_fields=["id"],
        )
        found = []
        for hits in results:
            ids = [int(hit["id"]) for hit in hits]
            keep = self._kept(ids, allowed)
            found.append(
                [(i, float(hit["distance"])) for i, hit, kept in zip(ids, hits, keep, strict=True) if kept][:k]
            )
        return found

    def dense_scores(self, vectors: np.ndarray, ids: np.ndarray) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32) @ self.vectors(ids, missing_ok=True).T

    def vectors(self, ids: np.ndarray, missing_ok: bool = False) -> np.ndarray:
        dimension = self.manifest.encoder.dimension
        if not len(ids):
            return np.zeros((0, dimension), dtype=np.float32)
        found = self._fetch(ids, vectors=True)
        missing = [int(i) for i in ids if int(i) not in found]
        if missing and not missing_ok:
            raise KeyError(f"chunks not in the index: {missing[:10]}")
        zero = np.zeros(dimension, dtype=np.float32)  # a chunk deleted after this snapshot: no similarity
        return np.vstack([found.get(int(i), zero) for i in ids]).astype(np.float32)

    def has_sentence_vectors(self) -> bool:
        return self._sentences_name is not None and self.manifest.sentence_count > 0

    def sentence_vectors(self, ids: np.ndarray) -> SentenceVectors:
        from qa.store.milvus.writer import _query_sentences

        dimension = self.manifest.encoder.dimension
        if self._sentences_name is None:
            return SentenceVectors.empty(dimension)
        wanted = np.asarray(ids, dtype=np.int64)
        wanted = wanted[self._known(wanted)] if len(wanted) else wanted
        with self._cache_lock:
            missing = [int(i) for i in wanted if int(i) not in self._sentences]
        if missing:
            fetched = _query_sentences(self._client, self._sentences_name, missing, dimension)
            owners = fetched.spans[:, 0]
            with self._cache_lock:
                for chunk_id in missing:
                    keep = owners == chunk_id
                    self._sentences[chunk_id] = SentenceVectors(fetched.spans[keep], fetched.vectors[keep])
                while len(self._sentences) > CACHE_CHUNKS:
                    self._sentences.popitem(last=False)
        with self._cache_lock:
            parts = [self._sentences.get(int(i)) for i in wanted]
        parts = [part for part in parts if part is not None and len(part)]
        if not parts:
            return SentenceVectors.empty(dimension)
        return SentenceVectors(np.vstack([p.spans for p in parts]), np.vstack([p.vectors for p in parts]))

    def sentence_search(
        self, vectors: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.manifest.encoder.dimension)
        if not self.has_sentence_vectors() or not len(self._ids) or (allowed is not None and not len(allowed)):
            return [[] for _ in vectors]
        limit = min(MAX_LIMIT, 4 * k + 32)  # sentences asked for: a chunk's several sentences count once
        params: dict[str, object] = {"metric_type": "IP"}
        if self.manifest.sentence_count >= HNSW_THRESHOLD:
            params["params"] = {"ef": max(limit, HNSW_EF_SEARCH)}
        expression = self._filter(allowed, id_field="chunk_id")
        results = self._client.search(self._sentences_name, data=vectors.tolist(), anns_field="vector", limit=limit,
                                      filter=expression, search_params=params, output_fields=["chunk_id"])  # fmt: skip
        found = []
        for hits in results:
            best: dict[int, float] = {}
            for hit in hits:
                chunk_id = int(hit["entity"]["chunk_id"] if "entity" in hit else hit["chunk_id"])
                if chunk_id not in best:
                    best[chunk_id] = float(hit["distance"])
            ids = list(best)
            keep = self._kept(ids, allowed)
            found.append([(i, best[i]) for i, kept in zip(ids, keep, strict=True) if kept][:k])
        return found

    def _query_tokens(self, query: str) -> list[str]:
        frequencies = self._scorer.vocabulary.frequencies
        return [token for token in tokenize(query, self._tokenizer) if token in frequencies]

    def lexical_search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        tokens = self._query_tokens(query)
        if not tokens or not len(self._ids) or (allowed is not None and not len(allowed)):
            return []
        limit = min(MAX_LIMIT, LEXICAL_POOL * k + 16)
        results = self._client.search(
            self._chunks_name,
            data=[to_simplified(query)],
            anns_field="sparse",
            limit=limit,
            filter=self._filter(allowed),
            search_params={"metric_type": "BM25"},
            output_fields=["id"],
        )
        ids = [int(hit["id"]) for hit in results[0]] if results else []
        ids = [i for i, kept in zip(ids, self._kept(ids, allowed), strict=True) if kept]
        scores = self._scores(tokens, ids)
        ranked = sorted(zip(ids, scores, strict=True), key=lambda pair: -pair[1])
        return [(chunk_id, float(score)) for chunk_id, score in ranked[:k] if score > 0]

    def lexical_scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        return np.asarray(self._scores(self._query_tokens(query), ids), dtype=np.float32)

    def _scores(self, tokens: list[str], ids: Sequence[int] | np.ndarray) -> list[float]:
        if not tokens or not len(ids):
            return [0.0] * len(ids)
        score = self._scorer.score
        return [score(tokens, cached.counts, cached.length) if cached else 0.0 for cached in self._cached(ids)]

    def milvus_lexical_scores(self, query: str, ids: np.ndarray) -> np.ndarray:
        """Milvus's own BM25 (jieba words, statistics per segment on Lite) of each of ``ids``: the
        alternative to :meth:`lexical_scores` that ``bench.milvus`` measures."""
        result = np.zeros(len(ids), dtype=np.float32)
        unique = list(dict.fromkeys(int(i) for i in ids))
        scores: dict[int, float] = {}
        for start in range(0, len(unique), ID_BATCH):
            part = unique[start : start + ID_BATCH]
            hits = self._client.search(
                self._chunks_name,
                data=[to_simplified(query)],
                anns_field="sparse",
                limit=len(part),
                filter=f"id in {part}",
                search_params={"metric_type": "BM25"},
                output_fields=["id"],
            )
            scores.update((int(hit["id"]), abs(float(hit["distance"]))) for hit in hits[0])
        for position, chunk_id in enumerate(ids):
            result[position] = scores.get(int(chunk_id), 0.0)
        return result

    def knows(self, text: str) -> bool:
        tokens = tokenize(text, self._tokenizer)
        frequencies = self._scorer.vocabulary.frequencies
        return bool(tokens) and bool(self._ids.size) and all(token in frequencies for token in tokens)

    def document_text(self, file: str) -> DocumentText | None:
        entry = self.manifest.documents.get(file)
        if entry is None or entry.text_sha256 is None:
            return None
        digest = entry.text_sha256
        with self._cache_lock:
            if digest in self._texts:
                return self._texts[digest]
        text = _read_text(self._client, self._texts_name, digest)
        if text is not None:
            with self._cache_lock:
                self._texts[digest] = text
                while len(self._texts) > 8:
                    self._texts.popitem(last=False)
        return text

    def problems(self) -> list[str]:
        """What disagrees between the documents' records, the chunk rows and the vocabulary (empty for
        a sound index). Reads every row: for tests and checks, not for questions."""
        rows = _scan(self._client, self._chunks_name, ["id", "file", "match_text"])
        listed = {int(i): name for name, array in self._ids_of_file.items() for i in array}
        present = {int(row["id"]): str(row["file"]) for row in rows}
        problems = []
        if present != listed:
            extra, missing = sorted(set(present) - set(listed)), sorted(set(listed) - set(present))
            wrong = sorted(i for i in set(present) & set(listed) if present[i] != listed[i])
            problems.append(
                f"chunk rows: {len(extra)} not in the records, {len(missing)} missing, {len(wrong)} misfiled"
            )
        recount = Vocabulary({})
        for row in rows:
            if int(row["id"]) in listed:
                recount.add(Vocabulary.tokens(str(row["match_text"]), self._tokenizer))
        stored = self._scorer.vocabulary
        if (recount.frequencies, recount.chunks, recount.length) != (stored.frequencies, stored.chunks, stored.length):
            problems.append("the vocabulary differs from the chunk rows")
        if self.manifest.chunk_count != len(listed):
            problems.append("the manifest's chunk count differs from its documents")
        if self._sentences_name is not None:
            owners = [int(row["chunk_id"]) for row in _scan(self._client, self._sentences_name, ["chunk_id"])]
            orphans = set(owners) - set(listed)
            if orphans:
                problems.append(f"sentence vectors of {len(orphans)} chunks the records do not list")
            if len(owners) != self.manifest.sentence_count:
                problems.append(f"{len(owners)} sentence vectors, the manifest counts {self.manifest.sentence_count}")
        return problems


def _read_text(client: MilvusClient, name: str, digest: str) -> DocumentText | None:
    rows = client.query(name, filter=f"sha == {_quote(digest)}", output_fields=["part", "body"])
    if not rows:
        return None
    body = "".join(str(row["body"]) for row in sorted(rows, key=lambda row: int(row["part"])))
    return DocumentText.from_json(json.loads(body))
