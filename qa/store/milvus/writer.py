"""Writing: an update in place, with its journal, or a rebuild into a new generation; the repair of
what an interrupted update left."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
from pymilvus import MilvusClient, MilvusException

from qa.store.base import Change, DocumentText, Progress
from qa.store.dense import choose_index_type
from qa.store.folder import StoredChunk
from qa.store.manifest import FORMAT_VERSION, DocumentEntry, Manifest
from qa.store.milvus.connection import Location, _quiet, connect
from qa.store.milvus.lease import lite_lock, server_lease
from qa.store.milvus.rows import _CHUNK_FIELDS, _chunk_row, _document_row, _stored_chunk
from qa.store.milvus.schema import (
    _LITE_NOISE,
    DUMMY,
    ID_BATCH,
    MAX_LIMIT,
    META,
    SETTINGS,
    _create_generation,
    _create_meta,
    _dense_index,
    _generation_of,
    _load,
    _names,
    _quote,
    _scan,
)
from qa.store.milvus.state import _read_settings, _read_state, _State
from qa.store.milvus.vocabulary import Vocabulary

log = logging.getLogger(__name__)

INSERT_BATCH = 500  # rows per insert request (a row is ~2-3 KB with its vector)
TEXT_PART = 16_000  # characters per part of a document text (at most 4 bytes each)
JOURNAL_PART = 300  # file names per journal record


class MilvusWriter:
    """Updates a Milvus index in place (a rebuild writes a new generation and then switches to it)."""

    def __init__(self, location: Path | str) -> None:
        self._location = Location.parse(location)
        self._client: MilvusClient | None = None
        self._state: _State | None = None

    @property
    def location(self) -> str:
        return self._location.text

    @property
    def client(self) -> MilvusClient:
        if self._client is None:
            self._client = connect(self._location, create=True)
        return self._client

    # The lock ------------------------------------------------------------------------------------

    @contextmanager
    def locked(self, timeout: float = 0):
        if self._location.lite:
            lock = lite_lock(self._location, timeout)
        else:
            lock = server_lease(self.client, self._location, timeout)
        with lock:
            self._tidy()
            yield self

    # Reading the index as it is -------------------------------------------------------------------

    def current(self) -> Manifest | None:
        if self._location.lite and not Path(self._location.uri).exists():
            return None
        self._state = _read_state(self.client, self._location, vocabulary=False)
        return self._state.manifest if self._state else None

    def _current_state(self, vocabulary: bool = True) -> _State | None:
        if self._location.lite and not Path(self._location.uri).exists():
            return None
        return _read_state(self.client, self._location, vocabulary=vocabulary)

    def _rows(self, generation: int, ids: Sequence[int], fields: list[str]) -> list[dict]:
        chunks = _names(generation)[0]
        rows: list[dict] = []
        unique = list(dict.fromkeys(int(i) for i in ids))
        for start in range(0, len(unique), ID_BATCH):
            rows.extend(self.client.query(chunks, ids=unique[start : start + ID_BATCH], output_fields=fields))
        return rows

    def chunks_of(self, files: Iterable[str]) -> list[StoredChunk]:
        state = self._state or self._current_state(vocabulary=False)
        if state is None:
            return []
        ids = [
            i for name in files if name in state.manifest.documents for i in state.manifest.documents[name].chunk_ids
        ]
        rows = {int(row["id"]): row for row in self._rows(state.generation, ids, _CHUNK_FIELDS)}
        return [_stored_chunk(rows[i]) for i in sorted(ids) if i in rows]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        state = self._state or self._current_state(vocabulary=False)
        if state is None or not len(ids):
            return np.zeros((0, state.manifest.encoder.dimension if state else 0), dtype=np.float32)
        found = {int(row["id"]): row["dense"] for row in self._rows(state.generation, ids, ["id", "dense"])}
        missing = [int(i) for i in ids if int(i) not in found]
        if missing:
            raise KeyError(f"chunks not in the index: {missing[:10]}")
        return np.asarray([found[int(i)] for i in ids], dtype=np.float32)

    # Applying a change ------------------------------------------------------------------------------

    def apply(self, change: Change, progress: Progress) -> Manifest:
        state = None if change.rebuild else self._current_state()
        if state is None or state.manifest.encoder.dimension != change.dimension:
            return self._rebuild(change, progress)
        return self._update(change, progress, state)

    def _rebuild(self, change: Change, progress: Progress) -> Manifest:
        """Everything into a new generation, then the settings switched to it; the generation it
        replaces stays until the next update (a reader that opened it just before still answers)."""
        client = self.client
        _create_meta(client)
        _load(client, [META])
        previous = _read_settings(client) or {}
        generation = max([_generation_of(name) or 0 for name in client.list_collections()] + [0]) + 1
        dense_type = choose_index_type(len(change.chunks))
        _create_generation(client, generation, change.dimension, dense_type)
        vocabulary = Vocabulary({})
        self._write_documents(generation, change, dict(change.documents), vocabulary, progress)
        self._flush(generation)
        count = len(change.chunks)
        manifest = change.manifest(
            dict(change.documents), dense_type=dense_type, dense_count=count, lexical_count=count
        )
        self._commit(generation, int(previous.get("version", 0)) + 1, manifest, vocabulary)
        kept = {generation, previous.get("generation")}
        for name in client.list_collections():
            if _generation_of(name) not in (None, *kept):
                client.drop_collection(name)
        return manifest

    def _update(self, change: Change, progress: Progress, state: _State) -> Manifest:
        client = self.client
        chunks_name, documents_name, texts_name = _names(state.generation)
        old_documents = dict(state.manifest.documents)
        replaced = sorted(set(change.documents) | set(change.removed))
        self._journal(state, replaced, change.next_id)
        vocabulary = state.vocabulary
        tokenizer = state.manifest.lexical.tokenizer
        old_ids = [i for name in replaced if name in old_documents for i in old_documents[name].chunk_ids]
        for row in self._rows(state.generation, old_ids, ["id", "match_text"]):
            vocabulary.add(Vocabulary.tokens(str(row["match_text"]), tokenizer), -1)
        documents = {name: entry for name, entry in old_documents.items() if name not in replaced}
        documents.update(change.documents)
        self._write_documents(state.generation, change, old_documents, vocabulary, progress)
        for number, name in enumerate(change.removed):
            progress("writing", len(change.documents) + number, len(change.documents) + len(change.removed))
            _delete_document(client, documents_name, name)  # the record first: the document is gone at once
            self._delete_ids(chunks_name, old_documents[name].chunk_ids if name in old_documents else ())
        self._delete_texts(texts_name, old_documents, documents)
        total = sum(len(entry.chunk_ids) for entry in documents.values())
        dense_type = self._dense_type(state, total)
        self._flush(state.generation)
        manifest = change.manifest(documents, dense_type=dense_type, dense_count=total, lexical_count=total)
        self._commit(state.generation, state.version + 1, manifest, vocabulary)
        return manifest

    def _journal(self, state: _State, files: Sequence[str], next_id: int) -> None:
        """Record what this update touches before touching it, and reserve its chunk ids."""
        client = self.client
        parts = [files[start : start + JOURNAL_PART] for start in range(0, len(files), JOURNAL_PART)]
        rows = [
            {"key": f"journal-{number:05d}", "value": {"files": list(part)}, "_v": DUMMY}
            for number, part in enumerate(parts)
        ]
        if rows:
            client.upsert(META, rows)
        settings = dict(state.settings)
        settings["pending"] = {"journal": len(parts), "since_id": state.manifest.next_id}
        settings["manifest"] = {**settings["manifest"], "next_id": max(next_id, state.manifest.next_id)}
        client.upsert(META, [{"key": SETTINGS, "value": settings, "_v": DUMMY}])
        state.settings = settings

    def _write_documents(
        self,
        generation: int,
        change: Change,
        old_documents: Mapping[str, DocumentEntry],
        vocabulary: Vocabulary,
        progress: Progress,
    ) -> None:
        """Each document's text and chunks, then its record, then the deletion of its old chunks."""
        client = self.client
        chunks_name, documents_name, texts_name = _names(generation)
        by_file: dict[str, list[int]] = {}
        for position, chunk in enumerate(change.chunks):
            by_file.setdefault(chunk.file, []).append(position)
        tokenizer = change.config.lexical.tokenizer
        present = self._texts_present(texts_name, [e.text_sha256 for e in change.documents.values()])
        total = len(change.documents) + len(change.removed)
        for number, (name, entry) in enumerate(sorted(change.documents.items())):
            progress("writing", number, total)
            digest = entry.text_sha256
            if digest and digest not in present and digest in change.texts:
                self._write_text(texts_name, digest, change.texts[digest])
                present.add(digest)
            rows = []
            for position in by_file.get(name, []):
                chunk = change.chunks[position]
                rows.append(_chunk_row(chunk, change.vectors[position], entry))
                vocabulary.add(Vocabulary.tokens(str(rows[-1]["match_text"]), tokenizer))
            for start in range(0, len(rows), INSERT_BATCH):
                client.insert(chunks_name, rows[start : start + INSERT_BATCH])
            client.upsert(documents_name, [_document_row(name, entry)])  # only now is the document new
            old = old_documents.get(name)
            if old is not None and old is not entry:
                self._delete_ids(chunks_name, old.chunk_ids)
        progress("writing", total, total)

    def _delete_ids(self, name: str, ids: Iterable[int]) -> int:
        ids = [int(i) for i in ids]
        deleted = 0
        for start in range(0, len(ids), ID_BATCH):
            deleted += _rows_deleted(self.client.delete(name, ids=ids[start : start + ID_BATCH]))
        return deleted

    def _texts_present(self, name: str, digests: Iterable[str | None]) -> set[str]:
        wanted = sorted({digest for digest in digests if digest})
        found: set[str] = set()
        for start in range(0, len(wanted), ID_BATCH):
            keys = [f"{digest}-00000" for digest in wanted[start : start + ID_BATCH]]
            found.update(str(row["sha"]) for row in self.client.query(name, ids=keys, output_fields=["sha"]))
        return found

    def _write_text(self, name: str, digest: str, text: DocumentText) -> None:
        body = json.dumps(text.to_json(), ensure_ascii=False)
        parts = [body[start : start + TEXT_PART] for start in range(0, len(body), TEXT_PART)] or [""]
        rows = [
            {"key": f"{digest}-{number:05d}", "sha": digest, "part": number, "body": part, "_v": DUMMY}
            for number, part in enumerate(parts)
        ]
        for start in range(0, len(rows), 50):
            self.client.insert(name, rows[start : start + 50])

    def _delete_texts(self, name: str, before: Mapping[str, DocumentEntry], after: Mapping[str, DocumentEntry]) -> None:
        """The texts no document refers to any more."""
        kept = {entry.text_sha256 for entry in after.values()}
        gone = {entry.text_sha256 for entry in before.values()} - kept - {None}
        for digest in sorted(gone):  # type: ignore[type-var]
            self.client.delete(name, filter=f"sha == {_quote(str(digest))}")

    def _dense_type(self, state: _State, total: int) -> str:
        """Switch the dense index between exact and HNSW when the count crosses the threshold."""
        wanted = choose_index_type(total)
        if wanted == state.manifest.dense_type:
            return wanted
        client = self.client
        chunks = _names(state.generation)[0]
        log.info("switching the dense index of %s to %s (%d chunks)", self.location, wanted, total)
        client.release_collection(chunks)
        client.drop_index(chunks, "dense")
        index = client.prepare_index_params()
        index.add_index(field_name="dense", **_dense_index(wanted))
        with _quiet(*_LITE_NOISE):
            client.create_index(chunks, index)
        client.load_collection(chunks)
        return wanted

    def _flush(self, generation: int) -> None:
        """Flush once per update (each flush makes segments; unflushed rows are slow to search), then
        search once each way so that the segments' indexes are built before the first question."""
        client = self.client
        chunks, documents, texts = _names(generation)
        for name in (chunks, documents, texts, META):
            client.flush(name)
        with contextlib.suppress(MilvusException):
            client.search(
                chunks,
                data=["的"],
                anns_field="sparse",
                limit=1,
                search_params={"metric_type": "BM25"},
                output_fields=["id"],
            )

    def _commit(self, generation: int, version: int, manifest: Manifest, vocabulary: Vocabulary) -> None:
        """Write the vocabulary under a new key, then the settings that point to it (the moment the
        update is in), then remove what the old settings pointed to."""
        client = self.client
        key = f"vocab-{generation}-{version}"
        parts = vocabulary.encode()
        rows = [
            {"key": f"{key}-{number:05d}", "value": {"data": part}, "_v": DUMMY} for number, part in enumerate(parts)
        ]
        for start in range(0, len(rows), 20):
            client.upsert(META, rows[start : start + 20])
        record = manifest.to_json()
        record.pop("documents")
        settings = {
            "manifest": record,
            "generation": generation,
            "version": version,
            "vocabulary": {"key": key, "parts": len(parts)},
            "pending": None,
        }
        client.upsert(META, [{"key": SETTINGS, "value": settings, "_v": DUMMY}])
        client.flush(META)
        self._state = None
        stale = [
            str(row["key"])
            for row in client.query(
                META, filter='key like "vocab-%" or key like "journal-%"', output_fields=["key"], limit=MAX_LIMIT
            )
        ]
        stale = [name for name in stale if not name.startswith(f"{key}-")]
        if stale:
            client.delete(META, ids=stale)
        log.info(
            "milvus index %s: generation %d version %d, %d chunks in %d documents",
            self.location,
            generation,
            version,
            manifest.chunk_count,
            len(manifest.documents),
        )

    # After an interruption --------------------------------------------------------------------------

    def _tidy(self) -> None:
        """Under the lock, before anything is read: drop the collections of a rebuild that never
        finished, and repair what an interrupted update left."""
        if self._location.lite and not Path(self._location.uri).exists():
            return
        client = self.client
        settings = _read_settings(client)
        current = int(settings["generation"]) if settings else None
        for name in client.list_collections():
            generation = _generation_of(name)
            if generation is not None and generation != current:
                log.info("dropping %s, left by an interrupted rebuild", name)
                client.drop_collection(name)
        readable = settings and settings["manifest"].get("format_version") == FORMAT_VERSION
        if readable and settings.get("pending"):
            self.repair()

    def repair(self) -> list[str]:
        """Make every document the interrupted update touched wholly old or wholly new: rows that its
        record does not list are deleted; a record whose rows are not all there is removed (the next
        update reads that document again). If the rows then still disagree with the records in
        number, every document is checked so. Then the vocabulary is counted again from the rows.
        Returns the files repaired."""
        client = self.client
        state = self._current_state(vocabulary=False)
        if state is None:
            return []
        chunks_name, documents_name, texts_name = _names(state.generation)
        _load(client, _names(state.generation))
        pending = state.settings.get("pending") or {}
        keys = [f"journal-{number:05d}" for number in range(int(pending.get("journal", 0)))]
        journal = client.query(META, ids=keys, output_fields=["value"]) if keys else []
        touched = sorted({name for row in journal for name in row["value"]["files"]})
        documents = dict(state.manifest.documents)
        rows = _scan(client, chunks_name, ["id", "file"], f"id >= {int(pending.get('since_id', 0))}")
        for start in range(0, len(touched), JOURNAL_PART):
            names = json.dumps(touched[start : start + JOURNAL_PART], ensure_ascii=False)
            rows += _scan(client, chunks_name, ["id", "file"], f"file in {names}")
        repaired = self._reconcile(state.generation, documents, rows, touched)
        expected = sum(len(entry.chunk_ids) for entry in documents.values())
        counted = int(client.query(chunks_name, filter="", output_fields=["count(*)"])[0]["count(*)"])
        if counted != expected:
            log.info("%s: %d rows for %d listed chunks: checking every document", self.location, counted, expected)
            repaired += self._reconcile(
                state.generation, documents, _scan(client, chunks_name, ["id", "file"]), list(documents)
            )
        referenced = {entry.text_sha256 for entry in documents.values()}
        for digest in sorted({str(row["sha"]) for row in _scan(client, texts_name, ["sha"], "part == 0")} - referenced):
            client.delete(texts_name, filter=f"sha == {_quote(digest)}")
        vocabulary = Vocabulary({})
        tokenizer = state.manifest.lexical.tokenizer
        listed = {i for entry in documents.values() for i in entry.chunk_ids}
        for row in _scan(client, chunks_name, ["id", "match_text"]):
            if int(row["id"]) in listed:
                vocabulary.add(Vocabulary.tokens(str(row["match_text"]), tokenizer))
        self._flush(state.generation)
        manifest = replace(
            state.manifest,
            documents=dict(sorted(documents.items())),
            dense_count=len(listed),
            lexical_count=len(listed),
        )
        self._commit(state.generation, state.version + 1, manifest, vocabulary)
        log.info("repaired %s after an interrupted update: %s", self.location, ", ".join(repaired) or "nothing left")
        return sorted(set(repaired))

    def _reconcile(
        self, generation: int, documents: dict[str, DocumentEntry], rows: Iterable[Mapping], files: Iterable[str]
    ) -> list[str]:
        """Compare the rows present of each of ``files`` (and of every file in ``rows``) with its record;
        ``documents`` loses the records that are broken."""
        chunks_name, documents_name, _ = _names(generation)
        present: dict[str, set[int]] = {name: set() for name in files}
        for row in rows:
            present.setdefault(str(row["file"]), set()).add(int(row["id"]))
        repaired = []
        for name, found in sorted(present.items()):
            entry = documents.get(name)
            listed = set(entry.chunk_ids) if entry is not None else set()
            if entry is not None and not listed <= found:
                _delete_document(self.client, documents_name, name)
                del documents[name]
                listed = set()
                repaired.append(name)
            if found - listed:
                self._delete_ids(chunks_name, sorted(found - listed))
                repaired.append(name)
        return repaired


def _rows_deleted(result: object) -> int:
    if isinstance(result, dict):
        return int(result.get("delete_count", 0))
    return len(result) if isinstance(result, list | tuple) else 0


def _delete_document(client: MilvusClient, documents_name: str, name: str) -> None:
    """Delete a document's record by its file name, quoted: pymilvus's ``delete(ids=[name])`` puts
    the name between single quotes unescaped, so a name holding ``'`` broke the expression (or,
    chosen with care, widened it)."""
    client.delete(documents_name, filter=f"file == {_quote(name)}")
