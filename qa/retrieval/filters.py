"""Filters on document metadata, resolved per document and then expanded to chunk ids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qa.documents.metadata import LEVELS
from qa.errors import QuestionError
from qa.store import DocumentEntry
from qa.text import RANGE_DASH, to_simplified
from qa.years import YEAR

_YEARS = re.compile(rf"^\s*({YEAR})\s*(?:(?:{RANGE_DASH}|to)\s*({YEAR}))?\s*年?\s*$")


def year_range(year: int | str | tuple[int, int] | None) -> tuple[int, int] | None:
    """2019, "2019", "2015-2024", "2015—2024年" or (2015, 2024) as (first, last); None for none."""
    if year is None or year == "":
        return None
    if isinstance(year, tuple):
        first, last = year
        return (min(first, last), max(first, last))
    match = _YEARS.match(str(year))
    if not match:
        raise QuestionError(f"year {year!r}: give a year such as 2019 or a range such as 2015-2024")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    return (min(first, last), max(first, last))


@dataclass(frozen=True)
class Filters:
    """Keep only the reports whose metadata match: region and source by name (either script),
    year one or a range ("2015-2024"), level (national, provincial, municipal, county, other),
    file by its name in the index."""

    region: str | None = None
    year: int | str | tuple[int, int] | None = None
    source: str | None = None
    file: str | None = None
    level: str | None = None

    def __post_init__(self) -> None:
        year_range(self.year)  # refuse a bad year now, with its message
        if self.level and self.level not in LEVELS:
            raise QuestionError(f"level {self.level!r}: one of {', '.join(LEVELS)}")

    def active(self) -> bool:
        values = (self.region, self.year, self.source, self.file, self.level)
        return any(value not in (None, "") for value in values)

    def accepts(self, entry: DocumentEntry, file: str) -> bool:
        if self.region and to_simplified(self.region) not in to_simplified(entry.region or ""):
            return False
        years = year_range(self.year)
        if years and not (entry.shown_year is not None and years[0] <= entry.shown_year <= years[1]):
            return False
        if self.source and to_simplified(self.source) not in to_simplified(entry.source or ""):
            return False
        if self.level and entry.level != self.level:
            return False
        return not self.file or self.file in (file, Path(file).name)

    def files(self, documents: Mapping[str, DocumentEntry]) -> list[str]:
        """The documents these filters keep."""
        return [name for name, entry in documents.items() if self.accepts(entry, name)]
