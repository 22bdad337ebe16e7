"""The compact JSON of answers and passages (qa search/ask --json and the MCP tools): nothing said twice,
less on request, and the figure with its qualifier."""

from __future__ import annotations

import json

import pytest

from qa.answer import Answer, AnswerSentence
from qa.answer.rows import NO_REPORT, NOT_STATED, Row
from qa.answer.values import figures
from qa.compact import answer_record, checked_fields, checked_max_rows, search_record
from qa.errors import QuestionError
from qa.questions import Each
from qa.retrieval import Citation, Hit

SENTENCES = {
    "北京": "全市地区生产总值增长5%左右",
    "天津": "全市生产总值增长5%左右",
    "陕西": "全省生产总值增长5%左右",
    "四川": "地区生产总值增长5.5%以上",
}


def hit(number: int, region: str, sentence: str) -> Hit:
    text = f"主要预期目标是：{sentence}，城镇新增就业30万人以上，居民消费价格涨幅2%左右。" * 3
    citation = Citation(f"2025年{region}政府工作报告", f"{region}.docx", ("2025年" + region, "二、目标"), "2025-01-20",
                        None, region, 100, 100 + len(text))  # fmt: skip
    return Hit(number, text, 0.8, 1, 1, 0.8, 10.0, citation)


def table() -> Answer:
    hits, rows = [], []
    for region, sentence in SENTENCES.items():
        hits.append(hit(len(hits) + 1, region, sentence))
        start = hits[-1].text.index(sentence)
        rows.append(Row(region, region, 2025, "provincial", f"{region}.docx", f"2025年{region}政府工作报告", True,
                        len(hits), sentence, start, start + len(sentence), figures(sentence)[0]))  # fmt: skip
    rows.append(Row("西藏", "西藏", 2025, "provincial", "西藏.docx", None, False, note=NOT_STATED))
    rows.append(Row("台湾", "台湾", 2025, None, None, None, False, note=NO_REPORT))
    summary = "6 份报告中 4 份给出了答案，2 份未提及。4 of 6 reports answer it; 2 do not state it."
    text = "\n".join([summary, *(f"{row.label}：{row.sentence}[{row.marker}]" for row in rows if row.found)])
    sentences = tuple(AnswerSentence(row.sentence, row.marker, row.start, row.end) for row in rows if row.found)
    question = "各省2025年经济增长目标分别是多少？"
    return Answer(question, True, text, sentences, tuple(hits), question, Each(), tuple(rows))


def test_a_table_gives_each_row_once_with_its_figure_and_qualifier_and_names_the_rest() -> None:
    record = answer_record(table())
    assert record["answer"].startswith("6 份报告中 4 份")
    shaanxi = next(row for row in record["rows"] if row["label"] == "陕西")
    assert shaanxi == {"label": "陕西", "value": 5, "unit": "%", "qualifier": "左右",
                       "quote": "全省生产总值增长5%左右", "chunk_id": 3,
                       "cite": "2025年陕西政府工作报告 · 二、目标 · 2025-01-20"}  # fmt: skip
    sichuan = next(row for row in record["rows"] if row["label"] == "四川")
    assert (sichuan["value"], sichuan["unit"], sichuan["qualifier"]) == (5.5, "%", "以上")
    assert record["not_stated"] == ["西藏", f"台湾 ({NO_REPORT})"]
    assert "passages" not in record  # each row carries its own passage's cite and chunk_id
    text = json.dumps(record, ensure_ascii=False)
    for sentence in SENTENCES.values():
        assert text.count(sentence) == 1  # once, in its row: not in the answer, the sentences or a passage
    assert "understood_as" not in record and "sentences" not in record


def test_less_on_request_and_more_on_request() -> None:
    fewer = answer_record(table(), max_rows=2)
    assert [row["label"] for row in fewer["rows"]] == ["北京", "天津"] and fewer["more_rows"] == 2
    more = answer_record(table(), fields=checked_fields("text,citation"))
    assert all(row["quote"] in row["text"] and row["citation"]["region"] == row["label"] for row in more["rows"])
    search = search_record("增长目标", table().hits[:2])
    assert [set(passage) for passage in search["passages"]] == [{"n", "chunk_id", "cite", "score", "text"}] * 2
    bare = search_record("增长目标", table().hits[:2], checked_fields([]))
    assert [set(passage) for passage in bare["passages"]] == [{"n", "chunk_id", "cite"}] * 2


def test_a_one_sentence_answer_gives_the_passages_text_and_says_how_a_follow_up_was_understood() -> None:
    hits = table().hits[:2]
    sentence = SENTENCES["北京"]
    start = hits[0].text.index(sentence)
    result = Answer("那北京呢？", True, f"{sentence}[1]", (AnswerSentence(sentence, 1, start, start + len(sentence)),),
                    hits, "北京2025年经济增长目标是多少？")  # fmt: skip
    record = answer_record(result)
    assert record["understood_as"] == "北京2025年经济增长目标是多少？" and record["kind"] == "single"
    assert record["answer"] == f"{sentence}[1]" and "rows" not in record
    assert [set(passage) for passage in record["passages"]] == [{"n", "chunk_id", "cite", "text"}] * 2
    with_offsets = answer_record(result, fields=["sentences"])
    assert with_offsets["sentences"][0]["start"] == start and "text" not in with_offsets["passages"][0]


def test_unknown_fields_and_row_counts_are_refused_with_the_choices() -> None:
    with pytest.raises(QuestionError, match="choose among text, citation, sentences, score"):
        checked_fields(["everything"])
    for bad in (0, 501, "ten", True):
        with pytest.raises(QuestionError, match="give 1 to 500 rows"):
            checked_max_rows(bad)
    assert checked_fields(None) is None and checked_fields(" Text, score ") == ("text", "score")
