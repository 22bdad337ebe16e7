"""Physical lines of a PDF or scan joined into paragraphs by their geometry, before any cleaning.

Each page is split into columns (a clear vertical gutter with text on both sides); in each column
the text's left and right edges, its usual line pitch and character size are measured. A line
continues the one before it unless something on the page says a paragraph ends there:

- the next line is indented (a paragraph's first line), numbered (一、 （一） 1.), a table row,
  in another font size, or a heading by the file's own markup;
- a blank line or extra spacing separates them (a gap well over the column's usual pitch);
- the line before is short: it stops before the right edge of its column (by more than a
  character and a half) and holds fewer characters than the column's full lines. Text set by
  character count has a ragged right edge (digits and Latin punctuation are half width), so a
  line with as many characters as the column's full lines is full wherever it stops;
- a full line that ends a sentence, followed by a short unpunctuated line: a heading.

Without positions (a reader that gives none), punctuation decides: a line that does not end a
sentence continues, unless it is short and unpunctuated like a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.documents.headings import heading_number_level
from qa.readers.base import Box, RawLine

_SENTENCE_END = tuple("。！？；：!?;:…")
_CLOSERS = "”’」』)）"
_STARTS_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[部分章节条款编篇]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、"
    r"|\d{1,2}[.．、](?!\d)|[①-⑳])"
)
# Lines that may cross a gutter, as a share of the lines beside it (a centred title, a running
# header, a page number: 3 of 41 on the rendered two-column pages).
GUTTER_CROSSINGS = 0.15
# A gap between two lines' tops over this many times the column's usual pitch is a blank line.
BLANK_LINE_PITCH = 1.45


@dataclass(frozen=True)
class Column:
    left: float
    right: float
    pitch: float | None  # usual distance between the tops of consecutive lines
    full_chars: int = 0  # characters of a full line (its 90th percentile)

    @property
    def width(self) -> float:
        return max(self.right - self.left, 1e-6)


def join_paragraphs(lines: list[RawLine]) -> list[RawLine]:
    """``lines`` (physical lines in reading order) joined into paragraphs; table rows stay alone."""
    columns = _columns(lines)
    paragraphs: list[RawLine] = []
    pieces: list[RawLine] = []
    piece_columns: list[Column | None] = []

    def close() -> None:
        if pieces:
            paragraphs.append(_merge(pieces))
            pieces.clear()
            piece_columns.clear()

    for position, line in enumerate(lines):
        column = columns[position]
        if line.table:
            close()
            paragraphs.append(line)
            continue
        if pieces and not continues(pieces[-1], piece_columns[-1], line, column):
            close()
        pieces.append(line)
        piece_columns.append(column)
    close()
    return paragraphs


def continues(previous: RawLine, before: Column | None, line: RawLine, after: Column | None) -> bool:
    """Whether ``line`` continues the paragraph that ``previous`` is the last line of so far."""
    if previous.table or line.heading_level is not None or previous.heading_level is not None:
        return False
    text, last = line.text.strip(), previous.text.strip()
    if _STARTS_NUMBERED.match(text):
        return False
    if previous.box is None or line.box is None or before is None or after is None:
        return _continues_by_punctuation(last)
    one, two = previous.box, line.box
    size = max(one.size, two.size, 0.004)
    if two.left >= after.left + 1.2 * size:
        return False  # indented: a paragraph's first line, or a centred line
    short_line = min(len(last), len(text)) < 6  # a short line's box says little of its font
    if not short_line and abs(one.size - two.size) > 0.3 * size:
        return False  # another font size: a heading, a caption
    if previous.page == line.page and before == after and _gap_breaks(one, two, after):
        return False
    ends_sentence = last.rstrip(_CLOSERS).endswith(("。", "！", "？"))
    # by count: a line one or two characters short of the full ones (OCR missed a quotation mark)
    # still continues, unless it ends a sentence: then it is a paragraph's last line
    slack = 0 if ends_sentence else 2
    # by width: within a character and a half of the column's right edge (a ragged left-aligned
    # line); a line that ends a sentence must reach it (justified text does, within OCR's jitter)
    reach = (0.6 if ends_sentence else 1.6) * size
    full = one.right >= before.right - reach or (before.full_chars >= 10 and _count(last) >= before.full_chars - slack)
    if not full:
        return False  # a paragraph's last line, or a heading
    if ends_sentence:
        next_full = two.right >= after.right - 1.6 * size
        punctuated = text.rstrip(_CLOSERS).endswith(_SENTENCE_END + ("，", "、"))
        if not next_full and len(text) <= 40 and not punctuated:
            return False  # a paragraph that ends at the margin, then a heading at the margin
    return True


def _count(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def _gap_breaks(one: Box, two: Box, column: Column) -> bool:
    step = two.top - one.top
    height = max(one.bottom - one.top, two.bottom - two.top, 1e-6)
    if step < 0.5 * height:
        return True  # above the line before, or on it: not the next line of a paragraph
    usual = column.pitch if column.pitch is not None else 1.5 * height
    return step > BLANK_LINE_PITCH * usual


def _continues_by_punctuation(text: str) -> bool:
    is_heading_like = len(text) <= 20 and not text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
    if is_heading_like or heading_number_level(text) is not None and len(text) <= 30:
        return False
    return not text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _columns(lines: list[RawLine]) -> list[Column | None]:
    """The column each line sits in (None for a line without a box or a table row)."""
    by_page: dict[int, list[int]] = {}
    for position, line in enumerate(lines):
        if line.box is not None and not line.table:
            by_page.setdefault(line.page or 0, []).append(position)
    found: list[Column | None] = [None] * len(lines)
    usual: dict[str, list[Column]] = {}
    pending: list[tuple[list[int], str]] = []
    for positions in by_page.values():
        for group, kind in _split_columns([lines[position] for position in positions], positions):
            column = _measure([lines[position] for position in group])
            if column is None:
                pending.append((group, kind))
                continue
            usual.setdefault(kind, []).append(column)
            for position in group:
                found[position] = column
    for group, kind in pending:  # a page with too few lines to tell: the document's usual column
        candidates = usual.get(kind) or [column for columns in usual.values() for column in columns]
        if candidates:
            column = Column(
                _median([candidate.left for candidate in candidates]),
                _median([candidate.right for candidate in candidates]),
                _median([candidate.pitch for candidate in candidates if candidate.pitch is not None] or [0.0]) or None,
                round(_median([candidate.full_chars for candidate in candidates])),
            )
            for position in group:
                found[position] = column
    return found


def _split_columns(page: list[RawLine], positions: list[int]) -> list[tuple[list[int], str]]:
    """The page's lines grouped by column: ("left", "right") of a two-column page, lines spanning
    the gutter ("full") on their own; or the whole page ("single")."""
    gutter = _gutter([line.box for line in page if line.box is not None])
    if gutter is None:
        return [(positions, "single")]
    left, right, full = [], [], []
    for line, position in zip(page, positions, strict=True):
        assert line.box is not None
        if line.box.right <= gutter:
            left.append(position)
        elif line.box.left >= gutter:
            right.append(position)
        else:
            full.append(position)
    return [(group, kind) for group, kind in ((left, "left"), (right, "right"), (full, "full")) if group]


def _gutter(boxes: list[Box]) -> float | None:
    """A vertical gap near the middle of the page that no text line crosses (titles and running
    headers that span it aside), with four lines on one side and two on the other at least."""
    if len(boxes) < 8:
        return None
    bins = 100
    coverage = [0] * bins
    narrow = [box for box in boxes if box.right - box.left < 0.6]
    for box in narrow:
        for index in range(max(int(box.left * bins), 0), min(int(box.right * bins) + 1, bins)):
            coverage[index] += 1
    middle = coverage[30:70]
    lowest = min(range(len(middle)), key=lambda index: middle[index])
    if middle[lowest] > GUTTER_CROSSINGS * max(coverage):
        return None
    gutter = (30 + lowest + 0.5) / bins
    on_left = sum(1 for box in narrow if box.right <= gutter and box.right - box.left > 0.2)
    on_right = sum(1 for box in narrow if box.left >= gutter and box.right - box.left > 0.2)
    return gutter if min(on_left, on_right) >= 2 and max(on_left, on_right) >= 4 else None  # a short last column


def _measure(column_lines: list[RawLine]) -> Column | None:
    boxes = [line.box for line in column_lines if line.box is not None]
    if not boxes:
        return None
    span = max(box.right for box in boxes) - min(box.left for box in boxes)
    wide = [box for box in boxes if box.right - box.left > 0.5 * span]
    if len(wide) < 3:
        return None
    lefts = sorted(box.left for box in wide)
    rights = sorted(box.right for box in wide)
    steps = [
        two.top - one.top
        for one, two in zip(boxes, boxes[1:], strict=False)
        if 0.5 * (one.bottom - one.top) < two.top - one.top < 3 * (one.bottom - one.top)
    ]
    counts = sorted(_count(line.text) for line in column_lines)
    return Column(
        lefts[len(lefts) // 10], rights[len(rights) * 9 // 10], _median(steps) if steps else None,
        counts[len(counts) * 9 // 10],
    )  # fmt: skip


def _is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _merge(pieces: list[RawLine]) -> RawLine:
    if len(pieces) == 1:
        return pieces[0]
    text = pieces[0].text
    breaks: list[tuple[int, int]] = []
    for previous, piece in zip(pieces, pieces[1:], strict=False):
        part = piece.text
        if text and part and _is_word(text[-1]) and _is_word(part[0]) and not (text[-1] + part[0]).isdigit():
            text += " "  # English words wrapped onto the next line; a number cut by the wrap stays whole
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
