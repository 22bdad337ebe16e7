"""An English question holding words no word of the reports renders: its "not found" says it cannot
tell, never that the reports do not say it (issue 28: a wrong 未提及 is worse than no answer)."""

from __future__ import annotations

import html

from qa.answer import answer
from qa.compact import NEAREST, NEAREST_TO_CHECK, answer_record
from qa.indexing import update_index
from qa.questions.translation import translate
from qa.retrieval import Retriever
from qa.store import IndexConfig
from qa.web.render import passages_html
from tests.corpus import write_corpus
from tests.fakes import HashingEncoder


def test_the_words_no_report_word_renders_are_named() -> None:
    known = {"辽宁", "首秀", "战斗者"}.__contains__
    translation = translate("Which new stealth fighter jet made its public debut in Liaoning?", known)
    assert translation.unrendered == ("stealth", "jet")  # stop words (new, made, public) and names are not
    assert (
        translate("What is Liaoning's growth target in 2025?", {"辽宁", "增长", "目标"}.__contains__).unrendered == ()
    )


def test_a_question_not_wholly_understood_is_not_answered_not_stated(tmp_path) -> None:
    data = write_corpus(tmp_path / "data")
    update_index(data, tmp_path / "index", config=IndexConfig(model=HashingEncoder.name), encoder=HashingEncoder())
    retriever = Retriever(tmp_path / "index", encoder=HashingEncoder())
    result = answer("How many quantum zeppelins did Sichuan launch?", retriever=retriever)
    assert not result.found and result.unrendered == ("quantum", "zeppelins", "launch")  # none in these reports
    assert "Cannot tell" in result.text and "No passage" not in result.text and result.hits  # nearest shown
    assert result.to_dict()["unrendered"] == ["quantum", "zeppelins", "launch"]
    record = answer_record(result)  # qa ask --json and MCP: the words, and no "no sentence answers it"
    assert record["unrendered"] == ["quantum", "zeppelins", "launch"] and record["note"] == NEAREST_TO_CHECK
    assert html.escape(NEAREST_TO_CHECK) in passages_html(result) and html.escape(NEAREST) not in passages_html(result)
    understood = answer("无人飞艇在四川发射了多少次？", retriever=retriever)  # a Chinese question: its words are read
    assert not understood.found and not understood.unrendered
    assert answer_record(understood)["note"] == NEAREST  # understood and not found: no sentence answers it
