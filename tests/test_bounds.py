"""Bounds before work (qa/limits.py): a Word bomb, an XML element bomb, a 2,000-page PDF and a scan
that would OCR for hours are each refused with a clear reason before they are unpacked, parsed or
recognised; the largest are checked in a subprocess for time and peak memory, as ``qa chunk`` runs."""

from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from qa.errors import DocumentError
from qa.limits import MAX_OCR_PAGES, MAX_PDF_PAGES, MAX_UNPACKED_BYTES, MAX_XML_ELEMENTS
from qa.readers import read_file
from tests.fixtures import write_docx

MB = 1024 * 1024
# Runs a command and writes its peak resident memory (KiB on Linux) to argv[1].
_MEASURE = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)"
)


def chunk_measured(path: Path, rss_file: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess, int, float]:
    """(result, peak resident memory in bytes, seconds) of ``qa chunk --json path``, in a subprocess
    whose address space is capped at 4 GB so that a reader without its bounds fails instead of swapping."""
    command = [sys.executable, "-c", _MEASURE, str(rss_file), sys.executable, "-m", "qa.cli", "chunk", "--json",
               str(path)]  # fmt: skip
    started = time.perf_counter()

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=cap, start_new_session=True)  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the measuring process and the command under it
        process.communicate()
        raise
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    seconds = time.perf_counter() - started
    assert "Traceback" not in result.stderr, result.stderr
    return result, int(rss_file.read_text()) * 1024, seconds


# -- a ZIP written by hand: deflate streams of any size without unpacking them here ------------------------


def _deflated_spaces(size: int, head: bytes, tail: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, length) of ``head + b" " * size + tail``, built from one
    compressed megabyte repeated (each block ends with a full flush, so blocks are independent)."""
    block = b" " * MB
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    middle = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = middle.compress(block) + middle.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(tail) + last.flush(zlib.Z_FINISH)
    count = size // MB
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return start + repeated * count + end, crc, len(head) + count * MB + len(tail)


def write_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A ZIP of ``(name, data, method, crc, unpacked size)`` members, the sizes as given."""
    out = io.BytesIO()
    directory = b""
    for name, data, method, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size,
                              len(encoded), 0) + encoded + data)  # fmt: skip
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded  # fmt: skip
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0))
    path.write_bytes(out.getvalue())
    return path


def _packed(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(data) + compressor.flush(), 8, zlib.crc32(data), len(data)


def word_package(tmp_path: Path, document_xml: bytes | None = None) -> list[tuple[str, bytes, int, int, int]]:
    """The parts of a real .docx (python-docx's), ``word/document.xml`` left out when one is given."""
    source = zipfile.ZipFile(write_docx(tmp_path / "source.docx"))
    return [_packed(info.filename, source.read(info)) for info in source.infolist()
            if document_xml is None or info.filename != "word/document.xml"]  # fmt: skip


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + _W + b"><w:body><w:p><w:r><w:t>"
TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def write_word_bomb(tmp_path: Path, megabytes: int = 20) -> Path:
    """A ``megabytes`` MB .docx whose document and four more parts each unpack to 3.9 GB of spaces."""
    stream, crc, size = _deflated_spaces(3900 * MB, HEAD, TAIL)
    parts = word_package(tmp_path, stream)
    parts.append(("word/document.xml", stream, 8, crc, size))
    for number in range(1, (megabytes * MB) // len(stream)):
        parts.append((f"word/header{number}.xml", stream, 8, crc, size))
    return write_zip(tmp_path / "bomb.docx", parts)


@pytest.mark.slow
def test_a_20_mb_word_bomb_is_refused_in_seconds_and_little_memory(tmp_path: Path) -> None:
    bomb = write_word_bomb(tmp_path)
    assert 19 * MB < bomb.stat().st_size < 21 * MB
    declared = sum(info.file_size for info in zipfile.ZipFile(bomb).infolist())
    assert declared > 19_000 * MB  # ~19 GB of spaces behind 20 MB

    result, peak, seconds = chunk_measured(bomb, tmp_path / "rss")
    assert result.returncode != 0
    assert f"more than the {MAX_UNPACKED_BYTES >> 20} MB allowed (a ZIP bomb?)" in result.stderr, result.stderr
    assert "bomb.docx" in result.stderr
    assert seconds < 10, seconds
    assert peak < 300 * MB, peak


def test_empty_paragraphs_past_the_element_bound_are_refused_before_word_parses_them(tmp_path: Path) -> None:
    """The issue's 8.6 KB file of empty paragraphs (91-98 s of CPU): here 600,000 of them in ~20 KB."""
    paragraphs = b"<w:p/>" * (MAX_XML_ELEMENTS + 100_000)
    xml = HEAD.replace(b"<w:p><w:r><w:t>", b"") + paragraphs + b"</w:body></w:document>"
    parts = word_package(tmp_path, xml)
    bomb = write_zip(tmp_path / "paragraphs.docx", [*parts, _packed("word/document.xml", xml)])
    assert bomb.stat().st_size < 100_000
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=f"more than {MAX_XML_ELEMENTS:,} XML elements"):
        read_file(bomb)
    assert time.perf_counter() - started < 5


def test_a_part_holding_more_than_its_declared_size_is_corrupt_not_unpacked(tmp_path: Path) -> None:
    """The ZIP's directory says 1 KB; the stream holds 1 GB: zipfile stops at the declared size and
    the checksum fails, so nothing past 1 KB is ever unpacked."""
    stream, crc, _size = _deflated_spaces(1000 * MB, HEAD, TAIL)
    parts = word_package(tmp_path, stream)
    bomb = write_zip(tmp_path / "liar.docx", [*parts, ("word/document.xml", stream, 8, crc, 1024)])
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=r"truncated or corrupt \.docx"):
        read_file(bomb)
    assert time.perf_counter() - started < 5


def test_a_dtd_in_a_word_part_is_refused(tmp_path: Path) -> None:
    xml = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
           b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")  # fmt: skip
    parts = word_package(tmp_path, xml)
    bomb = write_zip(tmp_path / "entities.docx", [*parts, _packed("word/document.xml", xml)])
    with pytest.raises(DocumentError, match="declares a DTD"):
        read_file(bomb)


def test_a_real_report_is_within_every_word_bound() -> None:
    reports = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "gwr2025"
    if not reports.is_dir():
        pytest.skip(f"{reports} is absent (the 31 provincial reports)")
    for report in sorted(reports.glob("*.docx"))[:5]:
        assert read_file(report).lines


# -- PDFs ----------------------------------------------------------------------------------------------


def write_noise_pdf(path: Path, pages: int, *, seed: int = 7) -> Path:
    """A scan of noise: ``pages`` pages, each a 300x300 noise picture and no text layer."""
    import numpy as np
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    noise = np.random.default_rng(seed).integers(0, 256, (300, 300), dtype=np.uint8)
    picture = ImageReader(Image.fromarray(noise))
    pdf = canvas.Canvas(str(path))
    for _ in range(pages):
        pdf.drawImage(picture, 50, 300, 500, 500)
        pdf.showPage()
    pdf.save()
    return path


@pytest.mark.slow
def test_a_2000_page_pdf_is_refused_in_seconds_and_little_memory(tmp_path: Path) -> None:
    scan = write_noise_pdf(tmp_path / "archive.pdf", 2000)
    result, peak, seconds = chunk_measured(scan, tmp_path / "rss")
    assert result.returncode != 0
    assert f"2,000 pages; at most {MAX_PDF_PAGES:,} pages a PDF: split it" in result.stderr, result.stderr
    assert seconds < 10, seconds
    assert peak < 300 * MB, peak


def test_a_scan_that_would_ocr_for_longer_than_allowed_is_refused_before_ocr(tmp_path: Path) -> None:
    from qa.readers import ocr

    scan = write_noise_pdf(tmp_path / "long scan.pdf", MAX_OCR_PAGES + 20)
    before = ocr.stats.recognised
    started = time.perf_counter()
    expected = rf"{MAX_OCR_PAGES + 20} pages need OCR \(about \d+ minutes.*split the scan"
    with pytest.raises(DocumentError, match=expected):
        read_file(scan)
    assert ocr.stats.recognised == before  # not one page was recognised
    assert time.perf_counter() - started < 60
