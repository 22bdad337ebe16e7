"""``qa chat``: a conversation read from standard input, one question per line, /new to start over."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.indexing import update_index
from qa.store import IndexConfig
from tests.conftest import ROOT
from tests.corpus import write_corpus, write_long_names
from tests.fakes import HashingEncoder


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chat")
    data = write_long_names(write_corpus(root / "data"))
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return root / "index"


def chat(index: Path, lines: str, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", CHAT_WITH_THE_TEST_ENCODER, "chat", "--index", str(index), *options]
    return subprocess.run(command, input=lines, capture_output=True, text=True, cwd=ROOT, timeout=300)


# The index was built with the tests' hashing encoder; the command loads that same encoder.
CHAT_WITH_THE_TEST_ENCODER = """
import sys
import qa.embedding
from tests.fakes import HashingEncoder
qa.embedding.load_encoder = lambda *args, **kwargs: HashingEncoder()
import qa.retrieval.retriever
qa.retrieval.retriever.load_encoder = qa.embedding.load_encoder
from qa.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_conversation_from_a_pipe_as_json_lines(index: Path) -> None:
    lines = "北京2025年经济增长目标是多少？\n那重庆呢？\n/new\n那重庆呢？\n各省2025年经济增长目标分别是多少？\n"
    result = chat(index, lines, "--json")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["kind"] for item in answers] == ["single", "single", "start_over", "needs_context", "each"]
    assert answers[1]["understood_as"] == "重庆2025年经济增长目标是多少？" and "6%左右" in answers[1]["answer"]
    assert "understood_as" not in answers[3] and "ask the whole question" in answers[3]["answer"]  # after /new
    assert len(answers[4]["rows"]) == 6 and "not_stated" not in answers[4]
    sichuan = next(row for row in answers[4]["rows"] if row["label"] == "四川")
    assert (sichuan["value"], sichuan["qualifier"]) == (5.5, "以上") and "5.5%以上" in sichuan["quote"]


def test_a_conversation_as_text_shows_how_a_follow_up_was_understood(index: Path) -> None:
    result = chat(index, "北京2025年经济增长目标是多少？\n那四川呢？\n\n   \n")
    assert result.returncode == 0, result.stderr
    assert "按此理解 Understood as: 四川2025年经济增长目标是多少？" in result.stdout and "5.5%以上" in result.stdout


def test_new_starts_over_without_a_word_about_passages_or_filters(index: Path) -> None:
    result = chat(index, "北京2025年经济增长目标是多少？\n/new\n")
    assert result.returncode == 0, result.stderr
    assert "Started over" in result.stdout and "No passage" not in result.stdout and "filters" not in result.stdout


def test_a_table_in_the_terminal_aligns_three_character_regions_by_display_width(index: Path) -> None:
    from qa.cli.show import width

    result = chat(index, "各省2025年经济增长目标分别是多少？\n")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("  ") and "[" in line]
    assert len(rows) == 6 and any(line.startswith("  内蒙古") for line in rows)
    marker_columns = {width(line[: line.index("[")]) for line in rows}
    assert len(marker_columns) == 1  # every [n] in the same column, whatever the name's width
    assert sum(line.startswith("[") and "政府工作报告" in line for line in result.stdout.splitlines()) == 6  # citations


def test_stats_groups_the_reports_by_year_level_and_region(index: Path) -> None:
    from qa.cli.show import width

    command = [sys.executable, "-m", "qa.cli", "stats", "--index", str(index)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "by year:   2025 (6), 2012 (1), 2011 (1), 2010 (1)" in lines
    assert "by level:  provincial (6), national (3)" in lines and any(line.startswith("by region: ") for line in lines)
    headings = [line for line in lines if line in ("2025", "2012", "2011", "2010")]
    assert headings == ["2025", "2012", "2011", "2010"]  # newest first
    listed = [line for line in lines[lines.index("2025") + 1 : lines.index("2012")] if line.strip()]
    assert len(listed) == 6 and any("内蒙古" in line for line in listed)
    titles = {width(line[: line.index("2025年")]) for line in listed}
    assert len(titles) == 1  # titles start in one column after the level and region columns
