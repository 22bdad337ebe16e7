"""Lines of paged formats (PDF, scans) made into the lines of a document: font artefacts
normalised (:mod:`qa.documents.fonts`), page furniture removed (:mod:`qa.documents.furniture`),
and physical lines joined back into paragraphs by their geometry (:mod:`qa.documents.paragraphs`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.documents.fonts import is_chinese, normalise_paged_text
from qa.documents.furniture import remove_furniture
from qa.documents.paragraphs import join_paragraphs
from qa.documents.retention import Removed
from qa.readers.base import RawLine
from qa.text import scrub_surrogates

_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_OCR_DASH = re.compile(r"(?<=[\u4e00-\u9fff])[—－-]$")
_OCR_OPENING_DASH = re.compile(r"^(?:—一|一—|—)(?=[\u4e00-\u9fff“‘《「])")
_OCR_INNER_DASH = re.compile(r"(?<=[\u4e00-\u9fff”’》」）])[—－](?=[\u4e00-\u9fff“‘《「（])")


def prepare_pages(lines: list[RawLine]) -> tuple[list[RawLine], list[Removed]]:
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
            text = _OCR_OPENING_DASH.sub("——", text)  # or the opening one as "—一" ("—一民生保障水平提升。")
            text = _OCR_INNER_DASH.sub("——", text)  # "文明同行—兴义向未来": Chinese sets no single "—"
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
