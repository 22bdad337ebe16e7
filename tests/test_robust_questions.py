"""Bad questions through ``qa ask`` / ``qa search`` and :meth:`Retriever.search`: a clear message (exit status 2,
the message on stderr) or a normal answer, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main
from qa.limits import MAX_QUESTION_CHARS
from qa.retrieval import Hit, QuestionError, Retriever
from tests.conftest import GUIZHOU, HUBEI

pytestmark = pytest.mark.slow

QA = Path(sys.executable).with_name("qa")
EMPTY_MESSAGE = "the question is empty"

EMPTY_QUESTIONS = {
    "empty": "",
    "spaces": "   \t  ",
    "newlines": "\n\r\n",
    "ideographic spaces": "\u3000\u3000",
}
ODD_QUESTIONS = {
    "chinese punctuation": "。！？，、；：……——“”",
    "ascii punctuation": "?!.,;:-()[]{}",
    "10,000 characters": ("湖北处理了多少个违规直播间？" * 800)[:10_000],
    "10,000 letters": "a" * 10_000,
    "emoji": "🎉🔥👍🏻🇨🇳",
    "emoji and words": "湖北🎉处理了多少个违规直播间？🔥",
    "html": "<b>湖北</b>处理了多少个<i>违规直播间</i>？",
    "script": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "sql": "'; DROP TABLE chunks; --",
    "sql or": '湖北" OR 1=1; --',
    "format strings": "{0} %s %(name)s {__class__} ${HOME}",
    "regex": ".*[(\\",
    "zero width": "\u200b\u200b",
    "right to left": "\u202e湖北直播间",
    "terminal escapes": "\x1b[31m湖北\x1b[0m",
    "traditional": "湖北處理了多少個違規直播間？",
    "english": "How many live streams did Hubei deal with?",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("questions")
    data, index = folder / "data", folder / "index"
    data.mkdir()
    for path in (GUIZHOU, HUBEI):
        shutil.copy(path, data / path.name)
    result = subprocess.run(_qa("index", "--data", data, "--index", index, "--json"), capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return index


@pytest.fixture(scope="module")
def retriever(index: Path) -> Retriever:
    return Retriever(index)


def _qa(*args: str | bytes | Path) -> list[str | bytes]:
    base = [str(QA)] if QA.exists() else [sys.executable, "-m", "qa.cli"]
    return [*base, *(arg if isinstance(arg, bytes) else str(arg) for arg in args)]


def check_hits(hits: list[Hit], retriever: Retriever, k: int) -> None:
    assert len(hits) <= k
    for hit in hits:
        chunk = retriever.store.chunk(hit.chunk_id)
        assert hit.text == chunk.text and hit.citation.file == chunk.file
        assert hit.citation.file in retriever.documents


# --- Retriever.search -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
@pytest.mark.parametrize("question", list(EMPTY_QUESTIONS.values()) + [None, 42], ids=[*EMPTY_QUESTIONS, "None", "42"])
def test_search_refuses_an_empty_question_clearly(retriever: Retriever, question, mode: str) -> None:
    with pytest.raises(QuestionError, match=EMPTY_MESSAGE):
        retriever.search(question, mode=mode)


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])  # hybrid runs the dense search too
@pytest.mark.parametrize("question", list(ODD_QUESTIONS.values()) + ["湖北\x00直播间"], ids=[*ODD_QUESTIONS, "nul"])
def test_search_answers_an_odd_question_normally(retriever: Retriever, question: str, mode: str) -> None:
    hits = retriever.search(question, k=3, mode=mode)
    check_hits(hits, retriever, 3)
    if mode == "hybrid":
        assert len(hits) == 3  # the dense side always finds the nearest passages
        assert all(hit.dense_rank is not None for hit in hits)


def test_long_questions_are_cut_not_refused(retriever: Retriever) -> None:
    question = "湖北处理了多少个违规直播间？" + "。" * (MAX_QUESTION_CHARS * 5)
    hits = retriever.search(question, k=3, mode="lexical")
    assert hits and "5263" in hits[0].text


def test_sql_like_question_leaves_the_index_as_it_was(retriever: Retriever, index: Path) -> None:
    before = retriever.manifest
    retriever.search("'; DROP TABLE chunks; --", k=3)
    reopened = Retriever(index, encoder=retriever.encoder)
    assert reopened.manifest == before
    assert reopened.store.problems() == [] and len(reopened.store) == before.chunk_count


@pytest.mark.parametrize(("k", "message"), [(0, "k must be at least 1"), (-3, "k must be at least 1")])
def test_search_refuses_a_bad_k(retriever: Retriever, k: int, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        retriever.search("湖北", k=k)


def test_search_with_k_beyond_the_index_gives_every_passage_at_most(retriever: Retriever) -> None:
    hits = retriever.search("网络文明", k=100_000)
    check_hits(hits, retriever, len(retriever.store))


def test_search_with_a_lone_surrogate(retriever: Retriever) -> None:
    check_hits(retriever.search("\ud800湖北直播间", k=3), retriever, 3)


# --- qa ask and qa search, in process: the command's own code, fast -----------------------------


def run_command(command: str, capsys: pytest.CaptureFixture[str], index: Path, *args: str) -> tuple[int, str, str]:
    code = main([command, "--index", str(index), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ask(capsys: pytest.CaptureFixture[str], index: Path, *args: str) -> tuple[int, str, str]:
    return run_command("ask", capsys, index, *args)


def search(capsys: pytest.CaptureFixture[str], index: Path, *args: str) -> tuple[int, str, str]:
    return run_command("search", capsys, index, *args)


@pytest.mark.parametrize("question", list(EMPTY_QUESTIONS.values()), ids=list(EMPTY_QUESTIONS))
def test_ask_and_search_an_empty_question_exit_2_with_a_message(capsys, index: Path, question: str) -> None:
    for command in (ask, search):
        code, out, err = command(capsys, index, question)
        assert code == 2 and not out
        assert err.startswith("error: ") and EMPTY_MESSAGE in err


@pytest.mark.parametrize("question", list(ODD_QUESTIONS.values()), ids=list(ODD_QUESTIONS))
def test_search_an_odd_question_answers_normally(capsys, index: Path, question: str) -> None:
    code, out, err = search(capsys, index, question, "--json", "-k", "2", "--fields", "citation")
    assert code == 0, err
    passages = json.loads(out)["passages"]
    assert 1 <= len(passages) <= 2
    assert all(passage["citation"]["file"] in {GUIZHOU.name, HUBEI.name} for passage in passages)


@pytest.mark.parametrize("question", list(ODD_QUESTIONS.values()), ids=list(ODD_QUESTIONS))
def test_ask_an_odd_question_gives_an_answer_object(capsys, index: Path, question: str) -> None:
    code, out, err = ask(capsys, index, question, "--json", "-k", "2", "--fields", "sentences,citation")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) >= {"question", "found", "answer", "sentences", "passages"}
    assert all(passage["citation"]["file"] in {GUIZHOU.name, HUBEI.name} for passage in result["passages"])


def test_search_prints_an_odd_question_s_passages_as_text(capsys, index: Path) -> None:
    code, out, _ = search(capsys, index, "<script>alert(1)</script>'; DROP TABLE chunks; --🎉", "-k", "1")
    assert code == 0 and out.startswith("[1] ")


def test_ask_and_search_with_a_bad_k_exit_2(capsys, index: Path) -> None:
    for command in (ask, search):
        code, out, err = command(capsys, index, "湖北", "-k", "0")
        assert (code, out) == (2, "") and "k must be at least 1" in err


def test_ask_a_question_that_looks_like_an_option(capsys, index: Path) -> None:
    with pytest.raises(SystemExit) as exited:  # argparse: usage and the problem on stderr
        main(["ask", "-湖北", "--index", str(index)])
    assert exited.value.code == 2
    assert "usage: qa ask" in capsys.readouterr().err
    code, out, _ = search(capsys, index, "--json", "-k", "1", "--", "-湖北直播间")  # after --, it is the question
    assert code == 0 and len(json.loads(out)["passages"]) == 1


# --- qa search, as a command ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("", 2),
        ("  \u3000 ", 2),
        ("'; DROP TABLE chunks; --", 0),
        (("湖北" * 5000), 0),
        (b"\xff\xfe\xe6\xb9\x96\xe5\x8c\x97", 0),  # bytes that are not UTF-8, then "湖北"
    ],
    ids=["empty", "spaces", "sql", "10,000 characters", "not utf-8"],
)
def test_qa_search_command(index: Path, question: str | bytes, code: int) -> None:
    result = subprocess.run(
        _qa("search", question, "--index", index, "--json", "-k", "2"),
        capture_output=True,
        timeout=120,
    )
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == code, stderr
    if code == 2:
        assert not result.stdout and EMPTY_MESSAGE in stderr
    else:
        assert 1 <= len(json.loads(result.stdout)["passages"]) <= 2


def test_qa_ask_without_an_index_exits_2_with_a_message(tmp_path: Path) -> None:
    result = subprocess.run(_qa("ask", "湖北", "--index", tmp_path / "none"), capture_output=True, timeout=120)
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert result.returncode == 2 and "Traceback" not in stderr
    assert "no index in" in stderr and "qa index" in stderr


def test_qa_ask_an_index_of_no_documents(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "empty.txt").write_bytes(b"")
    built = subprocess.run(_qa("index", "--data", data, "--index", tmp_path / "index", "--json"), capture_output=True)
    assert built.returncode == 1 and json.loads(built.stdout)["chunks_total"] == 0
    result = subprocess.run(_qa("ask", "湖北", "--index", tmp_path / "index"), capture_output=True, timeout=120)
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr, stderr
    assert result.returncode in (0, 2)


NOT_QUESTIONS = {
    "marks": "？？？！！",
    "emoji": "🎉🔥👍🏻🇨🇳",
    "regex": ".*(",
    "chinese punctuation": "。！？，、；：……——“”",
}


@pytest.mark.parametrize("question", list(NOT_QUESTIONS.values()), ids=list(NOT_QUESTIONS))
def test_a_question_without_words_is_not_found_and_says_why(capsys, index: Path, question: str) -> None:
    code, out, err = ask(capsys, index, question, "--json", "--fields", "sentences")
    assert code == 0, err
    result = json.loads(out)
    assert result["found"] is False and result["sentences"] == [] and result["passages"] == []
    assert "Not a question" in result["answer"]


def test_an_english_question_of_no_word_the_reports_hold_is_not_found(capsys, index: Path) -> None:
    for question in ("asdfghjkl", "qwerty zxcvb uiop?"):
        code, out, err = ask(capsys, index, question, "--json", "--fields", "sentences")
        assert code == 0, err
        result = json.loads(out)
        assert result["found"] is False and result["sentences"] == [], question
        assert "No passage in the indexed reports answers this question" in result["answer"]
    code, out, _ = ask(capsys, index, ODD_QUESTIONS["english"], "--json")  # words the reports hold: answered
    assert json.loads(out)["found"] is True
