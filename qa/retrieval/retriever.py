"""The retriever: a question in, cited passages out, in named stages over a snapshot of the index.

``plan`` (what the question asks) -> ``gather`` candidates from each retriever -> ``score`` every
candidate by every signal -> ``fuse`` -> prefer quantities for how-many questions -> collapse
duplicates -> make hits. The open index is an immutable snapshot, swapped whole by
:meth:`Retriever.refresh` when ``qa index`` has made a newer one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from qa.embedding import Encoder, load_encoder
from qa.errors import IndexProblem, QuestionError
from qa.locations import DEFAULT_INDEX
from qa.retrieval.candidates import Candidates, gather, score
from qa.retrieval.config import SearchConfig
from qa.retrieval.filters import Filters
from qa.retrieval.fusion import collapse_duplicates, drop_near_duplicates, fuse_groups, rankings, ranks
from qa.retrieval.plan import QueryPlan, plan_query
from qa.retrieval.results import Citation, Hit
from qa.store import DocumentEntry, Manifest, Store, StoredChunk, open_store
from qa.text import states_quantity


@dataclass
class Snapshot:
    """An opened index and what is derived from it once: chunk ids by region, and which chunks
    state a quantity (filled as questions need it)."""

    store: Store
    region_ids: dict[str, np.ndarray]
    states_quantity: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def open(cls, location: Path | str) -> Snapshot:
        store = open_store(location)
        by_region: dict[str, list[str]] = {}
        for name, entry in store.manifest.documents.items():
            if entry.region:
                by_region.setdefault(entry.region, []).append(name)
        return cls(store, {region: store.ids_of(files) for region, files in by_region.items()})

    def quantity_flags(self, ids: list[int]) -> list[bool]:
        known = self.states_quantity
        for chunk_id in ids:
            if chunk_id not in known:
                known[chunk_id] = states_quantity(self.store.chunk(chunk_id).text)
        return [known[chunk_id] for chunk_id in ids]


class Retriever:
    """An opened index. Thread-safe: the web UI shares one between requests."""

    def __init__(
        self, index: Path | str = DEFAULT_INDEX, *, encoder: Encoder | None = None, config: SearchConfig | None = None
    ) -> None:
        self.location = index
        self.config = config or SearchConfig()
        self._encoder = encoder
        self._encoder_lock = threading.Lock()
        self._encode_lock = threading.Lock()
        self._snapshot = self._open()

    def _open(self) -> Snapshot:
        snapshot = Snapshot.open(self.location)
        self._check_encoder(snapshot.store.manifest)
        return snapshot

    def _check_encoder(self, manifest: Manifest) -> None:
        if self._encoder is None:
            return
        where = self.location
        if self._encoder.name != manifest.encoder.name:
            raise IndexProblem(
                f"{where} was built with encoder {manifest.encoder.name!r}, not {self._encoder.name!r}: rebuild it "
                f"with 'qa index --rebuild --model {self._encoder.name} --index {where}' or open it without "
                "choosing an encoder"
            )
        if self._encoder.dimension != manifest.encoder.dimension:
            raise IndexProblem(f"{where}: the encoder's dimension differs from the index's; rebuild it")

    def refresh(self) -> bool:
        """Switch to a newer version of the index if ``qa index`` made one; True if it did."""
        if not self._snapshot.store.stale():
            return False
        self._snapshot = self._open()
        return True

    @property
    def store(self) -> Store:
        return self._snapshot.store

    @property
    def manifest(self) -> Manifest:
        return self._snapshot.store.manifest

    @property
    def documents(self) -> dict[str, DocumentEntry]:
        return dict(self.manifest.documents)

    @property
    def encoder(self) -> Encoder:
        with self._encoder_lock:
            if self._encoder is None:
                config = self.manifest.config()
                self._encoder = load_encoder(config.model, simplify=config.simplify)
            return self._encoder

    def encode_queries(self, questions: list[str]) -> np.ndarray:
        encoder = self.encoder
        with self._encode_lock:
            return encoder.encode_queries(questions)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        encoder = self.encoder
        with self._encode_lock:
            return encoder.encode_passages(texts)

    def knows(self, text: str) -> bool:
        return self._snapshot.store.knows(text)

    def plan(self, question: str, filters: Filters | None = None) -> QueryPlan:
        return plan_query(question, self.knows, region_filtered=bool(filters and filters.region))

    def search(
        self,
        question: str,
        *,
        k: int = 5,
        filters: Filters | None = None,
        config: SearchConfig | None = None,
        mode: str | None = None,
        fusion: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``question``. ``config`` (default: the retriever's) holds
        every tunable; ``mode`` ("hybrid", "dense", "lexical") and ``fusion`` ("scores", "rrf")
        override its two most used."""
        config = _configured(config or self.config, mode, fusion)
        return self.search_plan(self.plan(question, filters), k=k, filters=filters, config=config)

    def search_plan(
        self, plan: QueryPlan, *, k: int = 5, filters: Filters | None = None, config: SearchConfig | None = None
    ) -> list[Hit]:
        """:meth:`search` for a question already planned (:meth:`plan`)."""
        config = config or self.config
        if k < 1:
            raise QuestionError("k must be at least 1")
        snapshot = self._snapshot
        store = snapshot.store
        allowed = None
        if filters is not None and filters.active():
            allowed = store.ids_of(filters.files(store.manifest.documents))
            if not len(allowed):
                return []
        vectors = self.encode_queries(plan.queries) if config.mode != "lexical" and store.has_vectors() else None
        pool = max(config.candidates, 4 * k)
        found = gather(store, plan, vectors, config, pool, allowed)
        within = self._within_region(snapshot, plan, allowed, config)
        if within is not None:
            found |= gather(store, plan, vectors, config, pool, within)
        candidates = score(store, plan, vectors, config, found, within)
        return self._hits(snapshot, plan, candidates, config, k)

    def _within_region(
        self, snapshot: Snapshot, plan: QueryPlan, allowed: np.ndarray | None, config: SearchConfig
    ) -> np.ndarray | None:
        """The chunks of the province the question names, where that narrows the search: among 31
        similar reports the one it asks about comes forward (a soft region filter)."""
        region_ids = snapshot.region_ids.get(plan.region) if plan.region else None
        if region_ids is None or len(region_ids) > len(snapshot.store) * config.region_max_share:
            return None
        return region_ids if allowed is None else np.intersect1d(region_ids, allowed)

    def _hits(
        self, snapshot: Snapshot, plan: QueryPlan, candidates: Candidates, config: SearchConfig, k: int
    ) -> list[Hit]:
        store = snapshot.store
        overall = rankings(candidates)
        groups = [overall] if candidates.inside is None else [overall, rankings(candidates, candidates.inside)]
        fused = fuse_groups(groups, config, lexical=candidates.lexical is not None)
        if config.fusion == "scores" and config.mode == "hybrid" and plan.asks_quantity:
            fused = _prefer_quantities(fused, snapshot, config.quantity_weight)
        fused = collapse_duplicates(fused, {cid: store.chunk(cid).key for cid, _ in fused})
        top = fused[: 3 * k]
        top = drop_near_duplicates(top, {cid: store.chunk(cid).text for cid, _ in top}, threshold=config.near_duplicate)
        dense_ranking = overall[0][0] if overall[0] else []
        lexical_ranking = overall[1]
        signals = (ranks(dense_ranking), ranks(lexical_ranking), dict(dense_ranking), dict(lexical_ranking))
        documents = store.manifest.documents
        return [
            make_hit(store.chunk(cid), score, documents.get(store.chunk(cid).file), *signals) for cid, score in top[:k]
        ]

    def filter_values(self) -> dict[str, list[str]]:
        return self.manifest.filter_values()


def _configured(config: SearchConfig, mode: str | None, fusion: str | None) -> SearchConfig:
    try:
        if mode is not None and mode != config.mode:
            config = replace(config, mode=mode)  # type: ignore[arg-type]
        if fusion is not None and fusion != config.fusion:
            config = replace(config, fusion=fusion)  # type: ignore[arg-type]
    except ValueError as error:
        raise QuestionError(str(error)) from None
    return config


def _prefer_quantities(fused: list[tuple[int, float]], snapshot: Snapshot, weight: float) -> list[tuple[int, float]]:
    """For a question that asks how many: a passage that states a quantity moves up."""
    flags = snapshot.quantity_flags([cid for cid, _score in fused])
    boosted = [(cid, score + weight * flag) for (cid, score), flag in zip(fused, flags, strict=True)]
    return sorted(boosted, key=lambda pair: -pair[1])


def citation_of(chunk: StoredChunk, entry: DocumentEntry | None) -> Citation:
    return Citation(
        title=(entry.title if entry else None) or chunk.section[0],
        file=chunk.file,
        section=chunk.section,
        date=entry.date if entry else None,
        source=entry.source if entry else None,
        region=entry.region if entry else None,
        start=chunk.start,
        end=chunk.end,
        page=chunk.page,
        page_end=chunk.page_end,
    )


def make_hit(
    chunk: StoredChunk,
    score: float,
    entry: DocumentEntry | None,
    dense_ranks: dict[int, int],
    lexical_ranks: dict[int, int],
    dense_scores: dict[int, float],
    lexical_scores: dict[int, float],
) -> Hit:
    return Hit(
        chunk_id=chunk.id,
        text=chunk.text,
        score=score,
        dense_rank=dense_ranks.get(chunk.id),
        lexical_rank=lexical_ranks.get(chunk.id),
        dense_score=dense_scores.get(chunk.id),
        lexical_score=lexical_scores.get(chunk.id),
        citation=citation_of(chunk, entry),
    )


_RETRIEVERS: dict[str, Retriever] = {}
_RETRIEVERS_LOCK = threading.Lock()


def retrieve(
    question: str,
    *,
    index: Path | str = DEFAULT_INDEX,
    k: int = 5,
    region: str | None = None,
    year: int | str | None = None,
    source: str | None = None,
    file: str | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """The ``k`` passages that best answer ``question``, with citations.

    >>> from qa import retrieve
    >>> hits = retrieve("湖北处理了多少个违规直播间？", k=3)
    >>> hits[0].citation.source
    '湖北日報'
    """
    key = str(index) if "://" in str(index) else str(Path(index).resolve())
    with _RETRIEVERS_LOCK:
        retriever = _RETRIEVERS.get(key)
        if retriever is None:
            retriever = _RETRIEVERS[key] = Retriever(index)
    retriever.refresh()
    return retriever.search(question, k=k, filters=Filters(region, year, source, file), mode=mode)
