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
from tests.corpus import write_corpus
from tests.fakes import HashingEncoder


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chat")
    data = write_corpus(root / "data")
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
    assert [item["kind"] for item in answers] == ["single", "single", "start_over", "single", "each"]
    assert answers[1]["resolved_question"] == "重庆2025年经济增长目标是多少？" and "6%左右" in answers[1]["answer"]
    assert answers[3]["resolved_question"] == "那重庆呢？"  # after /new, nothing to follow
    assert len(answers[4]["rows"]) == 4 and all(row["found"] for row in answers[4]["rows"])


def test_a_conversation_as_text_shows_how_a_follow_up_was_understood(index: Path) -> None:
    result = chat(index, "北京2025年经济增长目标是多少？\n那四川呢？\n\n   \n")
    assert result.returncode == 0, result.stderr
    assert "按此理解 Understood as: 四川2025年经济增长目标是多少？" in result.stdout and "5.5%以上" in result.stdout
