"""What the web page can do, as plain Python (ask, list, upload, remove, update), testable without
a browser. The UI layer imports the library, never the reverse."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from qa.answer import Answer, answer
from qa.answer.export import conversation_markdown, rows_csv
from qa.documents import content_hash
from qa.documents.metadata import LEVEL_NAMES
from qa.errors import IndexProblem, QuestionError
from qa.indexing import UpdateSummary, discover, update_index
from qa.limits import MAX_DOWNLOADS, MAX_FILE_BYTES
from qa.locations import is_folder_note
from qa.progress import Progress, ProgressEvent, ProgressTracker, format_duration
from qa.readers import SUPPORTED_SUFFIXES
from qa.retrieval import Filters, Retriever, Source
from qa.store import index_exists, open_writer
from qa.text import scrub_surrogates

log = logging.getLogger(__name__)

ALL = "全部 All"
MAX_PASSAGES = 20
MAX_NAME_CHARS = 120  # an uploaded file's name, its extension kept
MAX_NAME_BYTES = 240  # and in UTF-8 (a file system allows 255): 80 Chinese characters
# Reports a background update adds at a time: about 600 chunks of the shipped reports, two minutes
# on two cores, so the first reports answer within a minute or two of the page opening and each
# batch's new generation (BM25 and files rewritten: 1-3 s) costs little beside its embedding.
BATCH_REPORTS = 6
ESTIMATE_BATCHES = 3  # the time left for the whole folder: seconds a report over the last few batches


@dataclass(frozen=True)
class IndexingStatus:
    """Where the background indexing stands: reports in the index of those in the data folder, the
    stage under way (with its moving rate and time left), and the time left for all of them."""

    running: bool = False
    reports_indexed: int = 0
    reports_total: int = 0
    chunks: int = 0
    event: ProgressEvent | None = None
    seconds_left: float | None = None
    batches_done: int = 0
    seconds: float = 0.0
    skipped: tuple[str, ...] = ()
    error: str | None = None

    def describe(self) -> str:
        if self.error:
            return f"索引未完成 Indexing stopped: {self.error}"
        if self.running:
            parts = [f"正在后台建立索引 Indexing in the background: {self.reports_indexed}/{self.reports_total} "
                     "份报告已索引 reports indexed"]  # fmt: skip
            if self.event is not None:
                parts.append(self.event.describe())
            if self.seconds_left is not None:
                left = format_duration(self.seconds_left)
                parts.append(f"全部约 {left} all in about {left}")
            return " · ".join(parts) + "。答案只来自已索引的报告 Answers come from the reports indexed so far."
        line = f"索引 Index: {self.reports_indexed} 份报告 reports, {self.chunks:,} 段落 passages"
        if self.batches_done and self.seconds >= 1:
            line += f" (后台索引用时 indexed in the background in {format_duration(self.seconds)})"
        if self.skipped:
            line += f"; {len(self.skipped)} 个文件无法读取 files could not be read: {', '.join(self.skipped[:5])}"
        return line

    def to_dict(self) -> dict[str, object]:
        event = self.event
        return {
            "running": self.running, "reports_indexed": self.reports_indexed, "reports_total": self.reports_total,
            "chunks": self.chunks, "stage": event.stage if event else None, "done": event.done if event else None,
            "total": event.total if event else None, "rate": round(event.rate, 2) if event and event.rate else None,
            "stage_seconds_left": round(event.seconds_left) if event and event.seconds_left is not None else None,
            "seconds_left": round(self.seconds_left) if self.seconds_left is not None else None,
            "batches_done": self.batches_done, "seconds": round(self.seconds, 1), "skipped": list(self.skipped),
            "error": self.error, "message": self.describe(),
        }  # fmt: skip


def pending_batches(data_dir: Path, index_dir: Path | str, size: int = BATCH_REPORTS) -> tuple[list[list[str]], int]:
    """The reports of ``data_dir`` the index does not hold yet, in batches to add one after the other,
    and how many reports the folder holds. The files at the top of the folder come first (the
    samples, an analyst's own reports), then each subfolder, the smallest first, so that something
    useful answers soon; within a folder the names from last to first, which puts the newest
    first where names begin with the year."""
    found, _skipped = discover(data_dir)
    manifest = open_writer(index_dir).current()
    # a file that failed is not read again until it changes, which every update checks
    indexed = set(manifest.documents) | set(manifest.failed_files) if manifest is not None else set()
    folders: dict[str, list[str]] = {}
    for name in found:
        if name not in indexed:
            folders.setdefault(name.rpartition("/")[0], []).append(name)

    def weight(folder: str) -> tuple[bool, int]:
        return folder != "", sum(found[name].stat().st_size for name in folders[folder])

    batches = []
    for folder in sorted(folders, key=weight):
        names = sorted(folders[folder], reverse=True)
        batches += [names[start : start + size] for start in range(0, len(names), size)]
    return batches, len(found)


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
        self._status = IndexingStatus()
        self._status_lock = threading.Lock()

    # -- index -----------------------------------------------------------------------------
    def ensure_index(self, progress: Progress | None = None) -> UpdateSummary | None:
        """Build the index from ``data_dir`` if there is none yet."""
        if index_exists(self.index_dir):
            return None
        return self.update(progress)

    def update(self, progress: Progress | None = None, only_new: list[str] | None = None) -> UpdateSummary:
        """Bring the index up to date with ``data_dir`` (of the new reports, only ``only_new`` when
        given); questions keep using the old one meanwhile."""
        with self._update_lock:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            summary = update_index(self.data_dir, self.index_dir, progress=progress, lock_timeout=600,
                                   only_new=only_new)  # fmt: skip
        if self._retriever is not None:
            self._retriever.refresh()
        return summary

    # -- indexing in the background --------------------------------------------------------
    def index_in_background(self, batch: int = BATCH_REPORTS) -> threading.Thread | None:
        """Bring the index up to date in a thread, a few new reports at a time (:func:`pending_batches`),
        so that the page answers from what is indexed while the rest is added; :meth:`indexing_status`
        says how far it is. None when it is already running."""
        with self._status_lock:
            if self._status.running:
                return None
            self._status = replace(self._status, running=True, error=None, event=None, seconds_left=None)
        thread = threading.Thread(target=self._index_pending, args=(batch,), name="report-qa-indexing", daemon=True)
        thread.start()
        return thread

    def indexing_status(self) -> IndexingStatus:
        with self._status_lock:
            return self._status

    def count_index(self) -> IndexingStatus:
        """The status with the reports and passages the index holds now (before any indexing here)."""
        with contextlib.suppress(IndexProblem, OSError):
            self._set_status(**self._index_counts())
        return self.indexing_status()

    def _set_status(self, **changes) -> None:
        with self._status_lock:
            self._status = replace(self._status, **changes)

    def _index_pending(self, batch: int) -> None:
        started = time.monotonic()
        per_report: deque[float] = deque(maxlen=ESTIMATE_BATCHES)
        try:
            batches, total = pending_batches(self.data_dir, self.index_dir, batch)
            left_after = sum(len(files) for files in batches)

            def on_event(event: ProgressEvent) -> None:
                later = left_after * (sum(per_report) / len(per_report)) if per_report else None
                now_left = event.seconds_left if event.stage == "embedding" else None
                estimate = (now_left or 0) + later if later is not None else now_left
                self._set_status(event=event, seconds_left=estimate, seconds=time.monotonic() - started)

            self._set_status(reports_total=total, **self._index_counts())
            skipped: list[str] = []
            for number, files in enumerate(batches or [[]], start=1):  # no new report: changed and removed ones
                left_after -= len(files)
                began = time.monotonic()
                summary = self.update(ProgressTracker(on_event), only_new=files)
                if files:
                    per_report.append((time.monotonic() - began) / len(files))
                skipped = [item["file"] for item in summary.skipped]
                self._set_status(batches_done=number, event=None, seconds=time.monotonic() - started,
                                 skipped=tuple(skipped), **self._index_counts())  # fmt: skip
        except IndexProblem as error:  # another update holds the index, a report folder gone...: said on the page
            self._set_status(running=False, error=str(error), event=None)
            return
        except Exception as error:  # the index keeps what was built before; the log has the details
            log.exception("background indexing failed")
            self._set_status(running=False, error=f"{type(error).__name__}: {error}", event=None)
            return
        self._set_status(running=False, event=None, seconds_left=None, seconds=time.monotonic() - started)

    def _index_counts(self) -> dict[str, int]:
        manifest = open_writer(self.index_dir).current()
        if manifest is None:
            return {"reports_indexed": 0, "chunks": 0}
        return {"reports_indexed": len(manifest.documents), "chunks": manifest.chunk_count}

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
        if is_folder_note(name):  # never indexed: it would sit in data/ unread
            name = f"{Path(name).stem} (report){Path(name).suffix}"
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
        for existing in self.data_dir.rglob("*"):  # subfolders too: data/ ships its reports in folders
            if existing.is_file() and existing.stat().st_size == size and content_hash(existing) == digest:
                shown = existing.relative_to(self.data_dir).as_posix()
                return f"{name}: 已存在 already in the library as {shown}", None
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
