"""Retention, visible: ``qa chunk`` prints what was read, kept and removed (each removed line with
its reason), ``qa index --json`` gives each document's counts and ``qa index`` names a file that
keeps under 95 % of what it read; the manifest records the counts (older manifests still load)
and the Documents tab shows the share kept."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from qa.chunking import chunk_document
from qa.cli import show
from qa.documents import load_document
from qa.store.manifest import DocumentEntry
from tests.conftest import HUBEI

# A news page saved as text, most of which is a "recommended reading" block.
LEFTOVERS = (
    "全省网络文明建设推进会召开\n"
    "2024年05月28日08:54 | 来源：湖北日报\n"
    "5月27日，全省网络文明建设推进会召开，会议总结了2023年全省网络文明建设工作，部署了今年的重点任务。"
    "会议要求，各地各部门要坚持以习近平新时代中国特色社会主义思想为指导，持续深化网络文明建设。\n"
    "推荐阅读\n"
    "湖北省高校毕业生等青年就业创业工作视频会议召开，省政府召开全省高校毕业生等青年就业创业工作视频会议\n"
    "全省春季农业生产暨高标准农田建设现场推进会在荆州召开，会议强调抓好春耕备耕各项工作\n"
    "湖北省第十四届人民代表大会常务委员会第九次会议在武汉举行，审议多项地方性法规草案\n"
)


def test_qa_chunk_prints_what_was_kept_and_why_each_line_was_removed() -> None:
    document = load_document(HUBEI)
    chunks = chunk_document(document)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        show.print_document(document, chunks, {})
    output = printed.getvalue()
    assert f"read {document.retention.read:,} characters" in output
    assert "小字號  (web page navigation)" in output and "推薦閱讀  (related-reading block of a web page)" in output
    record = json.loads(json.dumps(show.chunked_json(HUBEI.name, document, chunks, {}), ensure_ascii=False))
    kept = record["document"]["retention"]
    assert kept["chars_read"] == kept["chars_kept"] + kept["chars_metadata"] + kept["chars_removed"]
    assert {"text": "小字號", "reason": "web page navigation", "page": None} in record["document"]["removed"]


def test_qa_index_names_a_file_that_keeps_under_95_percent(tmp_path: Path) -> None:
    from qa.indexing import IndexConfig, update_index
    from tests.fakes import HashingEncoder

    data = tmp_path / "data"
    data.mkdir()
    (data / "news.txt").write_text(LEFTOVERS, encoding="utf-8")
    report = "一、总体情况\n全省网络文明建设取得新进展，处理违规直播间5263个。\n"
    (data / "report.txt").write_text(report, encoding="utf-8")
    summary = update_index(data, tmp_path / "index", config=IndexConfig(model=HashingEncoder.name),
                           encoder=HashingEncoder())  # fmt: skip
    record = json.loads(json.dumps(summary.to_dict(), ensure_ascii=False))  # what qa index --json prints
    assert record["retention"]["news.txt"]["low"] and not record["retention"]["report.txt"]["low"]
    assert record["retention"]["news.txt"]["removed_by_reason"] == {"related-reading block of a web page": 4}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        show.print_summary(summary)
    output = printed.getvalue()
    assert "1 files keep under 95% of the characters read" in output and "news.txt" in output
    assert "report.txt" not in output.split("keep under 95%")[1]

    from qa.retrieval import Retriever
    from qa.web.backend import _kept

    entries = Retriever(tmp_path / "index", encoder=HashingEncoder()).documents
    assert entries["news.txt"].chars_read == record["retention"]["news.txt"]["chars_read"]
    assert _kept(entries["report.txt"]) == "100.0%" and _kept(entries["news.txt"]).endswith("⚠")


def test_a_manifest_from_before_the_counts_still_loads() -> None:
    old = {"sha256": "ab", "title": "t", "chunk_ids": [1, 2], "level": "provincial", "text_sha256": "cd"}
    entry = DocumentEntry.from_json(old)
    assert entry.chars_read is None and entry.kept_share is None and entry.described
    from qa.web.backend import _kept

    assert _kept(entry) == ""
    counted = DocumentEntry("ab", "t", chars_read=200, chars_kept=190)
    assert DocumentEntry.from_json(counted.to_json()).kept_share == 0.95
