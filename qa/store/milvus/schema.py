"""The collections of an index: their names per generation, their schemas, creating, loading and
reading them whole, and the sizes of requests Milvus takes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pymilvus import DataType, Function, FunctionType, MilvusClient

from qa.store.dense import HNSW_EF_CONSTRUCTION, HNSW_M
from qa.store.milvus.connection import Location, _quiet, connect

PREFIX = "qa"
META = f"{PREFIX}_meta"
SETTINGS = "settings"
LOCK = "lock"

ID_BATCH = 1000  # ids per ``id in [...]`` request
MAX_LIMIT = 16384  # Milvus caps topk and query windows at 16384
TEXT_BYTES = 65535  # VARCHAR maximum on a server, which counts UTF-8 bytes (Lite counts characters)
DUMMY = [0.0, 0.0]  # Milvus wants a vector field in every collection


def drop(location: Path | str) -> None:
    """Remove the report-qa collections at ``location`` (tests and benchmarks start from nothing)."""
    client = connect(Location.parse(location), create=True)
    for name in client.list_collections():
        if name == META or name.startswith(f"{PREFIX}_") and _generation_of(name) is not None:
            client.drop_collection(name)


def _quote(text: str) -> str:
    """A Milvus string literal (double quotes, backslash escapes)."""
    return json.dumps(text, ensure_ascii=False)


def _names(generation: int) -> tuple[str, str, str]:
    return f"{PREFIX}_chunks_{generation}", f"{PREFIX}_documents_{generation}", f"{PREFIX}_texts_{generation}"


def _generation_of(name: str) -> int | None:
    kind, _, number = name[len(PREFIX) + 1 :].rpartition("_")
    return int(number) if kind in ("chunks", "documents", "texts") and number.isdigit() else None


# -- schema --------------------------------------------------------------------------------------------


def _dummy_schema(key: str, key_length: int):
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field(key, DataType.VARCHAR, is_primary=True, max_length=key_length)
    return schema


def _with_dummy_vector(client: MilvusClient, name: str, schema) -> None:
    schema.add_field("_v", DataType.FLOAT_VECTOR, dim=2)
    index = client.prepare_index_params()
    index.add_index(field_name="_v", index_type="FLAT", metric_type="L2")
    _create(client, name, schema, index)


# Creating an index asks for a timestamp that Milvus Lite does not serve; its gRPC server (in this
# process for a .db) logs the refusal with a traceback, and pymilvus the fallback: both harmless.
_LITE_NOISE = ("grpc._server", "pymilvus.client.iterator.query_iterator")


def _create(client: MilvusClient, name: str, schema, index) -> None:
    with _quiet(*_LITE_NOISE):
        client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")


def _create_meta(client: MilvusClient) -> None:
    if client.has_collection(META):
        return
    schema = _dummy_schema("key", 256)
    schema.add_field("value", DataType.JSON)
    _with_dummy_vector(client, META, schema)


def _dense_index(kind: str) -> dict[str, object]:
    if kind == "hnsw":
        return {
            "index_type": "HNSW",
            "metric_type": "IP",
            "params": {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION},
        }
    return {"index_type": "FLAT", "metric_type": "IP", "params": {}}


def _create_generation(client: MilvusClient, generation: int, dimension: int, dense_type: str) -> None:
    chunks, documents, texts = _names(generation)
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("file", DataType.VARCHAR, max_length=4096)
    schema.add_field("region", DataType.VARCHAR, max_length=256)
    schema.add_field("year", DataType.INT64, nullable=True)
    schema.add_field("level", DataType.VARCHAR, max_length=64)
    schema.add_field("source", DataType.VARCHAR, max_length=1024)
    schema.add_field("title", DataType.VARCHAR, max_length=2048)
    schema.add_field("section", DataType.JSON)
    for name in ("position", "start", "end"):
        schema.add_field(name, DataType.INT64)
    schema.add_field("page", DataType.INT64, nullable=True)
    schema.add_field("page_end", DataType.INT64, nullable=True)
    schema.add_field("ocr_confidence", DataType.DOUBLE, nullable=True)
    schema.add_field("key", DataType.VARCHAR, max_length=64)
    schema.add_field("text", DataType.VARCHAR, max_length=TEXT_BYTES)
    schema.add_field(
        "match_text",
        DataType.VARCHAR,
        max_length=TEXT_BYTES,
        enable_analyzer=True,
        analyzer_params={"tokenizer": "jieba"},
    )
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_function(
        Function(
            name="bm25",
            function_type=FunctionType.BM25,
            input_field_names=["match_text"],
            output_field_names=["sparse"],
        )
    )
    index = client.prepare_index_params()
    index.add_index(field_name="dense", **_dense_index(dense_type))
    index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params={})
    for name in ("file", "region", "year", "level"):
        index.add_index(field_name=name, index_type="INVERTED")
    _create(client, chunks, schema, index)

    schema = _dummy_schema("file", 4096)
    schema.add_field("sha256", DataType.VARCHAR, max_length=64)
    schema.add_field("entry", DataType.JSON)
    schema.add_field("ranges", DataType.JSON)
    schema.add_field("chunks", DataType.INT64)
    _with_dummy_vector(client, documents, schema)

    schema = _dummy_schema("key", 96)
    schema.add_field("sha", DataType.VARCHAR, max_length=64)
    schema.add_field("part", DataType.INT64)
    schema.add_field("body", DataType.VARCHAR, max_length=TEXT_BYTES)
    _with_dummy_vector(client, texts, schema)


def _load(client: MilvusClient, names: Iterable[str]) -> None:
    """A reopened database's collections are not loaded; searching one would fail."""
    from pymilvus.client.types import LoadState

    for name in names:
        if client.get_load_state(name)["state"] != LoadState.Loaded:
            client.load_collection(name)


def _scan(client: MilvusClient, name: str, fields: list[str], expression: str = "", batch: int = 1000) -> list[dict]:
    """Every row of ``name`` (matching ``expression``), in batches."""
    key = _string_key(client, name)
    if key is not None:
        return _scan_by_key(client, name, key, fields, expression, batch)
    rows: list[dict] = []
    with _quiet(*_LITE_NOISE):  # it asks for that timestamp too
        iterator = client.query_iterator(name, batch_size=batch, filter=expression, output_fields=fields)
    try:
        for _ in range(100_000_000):
            page = iterator.next()
            if not page:
                break
            rows.extend(dict(row) for row in page)
    finally:
        iterator.close()
    return rows


def _string_key(client: MilvusClient, name: str) -> str | None:
    """The primary key field of ``name`` when it is a string (a documents collection: the file name)."""
    for field in client.describe_collection(name)["fields"]:
        if field.get("is_primary"):
            return str(field["name"]) if field["type"] == DataType.VARCHAR else None
    return None


def _scan_by_key(
    client: MilvusClient, name: str, key: str, fields: list[str], expression: str, batch: int
) -> list[dict]:
    """Every row of a collection keyed by strings, a batch at a time after the last key seen.

    pymilvus's ``query_iterator`` pages the same way but writes the last key into its next filter
    unescaped (``file > "<key>"``): one file name holding ``"`` or ``\\`` made every scan of the
    documents fail, and with it every search, update and ``stats`` of the index. Here the key is
    quoted (:func:`_quote`); ``iterator`` asks Milvus for the rows in key order, as the iterator does."""
    rows: list[dict] = []
    last: str | None = None
    wanted = list(dict.fromkeys([key, *fields]))
    for _ in range(100_000_000):
        after = f"{key} > {_quote(last)}" if last is not None else ""
        where = " and ".join(f"({part})" for part in (after, expression) if part)
        with _quiet(*_LITE_NOISE):
            found = client.query(name, filter=where, output_fields=wanted, limit=batch, iterator="True",
                                 reduce_stop_for_best=True)  # fmt: skip
        rows.extend(dict(row) for row in found)
        if len(found) < batch:
            break
        last = max(str(row[key]) for row in found)
    return rows
