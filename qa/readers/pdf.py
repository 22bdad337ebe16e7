"""PDF files, page by page: the text layer where it is good, OCR where there is none or it is garbage.

Every page is judged on its own (:func:`judge_text`): a page with a usable text layer is read as
text (PDFium: its characters with their boxes, in the page's own order, as physical lines with
their position); a page with no text, or whose text is garbage ((cid:NN), glyph names such as
/G39/G3A, private-use or replacement characters, characters PDFium could not map, symbol soup),
or with far too few characters for the ink on it, is rendered and OCR'd (:mod:`qa.readers.ocr`).
Pages with ruled tables have them read by pdfplumber as rows of cells (" | " between cells).
Lines keep their page number; joining them into paragraphs, page numbers, running headers and
font artefacts are the documents stage's work (:mod:`qa.documents.paged`).

PDFium (pypdfium2) was chosen over pypdf and pdfplumber by measuring the four real PDFs in
``../shared/corpora/pdf`` (``python -m bench.pdf_extractors``): the same CJK characters from
each, in 7.4 s for all four against 32.8 s (pypdf) and 74.3 s (pdfplumber), 10-16x faster than
pypdf on the three notices; unlike pypdf it does not space out the characters of justified lines
("加 大 创 业": 63 such runs in the Sichuan notice, none with PDFium) or, unlike pdfplumber, split
digits in another font from their line.
"""

from __future__ import annotations

import ctypes
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from qa.errors import DocumentError
from qa.limits import MAX_PAGE_PIXELS, MAX_PDF_PAGES
from qa.readers.base import Box, RawDocument, RawLine, ReadOptions, split_lines

# PDFium is not thread-safe: one document at a time in this process.
_PDFIUM = threading.Lock()

# A page whose text layer has fewer characters than this is compared with the ink on the page.
_FEW_CHARS = 120
# Share of a character's box that its strokes darken, about (CJK at 36 dpi): a page with four
# times the ink its text layer explains is a scan with a stray text layer (a page number).
_INK_PER_BOX = 0.35
# Path objects on a page before pdfplumber is asked for ruled tables on it.
_TABLE_PATHS = 12

_CID = re.compile(r"\(cid:\d+\)")
_GLYPH_NAMES = re.compile(r"(?:/?(?:G|g|uni|glyph|C|cid)[0-9A-Fa-f]{2,5}){2,}")


@dataclass
class _Page:
    number: int
    lines: list[RawLine]
    chars: int = 0
    needs_ocr: bool = False
    reason: str = ""
    garbage: bool = False  # the text layer is garbage: OCR replaces it whatever it finds


def read_pdf(data: bytes, path: Path, options: ReadOptions | None = None) -> RawDocument:
    import pypdfium2 as pdfium

    options = options or ReadOptions()
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            message = str(error)
            if "password" in message.lower():
                raise DocumentError(path, "encrypted PDF: needs a password") from error
            raise DocumentError(path, f"not a readable PDF ({message})") from error
        try:
            if len(document) > MAX_PDF_PAGES:  # bounds before work (qa.limits)
                raise DocumentError(path, f"{len(document):,} pages; at most {MAX_PDF_PAGES:,} pages a PDF: split it")
            return _read(document, data, path, options)
        finally:
            document.close()


def _read(document, data: bytes, path: Path, options: ReadOptions) -> RawDocument:
    count = len(document)
    if count == 0:
        raise DocumentError(path, "not a readable PDF (it has no pages)")
    pages: list[_Page] = []
    plumber = _Tables(data)
    for index in range(count):
        page = document[index]
        try:
            pages.append(_text_page(page, index + 1, plumber, path))
        finally:
            page.close()
    plumber.close()
    to_ocr = [page for page in pages if page.needs_ocr]
    dropped = 0
    low: list[tuple[str, int | None]] = []
    ocr_pages = 0
    blank = 0
    if to_ocr:
        from qa.readers import ocr

        ocr.check_budget(len(to_ocr), path)
        for done, item in enumerate(to_ocr):
            options.report("ocr", done, len(to_ocr))
            page = document[item.number - 1]
            try:
                image = _render(page, item.number, path)
            finally:
                page.close()
            try:
                result = ocr.ocr_image(image, options.ocr_cache)
            except ocr.OcrUnavailable as error:
                why = f"page {item.number}: {item.reason}"
                raise DocumentError(path, f"no text layer, needs OCR ({why}), but {error}") from error
            del image
            lines, lost = ocr.page_lines(result, item.number)
            dropped += lost
            blank += result.blank
            ocr_pages += not result.blank
            if item.garbage or not item.lines or _chars(lines) > item.chars * 2:  # OCR read more than the layer had
                item.lines = lines
                low.extend(ocr.low_confidence(result, item.number))
        options.report("ocr", len(to_ocr), len(to_ocr))
    lines = [line for page in pages for line in page.lines]
    if not any(line.text.strip() for line in lines):
        if to_ocr:
            if blank == len(to_ocr):
                what = "its page is blank" if count == 1 else f"its {count} pages are blank"
            else:
                what = "OCR found no text on its page" if count == 1 else f"OCR found no text on its {count} pages"
            raise DocumentError(path, f"no text layer, needs OCR (a scanned PDF), and {what}")
        raise DocumentError(
            path, f"no text found in the PDF: {'its page is' if count == 1 else f'its {count} pages are'} blank"
        )
    return RawDocument(lines, title=_title(document), ocr_dropped=dropped, ocr_pages=ocr_pages, dropped=tuple(low))


def _title(document) -> str | None:
    try:
        title = (document.get_metadata_value("Title") or "").strip()
    except Exception:  # a broken Info dictionary: no title
        return None
    if not title or title.lower().endswith((".pdf", ".doc", ".docx", ".wps")) or title in ("标题", "Title", "无标题"):
        return None
    return title


def _chars(lines: list[RawLine]) -> int:
    return sum(len(line.text.strip()) for line in lines)


def _text_page(page, number: int, tables: _Tables, path: Path | str = "<pdf>") -> _Page:
    """The page's text layer as physical lines, and whether it needs OCR instead."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        lines, unmapped = _physical_lines(textpage, number, width, height)
    finally:
        textpage.close()
    text = "".join(line.text for line in lines)
    chars = len(re.sub(r"\s", "", text))
    result = _Page(number, lines, chars)
    verdict = judge_text(text, unmapped)
    if verdict is not None and chars:
        result.needs_ocr, result.reason, result.garbage = True, verdict, True
        return result
    if chars < _FEW_CHARS:
        refuse_huge_images(page, number, path)  # rendering it, even small, would decode it
        ink = _ink(page)
        expected = _text_ink(lines, width, height)
        if _image_area(page, width, height) > 0.2:  # a scanned page, maybe with a stray text layer
            needs_ocr = ink > 0.002 and ink > 4 * expected
        else:  # vector only: text drawn as outlines, not empty table rules or a rule under a heading
            needs_ocr = chars < 20 and ink > 0.015 and ink > 4 * expected
        if needs_ocr:
            result.needs_ocr, result.reason = (
                True,
                verdict or f"{chars} characters for the ink of {ink:.1%} of the page",
            )
            return result
    if chars and page.get_rotation() == 0 and _path_count(page) >= _TABLE_PATHS:
        result.lines = tables.merge(number - 1, lines, width, height)
    return result


def judge_text(text: str, unmapped: int = 0) -> str | None:
    """Why a page's text layer is garbage (to be OCR'd instead), or None when it is usable."""
    visible = re.sub(r"\s", "", text)
    if not visible:
        return "no text layer"
    total = len(visible)
    bad = unmapped + sum(len(match) for match in _CID.findall(visible))
    bad += sum(len(match) for match in _GLYPH_NAMES.findall(visible))
    bad += sum(1 for char in visible if _is_bad_char(char))
    if bad > max(3, 0.05 * total):
        return f"{bad} of {total} characters are unmapped glyphs"
    good = sum(1 for char in visible if _is_text_char(char))
    if good < 0.75 * total:
        return f"only {good} of {total} characters are text (symbol soup)"
    return None


def _is_bad_char(char: str) -> bool:
    code = ord(char)
    return (
        0xE000 <= code <= 0xF8FF  # private use
        or code >= 0xF0000  # supplementary private use
        or code == 0xFFFD
        or code < 0x20
        or 0x7F <= code < 0xA0
    )


def _is_text_char(char: str) -> bool:
    code = ord(char)
    return (
        char.isascii()
        or 0x3400 <= code <= 0x9FFF  # CJK
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2000 <= code <= 0x206F  # general punctuation
        or 0xA1A1 <= code <= 0xA9FE  # punctuation that fonts map into the Yi block (normalised later)
        or char in "·°±×÷«»‧《》〈〉「」『』【】〔〕…—–※★☆●○■□◆◇▲△→←√①②③④⑤⑥⑦⑧⑨⑩"
        or char.isalpha()
    )


def _physical_lines(textpage, number: int, width: float, height: float) -> tuple[list[RawLine], int]:
    """The text layer's lines in PDFium's order, each with its box; and how many characters PDFium
    could not map to Unicode."""
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    lines: list[RawLine] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    unmapped = 0

    def flush() -> None:
        text = "".join(chars)
        if text.strip():
            lines.append(RawLine(text, page=number, box=_line_box(boxes, width, height)))
        chars.clear()
        boxes.clear()

    for index in range(count):
        code = raw.FPDFText_GetUnicode(handle, index)
        char = chr(code) if 0 < code < 0x110000 else "\ufffd"
        if char in "\r\n":
            flush()
            continue
        if raw.FPDFText_HasUnicodeMapError(handle, index) == 1:
            unmapped += 1
        chars.append(char)
        if not char.isspace() and raw.FPDFText_GetCharBox(handle, index, left, right, bottom, top):
            boxes.append((left.value, right.value, bottom.value, top.value))
    flush()
    return lines, unmapped


def _line_box(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> Box | None:
    if not boxes or width <= 0 or height <= 0:
        return None
    sizes = sorted(top - bottom for _, _, bottom, top in boxes)
    return Box(
        left=max(0.0, min(box[0] for box in boxes) / width),
        top=max(0.0, 1 - max(box[3] for box in boxes) / height),
        right=min(1.0, max(box[1] for box in boxes) / width),
        bottom=min(1.0, 1 - min(box[2] for box in boxes) / height),
        size=sizes[len(sizes) // 2] / width,
    )


def _ink(page) -> float:
    """Share of clearly dark pixels of the page rendered at 36 dpi (text, lines, scanned marks)."""
    bitmap = page.render(scale=0.5, grayscale=True)
    try:
        pixels = bitmap.to_numpy()
        gray = pixels if pixels.ndim == 2 else pixels[..., 0]
        return float((gray < 160).mean())
    finally:
        bitmap.close()


def _text_ink(lines: list[RawLine], width: float, height: float) -> float:
    """The ink the text layer's characters would leave, as a share of the page."""
    total = 0.0
    for line in lines:
        if line.box is not None:
            visible = len(re.sub(r"\s", "", line.text))
            total += visible * (line.box.size * width) ** 2 / (width * height) * _INK_PER_BOX
    return total


def _image_area(page, width: float, height: float) -> float:
    """Share of the page covered by its largest image."""
    import pypdfium2.raw as raw

    largest = 0.0
    for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = item.get_bounds()
        area = max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
        largest = max(largest, area / max(width * height, 1.0))
    return largest


def _path_count(page) -> int:
    import pypdfium2.raw as raw

    count = 0
    for item in page.get_objects(max_depth=2):
        if item.type == raw.FPDF_PAGEOBJ_PATH:
            count += 1
            if count >= _TABLE_PATHS:
                break
    return count


def refuse_huge_images(page, number: int, path: Path | str) -> None:
    """Raise :class:`DocumentError` if the page holds an image over the pixel limit, before
    anything decodes it."""
    import pypdfium2.raw as raw

    width_px, height_px = ctypes.c_uint(), ctypes.c_uint()
    for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        if raw.FPDFImageObj_GetImagePixelSize(item.raw, width_px, height_px):
            pixels = width_px.value * height_px.value
            if pixels > MAX_PAGE_PIXELS:
                raise DocumentError(
                    path,
                    f"page {number} holds a {width_px.value}×{height_px.value} image ({pixels / 1e6:.0f} megapixels), "
                    f"more than the {MAX_PAGE_PIXELS // 1_000_000} megapixels allowed a page (a decompression bomb?)",
                )


def _render(page, number: int, path: Path):
    """The page as an RGB array for OCR: at :data:`~qa.readers.ocr.OCR_DPI`, its long side at most
    :data:`~qa.readers.ocr.OCR_MAX_SIDE` pixels. A page holding an image over the pixel limit is
    refused before anything is decoded."""

    from qa.readers import ocr

    refuse_huge_images(page, number, path)
    width, height = page.get_size()
    scale = min(ocr.OCR_DPI / 72, ocr.OCR_MAX_SIDE / max(width, height, 1.0))
    bitmap = page.render(scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255))
    try:
        array = bitmap.to_numpy()
        return array[..., :3].copy() if array.ndim == 3 else array.copy()
    finally:
        bitmap.close()


class _Tables:
    """Ruled tables through pdfplumber, opened only when a page has enough lines to hold one."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf = None

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def merge(self, index: int, lines: list[RawLine], width: float, height: float) -> list[RawLine]:
        """The page's lines with the text inside each table replaced by the table's rows."""
        try:
            tables = self._tables(index)
        except Exception:  # pdfplumber cannot parse what PDFium read: keep the plain lines
            return lines
        if not tables:
            return lines
        merged: list[RawLine] = []
        placed: set[int] = set()
        number = lines[0].page if lines else index + 1
        for line in lines:
            inside = _table_of(line, tables, width, height)
            if inside is None:
                merged.append(line)
                continue
            if inside not in placed:
                placed.add(inside)
                merged.extend(_rows(tables[inside], number, width, height))
        for position, table in enumerate(tables):
            if position not in placed:
                merged.extend(_rows(table, number, width, height))
        return merged

    def _tables(self, index: int):
        import pdfplumber

        if self.pdf is None:
            self.pdf = pdfplumber.open(io.BytesIO(self.data))
        page = self.pdf.pages[index]
        try:
            found = []
            for table in page.find_tables():
                rows = [[_cell(cell) for cell in row] for row in table.extract()]
                rows = [row for row in rows if any(row)]
                columns = max((sum(1 for cell in row if cell) for row in rows), default=0)
                if len(rows) >= 2 and columns >= 2:
                    found.append((table.bbox, rows))
            return found
        finally:
            page.flush_cache()
            page.close()


def _cell(cell: str | None) -> str:
    if not cell:
        return ""
    parts = [part.strip() for part in split_lines(cell) if part.strip()]
    text = ""
    for part in parts:  # a cell's text wrapped inside the cell: Chinese joins without a space
        if text and not (_is_cjk(text[-1]) and _is_cjk(part[0])):
            text += " "
        text += part
    return text


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or char in "“”‘’"


def _table_of(line: RawLine, tables, width: float, height: float) -> int | None:
    if line.box is None:
        return None
    x = (line.box.left + line.box.right) / 2 * width
    y = (line.box.top + line.box.bottom) / 2 * height
    for position, ((x0, top, x1, bottom), _) in enumerate(tables):
        if x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1:
            return position
    return None


def _rows(table, number: int, width: float, height: float) -> list[RawLine]:
    (x0, top, x1, bottom), rows = table
    box = Box(x0 / width, top / height, x1 / width, bottom / height, 0.0)
    lines = []
    for row in rows:
        cells = [cell for cell in row if cell]
        cells = [cell for position, cell in enumerate(cells) if position == 0 or cell != cells[position - 1]]
        lines.append(RawLine(" | ".join(cells), page=number, box=box, table=True))
    return lines


READERS = {".pdf": read_pdf}
