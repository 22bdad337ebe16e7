"""What cleaning did with what was read: every line taken out of the body with its reason, and the
characters read, kept in the body, kept as metadata and removed, so that nothing read is dropped
silently (``qa chunk``, ``qa index --json`` and the Documents tab show it)."""

from __future__ import annotations

from dataclasses import dataclass

# Reasons a line is not body text, one name each (what ``Document.removed`` records).
PAGE_NUMBER = "page number"
RUNNING_HEADER = "running header or footer"
CONTENTS = "table of contents"
RULE = "rule or leader line"
NAVIGATION = "web page navigation"
CAPTION = "photo or video caption"
RELATED = "related-reading block of a web page"
TITLE_AGAIN = "repeats the title"
MASTHEAD = "masthead of an official document"
LOW_CONFIDENCE = "OCR confidence below the threshold"

# A document that keeps (in its body and as metadata) less than this share of the characters read
# is named by ``qa index``: the bar for a report whose lines were taken for leftovers.
LOW_RETENTION = 0.95


@dataclass(frozen=True)
class Removed:
    """A line taken out of the body: its text, why, and its page where the format has pages."""

    text: str
    reason: str
    page: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "reason": self.reason, "page": self.page}


@dataclass(frozen=True)
class Retention:
    """Characters (white space aside) read from the file, and where they went."""

    read: int
    kept: int  # in the body text (headings included): what is chunked and indexed
    metadata: int  # in lines kept as metadata: title, news header, credits, document number, trailer
    removed: int  # in ``Document.removed``

    @property
    def ratio(self) -> float:
        """Share of the characters read that were kept, in the body or as metadata."""
        return min(1.0, (self.kept + self.metadata) / self.read) if self.read else 1.0

    @property
    def low(self) -> bool:
        return self.ratio < LOW_RETENTION

    def to_json(self) -> dict[str, object]:
        return {
            "chars_read": self.read,
            "chars_kept": self.kept,
            "chars_metadata": self.metadata,
            "chars_removed": self.removed,
            "kept_share": round(self.ratio, 4),
        }

    def summary(self) -> str:
        return (
            f"read {self.read:,} characters; kept {self.kept:,} in the text and {self.metadata:,} as metadata "
            f"({self.ratio:.1%}); removed {self.removed:,}"
        )


def visible(text: str) -> int:
    """Characters that count: white space aside."""
    return sum(1 for char in text if not char.isspace())
