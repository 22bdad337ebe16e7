"""The retriever: a planned question in, cited passages out, in named stages over a snapshot of the index.

A :class:`~qa.questions.Plan` (what the question asks, :mod:`qa.questions`) -> ``gather`` candidates
from each retriever -> ``score`` every candidate by every signal -> ``fuse`` -> prefer quantities for
how-many questions -> collapse duplicates -> make hits. The reports the question points at (the
province it names, the year's report) are preferred in the ranking, and :meth:`Retriever.find` also
hands over their passages apart: the one home of the region and year preference. The open index is
an immutable snapshot, swapped whole by :meth:`Retriever.refresh` when ``qa index`` has made a newer one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from qa.documents.metadata import LEVELS
from qa.embedding import Encoder, load_encoder
from qa.errors import IndexProblem, QuestionError
from qa.locations import DEFAULT_INDEX
from qa.quantities import states_quantity
from qa.questions import Plan, Vocabulary, plan_question
from qa.regions import NATIONAL
from qa.retrieval.candidates import Candidates, gather, score
from qa.retrieval.config import SearchConfig
from qa.retrieval.filters import Filters
from qa.retrieval.fusion import collapse_duplicates, drop_near_duplicates, fuse_groups, rankings, ranks
from qa.retrieval.results import Citation, Hit, Source
from qa.store import DocumentEntry, Manifest, Store, StoredChunk, open_store
from qa.text import to_simplified
from qa.years import report_year

# The year preference is for reports of a government, each of which sets its year's targets and
# reviews the year before; the date of a news article or of an encyclopedia paragraph says neither
# (on CMRC 2018 / DRCD, preferring their years cost 2-7 questions per mode).
YEARLY_LEVELS = frozenset(level for level in LEVELS if level != "other")


@dataclass(frozen=True)
class Found:
    """What a search for a plan finds: ``hits``, the best passages (within the filters), and
    ``pool``, those of the reports the question points at, that its answer is drawn from: the one
    province it names (when the index holds its reports) and the report of the year it asks about
    (a target of Y in Y's report, what Y achieved in Y+1's, searched apart when none of the hits is
    from it). ``narrowed`` when the pool is not the hits themselves: an empty narrowed pool means
    those reports do not state it."""

    hits: list[Hit]
    pool: list[Hit]
    narrowed: bool


@dataclass
class Snapshot:
    """An opened index and what is derived from it once: chunk ids by region, the regions of its
    reports, the government reports by year, and which chunks state a quantity (filled as questions
    need it)."""

    store: Store
    region_ids: dict[str, np.ndarray]
    states_quantity: dict[int, bool] = field(default_factory=dict)

    files_by_year: dict[int, list[str]] = field(default_factory=dict)
    regions: frozenset[str] = frozenset()

    @classmethod
    def open(cls, location: Path | str) -> Snapshot:
        store = open_store(location)
        by_region: dict[str, list[str]] = {}
        by_year: dict[int, list[str]] = {}
        for name, entry in store.manifest.documents.items():
            region = NATIONAL if entry.level == "national" else entry.region
            if region:
                by_region.setdefault(region, []).append(name)
            if entry.shown_year is not None and entry.level in YEARLY_LEVELS:
                by_year.setdefault(entry.shown_year, []).append(name)
        region_ids = {region: store.ids_of(files) for region, files in by_region.items()}
        regions = frozenset(entry.region for entry in store.manifest.documents.values() if entry.region)
        return cls(store, region_ids, files_by_year=by_year, regions=regions)

    def answering_years(self, plan: Plan) -> list[int]:
        """The years of the government reports that answer a question about one year, best first,
        when the index holds several years of them; [] otherwise."""
        year = plan.years.single
        if year is None or len(self.files_by_year) < 2:
            return []
        return [y for y in report_year(year, plan.basis, set(self.files_by_year)) if y in self.files_by_year]

    def year_ids(self, plan: Plan) -> np.ndarray | None:
        """Chunks of the reports of :meth:`answering_years`, or None."""
        years = self.answering_years(plan)
        if not years:
            return None
        return self.store.ids_of([name for y in years for name in self.files_by_year[y]])

    simplified_texts: dict[int, str] = field(default_factory=dict)

    def simplified(self, chunk_id: int) -> str:
        text = self.simplified_texts.get(chunk_id)
        if text is None:
            text = self.simplified_texts[chunk_id] = to_simplified(self.store.chunk(chunk_id).text)
        return text

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
        if getattr(encoder, "thread_safe", False):  # concurrent questions encode at once, no queue
            return encoder.encode_queries(questions)
        with self._encode_lock:
            return encoder.encode_queries(questions)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        encoder = self.encoder
        if getattr(encoder, "thread_safe", False):
            return encoder.encode_passages(texts)
        with self._encode_lock:
            return encoder.encode_passages(texts)

    def knows(self, text: str) -> bool:
        return self._snapshot.store.knows(text)

    @property
    def vocabulary(self) -> Vocabulary:
        """What understanding a question needs from this index (:mod:`qa.questions`)."""
        years = self.manifest.years
        return Vocabulary(self.knows, max(years) if years else None)

    def plan(self, question: str, filters: Filters | None = None) -> Plan:
        """``question`` understood on its own (no conversation before it)."""
        return plan_question(question, self.vocabulary, region_filtered=bool(filters and filters.region))

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
        self, plan: Plan, *, k: int = 5, filters: Filters | None = None, config: SearchConfig | None = None
    ) -> list[Hit]:
        """:meth:`search` for a question already planned (:meth:`plan`)."""
        config = config or self.config
        if k < 1:
            raise QuestionError("k must be at least 1")
        return self._search(self._snapshot, plan, self._vectors(plan, config), k, filters, config)

    def find(self, plan: Plan, *, k: int = 5, filters: Filters | None = None) -> Found:
        """The ``k`` best passages for ``plan`` and, apart, those of the reports it points at
        (:class:`Found`): the question is encoded once, whatever is searched."""
        if k < 1:
            raise QuestionError("k must be at least 1")
        snapshot, config = self._snapshot, self.config
        vectors = self._vectors(plan, config)
        hits = self._search(snapshot, plan, vectors, k, filters, config)
        region = plan.region if plan.region in snapshot.regions else None
        of_region = [hit for hit in hits if hit.citation.region == region] if region else None
        if of_region is not None and not of_region:
            return Found(hits, [], True)
        pool = of_region or hits
        years = snapshot.answering_years(plan)
        if not years:
            return Found(hits, pool, pool is not hits)
        documents = snapshot.store.manifest.documents
        of_year = [hit for hit in pool if (entry := documents.get(hit.citation.file)) and entry.shown_year in years]
        if of_year or (filters and filters.year):
            return Found(hits, of_year or pool, bool(of_year) or pool is not hits)
        within = replace(filters or Filters(), year=min(years))
        found = self._search(snapshot, plan, vectors, k, within, config)
        return Found(hits, [hit for hit in found if hit.citation.region == plan.region] if plan.region else found, True)

    def _vectors(self, plan: Plan, config: SearchConfig) -> np.ndarray | None:
        store = self._snapshot.store
        return self.encode_queries(plan.queries) if config.mode != "lexical" and store.has_vectors() else None

    def _search(self, snapshot: Snapshot, plan: Plan, vectors: np.ndarray | None, k: int, filters: Filters | None,
                config: SearchConfig) -> list[Hit]:  # fmt: skip
        store = snapshot.store
        allowed = None
        if filters is not None and filters.active():
            allowed = store.ids_of(filters.files(store.manifest.documents))
            if not len(allowed):
                return []
        pool = max(config.candidates, 4 * k)
        found = gather(store, plan, vectors, config, pool, allowed)
        within = self._preferred(snapshot, plan, allowed, config)
        if within is not None:
            found |= gather(store, plan, vectors, config, pool, within)
        candidates = score(store, plan, vectors, config, found, within)
        return self._hits(snapshot, plan, candidates, config, k)

    def _preferred(
        self, snapshot: Snapshot, plan: Plan, allowed: np.ndarray | None, config: SearchConfig
    ) -> np.ndarray | None:
        """The chunks of the reports the question points at, where that narrows the search: the
        province it names (or the country's reports for 全国), and the year's report (a target of Y
        in Y's report, what Y achieved in Y+1's). Among 31 similar reports, or 50 years of one,
        the one it asks about comes forward (a soft filter)."""
        region = NATIONAL if plan.regions == (NATIONAL,) else plan.region
        region_ids = snapshot.region_ids.get(region) if region else None
        year_ids = snapshot.year_ids(plan) if plan.years.single is not None else None
        if region_ids is not None and year_ids is not None:
            both = np.intersect1d(region_ids, year_ids)
            preferred = both if len(both) else region_ids
        else:
            preferred = region_ids if region_ids is not None else year_ids
        if preferred is None or not len(preferred) or len(preferred) > len(snapshot.store) * config.region_max_share:
            return None
        return preferred if allowed is None else np.intersect1d(preferred, allowed)

    def _hits(self, snapshot: Snapshot, plan: Plan, candidates: Candidates, config: SearchConfig, k: int) -> list[Hit]:
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

    def search_each(self, plan: Plan, files: list[str], *, per_document: int = 3) -> dict[str, list[Hit]]:
        """The best ``per_document`` passages of each of ``files`` for a planned question, ranked
        within each document (a report that says little about it still gets its best passages).
        One encoding of the question and one scoring pass over the documents' chunks, however many."""
        snapshot = self._snapshot
        store = snapshot.store
        ids = store.ids_of(files)
        if not len(ids):
            return {}
        vectors = self.encode_queries(plan.queries) if store.has_vectors() else None
        config = self.config
        candidates = score(store, plan, vectors, config, set(int(i) for i in ids), None)
        by_file: dict[str, list[int]] = {}
        for position, chunk_id in enumerate(candidates.ids):
            by_file.setdefault(store.chunk(int(chunk_id)).file, []).append(position)
        documents = store.manifest.documents
        found: dict[str, list[Hit]] = {}
        for file, positions in by_file.items():
            mask = np.zeros(len(candidates.ids), dtype=bool)
            mask[positions] = True
            groups = [rankings(candidates, mask)]
            fused = fuse_groups(groups, config, lexical=candidates.lexical is not None)
            dense_ranking = groups[0][0][0] if groups[0][0] else []
            signals = (ranks(dense_ranking), ranks(groups[0][1]), dict(dense_ranking), dict(groups[0][1]))
            found[file] = [make_hit(store.chunk(cid), value, documents.get(file), *signals)
                           for cid, value in fused[:per_document]]  # fmt: skip
        return found

    def hit(self, chunk_id: int, score: float = 0.0) -> Hit:
        """A passage as a hit (a cross-report row cites a chunk found by its text, not by a search)."""
        store = self._snapshot.store
        chunk = store.chunk(chunk_id)
        return make_hit(chunk, score, store.manifest.documents.get(chunk.file), {}, {}, {}, {})

    def simplified_text(self, chunk_id: int) -> str:
        """A chunk's text in simplified script (kept once per snapshot: which-questions scan them all)."""
        return self._snapshot.simplified(chunk_id)

    def source(self, chunk_id: int) -> Source:
        """The cited passage ``chunk_id`` in its report, for a reader to check: the whole cleaned
        text with the passage's span. Raises :class:`QuestionError` for an id the index lacks."""
        store = self._snapshot.store
        try:
            chunk = store.chunk(int(chunk_id))
        except (KeyError, TypeError, ValueError):
            raise QuestionError(f"no passage {chunk_id!r} in the index (it may have changed: ask again)") from None
        entry = store.manifest.documents.get(chunk.file)
        text = store.document_text(chunk.file)
        if text is None or text.text[chunk.start : chunk.end] != chunk.text:
            raise IndexProblem(
                f"the index holds no text of {chunk.file} to show around the passage: update it (qa index)"
            )
        metadata = {key: value for key, value in (entry.to_json() if entry else {}).items() if key != "chunk_ids"}
        return Source(chunk.id, citation_of(chunk, entry), text.text, chunk.start, chunk.end, text.pages, metadata)

    def source_of_file(self, file: str) -> Source:
        """A whole indexed report (its first passage marked), by its file name in the index."""
        if not isinstance(file, str) or ".." in file.replace("\\", "/").split("/") or file.startswith("/"):
            raise QuestionError(f"{file!r}: not a report of the index (a path outside it is never served)")
        entry = self._snapshot.store.manifest.documents.get(file)
        if entry is None or not entry.chunk_ids:
            raise QuestionError(f"{file!r}: not a report of the index")
        return self.source(min(entry.chunk_ids))

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
        ocr_confidence=chunk.ocr_confidence,
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
    level: str | None = None,
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
    return retriever.search(question, k=k, filters=Filters(region, year, source, file, level), mode=mode)
