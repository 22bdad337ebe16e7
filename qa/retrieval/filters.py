"""Filters on document metadata, resolved per document and then expanded to chunk ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qa.store import DocumentEntry
from qa.text import to_simplified


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    year: int | str | None = None
    source: str | None = None
    file: str | None = None

    def active(self) -> bool:
        return any(value not in (None, "") for value in (self.region, self.year, self.source, self.file))

    def accepts(self, entry: DocumentEntry, file: str) -> bool:
        if self.region and to_simplified(self.region) not in to_simplified(entry.region or ""):
            return False
        if self.year and not (entry.date or "").startswith(str(self.year)):
            return False
        if self.source and to_simplified(self.source) not in to_simplified(entry.source or ""):
            return False
        return not self.file or self.file in (file, Path(file).name)

    def files(self, documents: Mapping[str, DocumentEntry]) -> list[str]:
        """The documents these filters keep."""
        return [name for name, entry in documents.items() if self.accepts(entry, name)]
