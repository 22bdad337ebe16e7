"""Word documents (.docx): paragraphs and tables in body order, headings from Word's styles."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from qa.errors import DocumentError
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
    outline = paragraph._p.find(f".//{_WORD_NAMESPACE}outlineLvl")
    if outline is not None:
        value = outline.get(f"{_WORD_NAMESPACE}val")
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


READERS = {".docx": read_docx}
