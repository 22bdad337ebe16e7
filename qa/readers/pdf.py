"""PDF files with a text layer: each page's text, its lines joined back into paragraphs."""

from __future__ import annotations

import io
from pathlib import Path

from qa.errors import DocumentError
from qa.readers.base import RawDocument, RawLine, split_lines


def read_pdf(data: bytes, path: Path) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

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
    lines = [line for number, page in enumerate(pages, start=1) for line in join_pdf_lines(split_lines(page), number)]
    info = reader.metadata
    title = str(info.title) if info is not None and info.title else None
    return RawDocument(lines, title=title)


_SENTENCE_END = tuple("。！？；：!?;:…”’」』)）")


def join_pdf_lines(lines: list[str], page: int | None = None) -> list[RawLine]:
    """Undo the PDF's line wrapping within a page: a line that does not end a sentence continues
    on the next. A short line without final punctuation stays a line of its own, since that is
    how headings look in a report; a blank line ends a paragraph."""
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
    return [RawLine(paragraph, page=page) for paragraph in paragraphs]


READERS = {".pdf": read_pdf}
