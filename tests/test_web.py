"""The web UI's backend, rendering and named API endpoints (gradio_client against a live server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.web import Backend, highlight, passages_html, safe_file_name
from tests.conftest import GUIZHOU, HUBEI, copy_samples, free_port

pytestmark = pytest.mark.slow  # the real model, or a real server

DIGITAL_VILLAGES = "2025年数字乡村建设报告\n一、总体情况\n全省建成数字乡村示范点417个，培育农村电商带头人8236名。\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = copy_samples(tmp_path / "data")
    return folder


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\evil.docx", "evil.docx"),
        ("报告 2025 🎉.docx", "报告 2025 _.docx"),
        ("\x00\x1fname.pdf", "name.pdf"),
        ("...", "upload"),
    ],
)
def test_upload_names_are_sanitised(raw: str, safe: str) -> None:
    assert safe_file_name(raw) == safe


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    """Issue 32: a name cut at 120 characters lost its extension and the upload was refused."""
    for name in ("湖北省网络文明建设工作报告" * 20 + ".docx", "report " * 40 + ".pdf", "名" * 300 + ".txt"):
        safe = safe_file_name(name)
        assert safe.endswith(Path(name).suffix) and len(safe) <= 120 and len(safe.encode()) <= 240, safe
        assert safe[: len(safe) - len(Path(name).suffix)] in name
    assert safe_file_name("a." + "x" * 200).endswith("x")  # no extension to keep: cut like any name


def test_a_file_that_cannot_be_read_is_listed_with_its_reason_and_can_be_removed(data: Path, tmp_path: Path) -> None:
    """Issue 32: a file that could not be read was reported as uploaded, stayed in data/, and the
    Remove list offered only indexed reports."""
    backend = Backend(data, tmp_path / "index")
    backend.ensure_index()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    broken = incoming / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a Word file")
    summary, messages = backend.upload_and_update([broken])
    assert [item["file"] for item in summary.skipped] == ["broken.docx"]
    assert "cannot be read" in messages[0] and "truncated or corrupt .docx" in messages[0]
    assert backend.failed_files() == [["broken.docx", summary.skipped[0]["reason"]]]
    assert "broken.docx" in backend.removable() and GUIZHOU.name in backend.removable()
    assert "removed" in backend.remove("broken.docx")
    assert backend.failed_files() == [] and not (data / "broken.docx").exists()


def test_downloads_are_bounded_and_one_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 32: every answer and every source click left a new folder in the temporary directory.
    A page's exports replace its last ones; the same content is the same file; past the bound the
    oldest go."""
    import qa.web.backend

    backend = Backend(tmp_path / "data", tmp_path / "index", downloads=tmp_path / "downloads")
    first = backend._download("conversation.md", b"one", "page-1")
    second = backend._download("conversation.md", b"two", "page-1")
    assert not first.exists() and second.read_bytes() == b"two"
    assert backend._download("report.txt", b"same") == backend._download("report.txt", b"same")
    assert len(list((tmp_path / "downloads").iterdir())) == 2  # page-1's export and the report
    monkeypatch.setattr(qa.web.backend, "MAX_DOWNLOADS", 5)
    for number in range(20):
        backend._download("report.txt", f"report {number}".encode())
    assert len(list((tmp_path / "downloads").iterdir())) == 5
    assert backend._download("report.txt", b"report 19").read_bytes() == b"report 19"  # the newest kept


def test_upload_checks_type_size_and_never_overwrites(data: Path, tmp_path: Path) -> None:
    backend = Backend(data, tmp_path / "index")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    script = incoming / "evil.sh"
    script.write_text("rm -rf /")
    assert "unsupported type" in backend.upload([script])[0]
    same = incoming / GUIZHOU.name
    shutil.copy(GUIZHOU, same)
    assert "already in the library" in backend.upload([same])[0]
    different = incoming / GUIZHOU.name
    different.write_text("另一份报告。\n内容不同。", encoding="utf-8")
    message = backend.upload([different])[0]
    assert "uploaded" in message and (data / "guizhou-2022-online-civility (2).txt").exists()
    assert (data / GUIZHOU.name).read_bytes() == GUIZHOU.read_bytes()
    big = incoming / "big.txt"
    big.write_bytes(b"a" * (21 * 1024 * 1024))
    assert "too large" in backend.upload([big])[0]
    assert not (data / "big.txt").exists()


def test_remove_only_touches_files_in_the_library(data: Path, tmp_path: Path) -> None:
    backend = Backend(data, tmp_path / "index")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    assert "not in the library" in backend.remove("../outside.txt")
    assert outside.exists()


def test_report_text_is_escaped_wherever_it_is_rendered() -> None:
    rendered = highlight("<script>alert(1)</script><img src=x onerror=alert(2)>违规直播间", [(0, 8)], "违规直播间")
    assert "<script>" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;" in rendered and "&lt;img src=x onerror=alert(2)&gt;" in rendered
    assert "<b class='qa-term'>违规直播间</b>" in rendered


def test_passages_show_title_section_date_source_region(data: Path, tmp_path: Path) -> None:
    backend = Backend(data, tmp_path / "index")
    backend.ensure_index()
    result = backend.ask("湖北处理了多少个违规直播间？", 3)
    page = passages_html(result)
    for text in ("湖北:網聚文明力量 締造美好生活", "網絡空間愈發天朗氣清——", "2024-05-28", "湖北日報", "湖北",
                 "<mark class='qa-answer'>"):  # fmt: skip
        assert text in page
    assert "5263" in page


def test_named_api_endpoints_answer_list_and_update(data: Path, tmp_path: Path) -> None:
    from gradio_client import Client

    from qa.web import launch

    Backend(data, tmp_path / "index").ensure_index()  # the page indexes in the background (test_web_indexing)
    port = free_port()
    app = launch(data_dir=data, index_dir=tmp_path / "index", port=port, block=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        result = client.predict("湖北处理了多少个违规直播间？", 3, "", "", "", api_name="/ask")
        assert result["found"] and "5263" in result["answer"] and "[1]" in result["answer"]
        assert result["hits"][0]["citation"]["source"] == "湖北日報"
        english = client.predict("How many online civility activities did Guizhou hold in 2022?", api_name="/ask")
        assert "1.9万余次" in english["answer"]
        empty = client.predict("   ", api_name="/ask")
        assert empty["found"] is False and "empty" in empty["error"]
        listed = client.predict(api_name="/documents")
        assert {row["file"] for row in listed} == {GUIZHOU.name, HUBEI.name}
        assert all("%" in row["kept"] for row in listed)  # the share of what was read that was kept
        (data / "数字乡村.txt").write_text(DIGITAL_VILLAGES, encoding="utf-8")
        summary = client.predict(api_name="/update")
        assert summary["added"] == ["数字乡村.txt"]
        answered = client.predict("培育了多少名农村电商带头人？", 3, "", "", "", api_name="/ask")
        assert "8236" in answered["answer"] and answered["hits"][0]["citation"]["file"] == "数字乡村.txt"
        follow = client.predict("那贵州呢？", 3, "", "", "", ["湖北处理了多少个违规直播间？"], api_name="/ask")
        assert follow["resolved_question"] == "贵州处理了多少个违规直播间？" and follow["rows"] == []
        assert all(hit["citation"]["region"] != "湖北" for hit in follow["hits"][: len(follow["sentences"])])
        source = client.predict(result["hits"][0]["chunk_id"], api_name="/source")
        assert source["text"][source["start"] : source["end"]] == result["hits"][0]["text"]
        assert source["citation"]["source"] == "湖北日報" and "5263" in source["passage"]
        whole = client.predict(None, HUBEI.name, api_name="/source")
        assert whole["citation"]["file"] == HUBEI.name and "error" not in whole
        for refused in ("../README.md", "/etc/passwd", "notes.txt"):
            assert "not a report of the index" in client.predict(None, refused, api_name="/source")["error"]
    finally:
        app.close()


def test_the_app_listens_where_gradio_s_own_variables_say(data: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.conftest import ROOT

    port = free_port()
    environment = {**os.environ, "GRADIO_SERVER_PORT": str(port)}
    command = [sys.executable, str(ROOT / "app.py"), "--data", str(data), "--index", str(tmp_path / "index")]
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                time.sleep(1)
        else:
            raise AssertionError(f"nothing listened on {port}")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_refuses_to_listen_beyond_loopback_without_login(data: Path, tmp_path: Path) -> None:
    from qa.errors import IndexProblem
    from qa.web import launch

    with pytest.raises(IndexProblem, match="--auth"):
        launch(data_dir=data, index_dir=tmp_path / "index", host="0.0.0.0", block=False)


def test_an_uploaded_gwr_report_is_answerable_at_once_and_gone_after_removal(data: Path, tmp_path: Path) -> None:
    from tests.conftest import shared_path

    report = shared_path("corpora", "gwr2025", "2025年西藏政府工作报告.docx")
    backend = Backend(data, tmp_path / "index")
    backend.ensure_index()
    question = "西藏2024年粮食产量是多少？"
    assert not backend.ask(question).found  # the samples do not answer it
    assert "uploaded" in backend.upload([report])[0]
    summary = backend.update()
    assert summary.added == [report.name]
    result = backend.ask(question)
    assert result.found and "粮食产量突破110万吨" in result.text
    assert result.hits[0].citation.region == "西藏" and result.hits[0].citation.date == "2025-01-19"
    assert report.name in [row[-1] for row in backend.documents()]
    assert "removed" in backend.remove(report.name)
    after = backend.ask(question)
    assert all(hit.citation.file != report.name for hit in after.hits) and not after.found


def test_thirty_answers_and_source_clicks_leave_no_growth(data: Path, tmp_path: Path) -> None:
    """What the page does for each answer (its conversation's export) and each source click (the
    report's original to download), thirty times over: the downloads folder does not grow."""
    backend = Backend(data, tmp_path / "index", downloads=tmp_path / "downloads")
    backend.ensure_index()
    questions = ["湖北处理了多少个违规直播间？", "贵州开展了多少次网络文明建设活动？", "湖北如何建立评估指标体系？"]

    def entries() -> int:
        return sum(1 for _ in (tmp_path / "downloads").rglob("*"))

    answered = []
    counts = []
    for number in range(31):
        result = backend.ask(questions[number % 3])
        answered.append(result)
        backend.export_conversation(answered, owner="page-1")
        backend.original(backend.source(result.hits[0].chunk_id).citation.file)
        counts.append(entries())
    assert counts[-1] == counts[2], counts  # after both reports were opened once: no growth


def test_markdown_and_bare_links_in_report_text_stay_text() -> None:
    from qa.web.render import plain

    planted = (
        "详见[官方通报](http://evil.cn/x)与![图](http://evil.cn/p.png)，www.evil.cn、a@evil.cn、<a href=x>y</a>。[2]"
    )
    shown = plain(planted)
    for syntax in ("[官方通报]", "](http", "![", "http://", "www.evil", "@evil", "<a"):
        assert syntax not in shown, syntax
    assert shown.endswith("[2]")  # the answer's own markers stay markers
    import html

    assert html.unescape(shown) == planted  # and it reads as the report wrote it
