"""The typed index description: settings, every document with its chunk ids, and the format check.

The same :class:`Manifest` describes a local index generation (``manifest.json``) and a Milvus
collection; :func:`check_format` is the one place that refuses an index made by another version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from qa.chunking import ChunkingConfig
from qa.embedding import DEFAULT_MODEL
from qa.errors import IndexProblem
from qa.store.lexical import LexicalConfig

FORMAT_VERSION = 1


@dataclass(frozen=True)
class IndexConfig:
    """What an index is built with; an update must use the same (see :func:`check_compatible`)."""

    model: str = DEFAULT_MODEL
    simplify: bool = False  # embed simplified text (traditional converted by OpenCC); see README
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    lexical: LexicalConfig = field(default_factory=LexicalConfig)


@dataclass(frozen=True)
class DocumentEntry:
    """One indexed report: its content hash, what the citations show, and its chunks."""

    sha256: str
    title: str
    date: str | None = None
    source: str | None = None
    region: str | None = None
    chunk_ids: tuple[int, ...] = ()
    year: int | None = None
    level: str | None = None  # national, provincial, municipal, county, other (qa.documents.metadata)
    issuer: str | None = None
    doc_number: str | None = None  # 杭政函〔2024〕16号, for official documents
    sidecar_sha256: str | None = None  # of the corrections file beside the report, if there is one
    text_sha256: str | None = None  # of its cleaned text, which the index keeps for the source view
    chars_read: int | None = None  # characters read from the file (None: indexed before they were counted)
    chars_kept: int | None = None  # of them, kept in the text or as metadata (qa.documents.retention)

    @property
    def kept_share(self) -> float | None:
        if not self.chars_read or self.chars_kept is None:
            return None
        return min(1.0, self.chars_kept / self.chars_read)

    @property
    def described(self) -> bool:
        """Whether the entry has the year, level and cleaned text (indexes made before they existed
        do not: the next update reads such a document again, reusing its vectors)."""
        return self.level is not None and self.text_sha256 is not None

    @property
    def shown_year(self) -> int | None:
        if self.year is not None:
            return self.year
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None

    def to_json(self) -> dict[str, object]:
        record = asdict(self)
        record["chunk_ids"] = list(self.chunk_ids)
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, object]) -> DocumentEntry:
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in record.items() if key in known}
        values["chunk_ids"] = tuple(int(chunk_id) for chunk_id in record.get("chunk_ids", ()))  # type: ignore[union-attr]
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FailedFile:
    """A file of the data folder that could not be read: why, and the content hash it had then (an
    update reads it again only once that changes; None for files refused before they are read),
    and the report-qa version that tried (a new version tries again)."""

    reason: str
    sha256: str | None = None
    version: str = ""

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, record: Mapping[str, object]) -> FailedFile:
        return cls(str(record["reason"]), record.get("sha256") or None, str(record.get("version") or ""))  # type: ignore[arg-type]


@dataclass(frozen=True)
class EncoderInfo:
    name: str
    dimension: int
    normalisation: str = "l2"
    simplify: bool = False


@dataclass(frozen=True)
class Manifest:
    encoder: EncoderInfo
    chunking: ChunkingConfig
    lexical: LexicalConfig
    documents: Mapping[str, DocumentEntry]
    next_id: int
    dense_type: str = "flat"
    updated: str = ""
    format_version: int = FORMAT_VERSION
    dense_count: int = 0
    lexical_count: int = 0
    failed_files: Mapping[str, FailedFile] = field(default_factory=dict)  # files of the folder not indexed

    @property
    def chunk_count(self) -> int:
        return sum(len(entry.chunk_ids) for entry in self.documents.values())

    def config(self) -> IndexConfig:
        return IndexConfig(
            model=self.encoder.name, simplify=self.encoder.simplify, chunking=self.chunking, lexical=self.lexical
        )

    def to_json(self) -> dict[str, object]:
        return {
            "format_version": self.format_version,
            "encoder": asdict(self.encoder),
            "dense": {"type": self.dense_type, "metric": "inner_product"},
            "chunking": self.chunking.to_dict(),
            "lexical": self.lexical.to_dict(),
            "next_id": self.next_id,
            "counts": {
                "documents": len(self.documents),
                "chunks": self.chunk_count,
                "dense": self.dense_count,
                "lexical": self.lexical_count,
            },
            "updated": self.updated,
            "documents": {name: self.documents[name].to_json() for name in sorted(self.documents)},
            "failed_files": {name: self.failed_files[name].to_json() for name in sorted(self.failed_files)},
        }

    @classmethod
    def from_json(cls, record: Mapping[str, object], where: Path | str = "the index") -> Manifest:
        check_format(record, where)
        encoder = record["encoder"]
        counts = record.get("counts", {})
        return cls(
            encoder=EncoderInfo(**encoder),  # type: ignore[arg-type]
            chunking=ChunkingConfig(**record["chunking"]),  # type: ignore[arg-type]
            lexical=LexicalConfig(**record["lexical"]),  # type: ignore[arg-type]
            documents={
                name: DocumentEntry.from_json(entry)
                for name, entry in record["documents"].items()  # type: ignore[union-attr]
            },
            next_id=int(record["next_id"]),  # type: ignore[arg-type]
            dense_type=record.get("dense", {}).get("type", "flat"),  # type: ignore[union-attr]
            updated=str(record.get("updated", "")),
            format_version=int(record["format_version"]),  # type: ignore[arg-type]
            dense_count=int(counts.get("dense", 0)),  # type: ignore[union-attr]
            lexical_count=int(counts.get("lexical", 0)),  # type: ignore[union-attr]
            failed_files={
                name: FailedFile.from_json(failed)
                for name, failed in (record.get("failed_files") or {}).items()  # type: ignore[union-attr]
            },
        )

    def filter_values(self) -> dict[str, list[str]]:
        """The values the filters offer: regions, years (newest first), sources, levels."""
        documents = self.documents.values()
        years = {d.shown_year for d in documents if d.shown_year is not None}
        return {
            "region": sorted({d.region for d in documents if d.region}),
            "year": [str(year) for year in sorted(years, reverse=True)],
            "source": sorted({d.source for d in documents if d.source}),
            "level": sorted({d.level for d in documents if d.level}),
        }

    @property
    def years(self) -> frozenset[int]:
        return frozenset(d.shown_year for d in self.documents.values() if d.shown_year is not None)


def check_format(record: Mapping[str, object], where: Path | str) -> None:
    """Refuse an index written by another version of report-qa, saying how to rebuild it."""
    version = record.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexProblem(
            f"{where} was made by another version of report-qa (index format {version}, this one reads "
            f"{FORMAT_VERSION}). Rebuild it: qa index --rebuild --index {where}"
        )


def check_compatible(stored: IndexConfig, wanted: IndexConfig | None, where: Path | str) -> IndexConfig:
    """The settings to update an index with: its own, unless ``wanted`` asks for others, which
    would need a rebuild (an index holds one encoder's vectors and one tokeniser's terms)."""
    if wanted is not None and (wanted.model, wanted.simplify) != (stored.model, stored.simplify):
        raise IndexProblem(
            f"{where} was built with encoder {stored.model!r}; you asked for {wanted.model!r}. "
            f"Rebuild it with the new encoder: qa index --rebuild --model {wanted.model} --index {where}"
        )
    if wanted is not None and (wanted.chunking, wanted.lexical) != (stored.chunking, stored.lexical):
        raise IndexProblem(
            f"{where} was built with other chunking or lexical settings. Rebuild it: qa index --rebuild --index {where}"
        )
    return stored


def read_manifest(generation: Path) -> Manifest:
    path = generation / "manifest.json"
    return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")), where=generation.parent)
