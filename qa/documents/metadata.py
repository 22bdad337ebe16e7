"""What a report is, beyond its text: its year, the level and name of its issuer, and its region.

The year comes from the title, the "——2024年3月5日在…" line, the document's date or the file
name, in that order; the level from the issuer named in the title, the file name or the speaker
line; the region from the title, issuer or file name, from mention counts only where nothing else
says, and never for a national document (its region is 全国). A sidecar file beside the report
(``<report>.meta.json``) corrects any of them, and survives every rebuild.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal

from qa.errors import DocumentError
from qa.regions import AUTONOMOUS_REGIONS, CITIES, MUNICIPALITIES, NATIONAL, PROVINCES, detect_region, provinces_named
from qa.text import to_simplified
from qa.years import FIRST_YEAR, LAST_YEAR, YEAR

Level = Literal["national", "provincial", "municipal", "county", "other"]
LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "county", "other")
LEVEL_NAMES = {"national": "全国 national", "provincial": "省级 provincial", "municipal": "市级 municipal",
               "county": "区县 county", "other": "其他 other"}  # fmt: skip
SIDECAR_SUFFIX = ".meta.json"

_NATIONAL_ISSUERS = re.compile(
    r"国务院|全国人民代表大会|全国人大|中共中央|中央人民政府|全国政协|国家(?:发展和改革委员会|发改委|统计局)|"
    r"(?:财政|商务|教育|科学技术|工业和信息化|民政|人力资源和社会保障|自然资源|生态环境|住房和城乡建设|交通运输|"
    r"水利|农业农村|文化和旅游|国家卫生健康)部"
)
_MUNICIPALITY = "(?:" + "|".join(MUNICIPALITIES) + ")"
_PROVINCIAL = re.compile(rf"(?:省|自治区)(?:人民)?政府|(?:省|自治区)人民代表大会|省委|{_MUNICIPALITY}市(?:人民)?政府")
_COUNTY = re.compile(r"(?<!自治)(?:区|县|旗)(?:人民政府|政府|财政局|委员会|人民代表大会)|(?<!自治)区[^域]{0,4}局")
_MUNICIPAL = re.compile(r"(?:市|州|盟)(?:人民)?政府|市(?:财政|发展和改革|统计)局|市人民代表大会")
_ISSUER = re.compile(
    r"(?P<issuer>(?:[\u4e00-\u9fff]{2,12}?(?:省|自治区|市|州|盟|区|县|旗))?(?:人民政府办公厅|人民政府|政府办公厅|"
    r"财政局|发展和改革委员会|统计局|人民代表大会常务委员会|人民代表大会)|国务院办公厅|国务院|监察院|行政院|立法院)"
)


@dataclass(frozen=True)
class DocumentInfo:
    year: int | None = None
    level: Level | None = None
    issuer: str | None = None
    region: str | None = None


def describe(title: str, file_name: str, text: str, *, date: str | None = None, subtitle: str | None = None,
             speaker: str | None = None, source: str | None = None) -> DocumentInfo:  # fmt: skip
    """The year, level, issuer and region of one report, from what cleaning found in it."""
    head = to_simplified(" ".join(part for part in (title, speaker or "", Path(file_name).stem) if part))
    level, issuer = _level_and_issuer(head, to_simplified(text[:400]))
    if level == "national":
        region: str | None = NATIONAL
    else:
        region = _region_from(head) or detect_region(title, file_name, text)
    return DocumentInfo(year_of(title, subtitle, date, file_name), level, issuer or source, region)


def year_of(title: str, subtitle: str | None, date: str | None, file_name: str) -> int | None:
    for text in (title, subtitle or "", date or "", Path(file_name).stem):
        match = re.search(rf"(?<!\d)({YEAR})(?!\d)", text)
        if match:
            return int(match.group(1))
    return None


def _level_and_issuer(head: str, opening: str) -> tuple[Level, str | None]:
    issuer_match = _ISSUER.search(head)
    issuer = issuer_match.group("issuer") if issuer_match else None
    if _NATIONAL_ISSUERS.search(head) and not provinces_named(head) and not _PROVINCIAL.search(head):
        return "national", issuer or _national_issuer(head)
    if re.search(r"监察院|行政院|立法院", head):
        return "other", issuer
    if _COUNTY.search(head):
        return "county", issuer
    if re.search(rf"{_MUNICIPALITY}市?(?:人民)?政府|{_MUNICIPALITY}市?政府工作报告", head):
        return "provincial", issuer or _provincial_issuer(head)
    if _MUNICIPAL.search(head) and not any(province + "省" in head for province in PROVINCES):
        return "municipal", issuer
    if (_PROVINCIAL.search(head) or "政府工作报告" in head) and provinces_named(head):
        return "provincial", issuer or _provincial_issuer(head)
    if _NATIONAL_ISSUERS.search(opening) and "政府工作报告" in head and not provinces_named(head):
        return "national", _national_issuer(opening)
    return "other", issuer


def _national_issuer(text: str) -> str | None:
    match = _NATIONAL_ISSUERS.search(text)
    return match.group() if match else None


def _provincial_issuer(head: str) -> str | None:
    named = provinces_named(head)
    if not named:
        return None
    province = named[0]
    autonomous = f"{province}自治区" in head or province in AUTONOMOUS_REGIONS
    kind = "市" if province in MUNICIPALITIES else "自治区" if autonomous else "省"
    return f"{province}{kind}人民政府"


def _region_from(head: str) -> str | None:
    named = provinces_named(head)
    if named:
        return named[0]
    for city, province in CITIES.items():
        if city in head:
            return province
    return None


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path | str) -> bool:
    return str(path).endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, object]:
    """The corrections in a report's sidecar (``{"year": 2024, "level": "municipal", ...}``); {} if none."""
    sidecar = sidecar_of(path)
    if not sidecar.is_file():
        return {}
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DocumentError(path, f"its metadata file {sidecar.name} is not readable JSON ({error})") from error
    known = {item.name for item in fields(DocumentInfo)} | {"title", "source", "date"}
    if not isinstance(record, dict) or set(record) - known:
        keys = ", ".join(sorted(known))
        raise DocumentError(path, f"its metadata file {sidecar.name} must hold an object with keys among {keys}")
    if "level" in record and record["level"] not in LEVELS:
        raise DocumentError(path, f"its metadata file {sidecar.name}: level must be one of {', '.join(LEVELS)}")
    if "year" in record and not (isinstance(record["year"], int) and FIRST_YEAR <= record["year"] <= LAST_YEAR):
        raise DocumentError(path, f"its metadata file {sidecar.name}: year must be a number such as 2024")
    return record


def corrected(info: DocumentInfo, corrections: dict[str, object]) -> DocumentInfo:
    return replace(info, **{key: value for key, value in corrections.items() if key in {f.name for f in fields(info)}})
