"""Which lines are headings, at what level, and how a heading split over two lines is rejoined.

Headings are a file's own heading markup, numbered lines (第一部分, 一、 （一） 1. （1） ①, 一是 as a
title), lead-ins ending in "——", and short lines without final punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

HEADING_MAX_CHARS = 24
UNNUMBERED_HEADING_LEVEL = 1
LEAD_IN_LEVEL = 2

_FINAL_PUNCTUATION = tuple("。！？；：:;!?…，,、")
_CLOSERS = "”’」』）)]》\"'"
_NUMBERED_HEADINGS = (
    (re.compile(r"^第[一二三四五六七八九十百零〇\d]+[部分章编篇]"), 1),
    (re.compile(r"^[一二三四五六七八九十]{1,3}、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"), 2),
    (re.compile(r"^[一二三四五六七八九十]{1,3}是"), 2),
    (re.compile(r"^\d{1,2}(?:[.．、](?!\d)|\s)"), 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 4),
    (re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]"), 5),
)
_LEAD_SENTENCE = re.compile(r"^(.{2,60}?[。！？])")


@dataclass(frozen=True)
class Line:
    """One line of the cleaned text. A heading opens a section at ``level`` named ``title``;
    a numbered paragraph with a lead sentence ("（一）经济运行稳进提质。健全……") is both a
    heading and body. ``page`` is the page it starts on, for formats with pages."""

    start: int
    end: int
    is_body: bool
    level: int | None = None
    title: str | None = None
    page: int | None = None
    confidence: float | None = None  # OCR recognition confidence, for lines read from page images
    page_breaks: tuple[tuple[int, int], ...] = ()  # (offset from start, page) where the line turns a page


@dataclass
class BodyLine:
    """A line that survived cleaning, before its role is known. A table row is never a heading."""

    text: str
    heading_level: int | None
    page: int | None = None
    confidence: float | None = None
    table: bool = False
    page_breaks: tuple[tuple[int, int], ...] = ()


def ends_with_punctuation(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_FINAL_PUNCTUATION) or text.endswith("——")


def heading_number_level(text: str) -> int | None:
    for pattern, level in _NUMBERED_HEADINGS:
        if pattern.match(text):
            return level
    return None


def classify(line: BodyLine) -> tuple[bool, int | None, str | None]:
    """(is_body, heading level, section title) of one line."""
    text = line.text
    if line.table:
        return True, None, None
    if line.heading_level is not None:
        return False, line.heading_level, text.lstrip("#").strip()
    punctuated = ends_with_punctuation(text)
    numbered = heading_number_level(text)
    if numbered is not None:
        if numbered == 2 and text.startswith(tuple("一二三四五六七八九十")) and punctuated:
            return True, None, None  # "一是……。" inside running text is a list, not a heading
        if not punctuated and len(text) <= 60:
            return False, numbered, text
        if text.endswith("——") and len(text) <= 40:
            return False, numbered, text  # a numbered lead-in: "（一）着力扩大内需——"
        lead = _LEAD_SENTENCE.match(text)
        if lead and len(text) > len(lead.group(1)):
            return True, numbered, lead.group(1).rstrip("。！？")
        if lead:
            return False, numbered, text.rstrip("。！？")
        return True, None, None
    if text.endswith("——") and len(text) <= 40:
        return False, LEAD_IN_LEVEL, text
    if not punctuated and len(text) <= HEADING_MAX_CHARS:
        return False, UNNUMBERED_HEADING_LEVEL, text
    return True, None, None


def assemble(body: list[BodyLine]) -> tuple[str, list[Line]]:
    """Join body lines into the cleaned text and find each line's role."""
    parts: list[str] = []
    cleaned: list[Line] = []
    offset = 0
    open_heading: int | None = None  # index in ``cleaned`` of a heading a next line may continue
    for item in body:
        is_body, level, title = classify(item)
        start, end = offset, offset + len(item.text)
        heading = cleaned[open_heading] if open_heading is not None else None
        if heading is not None and _continues_heading(heading, item, is_body, level):
            assert heading.title is not None
            lead_in = heading.title.endswith("——") and heading_number_level(heading.title) is None
            merged_level = UNNUMBERED_HEADING_LEVEL if lead_in else heading.level
            cleaned[open_heading] = replace(heading, level=merged_level, title=heading.title + item.text)
            cleaned.append(Line(start, end, False, None, None, item.page, item.confidence, item.page_breaks))
            open_heading = None
        else:
            cleaned.append(Line(start, end, is_body, level, title, item.page, item.confidence, item.page_breaks))
            open_heading = len(cleaned) - 1 if not is_body and level is not None else None
        parts.append(item.text)
        offset = end + 1
    return "\n".join(parts), cleaned


def _continues_heading(previous: Line, item: BodyLine, is_body: bool, level: int | None) -> bool:
    """A heading split over two lines: a lead-in ending in "——" followed by a short heading
    ("堅持思想引領——" / "網絡空間主流輿論不斷壯大"), or a numbered heading cut short
    ("三、持续提升政府" / "治理效能和服务水平")."""
    if previous.title is None or is_body or level is None:
        return False
    if heading_number_level(item.text) is not None or item.heading_level is not None:
        return False
    if previous.title.endswith("——"):
        return level == UNNUMBERED_HEADING_LEVEL
    cut_short = heading_number_level(previous.title) is not None and len(previous.title) <= 10
    return cut_short and level == UNNUMBERED_HEADING_LEVEL and len(item.text) <= 12
