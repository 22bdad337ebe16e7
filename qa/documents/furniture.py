"""Page furniture of PDFs and scans: page numbers in their many forms, running headers and footers
repeated across pages, table-of-contents lines and pages, rules of symbols. Every line taken out
is returned, to be listed in ``Document.removed``.

Page numbers are recognised wherever the extractor puts them on the page (first line, last line,
or in between), by their form ("— 3 —", "- 3 -", "第3页", "第 3 页 共 34 页", "3/34", "Page 3")
and, for a bare number, by their place at the top or bottom of the page. A running header or
footer is a line at the top or bottom of its page whose text (digits masked, so "第 114 期 87"
and "第 114 期 88" are one) recurs at about the same place on many pages.
"""

from __future__ import annotations

import re
from collections import defaultdict

from qa.documents.retention import CONTENTS, PAGE_NUMBER, RULE, RUNNING_HEADER, Removed
from qa.readers.base import RawLine
from qa.text import to_simplified

_DASHES = "-－—–─―‐‑‒~～_·•"
_PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASHES}\s]*\d{{1,4}}[{_DASHES}\s]*"
    r"|第\s*[\d一二三四五六七八九十百零〇]+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|[\[(（]\s*\d{1,4}\s*[\])）]"
    r"|[ivxlcIVXLC]{1,6})$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^(?:\d{1,4}|[ivxlcIVXLC]{1,6})$")
# A contents line's leader ("郭裕信........ 1"); two ellipses end many a sentence ("等等……"), so
# they make a leader only before a page number.
_DOTTED_LEADER = re.compile(
    r"(?:\.{4,}|…{3,}|·{4,}|．{4,}|。{4,}|-{6,}|_{6,}|⋯{3,})\s*[\d一二三四五六七八九十]*\s*$|(?:…|⋯){2}\s*\d+\s*$"
)
_TRAILING_PAGE = re.compile(r"[^\d\s,.，]\s*\d{1,3}$")
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")
# A sentence's last punctuation wrapped onto a line of its own ("。", "”。") is text, not a rule.
_WRAPPED_PUNCTUATION = re.compile(r"^[。，、；：！？”’」』）》.,;:!?)]{1,3}$")
_CONTENTS = {"目录", "目次", "本期目次", "目錄", "contents", "tableofcontents"}
# Top and bottom bands of a page where furniture sits (fractions of its height).
_BAND = 0.12


def is_page_number(text: str) -> bool:
    return _PAGE_NUMBER.match(text.strip()) is not None


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", to_simplified(re.sub(r"\s+", "", text)))


def _edge_positions(page_lines: list[RawLine]) -> set[int]:
    """Indexes (in ``page_lines``) of the lines at the page's top and bottom: the first and last two
    in reading order, and any line in the top or bottom band."""
    count = len(page_lines)
    edge = {index for index in (0, 1, count - 2, count - 1) if 0 <= index < count}
    for index, line in enumerate(page_lines):
        if line.box is not None and (line.box.bottom <= _BAND or line.box.top >= 1 - _BAND):
            edge.add(index)
    if any(line.box is not None for line in page_lines):  # with positions, only lines at the edges
        tops = sorted((line.box.top, index) for index, line in enumerate(page_lines) if line.box is not None)
        extreme = {index for _, index in tops[:2] + tops[-2:]}
        edge = {
            index for index in edge if page_lines[index].box is None or index in extreme or _in_band(page_lines[index])
        }
    return edge


def _in_band(line: RawLine) -> bool:
    return line.box is not None and (line.box.bottom <= _BAND or line.box.top >= 1 - _BAND)


def remove_furniture(lines: list[RawLine]) -> tuple[list[RawLine], list[Removed]]:
    """``lines`` without page numbers, running headers and footers, contents lines and symbol
    rules; and the removed lines with their reason, in document order."""
    pages: dict[int, list[int]] = defaultdict(list)
    for position, line in enumerate(lines):
        pages[line.page or 0].append(position)
    drop: dict[int, str] = {}

    # Running headers and footers: the same text (digits masked) at a page edge on many pages.
    occurrences: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for page, positions in pages.items():
        page_lines = [lines[position] for position in positions]
        for index in _edge_positions(page_lines):
            line = page_lines[index]
            if not line.table and line.text.strip():
                occurrences[_key(line.text)].append((page, positions[index]))
    page_count = len(pages)
    if page_count >= 2:
        # on a document of two pages, a header must be on both, in the top or bottom band
        needed = max(3, round(0.3 * page_count)) if page_count >= 3 else 2
        for key, found in occurrences.items():
            recurring = len({page for page, _ in found}) >= needed and len(key) >= 2
            if page_count == 2 and not all(_in_band(lines[position]) for _, position in _alike(found, lines)):
                continue
            if recurring and not _BARE_NUMBER.match(key.strip("#")) and _same_place([lines[p] for _, p in found]):
                for _, position in _alike(found, lines):
                    drop[position] = PAGE_NUMBER if is_page_number(lines[position].text) else RUNNING_HEADER

    for positions in pages.values():
        page_lines = [lines[position] for position in positions]
        edges = _edge_positions(page_lines)
        contents_page = _is_contents_page(page_lines)
        for index, position in enumerate(positions):
            line = lines[position]
            text = line.text.strip()
            if line.table or position in drop:
                continue
            page_number = _PAGE_NUMBER.match(text) and (not _BARE_NUMBER.match(text) or index in edges)
            rule = _DOTTED_LEADER.search(text) or (_SYMBOLS_ONLY.match(text) and not _WRAPPED_PUNCTUATION.match(text))
            contents = contents_page and (_TRAILING_PAGE.search(text) or _key(text) in _CONTENTS)
            if page_number or rule or contents:
                drop[position] = PAGE_NUMBER if page_number else CONTENTS if contents else RULE
    for position in _contents_block(lines, pages):
        drop.setdefault(position, CONTENTS)
    kept = [line for position, line in enumerate(lines) if position not in drop]
    removed = [Removed(lines[position].text.strip(), drop[position], lines[position].page) for position in sorted(drop)]
    return kept, removed


def _alike(found: list[tuple[int, int]], lines: list[RawLine]) -> list[tuple[int, int]]:
    """The occurrences of a running header in its usual type size: the document's title, set large
    on its first page, is not the header that repeats it over every page."""
    sizes = sorted(lines[position].box.size for _, position in found if lines[position].box is not None)
    if len(sizes) < len(found):
        return found
    usual = sizes[len(sizes) // 2]
    return [(page, position) for page, position in found if abs(lines[position].box.size - usual) <= 0.3 * usual]


def _same_place(found: list[RawLine]) -> bool:
    """Repeated lines are furniture when they sit at about the same height on their pages (a body
    sentence that happens to recur, "（责任单位：市发改委）", lands anywhere)."""
    tops = sorted(line.box.top for line in found if line.box is not None)
    if len(tops) < len(found) * 0.8:
        return True  # no positions (a reader without boxes): the edge of the page decides alone
    if sum(1 for line in found if _in_band(line)) < 0.6 * len(found):
        return False  # repeated, but inside the page's body ("单位：万元" over each table)
    middle = tops[len(tops) // 2]
    close = sum(1 for top in tops if abs(top - middle) <= 0.03)
    return close >= 0.6 * len(tops)


def _is_contents_page(page_lines: list[RawLine]) -> bool:
    texts = [line.text.strip() for line in page_lines if line.text.strip() and not line.table]
    if len(texts) < 4:
        return False
    dotted = sum(1 for text in texts if _DOTTED_LEADER.search(text))
    return dotted >= 0.3 * len(texts) or any(_key(text) in _CONTENTS for text in texts[:3])


def _contents_block(lines: list[RawLine], pages: dict[int, list[int]]) -> set[int]:
    """A contents page that lists headings without page numbers ("目 录" and then the headings):
    its lines, and those of the next pages while they hold nothing but such headings."""
    drop: set[int] = set()
    ordered = sorted(pages)
    for number, page in enumerate(ordered):
        texts = [lines[position].text.strip() for position in pages[page]]
        if not texts or _key(texts[0]) not in _CONTENTS:
            continue
        drop.update(pages[page])
        for following in ordered[number + 1 : number + 4]:
            following_texts = [lines[position].text.strip() for position in pages[following]]
            if following_texts and all(_is_listed_heading(text) for text in following_texts):
                drop.update(pages[following])
            else:
                break
    return drop


def _is_listed_heading(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[。；！？]$", text)
