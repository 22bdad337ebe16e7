"""Lines of paged formats (PDF, scans) made into the lines of a document: font artefacts
normalised (:mod:`qa.documents.fonts`), page furniture removed (:mod:`qa.documents.furniture`),
and physical lines joined back into paragraphs.

Joining looks at where each line sits when the reader gives positions: a line continues on the
next one when it runs to the right margin of its column and the next line is not indented (a
paragraph's first line is indented by two characters) nor numbered, even across a page break.
A short line (a heading, a paragraph's last line) ends its paragraph, so a heading is never
glued to the sentence below it. Without positions, the punctuation decides: a line that does not
end a sentence continues, unless it is short and unpunctuated like a heading. Table rows are
never joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.documents.fonts import is_chinese, normalise_paged_text
from qa.documents.furniture import remove_furniture
from qa.documents.headings import heading_number_level
from qa.readers.base import RawLine
from qa.text import scrub_surrogates

_SENTENCE_END = tuple("。！？；：!?;:…”’」』)）")
_CLOSERS = "”’」』）)"
_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_OCR_DASH = re.compile(r"(?<=[\u4e00-\u9fff])[—－-]$")
_STARTS_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[部分章节条款编篇]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d)|[①-⑳])"
)


def prepare_pages(lines: list[RawLine]) -> tuple[list[RawLine], list[str]]:
    """Normalised, furniture-free paragraphs of a paged document, and the furniture removed."""
    chinese = is_chinese([line.text for line in lines[:400]])
    normalised = []
    for line in lines:
        text = (
            " | ".join(normalise_paged_text(cell, chinese) for cell in line.text.split(" | ")) if line.table else None
        )
        text = text if text is not None else normalise_paged_text(line.text, chinese)
        if line.confidence is not None and chinese:
            text = _OCR_DASH.sub("——", text)  # OCR reads the lead-in dash "——" as one
        # as qa.documents cleans every line, so that offsets into a joined paragraph stay right
        text = _SPACES.sub(" ", scrub_surrogates(text)).strip()
        if text:
            normalised.append(replace(line, text=text))
    kept, removed = remove_furniture(normalised)
    return join_paragraphs(_table_notes(kept)), removed


_TABLE_NOTE = re.compile(r"^(?:金额|货币|计量)?单位\s*[:：]")


def _table_notes(lines: list[RawLine]) -> list[RawLine]:
    """ "单位：万元" over a table belongs to the table: a row of it, never a heading."""
    marked = list(lines)
    for position, line in enumerate(lines[:-1]):
        if not line.table and lines[position + 1].table and _TABLE_NOTE.match(line.text.strip()):
            marked[position] = replace(line, table=True)
    return marked


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float


def _page_margins(lines: list[RawLine]) -> dict[int, _Margins]:
    """Left and right margin of the body text on each page (from its wide lines), with the
    document's usual margins for pages with too few lines to tell."""
    by_page: dict[int, list[RawLine]] = {}
    for line in lines:
        if line.box is not None and not line.table:
            by_page.setdefault(line.page or 0, []).append(line)
    margins: dict[int, _Margins] = {}
    for page, page_lines in by_page.items():
        wide = [line.box for line in page_lines if line.box.right - line.box.left > 0.45]
        if len(wide) >= 3:
            rights = sorted(box.right for box in wide)
            lefts = sorted(box.left for box in wide)
            margins[page] = _Margins(lefts[len(lefts) // 10], rights[len(rights) * 9 // 10])
    if margins:
        usual = _Margins(
            sorted(margin.left for margin in margins.values())[len(margins) // 2],
            sorted(margin.right for margin in margins.values())[len(margins) // 2],
        )
        for page in by_page:
            margins.setdefault(page, usual)
    return margins


def join_paragraphs(lines: list[RawLine]) -> list[RawLine]:
    margins = _page_margins(lines)
    paragraphs: list[RawLine] = []
    pieces: list[RawLine] = []

    def close() -> None:
        if pieces:
            paragraphs.append(_merge(pieces))
            pieces.clear()

    for line in lines:
        if line.table:
            close()
            paragraphs.append(line)
            continue
        if pieces and not _continues(pieces[-1], line, margins):
            close()
        pieces.append(line)
    close()
    return paragraphs


def _continues(previous: RawLine, line: RawLine, margins: dict[int, _Margins]) -> bool:
    if previous.table or line.heading_level is not None or previous.heading_level is not None:
        return False
    text = line.text.strip()
    if _STARTS_NUMBERED.match(text):
        return False
    if previous.box is None or line.box is None or (previous.page or 0) not in margins:
        return _continues_by_punctuation(previous.text.strip())
    before, after = previous.box, line.box
    margin_before = margins[previous.page or 0]
    margin_after = margins.get(line.page or 0, margin_before)
    size = max(before.size, after.size, 0.004)
    full = before.right >= margin_before.right - 1.6 * size
    indented = after.left >= margin_after.left + 1.2 * size
    if not full or indented:
        return False
    next_full = after.right >= margin_after.right - 1.6 * size
    ended = previous.text.rstrip(_CLOSERS).endswith(("。", "！", "？"))
    punctuated = text.rstrip(_CLOSERS).endswith(_SENTENCE_END + ("，", "、"))
    heading_like = not next_full and len(text) <= 40 and not punctuated
    if ended and heading_like:
        return False  # a paragraph that ends at the margin, then a heading at the margin
    short = min(len(previous.text.strip()), len(text)) < 6  # a short line's box says little of its font
    if not short and abs(before.size - after.size) > 0.3 * size:  # another font size: a heading, a caption
        return False
    if previous.page == line.page:
        gap = after.top - before.bottom
        height = max(before.bottom - before.top, after.bottom - after.top)
        if gap > 1.6 * height or gap < -0.5 * height:
            return False
    return True


def _continues_by_punctuation(text: str) -> bool:
    is_heading_like = len(text) <= 20 and not text.endswith(_SENTENCE_END)
    if is_heading_like or heading_number_level(text) is not None and len(text) <= 30:
        return False
    return not text.endswith(_SENTENCE_END)


def _merge(pieces: list[RawLine]) -> RawLine:
    if len(pieces) == 1:
        return pieces[0]
    text = pieces[0].text
    breaks: list[tuple[int, int]] = []
    for previous, piece in zip(pieces, pieces[1:], strict=False):
        part = piece.text
        if text and part and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            text += " "
        if piece.page != previous.page and piece.page is not None:
            breaks.append((len(text), piece.page))
        text += part
    confidences = [(piece.confidence, len(piece.text)) for piece in pieces if piece.confidence is not None]
    confidence = None
    if confidences:
        confidence = round(
            sum(value * weight for value, weight in confidences) / max(sum(w for _, w in confidences), 1), 4
        )
    return replace(pieces[0], text=text, confidence=confidence, page_breaks=tuple(breaks))
