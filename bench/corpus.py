"""The benchmark's corpus: the 31 provincial government work reports of 2025 in the shared
folder (``corpora/gwr2025``, found by :func:`qa.locations.find_shared`) and the samples in ``data/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa.locations import SHARED_ENV, find_shared

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data"
REPORTS = Path("corpora") / "gwr2025"


class NoCorpus(Exception):
    """The shared reports are not there; the benchmark cannot run (exit status 2)."""


@dataclass(frozen=True)
class Corpus:
    reports: Path  # the .docx reports
    samples: Path = SAMPLES  # the .txt samples
    limit: int | None = None  # only the first ``limit`` reports

    @classmethod
    def find(cls, shared: Path | None, limit: int | None = None) -> Corpus:
        """The reports under ``shared`` (default: the shared folder beside the checkout)."""
        shared = shared or find_shared(ROOT)
        if shared is None:
            raise NoCorpus(
                f"no shared folder found (set ${SHARED_ENV}, pass --shared, or put shared/ beside the checkout); "
                f"the benchmark needs its {REPORTS}"
            )
        reports = shared / REPORTS
        if not any(reports.glob("*.docx")):
            raise NoCorpus(f"no .docx reports in {reports}")
        return cls(reports, SAMPLES, limit)

    def sources(self) -> list[Path]:
        return sorted(self.reports.glob("*.docx"))[: self.limit] + sorted(self.samples.glob("*.txt"))

    def link_into(self, target: Path) -> list[Path]:
        """A folder of symbolic links to the reports and the samples; the files linked."""
        target.mkdir(parents=True, exist_ok=True)
        sources = self.sources()
        for source in sources:
            (target / source.name).symlink_to(source)
        return sources
