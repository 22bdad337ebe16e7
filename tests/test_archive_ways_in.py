"""Questions about the archive over time on every way in: the page's chat and panel (chart, years
that open their sentences), the CLI, the MCP tools (their functions here; the live server through
the mcp client below, slow), and the evaluator's scoring of them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qa.answer import answer
from qa.evaluation.archive import (
    ArchiveQuestion,
    archive_lines,
    score_first_mention,
    score_target_result,
    score_timeline,
    summarise_archive,
)
from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import IndexConfig
from qa.web import Backend
from qa.web.render import answer_markdown
from qa.web.series import nice_ticks, series_html
from tests.conftest import ROOT, free_port
from tests.corpus import write_corpus
from tests.fakes import HashingEncoder
from tests.test_cli_chat import CHAT_WITH_THE_TEST_ENCODER

TARGETS = "2010年到2011年国内生产总值增长目标和实际分别是多少？"
TIMELINE = "城镇登记失业率在历年政府工作报告中出现了多少次？"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("ways")
    data = write_corpus(root / "data")
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return data, root / "index"


@pytest.fixture(scope="module")
def retriever(folders: tuple[Path, Path]) -> Retriever:
    return Retriever(folders[1], encoder=HashingEncoder())


def test_the_page_shows_a_chart_whose_years_open_their_sentences(retriever: Retriever) -> None:
    result = answer(TARGETS, retriever=retriever)
    panel = series_html(result)
    assert panel.count("<svg") == 1 and "目标 target" in panel and "实际 result" in panel
    years = re.findall(r"href='#(qa-year-[^']+)'", panel)
    assert len(set(years)) == 2 and all(f"id='{year}'" in panel for year in set(years))  # each opens a panel
    for comparison in result.comparisons:  # each panel quotes both sides, its figure marked, linked to its passage
        assert comparison.target and comparison.result
        for side in (comparison.target, comparison.result):
            chunk = result.hits[side.marker - 1].chunk_id
            assert (
                f"href='#qa-source-{chunk}'" in panel and f"<mark class='qa-answer'>{side.figure_span}</mark>" in panel
            )
    reply = answer_markdown(result)
    assert "| 2010 | 8%左右 <a class='qa-cite'" in reply and "达成 met" in reply
    assert series_html(answer("北京2025年经济增长目标是多少？", retriever=retriever)) == ""  # other kinds: no panel

    counted = answer(TIMELINE, retriever=retriever)
    panel = series_html(counted)
    assert (
        "共 3 次" in panel and panel.count("<circle") == 3 and panel.count("<b class='qa-term'>城镇登记失业率</b>") == 3
    )
    assert nice_ticks(0, 8.91) == [0, 2.5, 5.0, 7.5, 10.0]


def test_the_cli_prints_the_table_and_each_citation(folders: tuple[Path, Path]) -> None:
    command = [sys.executable, "-c", CHAT_WITH_THE_TEST_ENCODER, "ask", TARGETS, "--index", str(folders[1])]
    printed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert any(re.match(r"\s+2010\s+8%左右 \[1\]\s+10\.3% \[2\]\s+\+2\.3 个百分点\s+达成 met", line) for line in lines)
    assert any(line.startswith("[2] 2011年国务院政府工作报告") for line in lines)
    assert (
        "    过去一年，我国经济社会发展取得显著成就，国内生产总值增长10.3%，财政收入稳定增长，人民生活继续改善。"
        in lines
    )
    lines_in = f"{TARGETS}\n居民消费价格呢？\n城镇登记失业率最早出现在哪一年的报告？\n"
    command = [sys.executable, "-c", CHAT_WITH_THE_TEST_ENCODER, "chat", "--index", str(folders[1]), "--json"]
    chat = subprocess.run(command, input=lines_in, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert chat.returncode == 0, chat.stderr
    answers = [json.loads(line) for line in chat.stdout.splitlines()]
    assert [item["kind"] for item in answers] == ["target_result", "target_result", "first_mention"]
    assert answers[0]["comparisons"][0]["verdict"] == "met"
    assert answers[1]["understood_as"].startswith("2010年到2011年居民消费价格")
    assert answers[2]["mentions"]["first"]["year"] == 2010 and answers[2]["mentions"]["earlier_reports_checked"] == 0


def test_the_mcp_tool_answers_with_the_comparisons_and_the_mentions(folders: tuple[Path, Path]) -> None:
    from qa.web.mcp import make_tools

    ask_reports = next(tool for tool in make_tools(Backend(*folders)) if tool.__name__ == "ask_reports")
    targets = json.loads(ask_reports(TARGETS))
    assert targets["kind"] == "target_result" and len(targets["comparisons"]) == 2
    row = targets["comparisons"][0]
    assert (row["target"]["text"], row["result"]["value"], row["verdict"]) == ("8%左右", 10.3, "met")
    assert "2011年国务院政府工作报告" in targets["passages"][row["result"]["marker"] - 1]["cite"]
    cited = json.loads(ask_reports(TARGETS, fields=["citation"]))["passages"][row["result"]["marker"] - 1]
    assert cited["citation"]["file"] == "2011年国务院政府工作报告.txt"
    follow = json.loads(ask_reports("那2011年呢？", history=["2010年国内生产总值增长目标完成了吗？"]))
    assert (
        follow["understood_as"] == "2011年国内生产总值增长目标完成了吗？"
        and follow["comparisons"][0]["year"] == 2011
    )
    counted = json.loads(ask_reports(TIMELINE))
    assert counted["kind"] == "timeline" and counted["mentions"]["counts"] == {"2010": 1, "2011": 1, "2012": 1}


def _question(kind: str, record: dict) -> ArchiveQuestion:
    return ArchiveQuestion("a900", kind, record["question"], "zh-Hans", record["corpus"], record)


def test_the_evaluator_judges_rows_first_mentions_and_timelines(retriever: Retriever) -> None:
    side = {
        "year": 2010,
        "file": "2010年国务院政府工作报告.txt",
        "answer": "国内生产总值增长8%左右",
        "value": 8,
        "unit": "%",
        "qualifier": "左右",
    }
    result_side = {**side, "file": "2011年国务院政府工作报告.txt", "value": 10.3, "qualifier": None}
    record = {
        "question": "2010年国内生产总值增长目标完成了吗？",
        "corpus": "national",
        "indicator": "gdp",
        "rows": [{"region": "全国", "year": 2010, "target": side, "result": result_side, "verdict": "met"}],
    }
    result = answer(record["question"], retriever=retriever)
    assert score_target_result(_question("target_result", record), result)["rows"][0]["right"]
    wrong = {**record, "rows": [{**record["rows"][0], "result": {**result_side, "value": 10.4}}]}
    assert not score_target_result(_question("target_result", wrong), result)["rows"][0]["right"]
    misjudged = {**record, "rows": [{**record["rows"][0], "verdict": "missed"}]}
    assert not score_target_result(_question("target_result", misjudged), result)["rows"][0]["right"]

    first = {
        "question": "城镇登记失业率最早出现在哪一年的报告？",
        "corpus": "national",
        "forms": ["城镇登记失业率"],
        "first": {"year": 2010},
        "last": {"year": 2012},
        "earlier_reports_checked": 0,
        "reports_mentioning": 3,
    }
    mentioned = answer(first["question"], retriever=retriever)
    assert score_first_mention(_question("first_mention", first), mentioned)["right"]
    assert not score_first_mention(_question("first_mention", {**first, "earlier_reports_checked": 1}), mentioned)[
        "right"
    ]
    timeline = {"question": TIMELINE, "corpus": "national", "counts": {"2010": 1, "2011": 1, "2012": 1}, "total": 3}
    counted = answer(TIMELINE, retriever=retriever)
    assert score_timeline(_question("timeline", timeline), counted)["right"]
    assert not score_timeline(
        _question("timeline", {**timeline, "counts": {"2010": 2, "2011": 1, "2012": 1}}), counted
    )["right"]
    outcomes = [
        {"id": "a1", "kind": "timeline", "lang": "zh-Hans", "half": "tune", "seconds": 0.1, "right": True},
        {"id": "a2", "kind": "timeline", "lang": "en", "half": "test", "seconds": 0.3, "right": False},
    ]
    summary = summarise_archive(outcomes)
    assert summary["all"]["timeline"] == {"questions": 2, "right": 1, "share": 0.5}
    assert summary["halves"]["test"]["timeline"]["right"] == 0
    printed = "\n".join(archive_lines(summary))
    assert "tune" in printed and "test" in printed and "misses: a2 (test)" in printed


@pytest.mark.slow
def test_the_live_mcp_server_answers_each_kind(folders: tuple[Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("mcp", reason="the MCP tools need gradio's mcp extra")
    from qa.web import launch
    from tests.test_mcp import call, result

    data = write_corpus(tmp_path / "data")
    Backend(data, tmp_path / "index").ensure_index()  # the page indexes in the background (test_web_indexing)
    port = free_port()
    app = launch(data_dir=data, index_dir=tmp_path / "index", port=port, block=False)
    try:
        url = f"http://127.0.0.1:{port}"
        targets = result(call(url, "ask_reports", {"question": TARGETS}))
        assert [row["verdict"] for row in targets["comparisons"]] == ["met", "met"]
        first = result(call(url, "ask_reports", {"question": "城鎮登記失業率最早出現在哪一年的報告？"}))
        assert first["kind"] == "first_mention" and first["mentions"]["first"]["year"] == 2010
        counted = result(
            call(
                url,
                "ask_reports",
                {"question": "How many times did each year's report mention the registered urban unemployment rate?"},
            )
        )
        assert counted["kind"] == "timeline"
    finally:
        app.close()
