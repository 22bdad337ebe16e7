"""The source view's data: a cited passage in its report's cleaned text, and what is never served."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.documents import load_document
from qa.errors import QuestionError
from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import IndexConfig
from tests.conftest import HUBEI, copy_samples
from tests.fakes import HashingEncoder


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("source")
    data = copy_samples(root / "data")
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return Retriever(root / "index", encoder=HashingEncoder())


def test_a_passage_in_its_report_s_cleaned_text(retriever: Retriever) -> None:
    hit = retriever.search("處理違規直播間5263個", k=1, mode="lexical")[0]
    source = retriever.source(hit.chunk_id)
    assert source.text == load_document(HUBEI).text  # the whole cleaned report, as indexed
    assert source.text[source.start : source.end] == hit.text and "5263" in hit.text
    assert source.citation == hit.citation and source.metadata["region"] == "湖北"
    record = source.to_dict()
    assert record["passage"] == hit.text and record["citation"]["source"] == "湖北日報"


def test_unknown_passages_files_and_paths_are_refused(retriever: Retriever) -> None:
    with pytest.raises(QuestionError, match="no passage"):
        retriever.source(10**9)
    for file in ("../data/hubei-2024-online-civility.txt", "/etc/passwd", "README.md", "..\\\\secret.txt"):
        with pytest.raises(QuestionError, match="not a report of the index"):
            retriever.source_of_file(file)
    assert retriever.source_of_file(HUBEI.name).citation.file == HUBEI.name


def test_an_index_keeps_one_text_per_document_across_updates(retriever: Retriever, tmp_path: Path) -> None:
    generation = retriever.store.generation  # type: ignore[attr-defined]
    texts = sorted(path.name for path in (generation / "texts").iterdir())
    assert len(texts) == 2 == len(retriever.documents)
    assert {f"{entry.text_sha256}.json" for entry in retriever.documents.values()} == set(texts)
