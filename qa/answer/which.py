"""Which reports mention something (哪些省份提到了人形机器人？ 西藏有没有提到量子计算？): a row per
report, citing the first sentence that mentions it, or "not stated"."""

from __future__ import annotations

import re

from qa.answer.result import Answer, Request
from qa.answer.rows import Chosen, Group, report_groups, table_answer
from qa.answer.sentences import split_sentences
from qa.questions import Plan, Subject
from qa.retrieval import Retriever
from qa.text import jieba_tokens, to_simplified


def answer_which(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    groups = report_groups(plan, retriever.manifest.documents, request.filters)
    patterns = _patterns(plan.subject) if plan.subject else []
    chosen = [_mention(retriever, patterns, group) for group in groups]
    found = sum(choice is not None for choice in chosen)
    term = plan.subject.text if plan.subject else plan.text
    summary = f"{len(groups)} 份报告中有 {found} 份提到「{term}」。{found} of {len(groups)} reports mention {term}."
    return table_answer(plan, retriever.manifest.documents, groups, chosen, summary, request.filters)


def _patterns(subject: Subject) -> list[re.Pattern[str]]:
    """What finds the subject in a report's text (simplified): each of its words, loosely for an
    English question's translated words (中欧（中亚）班列 for 中欧班列)."""
    return [_loose(word) if subject.loose else re.compile(re.escape(word)) for word in subject.words]


def _mention(retriever: Retriever, patterns: list[re.Pattern[str]], group: Group) -> Chosen | None:
    """The first passage of the group's reports that mentions the subject (either script): in its
    text, or in the heading it stands under (then its first sentence is cited, with the heading shown
    in its section path)."""
    if not patterns:
        return None
    under_heading: Chosen | None = None
    for chunk_id in (int(i) for i in retriever.store.ids_of(group.files)):
        text = retriever.simplified_text(chunk_id)
        heading = to_simplified(" ".join(retriever.store.chunk(chunk_id).section[1:]))
        for pattern in patterns:
            match = pattern.search(text)
            if match is not None:
                hit = retriever.hit(chunk_id)
                start, end = _sentence_around(hit.text, match.start())
                return Chosen(hit, start, end, 1.0)
            if under_heading is None and pattern.search(heading):
                hit = retriever.hit(chunk_id)
                spans = split_sentences(hit.text)
                start, end = spans[0] if spans else (0, len(hit.text))
                under_heading = Chosen(hit, start, end, 0.5)
    return under_heading


def _loose(term: str) -> re.Pattern[str]:
    """The term's words (by jieba) in order, a few characters apart at most."""
    parts = [part for part in dict.fromkeys(jieba_tokens(term)) if len(part) > 1 and part in term]
    parts = sorted(parts, key=term.index)
    cover = []
    position = 0
    for part in parts:  # a cover of the term by its longest words, left to right
        where = term.find(part, position)
        if where == position:
            cover.append(part)
            position += len(part)
    if len(cover) < 2 or position != len(term):
        return re.compile(re.escape(term))
    return re.compile(r"[^。；！？]{0,6}?".join(re.escape(part) for part in cover))


def _sentence_around(text: str, position: int) -> tuple[int, int]:
    for start, end in split_sentences(text):
        if start <= position < end:
            return start, end
    return position, min(len(text), position + 40)
