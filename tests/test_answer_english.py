"""Sentences for an English question scored by the phrases they render (qa.answer.sentences), on
sentences of the shared 2025 provincial reports."""

from __future__ import annotations

from qa.answer.sentences import is_relevant, phrase_coverage, rare_term_coverage
from qa.questions.plan import _terms
from qa.retrieval import Citation, Hit

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


CHECKS = {"min_dense_chinese": 0.875, "min_dense_other": 0.76, "min_term_coverage": 0.5}


def _passage(text: str, dense: float) -> Hit:
    citation = Citation("2025年贵州省政府工作报告", "guizhou.docx", (), None, None, "贵州", 0, len(text))
    return Hit(0, text, 1.0, 1, 1, dense, 1.0, citation)


# A passage of the Guizhou report, found for an English question of the kind "How many Guizhou
# firms supply China's home-built airliner?" (the encoder's similarity under its threshold).
SUPPLY = _passage(
    "持续推进贵州航空产业城建设，加快安大二期、安顺航空配套制造产业园二期等项目建设。"
    "深化与中国商飞合作，10家企业进入国产大飞机供应链体系。获批建设2个国家重大产业备份项目。",
    0.742,
)


def test_an_english_question_whose_phrases_the_passage_says_is_answered() -> None:
    # "home-built jets" as CC-CEDICT renders it: 家园 家宅 家居, 喷气
    parts = (("贵州",), ("企业",), ("供应链",), ("中国", "中日韩", "中华"), ("家园", "家宅", "家居"), ("喷气",))
    terms = _terms(" ".join(word for part in parts for word in part))
    question = "How many Guizhou companies are in the supply chain of China's home-built jets?"
    assert not is_relevant(question, SUPPLY, terms, **CHECKS)  # 5 of the alternatives' 12 bigrams
    assert is_relevant(question, SUPPLY, terms, parts=parts, **CHECKS)  # 4 of 6 phrases


def test_generic_phrases_of_many_senses_do_not_make_an_answer() -> None:
    """Half of the phrases, each of many senses, said in a passage on another matter: not an answer."""
    parts = (("尖端", "最佳", "最好"), ("作风", "方式", "方法"), ("学到", "学会", "学习"), ("戏剧", "打法", "表演"))
    passage = _passage(
        "但是，他们还年青，他们的政治经验和生活经验还很少，因此，向老工人学习，在生产实践中锻炼，"
        "是今后青年工人提高阶级觉悟和生产技术知识的主要方法。",
        0.70,
    )  # fmt: skip  (1957 report)
    assert not is_relevant("What is the best method to learn drama?", passage, frozenset(), parts=parts, **CHECKS)
