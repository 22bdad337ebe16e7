"""What every reader returns: the file's lines in reading order, with what its markup says."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawLine:
    """One line of a file. ``heading_level`` where the file's own markup says it is a heading
    (Word heading styles, HTML ``<h1>``..``<h6>``, Markdown ``#``); ``page`` (from 1) where the
    format has pages."""

    text: str
    heading_level: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class RawDocument:
    lines: list[RawLine]
    title: str | None = None
    date: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
