"""Two ``qa index`` at once: the second stops with a clear message (exit status 3) or, with
``--wait``, waits its turn; the index is never corrupted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.retrieval import Retriever
from qa.store.folder import IndexFolder
from tests.conftest import GUIZHOU, HUBEI

pytestmark = pytest.mark.slow

QA = Path(sys.executable).with_name("qa")
BUSY = "another 'qa index' is updating"


def qa_command(*args: str | Path) -> list[str]:
    base = [str(QA)] if QA.exists() else [sys.executable, "-m", "qa.cli"]
    return [*base, *map(str, args)]


def start_index(data: Path, index: Path, *options: str) -> subprocess.Popen[str]:
    command = qa_command("index", "--data", data, "--index", index, "--json", *options)
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def finish(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return process.returncode, out, err


def holds_lock(process: subprocess.Popen[str], index: Path) -> bool:
    """Whether ``process`` holds the index's build lock (an flock, listed in /proc/locks)."""
    try:
        inode = (index / ".lock").stat().st_ino
    except FileNotFoundError:
        return False
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        is_flock = len(fields) >= 6 and fields[1] == "FLOCK"  # waiters' lines have "->" and differ
        if is_flock and fields[4] == str(process.pid) and fields[5].rsplit(":", 1)[-1] == str(inode):
            return True
    return False


def wait_for_lock(process: subprocess.Popen[str], index: Path, timeout: float = 120) -> None:
    if not Path("/proc/locks").exists():
        pytest.skip("no /proc/locks: cannot tell when the first qa index holds the lock")
    deadline = time.monotonic() + timeout
    while not holds_lock(process, index):
        assert process.poll() is None, "the first qa index finished before it was seen holding the lock"
        assert time.monotonic() < deadline, "the first qa index never took the lock"
        time.sleep(0.005)


def check_consistent(index: Path) -> Retriever:
    retriever = Retriever(index)
    assert retriever.store.problems() == []
    assert len(retriever.store) == retriever.manifest.chunk_count > 0
    current = IndexFolder(index).current()
    assert current is not None and [path.name for path in index.glob("gen-*")] == [current.name]
    return retriever


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for path in (GUIZHOU, HUBEI):
        shutil.copy(path, folder / path.name)
    return folder


def test_two_at_once_one_builds_and_the_other_stops_or_waits(tmp_path: Path, data: Path) -> None:
    index = tmp_path / "index"

    # Started together: one takes the lock and builds, the other stops at once with exit status 3.
    first, second = start_index(data, index), start_index(data, index)
    results = [finish(first), finish(second)]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 3], results
    built = next(out for code, out, _ in results if code == 0)
    assert sorted(json.loads(built)["added"]) == [GUIZHOU.name, HUBEI.name]
    _, out, err = next(result for result in results if result[0] == 3)
    assert not out and err.startswith("error: ") and BUSY in err and str(index) in err
    check_consistent(index)

    # A second one while an update runs: without --wait it stops; with --wait it waits, then finds
    # the first one's work done and has nothing left to do.
    # Long enough (about 60 chunks to embed) that the update still holds the lock when the next
    # command has started.
    paragraphs = [f"第{n}项：全省新建{n * 7 + 3}个网络文明实践站，覆盖{n * 13 + 5}个乡镇街道。" * 6 for n in range(60)]
    added = "一、总体情况\n全省处理违规直播间918273个，网络文明建设取得新进展。\n" + "\n".join(paragraphs) + "\n"
    (data / "新增.txt").write_text(added, encoding="utf-8")
    updating = start_index(data, index)
    wait_for_lock(updating, index)
    code, out, err = finish(start_index(data, index))
    assert (code, out) == (3, "") and BUSY in err
    waiting = start_index(data, index, "--wait", "300")
    code, out, err = finish(updating)
    assert code == 0 and json.loads(out)["added"] == ["新增.txt"], err
    code, out, err = finish(waiting)
    assert code == 0, err
    summary = json.loads(out)
    assert not summary["added"] and sorted(summary["unchanged"]) == sorted([GUIZHOU.name, HUBEI.name, "新增.txt"])
    retriever = check_consistent(index)
    assert retriever.search("918273", k=1, mode="lexical")[0].citation.file == "新增.txt"


def test_a_held_lock_stops_qa_index_or_makes_it_wait(tmp_path: Path) -> None:
    data, index = tmp_path / "data", tmp_path / "index"
    data.mkdir()
    (data / "小.txt").write_text("一、总体情况\n全省处理违规直播间5263个，网络文明建设取得新进展。\n", encoding="utf-8")
    lock = IndexFolder(index).lock()  # as a running build holds it
    try:
        code, out, err = finish(start_index(data, index))
        assert (code, out) == (3, "") and BUSY in err

        started = time.perf_counter()
        code, out, err = finish(start_index(data, index, "--wait", "1.5"))
        assert (code, out) == (3, "") and BUSY in err
        assert time.perf_counter() - started >= 1.5

        waiting = start_index(data, index, "--wait", "300")
        time.sleep(3)
        assert waiting.poll() is None, "qa index --wait did not wait for the lock"
        assert IndexFolder(index).current() is None
    finally:
        lock.release()
    code, out, err = finish(waiting)
    assert code == 0 and json.loads(out)["added"] == ["小.txt"], err
    check_consistent(index)


def test_a_reader_that_just_read_current_can_still_open_that_generation(tmp_path: Path) -> None:
    from qa.store.folder import read_chunks
    from qa.store.manifest import read_manifest

    data, index = tmp_path / "data", tmp_path / "index"
    data.mkdir()
    (data / "一.txt").write_text("一、总体情况\n全省处理违规直播间5263个，网络文明建设取得新进展。\n", encoding="utf-8")
    assert finish(start_index(data, index))[0] == 0
    read_before_the_swap = IndexFolder(index).current()  # Retriever._load's first step
    assert read_before_the_swap is not None
    (data / "二.txt").write_text("一、总体情况\n全省开展网络文明宣传活动1.9万余次。\n", encoding="utf-8")
    assert finish(start_index(data, index))[0] == 0  # an update publishes meanwhile
    assert IndexFolder(index).current() != read_before_the_swap
    read_manifest(read_before_the_swap)  # ... and its next steps, on the generation it read
    read_chunks(read_before_the_swap)
