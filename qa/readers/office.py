"""Word documents (.docx): paragraphs and tables in body order, headings from Word's styles.

A .docx is a ZIP package of XML parts, so its bounds (:mod:`qa.limits`) are checked before Word's
parser sees it: the parts and their unpacked sizes from the ZIP's directory (zipfile never unpacks
more than a part's declared size: a part that holds more fails its checksum), then the elements of
every XML part counted by a streaming parser that builds no tree and stops at the bound.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from qa.errors import DocumentError
from qa.limits import MAX_PACKAGE_PARTS, MAX_UNPACKED_BYTES, MAX_XML_ELEMENTS
from qa.readers.base import RawDocument, RawLine

_WORD_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*(\d)$", re.IGNORECASE)
_WORD_NAMESPACE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, path: Path) -> RawDocument:
    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK\x03\x04"):  # a ZIP's first entry without its central directory
            raise DocumentError(path, "truncated or corrupt .docx file (the ZIP package is incomplete)")
        raise DocumentError(path, "not a .docx file (not a ZIP package; corrupt or another format)")
    try:
        check_package(data, path)
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise DocumentError(path, f"truncated or corrupt .docx file ({error})") from error
    lines: list[RawLine] = []
    for block in _docx_blocks(document):
        lines.extend(block)
    properties = document.core_properties
    date = properties.created.date().isoformat() if properties.created else None
    return RawDocument(lines, title=properties.title or None, date=None, metadata={"file_created": date or ""})


def check_package(data: bytes, path: Path) -> None:
    """Refuse a package over the bounds before anything in it is parsed: too many parts or unpacked
    bytes (read from the ZIP's directory), too many XML elements (counted as the parts stream by)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = package.infolist()
        if len(parts) > MAX_PACKAGE_PARTS:
            why = f"{len(parts):,} files inside the .docx package; at most {MAX_PACKAGE_PARTS:,} (a ZIP bomb?)"
            raise DocumentError(path, why)
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            why = (f"the .docx unpacks to {unpacked / 2**20:,.0f} MB, more than the {MAX_UNPACKED_BYTES >> 20} MB "
                   "allowed (a ZIP bomb?): save it again or split it")  # fmt: skip
            raise DocumentError(path, why)
        counter = _ElementCounter(MAX_XML_ELEMENTS)
        for part in parts:
            if part.filename.lower().endswith((".xml", ".rels")):
                _count_elements(package, part, counter, path)


class _TooMany(Exception):
    pass


class _ElementCounter:
    """An lxml parser target that only counts elements (no tree is built) and stops past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0

    def start(self, tag, attributes, namespaces=None) -> None:
        self.count += 1
        if self.count > self.limit:
            raise _TooMany

    def end(self, tag) -> None:
        pass

    def data(self, text) -> None:
        pass

    def doctype(self, *declaration) -> None:
        raise _TooMany("a DTD")  # Word never writes one; entity expansion is the only use

    def close(self) -> int:
        return self.count


def _count_elements(package: zipfile.ZipFile, part: zipfile.ZipInfo, counter: _ElementCounter, path: Path) -> None:
    from lxml import etree

    parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with package.open(part) as stream:
            while block := stream.read(1 << 16):
                parser.feed(block)
        parser.close()
    except _TooMany as error:
        if str(error):
            why = f"{part.filename} declares a DTD, which Word never writes (an XML bomb?)"
        else:
            why = f"more than {MAX_XML_ELEMENTS:,} XML elements in the .docx (an XML bomb?): save it again or split it"
        raise DocumentError(path, why) from None
    except etree.XMLSyntaxError:
        pass  # Word's parser reports a broken part (or ignores a part it does not use) itself


def _docx_blocks(document) -> list[list[RawLine]]:
    """Paragraphs and tables in body order; a table row becomes one line of cells joined by ' | '."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[list[RawLine]] = []
    style_names: dict[str | None, str] = {}  # by style id: looking a style up costs ~0.2 ms a paragraph
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append([RawLine(item.text, _docx_heading_level(item, style_names))])
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = [cell.text.strip() for cell in row.cells]
                deduplicated = [cell for index, cell in enumerate(cells) if index == 0 or cell != cells[index - 1]]
                rows.append(RawLine(" | ".join(deduplicated)))
            blocks.append(rows)
    return blocks


def _docx_heading_level(paragraph, style_names: dict[str | None, str]) -> int | None:
    style_id = paragraph._p.style
    if style_id not in style_names:
        style = paragraph.style
        style_names[style_id] = (style.name if style is not None else "") or ""
    style_name = style_names[style_id]
    match = _WORD_HEADING_STYLE.match(style_name or "")
    if match:
        return int(match.group(1))
    if style_name in ("Title", "标题"):
        return 1
    outline = paragraph._p.find(f".//{_WORD_NAMESPACE}outlineLvl")
    if outline is not None:
        value = outline.get(f"{_WORD_NAMESPACE}val")
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


READERS = {".docx": read_docx}
