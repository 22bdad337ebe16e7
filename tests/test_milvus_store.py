"""What is particular to the Milvus store: its BM25 equals the local store's, its locations, locks,
refusals and messages, and the switch to HNSW. The behaviour every store shares is in
tests/test_store_contract.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qa.chunking import ChunkingConfig, chunk_document
from qa.documents import load_document
from qa.errors import IndexBusy, IndexProblem
from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import index_exists, is_milvus, ocr_cache_dir, open_store
from qa.store.lexical import LexicalConfig, LexicalIndex
from qa.text import tokenize
from tests.conftest import GUIZHOU, HUBEI, ROOT, copy_samples
from tests.fakes import HashingEncoder
from tests.test_store_contract import CONFIG, milvus_server, write_sichuan  # noqa: F401

pytest.importorskip("pymilvus", reason="pip install 'report-qa[milvus]'")
from qa.store import milvus  # noqa: E402

QUERIES = ["湖北处理了多少个违规直播间", "网络文明 网络 文明 文明", "贵州", "直播间 5263", "量子"]


def sample_texts() -> list[str]:
    return [chunk.section[-1] + chunk.text for path in (GUIZHOU, HUBEI)
            for chunk in chunk_document(load_document(path), ChunkingConfig())] + [""]  # fmt: skip


@pytest.mark.parametrize("tokenizer", ["bigram", "jieba"])
def test_bm25_over_the_vocabulary_equals_the_local_index(tokenizer: str) -> None:
    texts = sample_texts()
    config = LexicalConfig(tokenizer=tokenizer)
    local = LexicalIndex.build(list(range(len(texts))), texts, config)
    vocabulary = milvus.Vocabulary({})
    tokens = [milvus.Vocabulary.tokens(text, tokenizer) for text in texts]
    for each in tokens:
        vocabulary.add(each)
    scorer = milvus.Scorer(milvus.Vocabulary.decode(vocabulary.encode()), config.k1, config.b)
    ids = np.arange(len(texts))
    for query in QUERIES:
        known = [token for token in tokenize(query, tokenizer) if token in vocabulary.frequencies]
        ours = [scorer.score(known, dict(zip(*np.unique(each, return_counts=True), strict=True)), len(each))
                for each in tokens]  # fmt: skip
        assert np.allclose(ours, local.scores(query, ids), rtol=1e-5, atol=1e-6), query


def test_vocabulary_counts_documents_in_and_out() -> None:
    vocabulary = milvus.Vocabulary({})
    vocabulary.add(["网络", "网络", "文明"])
    vocabulary.add(["网络"])
    assert (vocabulary.frequencies, vocabulary.chunks, vocabulary.length) == ({"网络": 2, "文明": 1}, 2, 4)
    vocabulary.add(["网络", "网络", "文明"], -1)
    assert (vocabulary.frequencies, vocabulary.chunks, vocabulary.length) == ({"网络": 1}, 1, 1)


def test_chunk_ids_are_stored_as_runs() -> None:
    ids = (5, 6, 7, 9, 20, 21)
    assert milvus._ranges(ids) == [[5, 8], [9, 10], [20, 22]]
    assert milvus._unranged(milvus._ranges(ids)) == ids


def test_locations(tmp_path: Path) -> None:
    assert is_milvus("kb.db") and is_milvus("http://127.0.0.1:19530") and is_milvus("https://milvus.example:443/db")
    assert not is_milvus(tmp_path / "index")
    assert ocr_cache_dir("kb.db") == Path("kb.db.ocr-cache")
    assert ocr_cache_dir("http://h:1") == Path.home() / ".cache" / "report-qa" / "ocr"
    with pytest.raises(IndexProblem, match=r"\$QA_MILVUS_TOKEN, not in the address"):
        milvus.Location.parse("http://root:secret@127.0.0.1:19530")
    missing = tmp_path / "nothing.db"
    with pytest.raises(IndexProblem, match="no index in .*qa index --index"):
        open_store(missing)
    assert not index_exists(missing) and not missing.exists()  # looking never makes one


def test_without_pymilvus_the_message_says_what_to_install(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['pymilvus'] = None\n"
        "from qa.store import open_store\n"
        f"open_store({str(tmp_path / 'kb.db')!r})\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode != 0 and "pip install 'report-qa[milvus]'" in done.stderr


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, str]:
    data = copy_samples(tmp_path / "data")
    location = str(tmp_path / "kb.db")
    update_index(data, location, config=CONFIG, encoder=HashingEncoder())
    yield data, location
    milvus.release(location)


def test_a_db_held_by_another_process_is_refused_with_the_way_out(small: tuple[Path, str]) -> None:
    _, location = small
    Retriever(location, encoder=HashingEncoder())  # this process holds it now
    qa = Path(sys.executable).with_name("qa")
    done = subprocess.run([str(qa), "stats", "--index", location], capture_output=True, text=True, timeout=120)
    assert done.returncode == IndexBusy.exit_code, done.stderr
    assert "open in another process" in done.stderr and "milvus-lite server" in done.stderr
    assert "Traceback" not in done.stderr


def hold_lock(path: str) -> subprocess.Popen[str]:
    script = (
        f"import filelock, time; lock = filelock.FileLock({path!r}); lock.acquire(); print('held', flush=True); "
        "time.sleep(120)"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_two_updates_of_a_db_are_kept_apart(small: tuple[Path, str]) -> None:
    data, location = small
    holder = hold_lock(f"{location}.lock")
    try:
        with pytest.raises(IndexBusy, match="another 'qa index' is updating"):
            update_index(data, location, config=CONFIG, encoder=HashingEncoder())
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert update_index(data, location, config=CONFIG, encoder=HashingEncoder()).chunks_embedded == 0


def test_two_updates_on_a_server_are_kept_apart(milvus_server: str, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv(milvus.TOKEN_ENV, "root:Milvus")  # milvus-lite accepts any token: the path is what is tested
    data = copy_samples(tmp_path / "data")
    location = f"{milvus_server}/lease_test"
    update_index(data, location, config=CONFIG, encoder=HashingEncoder())
    client = milvus.connect(milvus.Location.parse(location))
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        lease = {"owner": "other", "host": os.uname().nodename, "pid": sleeper.pid, "expires": time.time() + 60}
        client.upsert(milvus.META, [{"key": milvus.LOCK, "value": lease, "_v": milvus.DUMMY}])
        with pytest.raises(IndexBusy, match=f"another 'qa index' \\(pid {sleeper.pid}"):
            update_index(data, location, config=CONFIG, encoder=HashingEncoder())
    finally:
        sleeper.send_signal(signal.SIGKILL)
        sleeper.wait(timeout=10)
    # its process is gone: the lease is taken over at once, and given back after
    assert update_index(data, location, config=CONFIG, encoder=HashingEncoder()).chunks_embedded == 0
    assert milvus._read_key(client, milvus.LOCK) is None


def test_another_format_is_refused_and_rebuilt(small: tuple[Path, str]) -> None:
    data, location = small
    client = milvus.connect(milvus.Location.parse(location))
    settings = milvus._read_settings(client)
    settings["manifest"]["format_version"] = 0
    client.upsert(milvus.META, [{"key": milvus.SETTINGS, "value": settings, "_v": milvus.DUMMY}])
    with pytest.raises(IndexProblem, match=f"Rebuild it: qa index --rebuild --index {location}"):
        Retriever(location, encoder=HashingEncoder())
    summary = update_index(data, location, config=CONFIG, encoder=HashingEncoder(), rebuild=True)
    assert summary.chunks_embedded == summary.chunks_total
    assert Retriever(location, encoder=HashingEncoder()).store.problems() == []


def test_dense_index_switches_to_hnsw_past_the_threshold(small: tuple[Path, str], monkeypatch) -> None:
    import qa.store.dense
    from qa.retrieval import Filters

    data, location = small
    before = Retriever(location, encoder=HashingEncoder())
    assert before.manifest.dense_type == "flat"
    question, only = "湖北处理了多少个违规直播间？", Filters(file=HUBEI.name)
    expected = [hit.chunk_id for hit in before.search(question, k=3, mode="dense", filters=only)]
    monkeypatch.setattr(qa.store.dense, "HNSW_THRESHOLD", len(before.store) + 1)
    write_sichuan(data)
    update_index(data, location, config=CONFIG, encoder=HashingEncoder())
    after = Retriever(location, encoder=HashingEncoder())
    assert after.manifest.dense_type == "hnsw" and after.store.problems() == []
    assert [hit.chunk_id for hit in after.search(question, k=3, mode="dense", filters=only)] == expected


def test_an_interrupted_update_is_repaired_by_the_next(small: tuple[Path, str]) -> None:
    """Rows lost (a power cut before the write-ahead log reached the disk) and rows left over, with the
    journal saying an update was in flight: the next update finds both by counting, and ends sound."""
    data, location = small
    client = milvus.connect(milvus.Location.parse(location))
    store = Retriever(location, encoder=HashingEncoder()).store
    chunks = milvus._names(1)[0]
    client.delete(chunks, ids=[int(i) for i in store.ids_of([GUIZHOU.name])[:2]])  # a document lost two rows
    row = client.query(chunks, ids=[int(store.ids_of([HUBEI.name])[0])], output_fields=["*"])[0]
    row = {key: value for key, value in row.items() if key != "sparse"}
    client.insert(chunks, [{**row, "id": 10_000, "file": "gone.txt"}])  # and a row no record lists
    settings = milvus._read_settings(client)
    settings["pending"] = {"journal": 0, "since_id": settings["manifest"]["next_id"]}
    client.upsert(milvus.META, [{"key": milvus.SETTINGS, "value": settings, "_v": milvus.DUMMY}])
    summary = update_index(data, location, config=CONFIG, encoder=HashingEncoder())
    assert summary.added == [GUIZHOU.name]  # its broken record was dropped, so it was read again
    retriever = Retriever(location, encoder=HashingEncoder())
    assert retriever.store.problems() == [] and set(retriever.documents) == {GUIZHOU.name, HUBEI.name}
