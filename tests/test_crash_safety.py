"""``qa index`` killed with SIGKILL at many points, building from scratch and updating: the index
in use before the kill still opens and answers, and the next ``qa index`` finishes with dense,
lexical and chunk-store counts equal to the manifest's."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.chunking import ChunkingConfig, chunk_document
from qa.documents import load_document
from qa.embedding import load_encoder
from qa.errors import IndexProblem
from qa.retrieval import Retriever
from qa.store.folder import IndexFolder
from tests.conftest import GUIZHOU, HUBEI

pytestmark = pytest.mark.slow

QA = Path(sys.executable).with_name("qa")
SEED = int(os.environ.get("QA_CRASH_SEED", "20250118"))
NEW_REPORT = "新增 报告.txt"
NEW_LINES = ["一、总体情况", "2025年，全省处理违规直播间918273个，网络文明建设取得新进展。"]


def qa_command(*args: str | Path) -> list[str]:
    base = [str(QA)] if QA.exists() else [sys.executable, "-m", "qa.cli"]
    return [*base, *map(str, args)]


def start_index(data: Path, index: Path) -> subprocess.Popen[bytes]:
    command = qa_command("index", "--data", data, "--index", index, "--json")
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[bytes], timeout: float = 300) -> tuple[int, dict]:
    out, err = process.communicate(timeout=timeout)
    assert b"Traceback" not in err, err.decode("utf-8", "replace")
    return process.returncode, json.loads(out) if out.strip() else {}


def run_index(data: Path, index: Path) -> tuple[int, dict, float]:
    started = time.perf_counter()
    code, summary = finish(start_index(data, index))
    return code, summary, time.perf_counter() - started


def kill_after(data: Path, index: Path, delay: float) -> bool:
    """Start ``qa index`` and SIGKILL it after ``delay`` seconds; False if it had finished first."""
    process = start_index(data, index)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.communicate()
        return True
    finish(process)
    return False


def kill_when(data: Path, index: Path, happened, timeout: float = 300) -> tuple[bool, float]:
    """Start ``qa index`` and SIGKILL it as soon as ``happened()``: (whether it was killed rather
    than finished first, seconds it ran)."""
    started = time.perf_counter()
    process = start_index(data, index)
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if happened():
            process.send_signal(signal.SIGKILL)
            process.communicate()
            return True, time.perf_counter() - started
        time.sleep(0.001)
    finish(process)
    return False, time.perf_counter() - started


def generations(index: Path) -> set[tuple[str, int]]:
    found = set()
    for path in index.glob("gen-*"):
        with contextlib.suppress(FileNotFoundError):  # being removed right now
            found.add((path.name, path.stat().st_ino))
    return found


def kill_while_writing(data: Path, index: Path) -> tuple[bool, float]:
    """Kill the moment a new generation folder appears: mid-write, before the swap."""
    before = generations(index)
    return kill_when(data, index, lambda: bool(generations(index) - before))


def current_name(index: Path) -> str | None:
    try:
        return (index / "CURRENT").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def kill_after_swap(data: Path, index: Path) -> tuple[bool, float]:
    """Kill the moment CURRENT names the new generation: while the old one is being removed."""
    before = current_name(index)
    return kill_when(data, index, lambda: current_name(index) not in (before, ""))


def delays(total: float, count: int, rng: random.Random) -> list[float]:
    """``count`` random delays spread over 0.05 s .. 90 % of ``total`` (one in each equal slice);
    the last moments, writing and swapping, get kills of their own."""
    width = (0.9 * total - 0.05) / count
    return [0.05 + width * (slot + rng.random()) for slot in range(count)]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


def check_consistent(index: Path, encoder) -> Retriever:
    retriever = Retriever(index, encoder=encoder)
    assert retriever.store.problems() == []
    assert len(retriever.store) == retriever.manifest.chunk_count
    return retriever


def check_answers(index: Path, encoder, mode: str = "lexical") -> Retriever:
    """The index opens, is consistent and answers (lexically unless asked: the encoder is slow on
    a busy machine, and the dense side's consistency is checked through its ids)."""
    retriever = check_consistent(index, encoder)
    hits = retriever.search("湖北处理了多少个违规直播间？", k=3, mode=mode)
    assert hits and any("5263" in hit.text for hit in hits)
    return retriever


def only_one_generation(index: Path) -> None:
    current = IndexFolder(index).current()
    assert current is not None
    assert [path.name for path in index.glob("gen-*")] == [current.name]


def test_killed_builds_and_updates_never_break_the_index(tmp_path: Path, encoder) -> None:
    rng = random.Random(SEED)
    data = tmp_path / "data"
    data.mkdir()
    for path in (GUIZHOU, HUBEI):
        shutil.copy(path, data / path.name)

    expected_texts = sorted(
        chunk.text for path in (GUIZHOU, HUBEI) for chunk in chunk_document(load_document(path), ChunkingConfig())
    )

    # From scratch. First killed just as it writes its files: that also times a whole build, over
    # which the random kills are spread. Before anything is published there is no index, and it says so.
    index = tmp_path / "index"
    killed, build_seconds = kill_while_writing(data, index)
    kills = int(killed)
    assert IndexFolder(index).current() is None
    for delay in delays(build_seconds, 3, rng):
        kills += kill_after(data, index, delay)
        if IndexFolder(index).current() is None:
            with pytest.raises(IndexProblem, match="no index in"):
                Retriever(index, encoder=encoder)
        else:
            check_answers(index, encoder)
    code, summary, _ = run_index(data, index)
    assert code == 0, summary
    retriever = check_answers(index, encoder, mode="hybrid")
    assert sorted(chunk.text for chunk in retriever.store) == expected_texts
    only_one_generation(index)

    # An update (a report added): the index in use before each kill still opens and answers.
    (data / NEW_REPORT).write_bytes("\n".join(NEW_LINES).encode("utf-8"))
    old_documents = set(retriever.documents)
    killed, update_seconds = kill_while_writing(data, index)
    kills += killed
    assert set(check_answers(index, encoder).documents) == old_documents  # killed before the swap
    for delay in delays(update_seconds, 2, rng):
        kills += kill_after(data, index, delay)
        assert set(check_answers(index, encoder).documents) == old_documents
    killed, _ = kill_after_swap(data, index)
    kills += killed
    assert set(check_answers(index, encoder).documents) == old_documents | {NEW_REPORT}  # killed after it

    code, summary, _ = run_index(data, index)
    assert code == 0 and not summary["added"], summary  # the update was already in
    retriever = check_answers(index, encoder, mode="hybrid")
    assert set(retriever.documents) == old_documents | {NEW_REPORT}
    hits = retriever.search("918273", k=1, mode="lexical")
    assert hits and hits[0].citation.file == NEW_REPORT
    only_one_generation(index)
    print(f"build {build_seconds:.1f} s, update {update_seconds:.1f} s, {kills} of 8 runs killed (seed {SEED})")
    assert kills >= 7, f"only {kills} of the 8 runs were killed before they finished"
