"""A citation as a line of text, a table as CSV, a conversation as Markdown with quoted passages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from qa.answer import answer
from qa.answer.export import citation_text, conversation_markdown, rows_csv
from qa.indexing import update_index
from qa.retrieval import Citation, Retriever
from qa.store import IndexConfig
from tests.corpus import write_corpus
from tests.fakes import HashingEncoder


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("export")
    data = write_corpus(root / "data", national=False)
    update_index(data, root / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    return Retriever(root / "index", encoder=HashingEncoder())


def test_a_citation_as_one_line() -> None:
    citation = Citation("2025年湖北省政府工作报告", "hubei.pdf", ("2025年湖北省政府工作报告", "一、回顾", "（一）经济"),
                        "2025-01-20", "湖北日报", "湖北", 10, 20, page=12)  # fmt: skip
    assert citation_text(citation) == "《2025年湖北省政府工作报告》, 一、回顾 > （一）经济, 2025-01-20, 湖北日报, p. 12"


def test_rows_as_csv_keep_not_stated_rows_and_read_in_spreadsheets(retriever: Retriever) -> None:
    result = answer("各省2025年经济增长目标分别是多少？", retriever=retriever)
    text = rows_csv(result)
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, rows = table[0], table[1:]
    assert "数值 Value" in header and "出处 Citation" in header and len(rows) == len(result.rows)
    value = header.index("数值 Value")
    assert {row[header.index("地区 Region")]: row[value] for row in rows}["重庆"] == "6"
    assert all(row[header.index("出处 Citation")].startswith("《2025年") for row in rows)
    missing = answer("各省2025年粮食产量目标分别是多少？", retriever=retriever)
    assert all("not stated" in row[-1] for row in list(csv.reader(io.StringIO(rows_csv(missing).lstrip("\ufeff"))))[1:])


def test_a_conversation_as_markdown_numbers_citations_and_quotes_passages(retriever: Retriever, tmp_path: Path) -> None:
    first = answer("北京2025年经济增长目标是多少？", retriever=retriever)
    second = answer("那重庆呢？", retriever=retriever, history=["北京2025年经济增长目标是多少？"])
    third = answer("各省2025年经济增长目标分别是多少？", retriever=retriever)
    text = conversation_markdown([first, second, third])
    assert text.count("## ") == 3 and "按此理解 Understood as: 重庆2025年经济增长目标是多少？" in text
    assert "[1] 《2025年北京市政府工作报告》" in text and "[2] 《2025年重庆市政府工作报告》" in text
    assert "> 今年经济社会发展的主要预期目标是：地区生产总值增长6%左右" in text  # the passage, quoted
    assert "| 重庆 | 6%左右 |" in text and "[6]" in text  # numbering goes on across the turns
