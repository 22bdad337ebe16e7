"""Sentences of a passage and the signals that tell which of them answers a question."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from qa.retrieval import Hit
from qa.text import bigram_tokens, is_cjk, quantity_starts, to_simplified

# A sentence runs to 。！？； (or !?;), with the closing quotes and brackets after it. A title in
# 《》 is never cut (《我和我的祖國!聽青年華僑華人講述…》), nor a quotation in “” or 「」 at its ! or ?
# (it still ends at 。 or ；); an ASCII ! or ? right before [ or a Latin letter, = & / is inside a
# link or an address (![图](http://a.cn/p?id=3)), not the end of a sentence.
_SENTENCE = re.compile(
    r"(?:《[^》\n]{0,100}》|“[^“”\n。；;]{0,200}”|「[^「」\n。；;]{0,200}」|[!?](?=[\[A-Za-z=&/])|[^。！？；!?;\n])+"
    r"[。！？；!?;]*[”’」』）)]*"
)
_QUESTION_WORDS = {"多少", "什么", "哪些", "如何", "怎么", "怎样", "是否", "哪个", "为什", "么时", "时候", "了多"}


# Whether a sentence (with its section path) sets a target or reports what was achieved.
_TARGET_WORDS = re.compile(r"目标|预期目标|预期增长|力争|计划|确保|今年|明年|将(?:超过|达到|突破|实现|增长|提高|翻)")
# A bound that marks a planned figure; 控制在/保持在/稳定在 also report a figure held (涨幅控制在3.3%).
_PLAN_BOUNDS = re.compile(r"左右|以上|以内|不低于|不少于|不超过")
_BOUNDS = re.compile(_PLAN_BOUNDS.pattern + r"|保持在|稳定在|控制在")
_REVIEW_CUES = re.compile(
    r"回顾|过去一年|过去五年|上一年|去年|工作总结|实现了|完成了|达到了|同比|比上年|符合预期|预计|突破|创.{0,6}新高|[高低]于全国"
)
# "超过全年预期目标", "完成年度目标": a target met, said in a review.
# (完成国家下达目标 in a list of targets is still to be done: only the past tense counts.)
_TARGET_MET = re.compile(r"超过[^，。；]{0,6}目标|超额完成|(?:完成|实现|达到)了[^，。；]{0,6}目标|好于预期")


@dataclass(frozen=True)
class Stance:
    """Whether a sentence sets a target (目标, 力争), states a bound (左右, 以上) or reports what
    was achieved (回顾, 同比, 突破) — its section path counts for the last."""

    target: bool
    bound: bool
    review: bool
    plan_bound: bool

    @classmethod
    def of(cls, sentence: str, section: str = "") -> Stance:
        said, placed = to_simplified(sentence), to_simplified(section)
        met = bool(_TARGET_MET.search(said))
        review = met or bool(_REVIEW_CUES.search(said) or _REVIEW_CUES.search(placed))
        target = bool(_TARGET_WORDS.search(said)) and not met
        return cls(target, bool(_BOUNDS.search(said)), review, bool(_PLAN_BOUNDS.search(said)))

    def against(self, question_basis: str) -> bool:
        """Whether the sentence says the other thing than the question asks: what was achieved
        for a target question, a target or a planned bound for a question about what was achieved."""
        if question_basis == "target":
            return self.review and not self.target
        if question_basis == "actual":  # 覆盖率达60%以上 outside a review is a plan's bound
            return (self.target or self.plan_bound) and not self.review
        return False


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        if end - start >= 4:
            spans.append((start, end))
    return spans


def question_terms(question: str) -> set[str]:
    return {token for token in bigram_tokens(question) if token not in _QUESTION_WORDS}


def term_coverage(question: str, text: str) -> float:
    """Share of the question's terms (bigrams, words, numbers) that occur in ``text``."""
    terms = question_terms(question)
    if not terms:
        return 0.0
    present = set(bigram_tokens(text))
    return len(terms & present) / len(terms)


def rare_term_coverage(question: str, texts: list[str]) -> np.ndarray:
    """For each text, the share of the question's terms it holds, each term weighted by how rare it
    is among the texts (a term every sentence has tells them apart least): log(1 + n / (1 + df))."""
    terms = sorted(question_terms(question))
    if not terms or not texts:
        return np.zeros(len(texts))
    present = [set(bigram_tokens(text)) for text in texts]
    weights = np.array([math.log(1 + len(texts) / (1 + sum(term in tokens for tokens in present))) for term in terms])
    held = np.array([[term in tokens for term in terms] for tokens in present], dtype=float)
    return held @ weights / weights.sum()


def quantity_cue(terms: str, text: str, reach: int = 6) -> float:
    """For a how-many question: 1 when ``text`` states a quantity right after one of the question's
    terms (直播间5263个, 活动累计1.9万余次), 0.5 for a quantity elsewhere, 0 for none."""
    starts = quantity_starts(text)
    if not starts:
        return 0.0
    wanted = question_terms(terms)
    for start in starts:  # bigram_tokens simplifies, and t2s keeps offsets
        if wanted & set(bigram_tokens(text[max(0, start - reach) : start])):
            return 1.0
    return 0.5


def is_relevant(question: str, hit: Hit, terms: str, *, min_dense_chinese: float, min_dense_other: float,
                min_term_coverage: float) -> bool:  # fmt: skip
    """Whether a passage is good enough to answer from: similar enough to the question, or holding
    enough of its terms (of ``terms``: its translation, for an English question) — at least two of
    them, numbers aside, so that a one-word translation (capital of France: 巴黎) or a year alone
    never makes a passage an answer."""
    dense = hit.dense_score or 0.0
    chinese = any(is_cjk(char) for char in question)
    threshold = min_dense_chinese if chinese else min_dense_other
    if dense >= threshold:
        return True
    wanted = {term for term in question_terms(terms or question) if not term.isdigit()}
    held = wanted & set(bigram_tokens(hit.text))
    return bool(wanted) and len(held) >= 2 and len(held) / len(wanted) >= min_term_coverage
