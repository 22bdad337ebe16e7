"""What the web page can do, as plain Python (ask, list, upload, remove, update), testable without
a browser. The UI layer imports the library, never the reverse."""

from __future__ import annotations

import re
import shutil
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.answer import Answer, answer
from qa.documents import content_hash
from qa.errors import IndexProblem
from qa.indexing import UpdateSummary, update_index
from qa.limits import MAX_FILE_BYTES
from qa.readers import SUPPORTED_SUFFIXES
from qa.retrieval import Filters, Retriever
from qa.store import index_exists

ALL = "全部 All"
MAX_PASSAGES = 20


class Backend:
    def __init__(self, data_dir: Path | str = "data", index_dir: Path | str = "index") -> None:
        self.data_dir = Path(data_dir)
        self.index_dir = index_dir
        self._update_lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._retriever_lock = threading.Lock()

    # -- index -----------------------------------------------------------------------------
    def ensure_index(self, progress: Callable[[str, int, int], None] | None = None) -> UpdateSummary | None:
        """Build the index from ``data_dir`` if there is none yet."""
        if index_exists(self.index_dir):
            return None
        return self.update(progress)

    def update(self, progress: Callable[[str, int, int], None] | None = None) -> UpdateSummary:
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
    def ask(self, question: str, k: int = 5, region: str = "", year: str = "", source: str = "") -> Answer:
        filters = Filters(region=chosen(region), year=chosen(year), source=chosen(source))
        passages = max(1, min(int(k or 5), MAX_PASSAGES))
        return answer(question, retriever=self.retriever, k=passages, filters=filters)

    def filter_choices(self) -> dict[str, list[str]]:
        try:
            values = self.retriever.filter_values()
        except IndexProblem:
            values = {"region": [], "year": [], "source": []}
        return {name: [ALL, *options] for name, options in values.items()}

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[list[object]]:
        try:
            documents = self.retriever.documents
        except IndexProblem:
            return []
        return [
            [entry.title, entry.date or "", entry.source or "", entry.region or "", len(entry.chunk_ids), name]
            for name, entry in sorted(documents.items(), key=lambda item: item[1].date or "", reverse=True)
        ]

    def upload(self, paths: list[str | Path]) -> list[str]:
        """Copy uploaded files into ``data_dir``; returns one message per file. Call :meth:`update` after."""
        return [self._store_upload(Path(path)) for path in paths]

    def _store_upload(self, path: Path) -> str:
        name = safe_file_name(path.name)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            return f"{path.name}: 不支持的文件类型 unsupported type '{suffix}' (use {', '.join(SUPPORTED_SUFFIXES)})"
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return f"{path.name}: 文件过大 too large ({size >> 20} MB; the limit is {MAX_FILE_BYTES >> 20} MB)"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        digest = content_hash(path)
        target = self.data_dir / name
        for existing in self.data_dir.iterdir():
            if existing.is_file() and existing.stat().st_size == size and content_hash(existing) == digest:
                return f"{name}: 已存在 already in the library as {existing.name}"
        target = _free_name(target)
        temporary = target.with_name(f".{target.name}.uploading")
        shutil.copyfile(path, temporary)
        temporary.replace(target)
        return f"{target.name}: 已上传 uploaded"

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


def chosen(value: str | None) -> str | None:
    return None if not value or value == ALL else value


def safe_file_name(name: str) -> str:
    """A file name that stays inside the data folder: no folders, no control characters, no
    leading dots; letters of any script (Chinese included), digits, spaces and ``-_.()`` are kept."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] not in "C")
    name = re.sub(r"[^\w\s\-.()（）【】]", "_", name).strip(" .")
    return name[:120] or "upload"


def _free_name(target: Path) -> Path:
    """``target`` or, if a different file has that name, ``name (2).ext`` and so on: never overwrite."""
    candidate, number = target, 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
        number += 1
    return candidate
