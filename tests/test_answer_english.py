"""Sentences for an English question scored by the phrases they render (qa.answer.sentences), on
sentences of the shared 2025 provincial reports."""

from __future__ import annotations

from qa.answer.sentences import phrase_coverage, rare_term_coverage
from qa.questions.plan import _terms

# A question of the kind "How large is Guizhou's computing power capacity?": 算力 for "computing power" is specific; the
# many senses of "capacity" (容量 才能 潜力) are not.
PARTS = (("贵州",), ("算力",), ("容量", "才能", "潜力"))
SENTENCES = [  # of the Guizhou and Xinjiang reports
    "坚持大抓产业、主攻工业，酒烟煤电等传统支柱产业巩固提升，资源精深加工产业向高端化延伸，新能源汽车产业实现突破，国产化智能算力规模全国领先。",
    "电力装机容量突破9200万千瓦，发电量超过2600亿千瓦时、增长8.2%，全省能源保障有力有效。",
    "大力发展生产性服务业，挖掘生活性服务业潜力。",
]


def test_a_specific_phrase_outweighs_the_many_senses_of_a_word() -> None:
    scores = phrase_coverage(PARTS, SENTENCES)
    assert scores[0] > scores[1] and scores[0] > scores[2]
    # the bigrams of every alternative count 才能 and 潜力 as two of the question's words
    bigram = rare_term_coverage(_terms(" ".join(word for part in PARTS for word in part)), SENTENCES)
    assert bigram[1] >= bigram[0]


def test_a_phrase_is_rendered_by_any_of_its_words_once() -> None:
    texts = ["新建火力发电近600万千瓦、新增新能源发电超530万千瓦，电力总装机达到7500万千瓦，绿电装机占比提高到55%。",
             "新能源装机在全国率先破亿、达到1.35亿千瓦，超过火电装机，提前一年实现自治区第十一次党代会确定目标。",
             "数字经济核心产业增加值占地区生产总值比重达到10%。"]  # fmt: skip
    scores = phrase_coverage((("装机容量", "装机"), ("占比", "比重")), texts)
    assert scores[0] == 1.0 and 0 < scores[1] < 1 and 0 < scores[2] < 1  # 装机 twice counts once
    assert list(phrase_coverage((), ["一句"])) == [0.0]
