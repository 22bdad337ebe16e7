"""The page opens at once over what is indexed and indexes the rest in the background, a few reports at a
time, with its progress (reports, stage, rate, time left) on the page and at the /indexing endpoint."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from qa.store import index_exists
from qa.web import Backend
from qa.web.backend import pending_batches
from tests.conftest import GUIZHOU, HUBEI, copy_samples, free_port
from tests.corpus import write_corpus

pytestmark = pytest.mark.slow  # the real model, or a real server


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The samples at the top, four provinces' reports and three national ones in subfolders, as data/ ships."""
    folder = copy_samples(tmp_path / "data")
    write_corpus(folder / "provinces", national=False)
    write_corpus(folder / "national", provinces=False)
    return folder


def test_batches_put_the_top_first_then_the_smallest_folder_newest_first(data: Path, tmp_path: Path) -> None:
    batches, total = pending_batches(data, tmp_path / "index", size=2)
    assert total == 9
    assert sorted(batches[0]) == sorted([GUIZHOU.name, HUBEI.name])
    national = [name for batch in batches for name in batch if name.startswith("national/")]
    assert national == ["national/2012年国务院政府工作报告.txt", "national/2011年国务院政府工作报告.txt",
                        "national/2010年国务院政府工作报告.txt"]  # fmt: skip
    assert all(len(batch) <= 2 for batch in batches) and sum(len(batch) for batch in batches) == 9
    assert all(name.startswith("national/") for name in batches[1])  # 3 small files before 4 larger ones


def test_background_indexing_answers_from_the_first_reports_while_it_adds_the_rest(data: Path, tmp_path: Path) -> None:
    backend = Backend(data, tmp_path / "index")
    assert backend.index_in_background(batch=2) is not None
    assert backend.index_in_background(batch=2) is None  # one at a time
    seen: list = []
    answered_early = None
    deadline = time.monotonic() + 300
    while backend.indexing_status().running and time.monotonic() < deadline:
        status = backend.indexing_status()
        if not seen or status != seen[-1]:
            seen.append(status)
        if answered_early is None and 0 < status.reports_indexed < 9:
            answered_early = backend.ask("湖北处理了多少个违规直播间？", 3)
        time.sleep(0.05)
    final = backend.indexing_status()
    assert not final.running and final.error is None
    assert final.reports_indexed == final.reports_total == 9 and final.batches_done == 5
    counts = sorted({status.reports_indexed for status in seen})
    assert counts[:2] == [0, 2] and len(counts) >= 4  # the samples first, then the rest batch after batch
    running = [status for status in seen if status.running and status.event is not None]
    assert any("Indexing in the background" in status.describe() and "/9" in status.describe() for status in running)
    assert any(status.event.stage == "embedding" and "chunks" in status.describe() for status in running)
    assert answered_early is not None and answered_early.found and "5263" in answered_early.text
    assert "Index: 9 份报告 reports" in final.describe()
    assert backend.ask("2011年国内生产总值增长目标是多少？", 3).found
    again = backend.index_in_background(batch=2)  # nothing new: one quick look, nothing embedded
    assert again is not None
    again.join(60)
    assert backend.indexing_status().reports_indexed == 9 and not backend.indexing_status().running


def test_the_page_opens_before_the_index_exists_and_reports_its_progress(data: Path, tmp_path: Path) -> None:
    from gradio_client import Client

    from qa.web import launch

    index = tmp_path / "index"
    port = free_port()
    app = launch(data_dir=data, index_dir=index, port=port, block=False, mcp=False)
    try:
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "qa-indexing" in page or "报告问答" in page
        assert not index_exists(index)  # served before the first report was in
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        status = client.predict(api_name="/indexing")
        assert status["running"] and status["reports_total"] == 9
        deadline = time.monotonic() + 300
        while status["running"] and time.monotonic() < deadline:
            time.sleep(0.5)
            status = client.predict(api_name="/indexing")
        assert status["reports_indexed"] == 9 and "Index: 9" in status["message"]
        answered = client.predict("湖北处理了多少个违规直播间？", 3, "", "", "", api_name="/ask")
        assert "5263" in answered["answer"]
    finally:
        app.close()
