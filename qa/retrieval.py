"""Retrieval: a question in, cited passages out.

``retrieve(question)`` for a one-off question; a :class:`Retriever` loads the index once for many
questions and picks up a newer index generation (after ``qa index``) on :meth:`Retriever.refresh`.
Dense and lexical candidates are fused by their normalised scores (or by reciprocal rank);
duplicate passages are collapsed.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.dense import DenseIndex
from qa.documents import PROVINCES
from qa.embedding import Encoder, load_encoder
from qa.fusion import collapse_duplicates, drop_near_duplicates, ranks, reciprocal_rank_fusion, score_fusion
from qa.indexing import config_from_manifest
from qa.lexical import LexicalIndex
from qa.store import DENSE, FORMAT_VERSION, LEXICAL, IndexFolder, IndexProblem, StoredChunk, read_chunks, read_manifest
from qa.text import asks_for_quantity, states_quantity, to_simplified
from qa.translation import is_english, translate_terms

log = logging.getLogger(__name__)

DEFAULT_INDEX = Path("index")
CANDIDATES = 50
FUSIONS = ("scores", "rrf")
# Score fusion: the dense signals (one per question vector) share DENSE_SHARE of the weight, BM25
# the rest; the rankings within a province the question names count REGION_WEIGHT as much as the
# rankings over the whole index. Chosen on the public pool and the gold set (see README, Quality).
DENSE_SHARE = 0.5
REGION_WEIGHT = 0.5
# Added to the fused score of a passage that states a quantity (5263个, 1.9万余次) when the question
# asks for one (多少, how many): neutral on CMRC/DRCD, +0.005 R@5 on the report questions.
QUANTITY_WEIGHT = 0.2
MAX_QUESTION_CHARS = 2000


class QuestionError(ValueError):
    """A question that cannot be searched (empty, only spaces); the message says why."""


@dataclass(frozen=True)
class Citation:
    title: str
    file: str
    section: tuple[str, ...]
    date: str | None
    source: str | None
    region: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "file": self.file,
            "section": list(self.section),
            "date": self.date,
            "source": self.source,
            "region": self.region,
            "start": self.start,
            "end": self.end,
        }

    def label(self) -> str:
        parts = [self.title, " > ".join(self.section[1:]), self.date or "", self.source or ""]
        return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    text: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    dense_score: float | None
    lexical_score: float | None
    citation: Citation

    def to_dict(self) -> dict[str, object]:
        return {
            "chunk_id": self.chunk_id,
            "text": self.text,
            "score": round(self.score, 6),
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
            "dense_score": None if self.dense_score is None else round(self.dense_score, 4),
            "lexical_score": None if self.lexical_score is None else round(self.lexical_score, 4),
            "citation": self.citation.to_dict(),
        }


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    year: int | str | None = None
    source: str | None = None
    file: str | None = None

    def active(self) -> bool:
        return any(value not in (None, "") for value in (self.region, self.year, self.source, self.file))

    def accepts(self, document: dict, file: str) -> bool:
        if self.region and to_simplified(self.region) not in to_simplified(document.get("region") or ""):
            return False
        if self.year and not (document.get("date") or "").startswith(str(self.year)):
            return False
        if self.source and to_simplified(self.source) not in to_simplified(document.get("source") or ""):
            return False
        return not self.file or self.file in (file, Path(file).name)


class Retriever:
    """An opened index. Thread-safe: the web UI shares one between requests."""

    def __init__(self, index_dir: Path | str = DEFAULT_INDEX, *, encoder: Encoder | None = None) -> None:
        self.folder = IndexFolder(index_dir)
        self._encoder = encoder
        self._lock = threading.RLock()
        self._encode_lock = threading.Lock()
        self.generation: Path | None = None
        self._states_quantity: dict[int, bool] = {}
        self._load()

    def _load(self, attempts: int = 3) -> None:
        """Open the current generation. An update may publish (and later remove an old generation)
        while this reads, so a generation that vanishes under us is retried with the new one."""
        for attempt in range(attempts):
            try:
                self._load_generation()
                return
            except (FileNotFoundError, RuntimeError):
                if attempt == attempts - 1:
                    raise
                log.info("index generation changed while opening it; opening the new one")

    def _load_generation(self) -> None:
        generation = self.folder.current()
        if generation is None:
            raise IndexProblem(f"no index in {self.folder.path}: build it with 'qa index --index {self.folder.path}'")
        manifest = read_manifest(generation)
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexProblem(
                f"{self.folder.path} was made by another version of report-qa (format "
                f"{manifest.get('format_version')}, expected {FORMAT_VERSION}): rebuild it with "
                f"'qa index --rebuild --index {self.folder.path}'"
            )
        config = config_from_manifest(manifest)
        if self._encoder is not None and self._encoder.name != config.model:
            raise IndexProblem(
                f"{self.folder.path} was built with encoder {config.model!r}, not {self._encoder.name!r}: rebuild it "
                f"with 'qa index --rebuild --model {self._encoder.name} --index {self.folder.path}' or open it without "
                "choosing an encoder"
            )
        if self._encoder is not None and self._encoder.dimension != manifest["encoder"]["dimension"]:
            raise IndexProblem(f"{self.folder.path}: the encoder's dimension differs from the index's; rebuild it")
        chunks = {chunk.id: chunk for chunk in read_chunks(generation)}
        dense = DenseIndex.load(generation / DENSE, manifest["dense"]["type"])
        lexical = LexicalIndex.load(generation / LEXICAL, config.lexical)
        region_ids = _ids_by_region(manifest["documents"])
        with self._lock:
            self.manifest, self.config, self.chunks = manifest, config, chunks
            self._region_ids = region_ids
            self.dense, self.lexical, self.generation = dense, lexical, generation
            self._states_quantity = {}
        log.info("opened %s: %d chunks", generation, len(chunks))

    def refresh(self) -> bool:
        """Switch to a newer index generation if ``qa index`` made one; True if it did."""
        current = self.folder.current()
        if current is None or current == self.generation:
            return False
        self._load()
        return True

    @property
    def encoder(self) -> Encoder:
        with self._encode_lock:
            if self._encoder is None:
                self._encoder = load_encoder(self.config.model, simplify=self.config.simplify)
            return self._encoder

    @property
    def documents(self) -> dict[str, dict]:
        return self.manifest["documents"]

    def encode_query(self, question: str) -> np.ndarray:
        return self.encode_queries([question])

    def encode_queries(self, questions: list[str]) -> np.ndarray:
        encoder = self.encoder
        with self._encode_lock:
            return encoder.encode_queries(questions)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        encoder = self.encoder
        with self._encode_lock:
            return encoder.encode_passages(texts)

    def search(
        self,
        question: str,
        *,
        k: int = 5,
        filters: Filters | None = None,
        mode: str = "hybrid",
        candidates: int = CANDIDATES,
        fusion: str = "scores",
    ) -> list[Hit]:
        """The ``k`` best passages for ``question``. ``mode``: "hybrid", "dense" or "lexical";
        ``fusion`` (hybrid): "scores" (weighted normalised scores) or "rrf" (reciprocal rank)."""
        question = _checked(question)
        if k < 1:
            raise QuestionError("k must be at least 1")
        if mode not in ("hybrid", "dense", "lexical"):
            raise QuestionError(f"unknown mode {mode!r}")
        if fusion not in FUSIONS:
            raise QuestionError(f"unknown fusion {fusion!r}: one of {', '.join(FUSIONS)}")
        with self._lock:
            chunks, documents, dense, lexical = self.chunks, self.documents, self.dense, self.lexical
        allowed = None
        if filters is not None and filters.active():
            allowed = np.array(
                [cid for cid, chunk in chunks.items() if filters.accepts(documents.get(chunk.file, {}), chunk.file)],
                dtype=np.int64,
            )
            if not len(allowed):
                return []
        pool = max(candidates, 4 * k)
        translated = " ".join(translate_terms(question, lexical.knows)) if is_english(question) else ""
        queries = [question, translated] if translated else [question]
        vectors = self.encode_queries(queries) if mode != "lexical" and len(dense) else None
        lexical_query = translated or question
        found = self._candidates(dense, lexical, vectors, lexical_query, mode, pool, allowed)
        # A question that names one province also ranks within that province's reports, so that
        # among 31 similar reports the one it asks about comes forward (a soft region filter).
        region = None if filters is not None and filters.region else mentioned_region(question + translated)
        region_ids = self._region_ids.get(region) if region else None
        within = None
        if region_ids is not None and len(region_ids) <= len(chunks) // 3:  # only where it narrows
            within = region_ids if allowed is None else np.intersect1d(region_ids, allowed)
            found |= self._candidates(dense, lexical, vectors, lexical_query, mode, pool, within)
        ids = np.array(sorted(found), dtype=np.int64)
        # Every candidate is scored by every signal, so that a passage found by one retriever
        # alone is still ranked by the other (plain RRF would count it in one list only).
        dense_signals = list(vectors @ dense.vectors(ids).T) if vectors is not None else []
        lexical_signal = lexical.scores(lexical_query, ids) if mode in ("hybrid", "lexical") else None
        dense_rankings = [_ranking(ids, scores) for scores in dense_signals]
        lexical_ranking = _ranking(ids, lexical_signal, positive=True) if lexical_signal is not None else []
        groups = [(dense_rankings, lexical_ranking)]
        if within is not None:
            inside = np.isin(ids, within)
            dense_inside = [_ranking(ids[inside], scores[inside]) for scores in dense_signals]
            lexical_inside = []
            if lexical_signal is not None:
                lexical_inside = _ranking(ids[inside], lexical_signal[inside], positive=True)
            groups.append((dense_inside, lexical_inside))
        fused = _fuse(groups, fusion, lexical=lexical_signal is not None)
        if fusion == "scores" and mode == "hybrid" and asks_for_quantity(question):
            fused = self._prefer_quantities(fused, chunks)
        dense_ranking = dense_rankings[0] if dense_rankings else []
        fused = collapse_duplicates(fused, {cid: chunks[cid].key for cid, _ in fused})
        fused = drop_near_duplicates(fused[: 3 * k], {cid: chunks[cid].text for cid, _ in fused[: 3 * k]})
        dense_ranks, lexical_ranks = ranks(dense_ranking), ranks(lexical_ranking)
        dense_scores, lexical_scores = dict(dense_ranking), dict(lexical_ranking)
        return [
            self._hit(chunks[cid], score, dense_ranks, lexical_ranks, dense_scores, lexical_scores, documents)
            for cid, score in fused[:k]
        ]

    def _prefer_quantities(
        self, fused: list[tuple[int, float]], chunks: dict[int, StoredChunk]
    ) -> list[tuple[int, float]]:
        """For a question that asks how many: a passage that states a quantity moves up."""
        known = self._states_quantity
        for cid, _score in fused:
            if cid not in known:
                known[cid] = states_quantity(chunks[cid].text)
        boosted = [(cid, score + QUANTITY_WEIGHT * known[cid]) for cid, score in fused]
        return sorted(boosted, key=lambda pair: -pair[1])

    @staticmethod
    def _candidates(dense, lexical, vectors, lexical_query, mode, pool, allowed) -> set[int]:
        """Ids of the best ``pool`` chunks of each dense query vector and of the lexical query."""
        found: set[int] = set()
        if vectors is not None and mode in ("hybrid", "dense"):
            _scores, ids = dense.search(vectors, pool, allowed)
            found.update(int(i) for i in ids.ravel() if i >= 0)
        if mode in ("hybrid", "lexical"):
            found.update(chunk_id for chunk_id, _score in lexical.search(lexical_query, pool, allowed))
        return found

    @staticmethod
    def _hit(chunk: StoredChunk, score, dense_ranks, lexical_ranks, dense_scores, lexical_scores, documents) -> Hit:
        document = documents.get(chunk.file, {})
        citation = Citation(
            title=document.get("title") or chunk.section[0],
            file=chunk.file,
            section=chunk.section,
            date=document.get("date"),
            source=document.get("source"),
            region=document.get("region"),
            start=chunk.start,
            end=chunk.end,
        )
        return Hit(
            chunk_id=chunk.id,
            text=chunk.text,
            score=score,
            dense_rank=dense_ranks.get(chunk.id),
            lexical_rank=lexical_ranks.get(chunk.id),
            dense_score=dense_scores.get(chunk.id),
            lexical_score=lexical_scores.get(chunk.id),
            citation=citation,
        )

    def filter_values(self) -> dict[str, list[str]]:
        documents = self.documents.values()
        return {
            "region": sorted({d["region"] for d in documents if d.get("region")}),
            "year": sorted({d["date"][:4] for d in documents if d.get("date")}, reverse=True),
            "source": sorted({d["source"] for d in documents if d.get("source")}),
        }


def _fuse(
    groups: list[tuple[list[list[tuple[int, float]]], list[tuple[int, float]]]], fusion: str, *, lexical: bool
) -> list[tuple[int, float]]:
    """Fuse (dense rankings, lexical ranking) groups: the first over all candidates, the next
    within the province the question names."""
    rankings: list[list[tuple[int, float]]] = []
    weights: list[float] = []
    floors: list[float | None] = []
    for number, (dense_rankings, lexical_ranking) in enumerate(groups):
        group_weight = 1.0 if number == 0 else REGION_WEIGHT
        if not lexical:
            dense_share = 1.0
        elif not dense_rankings:  # lexical mode, or an empty dense index
            dense_share = 0.0
        else:
            dense_share = DENSE_SHARE
        for ranking in dense_rankings:
            rankings.append(ranking)
            weights.append(group_weight * dense_share / len(dense_rankings))
            floors.append(None)
        if lexical:
            rankings.append(lexical_ranking)
            weights.append(group_weight * (1.0 - dense_share))
            floors.append(0.0)  # BM25 is 0 for a passage that shares no term with the question
    if fusion == "rrf":
        return reciprocal_rank_fusion(rankings, weights=weights)
    return score_fusion(rankings, weights=weights, floors=floors)


def _ids_by_region(documents: dict[str, dict]) -> dict[str, np.ndarray]:
    by_region: dict[str, list[int]] = {}
    for entry in documents.values():
        if entry.get("region"):
            by_region.setdefault(entry["region"], []).extend(entry["chunk_ids"])
    return {region: np.array(sorted(ids), dtype=np.int64) for region, ids in by_region.items()}


def _ranking(ids: np.ndarray, scores: np.ndarray, *, positive: bool = False) -> list[tuple[int, float]]:
    """(id, score) best first; with ``positive``, only ids that score above zero."""
    order = np.argsort(-scores, kind="stable")
    return [(int(ids[i]), float(scores[i])) for i in order if not positive or scores[i] > 0]


def mentioned_region(text: str) -> str | None:
    """The one province ``text`` names, if it names exactly one."""
    simplified = to_simplified(text)
    named = {province for province in PROVINCES if province in simplified}
    return named.pop() if len(named) == 1 else None


def _checked(question: str) -> str:
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty: type a question, e.g. 湖北处理了多少个违规直播间？")
    # A lone surrogate (JSON can carry "\ud800") cannot be encoded for the model: replace it.
    question = re.sub("[\ud800-\udfff]", "\ufffd", question)
    return question.strip()[:MAX_QUESTION_CHARS]


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
    key = str(Path(index).resolve())
    with _RETRIEVERS_LOCK:
        retriever = _RETRIEVERS.get(key)
        if retriever is None:
            retriever = _RETRIEVERS[key] = Retriever(index)
    retriever.refresh()
    return retriever.search(question, k=k, filters=Filters(region, year, source, file), mode=mode)
