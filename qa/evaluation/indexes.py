"""The evaluation's indexes, cached between runs, and an encoder that never embeds a text twice.

Each variant of the settings (tokeniser, simplify) is an index of its own, built from
configuration with :func:`~qa.indexing.update_index`; vectors come from one cache per model,
keyed by the text as the model reads it, so a variant re-embeds only the texts it changes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

import qa
from qa.embedding import Encoder, load_encoder
from qa.errors import IndexBusy, IndexProblem
from qa.evaluation.datasets import safe_name
from qa.indexing import UpdateSummary, update_index
from qa.progress import Progress
from qa.store import IndexConfig, index_exists
from qa.text import to_simplified

Report = Callable[[str], None]
"""``report(message)``: a line of progress for a person watching."""

SAVE_EVERY = 512  # passages embedded between saves of the vector cache
QUERY_BATCH = 32
# The code that decides what an index holds: a cached index made by other code is rebuilt.
INDEX_CODE = (
    "readers", "documents", "chunking.py", "text.py", "regions.py", "years.py", "indexing.py", "embedding.py", "store",
)  # fmt: skip


def quiet(message: str) -> None:
    return None


class VectorCache:
    """Passage vectors by the SHA-1 of the text the model read, in one ``.npz`` file (no pickle)."""

    def __init__(self, path: Path | None, setting: str) -> None:
        self.path, self.setting = path, setting
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        if path is not None and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    if str(stored["setting"]) == setting:
                        self._vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                self._vectors = {}

    def __len__(self) -> int:
        return len(self._vectors)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> np.ndarray | None:
        return self._vectors.get(self._key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        self._vectors[self._key(text)] = np.asarray(vector, dtype=np.float32)
        self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        keys = np.array(list(self._vectors))
        vectors = np.vstack(list(self._vectors.values())).astype(np.float32)
        temporary = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(temporary, setting=np.array(self.setting), keys=keys, vectors=vectors)
        os.replace(temporary, self.path)
        self._dirty = False


class CachingEncoder:
    """An encoder (``simplify``: reading OpenCC-simplified text) over a model and a shared
    :class:`VectorCache`: passages are embedded once per text the model reads, questions once per
    run (kept in memory), so that the dense and hybrid modes encode each question once."""

    def __init__(self, inner: Encoder, cache: VectorCache, simplify: bool = False) -> None:
        self.inner, self.cache, self.simplify = inner, cache, simplify
        self.name, self.dimension = inner.name, inner.dimension
        self.embedded = self._saved_at = 0
        self._queries: dict[str, np.ndarray] = {}

    def _read(self, texts: Sequence[str]) -> list[str]:
        return [to_simplified(text) for text in texts] if self.simplify else list(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        read = self._read(texts)
        missing = [text for text in dict.fromkeys(read) if text not in self._queries]
        if missing:
            for text, vector in zip(missing, self.inner.encode_queries(missing), strict=True):
                self._queries[text] = vector
        if not read:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self._queries[text] for text in read]).astype(np.float32)

    def prime(self, questions: Iterable[str], batch: int = QUERY_BATCH) -> None:
        """Encode questions in batches ahead of the searches (faster than one at a time)."""
        texts = list(dict.fromkeys(q.strip() for q in questions if q.strip()))
        for start in range(0, len(texts), batch):
            self.encode_queries(texts[start : start + batch])

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        read = self._read(texts)
        missing = list(dict.fromkeys(text for text in read if self.cache.get(text) is None))
        if missing:
            for text, vector in zip(missing, self.inner.encode_passages(missing, batch_size), strict=True):
                self.cache.put(text, vector)
            self.embedded += len(missing)
            if self.embedded - self._saved_at >= SAVE_EVERY:  # an interrupted build keeps its vectors
                self.cache.save()
                self._saved_at = self.embedded
        if not read:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self.cache.get(text) for text in read]).astype(np.float32)


class Encoders:
    """The model, loaded when first needed, with one vector cache in ``cache_dir`` and one caching
    encoder per ``simplify`` setting."""

    def __init__(self, model: str, cache_dir: Path | None = None) -> None:
        self.model, self.cache_dir = model, cache_dir
        self._inner: Encoder | None = None
        self._cache: VectorCache | None = None
        self._loaded: dict[bool, CachingEncoder] = {}

    def get(self, simplify: bool) -> CachingEncoder:
        if simplify not in self._loaded:
            if self._inner is None:
                self._inner = load_encoder(self.model)
                path = self.cache_dir / f"vectors-{safe_name(self.model)}.npz" if self.cache_dir else None
                self._cache = VectorCache(path, self.model)
            assert self._cache is not None
            self._loaded[simplify] = CachingEncoder(self._inner, self._cache, simplify)
        return self._loaded[simplify]

    def save(self) -> None:
        if self._cache is not None:
            self._cache.save()


def index_name(kind: str, config: IndexConfig) -> str:
    script = "simplified" if config.simplify else "original"
    return f"{kind}-{safe_name(config.model)}-{config.lexical.tokenizer}-{script}"


def code_fingerprint(config: IndexConfig) -> str:
    digest = hashlib.sha1(json.dumps([config.model, config.simplify, config.lexical.to_dict()]).encode())
    package = Path(qa.__file__).resolve().parent
    for name in INDEX_CODE:
        path = package / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.relative_to(package).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _index_progress(name: str, report: Report) -> Progress:
    last: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if total and (done == total or done - last.get(stage, -step) >= step):
            last[stage] = done
            report(f"{name}: {stage} {done}/{total}")

    return progress


def ensure_index(
    data_dir: Path, index_dir: Path, config: IndexConfig, encoders: Encoders, report: Report = quiet
) -> UpdateSummary:
    """Bring a cached index up to date with ``data_dir`` (only new or changed files are read again).
    It is built again when it was made with other settings, by another version or by other indexing
    code; vectors of texts embedded before come from the encoders' cache."""
    progress = _index_progress(index_dir.name, report)
    encoder = encoders.get(config.simplify)
    embedded_before = encoder.embedded
    stamp = index_dir.with_name(index_dir.name + ".code")
    fingerprint = code_fingerprint(config)
    current = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None
    rebuild = index_exists(index_dir) and current != fingerprint
    if rebuild:
        report(f"{index_dir.name}: rebuilding (the indexing code changed since it was built)")
    try:
        summary = update_index(data_dir, index_dir, config=config, encoder=encoder, rebuild=rebuild, progress=progress)
    except IndexBusy:
        raise
    except IndexProblem as problem:
        report(f"{index_dir.name}: rebuilding ({problem})")
        summary = update_index(data_dir, index_dir, config=config, encoder=encoder, rebuild=True, progress=progress)
    encoders.save()
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    fresh = encoder.embedded - embedded_before
    report(f"{index_dir.name}: {summary.chunks_total} chunks, {fresh} embedded now, the rest unchanged or cached")
    return summary
