"""One contract for every store behind the seam: the local folder, Milvus Lite (a ``.db``),
``milvus-lite server`` started here on 127.0.0.1 (through ``http://``), and a real Milvus server when
``$QA_MILVUS_URI`` names one (``http(s)://host:port``; its token in ``$QA_MILVUS_TOKEN``; the tests
make databases named ``qa_test_*`` there and drop them after).

Build, an update that changes nothing, one report changed, one deleted, the filters, another encoder
refused, and ``qa index`` killed with SIGKILL in the middle of an update. The Milvus targets must
also give the local store's answers: the same hits for the same questions and filters.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from qa.chunking import ChunkingConfig, chunk_document
from qa.documents import load_document
from qa.errors import IndexProblem, QuestionError
from qa.indexing import IndexConfig, update_index
from qa.retrieval import Filters, Retriever
from tests.conftest import GUIZHOU, HUBEI, ROOT, copy_samples, free_port
from tests.fakes import HashingEncoder

CONFIG = IndexConfig(model=HashingEncoder.name)
REMOTE_ENV = "QA_MILVUS_URI"
SICHUAN = "sichuan-2025-digital-government.txt"
SICHUAN_LINES = [
    "四川:数字政府建设综述",
    "",
    "发布时间:2025-03-10 09:00   来源:四川日报",
    "",
    "2025年，四川省推进数字政府建设，政务服务平台办理事项9876万件。",
    "一、数据共享",
    "全省打通数据接口4321个，网络安全宣传活动覆盖2000万人次。",
]
QUESTIONS = ["湖北处理了多少个违规直播间？", "网络文明建设", "How many online civility activities did Guizhou hold?"]
FILTERS = [
    Filters(region="湖北"),
    Filters(year=2022),
    Filters(source="湖北日报"),  # simplified finds the traditional 湖北日報
    Filters(file=GUIZHOU.name),
    Filters(region="四川", year=2025),
]


def write_sichuan(folder: Path) -> Path:
    path = folder / SICHUAN
    path.write_text("\n".join(SICHUAN_LINES) + "\n", encoding="utf-8")
    return path


def make_data(folder: Path) -> Path:
    copy_samples(folder)
    write_sichuan(folder)
    return folder


# -- targets ---------------------------------------------------------------------------------------------


@dataclass
class Target:
    """Where a target's indexes go: ``location(label)`` is a new, empty index location."""

    name: str
    root: Path
    base: str = ""  # a server's address
    made: list[str] = field(default_factory=list)

    @property
    def milvus(self) -> bool:
        return self.name != "local"

    def location(self, label: str) -> str:
        if self.name == "local":
            where = str(self.root / label)
        elif self.name == "lite":
            where = str(self.root / f"{label}.db")
        else:  # a database of its own on the server
            where = f"{self.base}/qa_test_{uuid.uuid4().hex[:8]}_{label.replace('-', '_')}"
        self.made.append(where)
        return where

    def release(self, location: str | None = None) -> None:
        """Let another process open a ``.db`` this process has open (Milvus Lite: one process each)."""
        if self.name == "lite":
            from qa.store import milvus

            for where in [location] if location else self.made:
                milvus.release(where)

    def close(self) -> None:
        self.release()
        if self.name == "remote":
            _drop_databases(self.made)


def _drop_databases(locations: list[str]) -> None:
    from pymilvus import MilvusClient

    from qa.store import milvus

    for location in locations:
        with_database = milvus.Location.parse(location)
        base, _, name = with_database.uri.rpartition("/")
        try:
            milvus.drop(location)
            milvus.release(location)
            client = MilvusClient(base, token=os.environ.get(milvus.TOKEN_ENV, ""))
            if name in client.list_databases():
                client.drop_database(name)
            client.close()
        except Exception as error:  # cleaning up must not hide the test's own result
            print(f"could not drop {location}: {error}")


def start_lite_server(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    """``milvus-lite server`` on 127.0.0.1 and a free port (its default is every address)."""
    executable = Path(sys.executable).with_name("milvus-lite")
    if not executable.exists():
        pytest.skip(f"{executable} is absent: pip install 'report-qa[milvus]'")
    port = free_port()
    command = [str(executable), "server", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if "listening on" in line:
            assert "127.0.0.1" in line, line
            return process, f"http://127.0.0.1:{port}"
    stop_server(process)
    raise RuntimeError("milvus-lite server did not start within 60 s")


def stop_server(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)  # graceful: drains requests and releases the data folder
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory) -> Iterator[str]:
    pytest.importorskip("pymilvus", reason="pip install 'report-qa[milvus]'")
    process, address = start_lite_server(tmp_path_factory.mktemp("milvus-lite-server"))
    yield address
    from qa.store import milvus

    for location in list(milvus._clients):
        if location.startswith(address):
            milvus.release(location)
    stop_server(process)


TARGETS = ["local", "lite", "server", "remote"]


@pytest.fixture(scope="module", params=TARGETS)
def target(request, tmp_path_factory) -> Iterator[Target]:
    name = request.param
    if name != "local":
        pytest.importorskip("pymilvus", reason="pip install 'report-qa[milvus]'")
    base = ""
    if name == "server":
        base = request.getfixturevalue("milvus_server")
    elif name == "remote":
        base = os.environ.get(REMOTE_ENV, "").rstrip("/")
        if not base:
            pytest.skip(f"no real Milvus server: set ${REMOTE_ENV}=http(s)://host:port (token in $QA_MILVUS_TOKEN)")
    chosen = Target(name, tmp_path_factory.mktemp(f"store-{name}"), base)
    yield chosen
    chosen.close()


def build(data: Path, location: str, encoder: HashingEncoder | None = None, **options):
    return update_index(data, location, config=CONFIG, encoder=encoder or HashingEncoder(), **options)


def opened(location: str) -> Retriever:
    return Retriever(location, encoder=HashingEncoder())


def hits_of(retriever: Retriever, question: str, mode: str, filters: Filters | None = None, k: int = 5):
    return [(hit.citation.file, hit.citation.start, hit.text) for hit in
            retriever.search(question, k=k, mode=mode, filters=filters)]  # fmt: skip


@dataclass
class Built:
    location: str
    data: Path
    summary: object


@pytest.fixture(scope="module")
def built(target: Target, tmp_path_factory) -> Built:
    """The index every read-only case shares: the two samples and a third report, built once per target."""
    data = make_data(tmp_path_factory.mktemp(f"data-{target.name}"))
    location = target.location("shared")
    return Built(location, data, build(data, location))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Retriever:
    """The same index on the local store: what every target must answer."""
    data = make_data(tmp_path_factory.mktemp("reference-data"))
    location = str(tmp_path_factory.mktemp("reference") / "index")
    build(data, location)
    return opened(location)


# -- the cases -------------------------------------------------------------------------------------------


def test_build(built: Built) -> None:
    summary = built.summary
    assert sorted(summary.added) == sorted([GUIZHOU.name, HUBEI.name, SICHUAN]) and not summary.skipped
    assert summary.chunks_embedded == summary.chunks_total > 20
    retriever = opened(built.location)
    assert retriever.store.problems() == []
    assert len(retriever.store) == retriever.manifest.chunk_count == summary.chunks_total
    assert {chunk.file for chunk in retriever.store} == set(summary.added)
    for mode in ("lexical", "dense", "hybrid"):
        hits = retriever.search("湖北处理了多少个违规直播间？", k=5, mode=mode)
        assert any("5263" in hit.text for hit in hits), mode
    first = retriever.search("湖北处理了多少个违规直播间？", k=1)[0]
    assert "5263" in first.text and first.citation.source == "湖北日報" and first.citation.file == HUBEI.name
    text = retriever.source(first.chunk_id)  # the source view: the passage in its report's text
    assert text.text[text.start : text.end] == first.text
    assert retriever.filter_values()["region"] == ["四川", "湖北", "贵州"]


def test_same_answers_as_the_local_store(built: Built, reference: Retriever) -> None:
    retriever = opened(built.location)
    assert [(c.file, c.start, c.text) for c in retriever.store] == [(c.file, c.start, c.text) for c in reference.store]
    for question in QUESTIONS:
        for mode in ("lexical", "dense", "hybrid"):
            assert hits_of(retriever, question, mode) == hits_of(reference, question, mode), (question, mode)
    for word in ("直播", "网络文明", "量子纠缠", "處理"):
        assert retriever.knows(word) == reference.store.knows(word), word
    ids = np.array([chunk.id for chunk in reference.store])
    mine, theirs = retriever.store.sentence_vectors(ids), reference.store.sentence_vectors(ids)
    assert len(theirs) > len(ids) and np.array_equal(mine.spans, theirs.spans)
    assert np.array_equal(mine.vectors, theirs.vectors)  # both keep them rounded to float16
    question = reference.encode_queries(["网络文明建设活动"])
    assert retriever.store.sentence_search(question, 5) == reference.store.sentence_search(question, 5)


def test_filters(built: Built, reference: Retriever) -> None:
    retriever = opened(built.location)
    documents = retriever.manifest.documents
    for filters in FILTERS:
        allowed = set(filters.files(documents))
        assert allowed and allowed != set(documents), filters
        for mode in ("lexical", "dense", "hybrid"):
            for question in QUESTIONS:
                hits = retriever.search(question, k=10, mode=mode, filters=filters)
                assert all(hit.citation.file in allowed for hit in hits), (filters, mode, question)
                assert hits_of(retriever, question, mode, filters, 10) == hits_of(
                    reference, question, mode, filters, 10
                )
        assert retriever.search("网络文明", k=5, mode="dense", filters=filters), filters
    assert retriever.search("网络文明", k=5, filters=Filters(region="西藏")) == []


def test_update_with_nothing_changed_writes_nothing(built: Built) -> None:
    before = opened(built.location).store.version
    encoder = HashingEncoder()
    summary = build(built.data, built.location, encoder)
    assert (summary.chunks_embedded, summary.added, summary.changed, summary.removed) == (0, [], [], [])
    assert encoder.passages_encoded == 0 and len(summary.unchanged) == 3
    store = opened(built.location).store
    assert store.version == before and not store.stale()


def test_another_encoder_is_refused_with_the_rebuild_command(built: Built) -> None:
    with pytest.raises(IndexProblem) as refused:
        update_index(built.data, built.location, config=IndexConfig(model="intfloat/multilingual-e5-small"))
    assert f"qa index --rebuild --model intfloat/multilingual-e5-small --index {built.location}" in str(refused.value)

    class Other(HashingEncoder):
        name = "another-encoder"

    with pytest.raises(IndexProblem, match="built with encoder 'test-hashing'.*--rebuild --model another-encoder"):
        Retriever(built.location, encoder=Other())


def test_changing_one_report_embeds_only_its_changed_chunks(target: Target, tmp_path: Path) -> None:
    data = make_data(tmp_path / "data")
    location = target.location("change")
    build(data, location)
    old = opened(location)
    report = data / GUIZHOU.name
    report.write_text(report.read_text(encoding="utf-8") + "\n\n新增段落：贵州还开展了网络安全宣传周活动。\n", "utf-8")
    encoder = HashingEncoder()
    summary = build(data, location, encoder)
    assert summary.changed == [GUIZHOU.name] and summary.added == [] and summary.removed == []
    assert 1 <= summary.chunks_embedded <= 2 and 1 <= summary.sentences_embedded <= 2  # the new paragraph's
    assert encoder.passages_encoded == summary.chunks_embedded + summary.sentences_embedded
    assert old.store.stale() and old.refresh()
    retriever = opened(location)
    assert retriever.store.problems() == []
    hits = retriever.search("网络安全宣传周", k=1, mode="lexical")
    assert "网络安全宣传周" in hits[0].text and hits[0].citation.file == GUIZHOU.name
    assert [c.text for c in retriever.store if c.file == HUBEI.name] == [
        c.text for c in old.store if c.file == HUBEI.name
    ]
    target.release(location)


def test_a_deleted_report_is_never_found_again(target: Target, tmp_path: Path) -> None:
    data = make_data(tmp_path / "data")
    location = target.location("delete")
    build(data, location)
    old_ids = opened(location).store.ids_of([HUBEI.name])
    (data / HUBEI.name).unlink()
    summary = build(data, location)
    assert summary.removed == [HUBEI.name]
    retriever = opened(location)
    store = retriever.store
    assert store.problems() == [] and all(chunk.file != HUBEI.name for chunk in store)
    assert len(store.ids_of([HUBEI.name])) == 0 and HUBEI.name not in retriever.documents
    for chunk_id in old_ids[:3]:
        with pytest.raises(KeyError):
            store.chunk(int(chunk_id))
    for mode in ("dense", "lexical", "hybrid"):
        for question in ("處理違規直播間5263個", "湖北网络文明"):
            hits = retriever.search(question, k=50, mode=mode)
            assert hits and all(hit.citation.file != HUBEI.name for hit in hits), mode
    assert not store.knows("违规直播间")  # its words are gone from the vocabulary too
    target.release(location)


def test_rebuild_replaces_the_index(target: Target, tmp_path: Path) -> None:
    data = make_data(tmp_path / "data")
    location = target.location("rebuild")
    build(data, location)
    old = opened(location)
    texts = [c.text for c in old.store]
    summary = build(data, location, rebuild=True)
    assert summary.chunks_embedded == summary.chunks_total and old.store.stale()
    assert old.search("湖北处理了多少个违规直播间？", k=1)  # the replaced index answers until the next update
    retriever = opened(location)
    assert retriever.store.problems() == [] and retriever.store.version != old.store.version
    assert [c.text for c in retriever.store] == texts
    target.release(location)


def test_failed_files_are_recorded_and_not_read_again(target: Target, tmp_path: Path) -> None:
    data = make_data(tmp_path / "data")
    (data / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    location = target.location("failed")
    first = build(data, location)
    assert [item["file"] for item in first.skipped] == ["broken.docx"]
    failed = opened(location).manifest.failed_files
    assert list(failed) == ["broken.docx"] and failed["broken.docx"].reason == first.skipped[0]["reason"]
    version = opened(location).store.version
    assert build(data, location).skipped == first.skipped and opened(location).store.version == version
    (data / "broken.docx").unlink()
    build(data, location)
    assert opened(location).manifest.failed_files == {}
    target.release(location)


def test_a_rebuild_never_gives_an_old_chunk_id_to_another_passage(target: Target, tmp_path: Path) -> None:
    """Issue 32: --rebuild restarted chunk ids at 0, so an old [n] link or a chunk_id an assistant
    kept opened an unrelated passage. The rebuilt index's ids follow the replaced one's."""
    data = make_data(tmp_path / "data")
    location = target.location("ids")
    build(data, location)
    old = opened(location)
    old_ids = sorted(chunk.id for chunk in old.store)
    (data / HUBEI.name).unlink()  # the rebuilt index holds other passages than before
    build(data, location, rebuild=True)
    retriever = opened(location)
    new_ids = sorted(chunk.id for chunk in retriever.store)
    assert new_ids and new_ids[0] >= old_ids[-1] + 1
    for chunk_id in old_ids[:3] + old_ids[-3:]:
        with pytest.raises(QuestionError, match="no passage"):
            retriever.source(chunk_id)
    target.release(location)


# Names a person copies into data/ by hand: quotes, backslashes, brackets, spaces (ASCII and
# ideographic), and two written to break out of a quoted expression in a Milvus filter.
AWKWARD_NAMES = [
    '黑龙江 "通报" \\ 副本.txt',  # last in key order: the name pymilvus wrote into its next filter
    "C:\\报告\\贵州 (2).txt",
    "it's 报告 （二） [final].txt",
    "x' or file != '.txt",
    'y" or file != "z.txt',
    "百分号%_下划线\u3000空格 🎉.txt",
]


def write_awkward(data: Path) -> dict[str, int]:
    """One small report under each awkward name, each with a number only it holds."""
    data.mkdir(parents=True, exist_ok=True)
    markers = {}
    for number, name in enumerate(AWKWARD_NAMES):
        markers[name] = 640_001 + number
        lines = ["一、总体情况", f"2025年，全省网络文明建设取得新进展，处理违规直播间{markers[name]}个。"]
        (data / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return markers


def test_awkward_file_names_index_search_filter_update_and_delete(target: Target, tmp_path: Path) -> None:
    """Issue 32: one report named with " or \\ broke every search, update and stats of a Milvus
    Lite index (pymilvus's paging wrote the last file name into its filter unescaped), and removing
    the file did not help. Rows written before the fix are the same rows: such an index now opens."""
    data = tmp_path / "data"
    markers = write_awkward(data)
    location = target.location("awkward")
    summary = build(data, location)
    assert sorted(summary.added) == sorted(AWKWARD_NAMES) and not summary.skipped
    retriever = opened(location)
    assert retriever.store.problems() == [] and set(retriever.documents) == set(AWKWARD_NAMES)
    for name, marker in markers.items():
        for mode in ("lexical", "hybrid"):
            hits = retriever.search(f"处理违规直播间{marker}个", k=1, mode=mode)
            assert hits and hits[0].citation.file == name and str(marker) in hits[0].text, (name, mode)
        only = retriever.search("网络文明建设", k=10, filters=Filters(file=name), mode="dense")
        assert only and {hit.citation.file for hit in only} == {name}, name
        assert retriever.source_of_file(name).citation.file == name
    if target.milvus:  # every document row back through the paging scan, a few rows a page
        from qa.store.milvus.schema import _names, _scan

        store = retriever.store
        rows = _scan(store._client, _names(store._state.generation)[1], ["file"], batch=2)
        assert sorted(row["file"] for row in rows) == sorted(AWKWARD_NAMES)

    unchanged = build(data, location)
    assert sorted(unchanged.unchanged) == sorted(AWKWARD_NAMES) and unchanged.chunks_embedded == 0
    for name in ("x' or file != '.txt", 'y" or file != "z.txt', '黑龙江 "通报" \\ 副本.txt'):
        (data / name).unlink()
    removed = build(data, location)
    assert sorted(removed.removed) == sorted(
        ["x' or file != '.txt", 'y" or file != "z.txt', '黑龙江 "通报" \\ 副本.txt']
    )
    retriever = opened(location)
    kept = set(AWKWARD_NAMES) - set(removed.removed)
    assert retriever.store.problems() == [] and set(retriever.documents) == kept  # nothing else deleted
    assert {chunk.file for chunk in retriever.store} == kept
    for name, marker in markers.items():
        hits = retriever.search(f"处理违规直播间{marker}个", k=1, mode="lexical")
        assert (hits[0].citation.file == name) == (name in kept), name
    target.release(location)


# -- SIGKILL during an update ----------------------------------------------------------------------------

# Runs ``qa index`` (qa.cli.main) with the hashing encoder, SIGKILLing itself when the named function
# is called or returns for the n-th time (with the collection named, for Milvus's client calls).
RUNNER = """
import importlib, os, signal, sys
sys.path.insert(0, {root!r})
from tests.fakes import HashingEncoder
import qa.indexing
qa.indexing.load_encoder = lambda *args, **kwargs: HashingEncoder()
spec = os.environ.get("QA_TEST_KILL")
if spec:
    where, when, count, needle = spec.split("|")
    module_name, _, path = where.partition(":")
    owner = importlib.import_module(module_name)
    *parents, attribute = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, attribute)
    calls = [0]

    def wrapped(*args, **kwargs):
        matches = not needle or any(needle in str(arg) for arg in args[:2])
        if matches and when == "before":
            calls[0] += 1
            if calls[0] == int(count):
                os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if matches and when == "after":
            calls[0] += 1
            if calls[0] == int(count):
                os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, attribute, wrapped)
from qa.cli import main
sys.exit(main(sys.argv[1:]))
"""

MILVUS_KILLS = [
    "qa.store.milvus:MilvusWriter._journal|after|1|",  # the journal written, nothing else
    "qa.store.milvus:MilvusClient.insert|after|1|chunks",  # a document's new rows in, its record not
    "qa.store.milvus:MilvusClient.insert|after|1|sentences",  # its sentences' rows in too, its record not
    "qa.store.milvus:MilvusClient.upsert|after|1|documents",  # a record switched, its old rows still there
    "qa.store.milvus:MilvusClient.delete|after|1|chunks",  # old rows of one document deleted
    "qa.store.milvus:MilvusClient.delete|after|1|documents",  # a removed report's record gone, its rows not
    "qa.store.milvus:MilvusWriter._commit|before|1|",  # everything written, the vocabulary not switched
    "qa.store.milvus:MilvusClient.upsert|after|2|meta",  # during the commit
]
LOCAL_KILLS = [
    "qa.store.local:write_manifest|before|1|",  # a new generation written, not yet complete
    "qa.store.folder:IndexFolder.publish|after|1|",  # CURRENT swapped, the old generation not removed
]
NEW_REPORT = "新增 报告.txt"
NEW_LINES = ["一、总体情况", "2025年，全省处理违规直播间918273个，网络文明建设取得新进展。"]


def run_qa_index(data: Path, location: str, kill: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", RUNNER.format(root=str(ROOT)), "index", "--data", str(data), "--index",
               location, "--json"]  # fmt: skip
    environment = {**os.environ, "QA_TEST_KILL": kill or ""}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment, cwd=ROOT)


def chunk_texts(path: Path) -> list[str]:
    return sorted(chunk.text for chunk in chunk_document(load_document(path), ChunkingConfig()))


def check_each_document_old_or_new(location: str, versions: dict[str, list[list[str]]]) -> set[str]:
    """Every document in the index holds exactly the chunks of one version of its file; the names."""
    retriever = opened(location)
    by_file: dict[str, list[str]] = {}
    for chunk in retriever.store:
        by_file.setdefault(chunk.file, []).append(chunk.text)
    assert set(by_file) == set(retriever.documents)
    for name, texts in by_file.items():
        assert sorted(texts) in versions[name], f"{name} is neither wholly old nor wholly new"
        assert len(texts) == len(retriever.documents[name].chunk_ids)
    hits = retriever.search("湖北处理了多少个违规直播间？", k=5, mode="lexical")  # it answers
    assert hits and all(hit.citation.file in by_file for hit in hits)
    return set(by_file)


@pytest.mark.slow
def test_killed_updates_leave_each_document_old_or_new(target: Target, tmp_path: Path) -> None:
    data = make_data(tmp_path / "data")
    location = target.location("killed")
    build(data, location)
    old_versions = {path.name: chunk_texts(path) for path in data.iterdir()}
    report = data / GUIZHOU.name  # changed, one report deleted, one added
    report.write_text(report.read_text(encoding="utf-8") + "\n\n2025年，贵州新增网络文明志愿者918273名。\n", "utf-8")
    (data / HUBEI.name).unlink()
    (data / NEW_REPORT).write_text("\n".join(NEW_LINES) + "\n", encoding="utf-8")
    versions: dict[str, list[list[str]]] = {name: [texts] for name, texts in old_versions.items()}
    for path in data.iterdir():
        versions.setdefault(path.name, []).append(chunk_texts(path))

    kills = MILVUS_KILLS if target.milvus else LOCAL_KILLS
    seen: list[set[str]] = []
    left: list[bool] = []  # whether the kill left rows for the next update to repair
    for kill in kills:
        target.release(location)
        done = run_qa_index(data, location, kill)
        assert done.returncode == -signal.SIGKILL, (kill, done.returncode, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, done.stderr
        seen.append(check_each_document_old_or_new(location, versions))
        left.append(bool(opened(location).store.problems()))
    target.release(location)
    done = run_qa_index(data, location)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    retriever = opened(location)
    assert retriever.store.problems() == []
    assert set(retriever.documents) == {GUIZHOU.name, SICHUAN, NEW_REPORT}
    assert len(retriever.store) == retriever.manifest.chunk_count == summary["chunks_total"]
    assert check_each_document_old_or_new(location, {name: versions[name][-1:] for name in versions})
    hits = retriever.search("918273", k=5, mode="lexical")
    assert {hit.citation.file for hit in hits} == {GUIZHOU.name, NEW_REPORT}
    for mode in ("dense", "lexical", "hybrid"):
        assert all(hit.citation.file != HUBEI.name for hit in retriever.search("處理違規直播間5263個", k=50, mode=mode))
    assert any(HUBEI.name not in names for names in seen)  # some kills came after the report's removal
    assert any(left) or not target.milvus  # and some left partial documents to repair
    target.release(location)


# -- end to end with the real model: qa index, qa search, the UI's backend --------------------------------


def qa_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    qa = Path(sys.executable).with_name("qa")
    base = [str(qa)] if qa.exists() else [sys.executable, "-m", "qa.cli"]
    return subprocess.run([*base, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    return copy_samples(tmp_path_factory.mktemp("samples"))


@pytest.mark.slow
def test_qa_index_and_search_end_to_end(target: Target, samples: Path) -> None:
    if target.name == "local":
        pytest.skip("the local store's end-to-end run is tests/test_crash_safety.py and the README's")
    location = target.location("kb")
    target.release()
    indexed = qa_cli("index", "--data", str(samples), "--index", location, "--json")
    assert indexed.returncode == 0, indexed.stderr[-2000:]
    assert json.loads(indexed.stdout)["chunks_total"] > 20
    found = qa_cli("search", "湖北处理了多少个违规直播间？", "--index", location, "--json")
    assert found.returncode == 0, found.stderr[-2000:]
    first = json.loads(found.stdout)["passages"][0]  # qa search --json: the compact shape (qa/compact.py)
    assert "5263" in first["text"] and "湖北日報" in first["cite"], first
    stats = qa_cli("stats", "--index", location, "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["counts"]["documents"] == 2, stats.stderr

    from qa.web.backend import Backend  # the UI's backend on the same index

    backend = Backend(samples, location)
    result = backend.ask("湖北处理了多少个违规直播间？")
    assert "5263" in result.text and result.hits[0].citation.source == "湖北日報"
    target.release(location)
