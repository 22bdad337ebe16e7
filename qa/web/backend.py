"""What the web page can do, as plain Python (ask, list, upload, remove, update), testable without
a browser. The UI layer imports the library, never the reverse."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.answer import Answer, answer
from qa.answer.export import conversation_markdown, rows_csv
from qa.documents import content_hash
from qa.documents.metadata import LEVEL_NAMES
from qa.errors import IndexProblem, QuestionError
from qa.indexing import UpdateSummary, update_index
from qa.limits import MAX_DOWNLOADS, MAX_FILE_BYTES
from qa.progress import Progress
from qa.readers import SUPPORTED_SUFFIXES
from qa.retrieval import Filters, Retriever, Source
from qa.store import index_exists
from qa.text import scrub_surrogates

ALL = "全部 All"
MAX_PASSAGES = 20
MAX_NAME_CHARS = 120  # an uploaded file's name, its extension kept
MAX_NAME_BYTES = 240  # and in UTF-8 (a file system allows 255): 80 Chinese characters


class Backend:
    def __init__(
        self, data_dir: Path | str = "data", index_dir: Path | str = "index", downloads: Path | str | None = None
    ) -> None:
        """``downloads``: the folder of files offered for download (exports, originals), at most
        :data:`~qa.limits.MAX_DOWNLOADS` of them; by default one under the temporary folder."""
        self.data_dir = Path(data_dir)
        self.index_dir = index_dir
        self.downloads = Path(downloads) if downloads else Path(tempfile.gettempdir()) / f"report-qa-{os.getpid()}"
        self._update_lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._retriever_lock = threading.Lock()

    # -- index -----------------------------------------------------------------------------
    def ensure_index(self, progress: Progress | None = None) -> UpdateSummary | None:
        """Build the index from ``data_dir`` if there is none yet."""
        if index_exists(self.index_dir):
            return None
        return self.update(progress)

    def update(self, progress: Progress | None = None) -> UpdateSummary:
        """Bring the index up to date with ``data_dir``; questions keep using the old one meanwhile."""
        with self._update_lock:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            summary = update_index(self.data_dir, self.index_dir, progress=progress, lock_timeout=600)
        if self._retriever is not None:
            self._retriever.refresh()
        return summary

    @property
    def retriever(self) -> Retriever:
        with self._retriever_lock:
            if self._retriever is None:
                self._retriever = Retriever(self.index_dir)
            else:
                self._retriever.refresh()
            return self._retriever

    # -- questions -------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        k: int = 5,
        region: str = "",
        year: str = "",
        source: str = "",
        history: list[str] | None = None,
        level: str = "",
        year_to: str = "",
    ) -> Answer:
        """Answer ``question`` after the previous questions of the conversation (``history``).
        ``year`` is one year or a range ("2015-2024"), or the first of a range ending at ``year_to``."""
        years = chosen(year)
        if years and chosen(year_to):
            years = f"{years}-{chosen(year_to)}"
        filters = Filters(region=chosen(region), year=years, source=chosen(source), level=chosen_level(level))
        passages = max(1, min(_count(k), MAX_PASSAGES))
        previous = [scrub_surrogates(item) for item in history or [] if isinstance(item, str)]
        return answer(question, retriever=self.retriever, k=passages, filters=filters, history=previous)

    def source(self, chunk_id: int | str) -> Source:
        """A cited passage in its report (the source view)."""
        try:
            number = int(str(chunk_id).strip())
        except ValueError:
            raise QuestionError(f"{chunk_id!r} is not a passage id") from None
        return self.retriever.source(number)

    def source_of_file(self, file: str) -> Source:
        return self.retriever.source_of_file(file)

    def original(self, file: str) -> Path:
        """A copy of an indexed report's original file, to download. Only a file the index holds,
        inside the data folder, is ever served."""
        if file not in self.retriever.documents or ".." in Path(file).parts or Path(file).is_absolute():
            raise QuestionError(f"{file!r}: not a report of the index")
        path = self.data_dir / file  # a report the index holds (a link in data/ to a report elsewhere, too)
        if not path.is_file():
            raise QuestionError(f"{file!r}: the original file is no longer in the data folder")
        return self._download(path.name, path.read_bytes())

    def export_csv(self, result: Answer, owner: str = "") -> Path:
        """The rows of an answer across reports as a CSV file to download (``owner``: see :meth:`_download`)."""
        return self._download("table.csv", rows_csv(result).encode("utf-8"), owner)

    def export_conversation(self, answers: list[Answer], owner: str = "") -> Path:
        """The conversation as Markdown, every citation numbered and its passage quoted."""
        return self._download("conversation.md", conversation_markdown(answers).encode("utf-8"), owner)

    def _download(self, name: str, data: bytes, owner: str = "") -> Path:
        """A file to download, at ``downloads/<content hash>/name`` (the same content is the same
        file): every answer and every source click offers one, and nothing else deletes them. An
        ``owner`` (a page's session) has one file of each name: a new one replaces its last. Past
        :data:`~qa.limits.MAX_DOWNLOADS` entries the oldest go."""
        digest = hashlib.sha256(data).hexdigest()[:24]
        place = self.downloads
        if owner:
            place = self.downloads / ("session-" + hashlib.sha256(f"{owner}/{name}".encode()).hexdigest()[:24])
        folder = place / digest
        path = folder / name
        if path.is_file():
            os.utime(place if owner else folder)  # offered again: the newest
            return path
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.{threading.get_ident()}.tmp"
        temporary.write_bytes(data)
        temporary.replace(path)
        if owner:
            for previous in place.iterdir():
                if previous != folder:
                    shutil.rmtree(previous, ignore_errors=True)
            os.utime(place)
        kept = sorted(self.downloads.iterdir(), key=_modified, reverse=True)
        for old in kept[MAX_DOWNLOADS:]:
            shutil.rmtree(old, ignore_errors=True)
        return path

    def filter_choices(self) -> dict[str, list[str]]:
        try:
            values = self.retriever.filter_values()
        except IndexProblem:
            values = {"region": [], "year": [], "source": [], "level": []}
        choices = {name: [ALL, *options] for name, options in values.items()}
        choices["level"] = [ALL, *(LEVEL_NAMES.get(level, level) for level in values.get("level", []))]
        return choices

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[list[object]]:
        try:
            documents = self.retriever.documents
        except IndexProblem:
            return []
        order = sorted(documents.items(), key=lambda item: (item[1].shown_year or 0, item[1].date or ""), reverse=True)
        return [
            [entry.title, entry.shown_year or "", LEVEL_NAMES.get(entry.level or "", entry.level or ""),
             entry.issuer or "", entry.region or "", entry.source or "", entry.date or "", len(entry.chunk_ids),
             _kept(entry), name]
            for name, entry in order
        ]  # fmt: skip

    def failed_files(self) -> list[list[str]]:
        """The files of the data folder the index could not read: [file, reason], as the last update
        left them (each stays listed, and is not read again, until it changes or is removed)."""
        try:
            failed = self.retriever.manifest.failed_files
        except IndexProblem:
            return []
        return [[name, record.reason] for name, record in sorted(failed.items())]

    def removable(self) -> list[str]:
        """What the Remove list offers: the indexed reports, then the files that failed."""
        indexed = [row[-1] for row in self.documents()]
        return indexed + [name for name, _ in self.failed_files() if name not in indexed]

    def upload(self, paths: list[str | Path]) -> list[str]:
        """Copy uploaded files into ``data_dir``; returns one message per file. Call :meth:`update` after."""
        return [self._store_upload(Path(path))[0] for path in paths]

    def upload_and_update(
        self, paths: list[str | Path], progress: Callable[[str, int, int], None] | None = None
    ) -> tuple[UpdateSummary, list[str]]:
        """Upload, then update the index; a file stored but not readable says so, with the reason."""
        stored = [self._store_upload(Path(path)) for path in paths]
        summary = self.update(progress)
        failed = {item["file"]: item["reason"] for item in summary.skipped}
        messages = [
            f"{name}: 已上传但无法读取 uploaded, but it cannot be read: {failed[name]} (remove it below)"
            if name in failed else message
            for message, name in stored
        ]  # fmt: skip
        return summary, messages

    def _store_upload(self, path: Path) -> tuple[str, str | None]:
        """The message for one uploaded file, and the name it was stored under (None: refused)."""
        name = safe_file_name(path.name)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            supported = ", ".join(SUPPORTED_SUFFIXES)
            return f"{path.name}: 不支持的文件类型 unsupported type '{suffix}' (use {supported})", None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return f"{path.name}: 文件过大 too large ({size >> 20} MB; the limit is {MAX_FILE_BYTES >> 20} MB)", None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        digest = content_hash(path)
        target = self.data_dir / name
        for existing in self.data_dir.iterdir():
            if existing.is_file() and existing.stat().st_size == size and content_hash(existing) == digest:
                return f"{name}: 已存在 already in the library as {existing.name}", None
        target = _free_name(target)
        temporary = target.with_name(f".{target.name}.uploading")
        shutil.copyfile(path, temporary)
        temporary.replace(target)
        return f"{target.name}: 已上传 uploaded", target.name

    def remove(self, file_name: str) -> str:
        """Delete a report from ``data_dir`` (only a file that is there) and update the index."""
        if not file_name:
            return "请选择要删除的报告 Choose a report to remove"
        target = (self.data_dir / file_name).resolve()
        if self.data_dir.resolve() not in target.parents or not target.is_file():
            return f"{file_name}: 不在资料库中 not in the library"
        target.unlink()
        summary = self.update()
        return f"{file_name}: 已删除 removed ({len(summary.removed)} report removed from the index)"


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another request
        return 0.0


def chosen(value: str | None) -> str | None:
    """A filter's value as chosen (None for all), lone surrogates replaced (JSON can carry them)."""
    return None if not value or value == ALL else scrub_surrogates(str(value))


def _count(k: object) -> int:
    """The number of passages asked for, whatever a caller sent: a clear error for anything else."""
    if k is None or k == "":
        return 5
    try:
        if isinstance(k, bool) or float(k) != int(float(k)):  # type: ignore[arg-type]
            raise ValueError
        return int(float(k))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise QuestionError(f"k={k!r}: give a number of passages, 1 to {MAX_PASSAGES}") from None


def chosen_level(value: str | None) -> str | None:
    """A level as offered ("省级 provincial") or as named ("provincial")."""
    value = chosen(value)
    return value.split()[-1] if value else None


def safe_file_name(name: str) -> str:
    """A file name that stays inside the data folder: no folders, no control characters, no
    leading dots; letters of any script (Chinese included), digits, spaces and ``-_.()`` are kept."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] not in "C")
    name = re.sub(r"[^\w\s\-.()（）【】]", "_", name).strip(" .")
    stem, suffix = (name[: -len(Path(name).suffix)], Path(name).suffix) if Path(name).suffix else (name, "")
    if len(suffix) > 16:  # not an extension: a dot inside a long name
        stem, suffix = name, ""
    while stem and (len(stem) + len(suffix) > MAX_NAME_CHARS or len((stem + suffix).encode()) > MAX_NAME_BYTES):
        stem = stem[:-1]  # shortened, its extension kept (a name cut at 120 lost it and was refused)
    stem = stem.rstrip(" .")
    return (stem + suffix) if stem else ("upload" + suffix if suffix else "upload")


def _free_name(target: Path) -> Path:
    """``target`` or, if a different file has that name, ``name (2).ext`` and so on: never overwrite."""
    candidate, number = target, 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
        number += 1
    return candidate


def _kept(entry) -> str:
    """The share of what was read that the index kept ("99.6%"); "" for an entry from before it was counted."""
    share = entry.kept_share
    return "" if share is None else f"{share:.1%}" + (" ⚠" if share < 0.95 else "")
