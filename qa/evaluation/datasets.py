"""The evaluation's data, loaded from outside the library: gold questions and the public QA sets.

* the gold set (``eval/gold.jsonl``): questions about the sample reports and the 31 government work
  reports of 2025, each with the report it is answered in and an exact answer string;
* public reading-comprehension sets in SQuAD format (CMRC 2018 trial, simplified; DRCD dev,
  traditional), whose paragraphs become small documents of one pool.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

PUBLIC_SETS = {"cmrc2018": "cmrc2018_trial.json", "drcd": "drcd_dev.json"}
# The tuning/test split of every question set (docs/evaluation-sets.md): never change the seed, or
# every figure measured on the test halves so far loses its meaning.
SPLIT_SEED = "report-qa split 1"
HALVES = ("tune", "test")
PUBLIC_FOLDERS = {"cmrc2018": "cmrc", "drcd": "drcd"}


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    file: str  # gold set: the report's file name; public sets: the paragraph's path in the pool
    group: str  # gold set: kind; public sets: the set's name
    lang: str
    answer: str | None = None  # the gold span: found once in its report, it names the passage
    # The part of the span the question asks, where the span runs on past it (past a ；) to be found
    # once in its report: an answer is judged by this part (国内生产总值增长8%左右 of
    # 国内生产总值增长8%左右；经济结构进一步优化), a passage by the whole span.
    asked: str | None = None

    @property
    def judged(self) -> str:
        """What an answer to the question must hold."""
        return self.asked or self.answer or ""


@dataclass(frozen=True)
class Paragraph:
    set_name: str
    id: str
    title: str
    text: str
    file: str  # path in the pool folder, e.g. drcd/1147-5.txt


def load_gold(path: Path) -> list[Question]:
    return read_jsonl(path, "a gold question", lambda record: Question(
        id=record["id"], question=record["question"], file=record["file"], group=record["kind"],
        lang=record["lang"], answer=record["answer"], asked=record.get("asked")))  # fmt: skip


def safe_name(identifier: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]", "_", identifier) or "_"


def load_squad(path: Path, set_name: str, folder: str) -> tuple[list[Paragraph], list[Question]]:
    """Paragraphs and questions of a SQuAD-format file (CMRC 2018 and DRCD both are)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs: list[Paragraph] = []
    questions: list[Question] = []
    used: set[str] = set()
    lang = "zh-Hant" if set_name == "drcd" else "zh-Hans"
    for article_number, article in enumerate(data):
        for paragraph_number, paragraph in enumerate(article["paragraphs"]):
            identifier = str(paragraph.get("id") or f"{article.get('id', article_number)}-{paragraph_number}")
            name = safe_name(identifier)
            while name in used:
                name += "_"
            used.add(name)
            file = f"{folder}/{name}.txt"
            paragraphs.append(
                Paragraph(set_name, identifier, str(article.get("title") or ""), paragraph["context"], file)
            )
            for qa_item in paragraph["qas"]:
                answers = qa_item.get("answers") or [{}]
                questions.append(
                    Question(
                        id=str(qa_item["id"]),
                        question=qa_item["question"],
                        file=file,
                        group=set_name,
                        lang=lang,
                        answer=answers[0].get("text"),
                    )
                )
    return paragraphs, questions


def paragraph_document(paragraph: Paragraph) -> str:
    """A paragraph as a report file: the article's title as its first line (the cleaner takes the
    first line for the title), then the paragraph."""
    title = " ".join(paragraph.title.split())
    return f"{title}\n{paragraph.text.strip()}\n" if title else f"{paragraph.text.strip()}\n"


def report_files(data: Path, shared: Path) -> list[Path]:
    """The sample reports in the data folder and the 31 government work reports of 2025."""
    reports = sorted(path for path in data.glob("*.txt") if path.is_file())
    return reports + sorted((shared / "corpora" / "gwr2025").glob("*.docx"))


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and not path.is_symlink():
        try:
            if path.read_text(encoding="utf-8") == text:
                return
        except (OSError, UnicodeDecodeError):
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _link(target: Path, link: Path) -> None:
    target = target.resolve()
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def _sync_folder(folder: Path, wanted: set[str]) -> None:
    """Remove files in ``folder`` (not below it) that are not in ``wanted``."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in wanted and (path.is_file() or path.is_symlink()):
                path.unlink()


def link_reports(folder: Path, reports: Sequence[Path]) -> None:
    """``folder`` holds exactly a symbolic link to each report, under the report's own name."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {report.name for report in reports}
    if len(names) != len(reports):
        raise ValueError("two reports share a file name")
    _sync_folder(folder, names)
    for report in reports:
        _link(report, folder / report.name)


def write_pool(folder: Path, paragraphs: Sequence[Paragraph], reports: Sequence[Path]) -> None:
    """The public pool: one file per paragraph under cmrc/ and drcd/, and the reports at the top, as
    in the gold set's folder (so that the pool's index can start from the gold set's)."""
    wanted: dict[str, set[str]] = {}
    for paragraph in paragraphs:
        _write_if_changed(folder / paragraph.file, paragraph_document(paragraph))
        subfolder, name = paragraph.file.split("/", 1)
        wanted.setdefault(subfolder, set()).add(name)
    for subfolder, names in wanted.items():
        _sync_folder(folder / subfolder, names)
    link_reports(folder, reports)


@dataclass(frozen=True)
class Conversation:
    """Turns typed one after another; the last is scored: its answer passage (``file`` holding
    ``answer``) in the top 5, or, for a ``not_stated`` one (``answer`` None), no passage claimed."""

    id: str
    kind: str
    turns: tuple[str, ...]
    resolved: str
    file: str
    answer: str | None


@dataclass(frozen=True)
class TableQuestion:
    """A question across reports with its expected rows (region, year, file, answer, figure) and
    the regions or years whose reports do not state it."""

    id: str
    kind: str
    question: str
    rows: tuple[dict, ...]
    not_stated: tuple[str, ...]
    lang: str = "zh-Hans"


def read_jsonl(path: Path, what: str, make: Callable[[dict], T]) -> list[T]:
    """``make`` of each record of a JSON Lines file (blank lines skipped); a line that is not JSON
    or lacks a field ``make`` reads is a ValueError naming the file, the line and ``what`` it is not."""
    items = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                items.append(make(json.loads(line)))
            except (json.JSONDecodeError, KeyError) as error:
                raise ValueError(f"{path}:{number}: not {what} ({error})") from error
    return items


def load_conversations(path: Path) -> list[Conversation]:
    return read_jsonl(path, "a conversation", lambda record: Conversation(
        record["id"], record["kind"], tuple(record["turns"]), record["resolved"], record["file"],
        record["answer"]))  # fmt: skip


def load_tables(path: Path) -> list[TableQuestion]:
    return read_jsonl(path, "a table question", lambda record: TableQuestion(
        record["id"], record["kind"], record["question"], tuple(record["rows"]),
        tuple(str(item) for item in record.get("not_stated", ())), record.get("lang", "zh-Hans")))  # fmt: skip


def combined_files(data: Path, shared: Path) -> list[Path]:
    """The samples, the 31 provincial reports of 2025 and the national reports 1954-2025."""
    return report_files(data, shared) + sorted((shared / "corpora" / "national").glob("*.txt"))


def _natural_key(identifier: str) -> list[object]:
    """'g9' before 'g10', whatever the padding."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", identifier)]


def seeded_draw(identifier: str, seed: str = SPLIT_SEED) -> int:
    """0 or 1 from a hash of the seed and the question's id: the same on every machine and run."""
    return hashlib.sha256(f"{seed}\n{identifier}".encode()).digest()[0] & 1


def split_halves(items: Iterable[tuple[str, str]], seed: str = SPLIT_SEED) -> dict[str, str]:
    """Each question id's half, "tune" or "test", from (id, group) pairs.

    Within a group (a kind, or a public set), the ids in natural order are taken two by two; the
    seeded draw of the first id of a pair puts it in one half and its partner in the other, and a
    last unpaired id goes where its own draw says. So every group splits evenly (one apart at most),
    and questions added with later ids never move an earlier one."""
    by_group: dict[str, list[str]] = {}
    for identifier, group in items:
        by_group.setdefault(group, []).append(identifier)
    halves: dict[str, str] = {}
    for identifiers in by_group.values():
        ordered = sorted(set(identifiers), key=_natural_key)
        for start in range(0, len(ordered), 2):
            draw = seeded_draw(ordered[start], seed)
            halves[ordered[start]] = HALVES[draw]
            if start + 1 < len(ordered):
                halves[ordered[start + 1]] = HALVES[1 - draw]
    return halves


def question_halves(questions: Iterable[Question]) -> dict[str, str]:
    """:func:`split_halves` of questions, grouped by their kind (or public set)."""
    return split_halves((question.id, question.group) for question in questions)
