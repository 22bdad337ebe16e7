"""The index as its settings record says it is: generation, version, manifest and vocabulary, read
by the store and by the writer alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pymilvus import MilvusClient

from qa.errors import IndexProblem
from qa.store.manifest import Manifest
from qa.store.milvus.connection import Location, NoIndex, connect
from qa.store.milvus.rows import _document_entry
from qa.store.milvus.schema import META, SETTINGS, _load, _names, _scan
from qa.store.milvus.vocabulary import Vocabulary


@dataclass
class _State:
    generation: int
    version: int
    manifest: Manifest
    vocabulary: Vocabulary
    settings: dict


def _read_settings(client: MilvusClient) -> dict | None:
    if not client.has_collection(META):
        return None
    _load(client, [META])
    rows = client.query(META, ids=[SETTINGS], output_fields=["value"])
    return dict(rows[0]["value"]) if rows else None


def _read_state(client: MilvusClient, location: Location, vocabulary: bool) -> _State | None:
    settings = _read_settings(client)
    if settings is None:
        return None
    generation = int(settings["generation"])
    chunks, documents, texts = _names(generation)
    if not all(client.has_collection(name) for name in (chunks, documents, texts)):
        raise IndexProblem(
            f"{location.text} is damaged (collections of generation {generation} are missing). "
            f"Rebuild it: qa index --rebuild --index {location.text}"
        )
    _load(client, (chunks, documents, texts))
    rows = _scan(client, documents, ["file", "entry", "ranges"])
    record = dict(settings["manifest"])
    record["documents"] = {str(row["file"]): _document_entry(row).to_json() for row in rows}
    manifest = Manifest.from_json(record, where=location.text)  # refuses another format, saying how to rebuild
    words = Vocabulary({})
    if vocabulary:
        pointer = settings["vocabulary"]
        keys = [f"{pointer['key']}-{number:05d}" for number in range(int(pointer["parts"]))]
        found = {
            str(row["key"]): str(row["value"]["data"])
            for row in client.query(META, ids=keys, output_fields=["key", "value"])
        }
        if len(found) != len(keys):
            raise IndexProblem(
                f"{location.text}: the vocabulary is incomplete. Rebuild it: qa index --rebuild --index {location.text}"
            )
        words = Vocabulary.decode([found[key] for key in keys])
    return _State(generation, int(settings["version"]), manifest, words, settings)


def index_exists(location: Path | str) -> bool:
    parsed = Location.parse(location)
    try:
        client = connect(parsed)
    except NoIndex:
        return False
    return _read_settings(client) is not None
