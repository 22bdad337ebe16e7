"""Year, level, issuer and region of a report, and a sidecar that corrects them across rebuilds."""

from __future__ import annotations

import json
from pathlib import Path

from qa.documents import load_document
from qa.documents.metadata import describe
from qa.indexing import update_index
from qa.retrieval import Retriever
from qa.store import IndexConfig
from tests.conftest import HUBEI
from tests.corpus import write_corpus
from tests.fakes import HashingEncoder

CONFIG = IndexConfig(model=HashingEncoder.name)


def test_national_provincial_and_news_reports_are_told_apart() -> None:
    national = describe("2019年国务院政府工作报告", "2019年国务院政府工作报告.txt", "各位代表：香港、澳门……台湾。" * 5)
    assert (national.year, national.level, national.issuer, national.region) == (2019, "national", "国务院", "全国")
    province = describe("2025年上海市政府工作报告", "2025年上海市政府工作报告.docx", "各位代表：")
    assert (province.year, province.level, province.issuer, province.region) == (2025, "provincial",
                                                                               "上海市人民政府", "上海")  # fmt: skip
    resolution = describe(
        "第十三届全国人民代表大会第二次会议关于政府工作报告的决议", "2019年全国人民代表大会关于政府工作报告的决议.txt",
        "会议听取和审议了政府工作报告。",
    )  # fmt: skip
    assert (resolution.year, resolution.level, resolution.region) == (2019, "national", "全国")
    district = describe("上海市普陀区财政局2024年度部门决算", "putuo.pdf", "")
    assert (district.level, district.region) == ("county", "上海")
    city = describe("杭州市人民政府印发关于进一步推动经济高质量发展若干政策的通知", "hz.pdf", "")
    assert (city.level, city.issuer, city.region) == ("municipal", "杭州市人民政府", "浙江")
    news = load_document(HUBEI)
    info = describe(news.title, HUBEI.name, news.text, date=news.date, source=news.source)
    assert (info.year, info.level, info.region, info.issuer) == (2024, "other", "湖北", "湖北日報")


def test_a_sidecar_corrects_the_metadata_and_the_correction_survives_a_rebuild(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data", national=False)
    report = data / "2025年重庆市政府工作报告.txt"
    report.with_name(report.name + ".meta.json").write_text(
        json.dumps({"year": 2024, "level": "municipal", "issuer": "重庆市人民政府办公厅"}), encoding="utf-8"
    )
    summary = update_index(data, tmp_path / "index", config=CONFIG, encoder=HashingEncoder())
    assert not summary.skipped and len(summary.added) == 4  # the sidecar is not a report of its own
    entry = Retriever(tmp_path / "index", encoder=HashingEncoder()).documents[report.name]
    assert (entry.year, entry.level, entry.issuer, entry.region) == (2024, "municipal", "重庆市人民政府办公厅", "重庆")
    update_index(data, tmp_path / "index", config=CONFIG, encoder=HashingEncoder(), rebuild=True)
    assert Retriever(tmp_path / "index", encoder=HashingEncoder()).documents[report.name].year == 2024
    sidecar = report.with_name(report.name + ".meta.json")
    sidecar.write_text(json.dumps({"year": 2025}), encoding="utf-8")  # changing the sidecar updates the entry
    changed = update_index(data, tmp_path / "index", config=CONFIG, encoder=HashingEncoder())
    assert changed.changed == [report.name] and changed.chunks_embedded == 0
    assert Retriever(tmp_path / "index", encoder=HashingEncoder()).documents[report.name].level == "provincial"
    sidecar.write_text("{not json", encoding="utf-8")
    broken = update_index(data, tmp_path / "index", config=CONFIG, encoder=HashingEncoder())
    assert broken.skipped and "meta.json" in broken.skipped[0]["reason"] + broken.skipped[0]["file"]
    assert report.name in Retriever(tmp_path / "index", encoder=HashingEncoder()).documents  # kept as it was


def test_the_speaker_line_is_metadata_not_a_heading(tmp_path: Path) -> None:
    report = tmp_path / "2024年国务院政府工作报告.txt"
    report.write_text("2024年国务院政府工作报告\n政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n"
                      "国务院总理　李　强\n各位代表：\n一、2023年工作回顾\n过去一年，国内生产总值增长5.2%。\n",
                      encoding="utf-8")  # fmt: skip
    document = load_document(report)
    assert document.extra["speaker"].replace(" ", "") == "国务院总理李强"
    assert all("李" not in (line.title or "") for line in document.lines)


def test_qa_stats_gives_year_level_issuer_and_region_of_every_report(tmp_path: Path, capsys) -> None:
    from qa.cli import main

    data = write_corpus(tmp_path / "data")
    update_index(data, tmp_path / "index", config=CONFIG, encoder=HashingEncoder())
    assert main(["stats", "--index", str(tmp_path / "index"), "--json"]) == 0
    documents = json.loads(capsys.readouterr().out)["documents"]
    national = documents["2011年国务院政府工作报告.txt"]
    assert (national["year"], national["level"], national["region"]) == (2011, "national", "全国")
    assert all(entry["issuer"] and entry["region"] and entry["year"] for entry in documents.values())
    assert main(["stats", "--index", str(tmp_path / "index")]) == 0
    shown = capsys.readouterr().out  # grouped by year, then a line per report: level, region, title, issuer
    assert "by level:  provincial (4), national (3)" in shown and "全国 (3)" in shown
    year_2025 = shown.split("\n2025\n", 1)[1].split("\n\n", 1)[0]
    assert "重庆  2025年重庆市政府工作报告 · 重庆市人民政府" in year_2025 and "2011年" not in year_2025
