"""The reports data/ ships (the samples, the 31 provincial reports of 2025, the national reports), and
what the indexer makes of the folder: every report found, subfolders included, the note on their
sources never taken for a report."""

from __future__ import annotations

from pathlib import Path

from qa.indexing import discover
from tests.conftest import DATA, GUIZHOU, HUBEI


def test_data_ships_the_provincial_and_national_reports_with_their_sources() -> None:
    provinces = sorted((DATA / "provinces-2025").glob("*.docx"))
    national = sorted((DATA / "national").glob("*.txt"))
    assert len(provinces) == 31 and len(national) == 72
    assert any("内蒙古" in path.name for path in provinces)
    assert (DATA / "national" / "2025年国务院政府工作报告.txt").is_file()
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for named in ("provinces-2025/", "national/", "alexzhu0/government_report_rag", "Wikisource", GUIZHOU.name):
        assert named in sources


def test_the_indexer_finds_every_report_in_the_subfolders_and_not_the_note() -> None:
    found, skipped = discover(DATA)
    assert skipped == []
    assert len(found) == 2 + 31 + 72
    assert {HUBEI.name, GUIZHOU.name} <= set(found)
    assert "provinces-2025/2025年湖南省政府工作报告.docx" in found
    assert not any(Path(name).name.lower() in ("sources.md", "readme.md") for name in found)


def test_a_note_about_the_folder_is_not_a_report_but_a_report_beside_it_is(tmp_path: Path) -> None:
    (tmp_path / "SOURCES.md").write_text("# where these come from\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "sub" / "report.md").write_text("# 报告\n处理违规直播间5263个。\n", encoding="utf-8")
    found, skipped = discover(tmp_path)
    assert list(found) == ["sub/report.md"] and skipped == []
