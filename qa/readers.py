"""Read report files of every supported format into plain lines.

Each reader returns a :class:`RawDocument`: the file's lines in reading order, with a heading
level where the file's own markup says so (Word heading styles, HTML ``<h1>``..``<h6>``,
Markdown ``#``), plus whatever title and date the file's metadata carries. Cleaning and
heading detection from the text itself happen later, in :mod:`qa.documents`.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

# Encodings a Chinese report is realistically saved in, most specific first.
_CANDIDATE_ENCODINGS = ("utf_8", "gb18030", "big5hkscs", "utf_16")


class DocumentError(Exception):
    """A file that cannot be read as a report. The message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class RawLine:
    text: str
    heading_level: int | None = None


@dataclass(frozen=True)
class RawDocument:
    lines: list[RawLine]
    title: str | None = None
    date: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def read_file(path: Path) -> RawDocument:
    """Read ``path`` with the reader for its suffix; raise :class:`DocumentError` if it can't."""
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise DocumentError(path, f"unsupported file type '{suffix or '(none)'}' (supported: {supported})")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror or error})") from error
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    try:
        document = reader(data, path)
    except DocumentError:
        raise
    except Exception as error:  # a parser's own exception: report it, never a traceback
        raise DocumentError(path, f"not a readable {suffix[1:]} file ({type(error).__name__}: {error})") from error
    if not any(line.text.strip() for line in document.lines):
        raise DocumentError(path, "no text found in the file")
    return document


def decode_text(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode a text file saved as UTF-8 (with or without BOM), GB18030/GBK or Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf_8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf_16")
        except UnicodeDecodeError as error:  # odd length or a lone surrogate: not UTF-16 text
            raise DocumentError(path, "binary data or broken UTF-16 text") from error
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binary data, not a text file")
    decodings: dict[str, str] = {}
    for encoding in _CANDIDATE_ENCODINGS[:3]:
        try:
            decodings[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if "utf_8" in decodings:
        return decodings["utf_8"]
    if not decodings:
        raise DocumentError(path, "not a text file in UTF-8, GB18030/GBK or Big5")
    best = max(decodings.items(), key=lambda item: _plausibility(item[1]))
    text = best[1]
    if _plausibility(text) < 0.5:
        raise DocumentError(path, "binary data or an unknown text encoding")
    return text


def _plausibility(text: str) -> float:
    """Share of characters that are common CJK, ASCII printable or usual punctuation."""
    if not text:
        return 0.0
    good = sum(1 for char in text if _is_common_char(char))
    return good / len(text)


def _is_common_char(char: str) -> bool:
    if char.isascii():
        return char.isprintable() or char in "\r\n\t"
    if "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or "\u2000" <= char <= "\u206f":
        return True
    return char in _COMMON_HAN


def _load_common_han() -> frozenset[str]:
    """Characters of the jieba dictionary's frequent words: covers both scripts' common Han."""
    import jieba

    dictionary = Path(jieba.__file__).with_name("dict.txt")
    chars: set[str] = set()
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            word, frequency = line.split(" ", 2)[:2]
            if int(frequency) >= 20:
                chars.update(word)
    return frozenset(chars)


class _LazyHan:
    _chars: frozenset[str] | None = None

    def __contains__(self, char: object) -> bool:
        if self._chars is None:
            self._chars = _load_common_han()
        return char in self._chars


_COMMON_HAN = _LazyHan()


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_txt(data: bytes, path: Path) -> RawDocument:
    return RawDocument([RawLine(line) for line in _split_lines(decode_text(data, path))])


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def read_markdown(data: bytes, path: Path) -> RawDocument:
    lines: list[RawLine] = []
    title = None
    for line in _split_lines(decode_text(data, path)):
        match = _MARKDOWN_HEADING.match(line)
        if match:
            level = len(match.group(1))
            if level == 1 and title is None:
                title = match.group(2)
            lines.append(RawLine(line, level))
        else:
            lines.append(RawLine(line))
    return RawDocument(lines, title=title)


_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "th", "dt", "dd")
_HTML_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg")


def read_html(data: bytes, path: Path) -> RawDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    if soup.find() is None:
        raise DocumentError(path, "not an HTML document")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    date = _html_meta(soup, "article:published_time", "pubdate", "publishdate", "date")
    metadata = {}
    source = _html_meta(soup, "source", "og:site_name")
    if source:
        metadata["source"] = source
    for noise in soup(list(_HTML_NOISE)):
        noise.decompose()
    body = soup.body or soup
    lines: list[RawLine] = []
    blocks = body.find_all(list(_HTML_BLOCKS) + ["div", "br"])
    if not blocks:
        return RawDocument([RawLine(line) for line in body.get_text("\n").split("\n")], title, date, metadata)
    for element in body.find_all(list(_HTML_BLOCKS)):
        if element.find_parent(list(_HTML_BLOCKS)) is not None:
            continue  # nested block: its text is already in its ancestor's
        level = int(element.name[1]) if re.fullmatch(r"h[1-6]", element.name) else None
        for text in element.get_text("\n").split("\n"):
            lines.append(RawLine(text, level))
    lines.extend(_loose_html_text(body))
    return RawDocument(lines, title=title, date=date, metadata=metadata)


def _loose_html_text(body) -> list[RawLine]:
    """Text that sits directly in divs or the body rather than inside a paragraph-level tag."""
    from bs4 import NavigableString

    loose: list[RawLine] = []
    for string in body.find_all(string=True):
        if not isinstance(string, NavigableString) or type(string) is not NavigableString:
            continue
        if string.find_parent(list(_HTML_BLOCKS)) is not None or not string.strip():
            continue
        loose.append(RawLine(str(string)))
    return loose


def _html_meta(soup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content"):
            return str(tag["content"]).strip()
    return None


_WORD_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes, path: Path) -> RawDocument:
    import io

    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK\x03\x04"):  # a ZIP's first entry without its central directory
            raise DocumentError(path, "truncated or corrupt .docx file (the ZIP package is incomplete)")
        raise DocumentError(path, "not a .docx file (not a ZIP package; corrupt or another format)")
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise DocumentError(path, "truncated or corrupt .docx file") from error
    lines: list[RawLine] = []
    for block in _docx_blocks(document):
        lines.extend(block)
    properties = document.core_properties
    date = properties.created.date().isoformat() if properties.created else None
    return RawDocument(lines, title=properties.title or None, date=None, metadata={"file_created": date or ""})


def _docx_blocks(document) -> list[list[RawLine]]:
    """Paragraphs and tables in body order; a table row becomes one line of cells joined by ' | '."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[list[RawLine]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append([RawLine(item.text, _docx_heading_level(item))])
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = [cell.text.strip() for cell in row.cells]
                deduplicated = [cell for index, cell in enumerate(cells) if index == 0 or cell != cells[index - 1]]
                rows.append(RawLine(" | ".join(deduplicated)))
            blocks.append(rows)
    return blocks


def _docx_heading_level(paragraph) -> int | None:
    style_name = paragraph.style.name if paragraph.style is not None else ""
    match = _WORD_HEADING_STYLE.match(style_name or "")
    if match:
        return int(match.group(1))
    if style_name in ("Title", "标题"):
        return 1
    outline = paragraph._p.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl")
    if outline is not None:
        value = outline.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


def read_pdf(data: bytes, path: Path) -> RawDocument:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs each repair it attempts on a damaged file; the DocumentError below says it once.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
    except PdfReadError as error:
        raise DocumentError(path, f"not a readable PDF ({error})") from error
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise DocumentError(path, "encrypted PDF: needs a password")
        except DocumentError:
            raise
        except Exception as error:
            raise DocumentError(path, "encrypted PDF: needs a password") from error
    pages = [page.extract_text() or "" for page in reader.pages]
    if not any(page.strip() for page in pages):
        raise DocumentError(path, "no text layer, needs OCR (a scanned PDF)")
    lines = _join_pdf_lines([line for page in pages for line in _split_lines(page)])
    info = reader.metadata
    title = str(info.title) if info is not None and info.title else None
    return RawDocument(lines, title=title)


_SENTENCE_END = tuple("。！？；：!?;:…”’」』)）")


def _join_pdf_lines(lines: list[str]) -> list[RawLine]:
    """Undo the PDF's line wrapping: a line that does not end a sentence continues on the next.

    A short line without final punctuation stays a line of its own, since that is how headings
    look in a report; a blank line ends a paragraph.
    """
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = raw.strip()
        is_heading_like = len(line) <= 20 and not line.endswith(_SENTENCE_END)
        if not line or is_heading_like:
            paragraphs.extend(part for part in (current, line) if part)
            current = ""
            continue
        current += line
        if line.endswith(_SENTENCE_END):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return [RawLine(paragraph) for paragraph in paragraphs]


_READERS: dict[str, Callable[[bytes, Path], RawDocument]] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
}
