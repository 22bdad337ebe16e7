"""Which reports mention something (哪些省份提到了人形机器人？ 西藏有没有提到量子计算？ 哪些省份提出要
发展商业航天？): a row per report, citing a sentence that mentions it, or "not stated".

The thing is found by its names (:class:`~qa.questions.Subject`): its words as asked (either
script), its quoted name and its other names; a shorter name without a generic head (量子 for
量子科技) unless that is found in nearly every report; for an English question the Chinese words of
its phrase found in the fewest reports (the one that names the thing, not "development" or
"applications"). A report naming none of them may name it by a short form (夜经济 for 夜间经济),
counted only where it is whole words of the sentence. The row cites the first sentence of the
report that names it, in the report's order (:func:`_mention`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from qa.answer.result import Answer, Request
from qa.answer.rows import Chosen, Group, report_groups, table_answer
from qa.questions import Plan, Subject
from qa.retrieval import Retriever
from qa.text import jieba_tokens, jieba_words, split_sentences, to_simplified

# A shorter name (量子 for 量子科技) counts unless it is found in more than this share of the reports
# asked of while the thing's own names are not: then it names something broader (数字 for 数字技术).
CORE_MAX_SHARE = 0.9
WORD_CONTEXT = 12  # characters read on each side of a short form's match to tell its words
_QUOTES = "[“”\"「」『』‘’'《》〈〉\\s]*"


def answer_which(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    groups = report_groups(plan, retriever.manifest.documents, request.filters)
    subject = plan.subject
    texts = {group.files: _texts(retriever, group) for group in groups}
    names = _names(subject, texts) if subject else []
    patterns: list[Finder] = [_pattern(name, subject.loose if subject else False) for name in names]
    short_names = subject.shorts if subject is not None and names else ()
    shorts: list[Finder] = [WholeWords(_pattern(short, False)) for short in short_names]
    chosen = [_mention(retriever, patterns, group, texts[group.files])
              or _mention(retriever, shorts, group, texts[group.files]) for group in groups]  # fmt: skip
    found = sum(choice is not None for choice in chosen)
    term = subject.text if subject else plan.text
    summary = f"{len(groups)} 份报告中有 {found} 份提到「{term}」。{found} of {len(groups)} reports mention {term}."
    return table_answer(plan, retriever.manifest.documents, groups, chosen, summary, request.filters)


def _texts(retriever: Retriever, group: Group) -> list[tuple[int, str, str]]:
    """(chunk id, simplified text, simplified heading) of each passage of the group's reports."""
    store = retriever.store
    return [(int(chunk_id), retriever.simplified_text(int(chunk_id)),
             to_simplified(" ".join(store.chunk(int(chunk_id)).section[1:])))
            for chunk_id in store.ids_of(group.files)]  # fmt: skip


def _reports_naming(names: list[str], texts: dict, loose: bool) -> int:
    patterns = [_pattern(name, loose) for name in names]
    return sum(any(pattern.search(text) for _id, text, _heading in passages for pattern in patterns)
               for passages in texts.values())  # fmt: skip


def _names(subject: Subject, texts: dict) -> list[str]:
    """The names a report must hold to mention the subject (see the module's documentation)."""
    if subject.parts:
        compounds = _compounds(subject.parts, texts)
        if compounds:
            return compounds
        counted = [(_reports_naming(list(part), texts, True), -max(map(len, part)), part) for part in subject.parts]
        found = sorted(item for item in counted if item[0] > 0)
        if not found:
            return list(subject.words)
        return list(found[0][2])
    names = list(subject.words)
    if subject.cores:
        own = _reports_naming(names, texts, subject.loose)
        for core in subject.cores:
            wider = _reports_naming([core], texts, subject.loose)
            if wider <= max(own, CORE_MAX_SHARE * len(texts)):
                names.append(core)
    return names


def _compounds(parts: tuple[tuple[str, ...], ...], texts: dict) -> list[str]:
    """The Chinese compounds an English thing's neighbouring phrases make, one word of each, that
    name it: a compound some report holds as written whose rarest word no report says outside it
    ("industrial" 工业 + "machine-tool" 母机: 工业母机, as 母机 is said only in it; not 北斗导航 for
    "BeiDou navigation", as reports say 北斗 alone). The longest run of phrases first; none when
    no compound names it."""
    for length in range(len(parts), 1, -1):
        found: list[str] = []
        for first in range(len(parts) - length + 1):
            for words in itertools.product(*parts[first : first + length]):
                compound = "".join(words)
                if compound in found:
                    continue
                reports = _reports_naming([compound], texts, False)
                rarest = min(_reports_naming([word], texts, False) for word in words)
                if reports and reports >= rarest:
                    found.append(compound)
        if found:
            return found
    return []


def _pattern(name: str, loose: bool) -> re.Pattern[str]:
    """What finds a name in a report's text (simplified): loosely for an English question's
    translated words (中欧（中亚）班列 for 中欧班列); quotation marks between its characters ignored
    (“平急两用”公共基础设施); Latin letters in either case (6G, AI)."""
    if loose:
        return _loose(name)
    return re.compile(_QUOTES.join(re.escape(char) for char in name), re.IGNORECASE)


def _mention(retriever: Retriever, patterns: list[Finder], group: Group,
             passages: list[tuple[int, str, str]]) -> Chosen | None:  # fmt: skip
    """A passage of the group's reports that mentions the subject (either script): the first
    sentence that names it, in the report's order, as a reader searching the report finds it
    (measured against the sentence nearest the question's meaning on the tuning halves: which rows
    right 0.924 against 0.866 in eval/tables.jsonl, the same 0.991 in the meaning set's); else
    a passage under a heading that names it (its first sentence is cited, with the heading shown in
    its section path)."""
    if not patterns:
        return None
    under_heading: Chosen | None = None
    for chunk_id, text, heading in passages:
        spans = [match.start() for pattern in patterns for match in pattern.finditer(text)]
        if spans:
            start, end = _sentence_around(retriever.store.chunk(chunk_id).text, min(spans))
            return Chosen(retriever.hit(chunk_id), start, end, 1.0)
        elif under_heading is None and any(pattern.search(heading) for pattern in patterns):
            hit = retriever.hit(chunk_id)
            spans_of = split_sentences(hit.text)
            start, end = spans_of[0] if spans_of else (0, len(hit.text))
            under_heading = Chosen(hit, start, end, 0.5)
    return under_heading


class WholeWords:
    """A short form's pattern, matching only where it is whole words of the text (by jieba): 夜经济 in
    培育银发经济、夜经济, not 海经济 in 沿海经济带."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return (match for match in self.pattern.finditer(text) if _whole_words(text, match.start(), match.end()))

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


Finder = re.Pattern[str] | WholeWords


def _whole_words(text: str, start: int, end: int) -> bool:
    left = max(0, start - WORD_CONTEXT)
    words = jieba_words(text[left : end + WORD_CONTEXT])
    starts = {left + offset for _word, offset in words}
    ends = {left + offset + len(word) for word, offset in words}
    return start in starts and end in ends


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
        return re.compile(re.escape(term), re.IGNORECASE)
    return re.compile(r"[^。；！？]{0,6}?".join(re.escape(part) for part in cover))


def _sentence_around(text: str, position: int) -> tuple[int, int]:
    for start, end in split_sentences(text):
        if start <= position < end:
            return start, end
    return position, min(len(text), position + 40)
