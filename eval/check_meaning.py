#!/usr/bin/env python3
"""Validate the sets of issues 28 and 31 against the reports as the product reads them:

  eval/meaning.jsonl         single questions in other words (paraphrase, english, relative_time,
                             stated, unanswerable)
  eval/meaning_tables.jsonl  questions across reports (verb_which, english_table, synonym_years,
                             relative_years), in the format of eval/tables.jsonl
  eval/archive.jsonl         the archive over time (target_result, first_mention, timeline)

Every gold span must occur exactly once (white space ignored) in the text that
``qa.documents.load_document`` reads from the cited report; which-question rows are recomputed
from the texts (the reports holding one of the term's names), first and last mentions and the
per-year counts are recomputed over the national government work reports, and every
target-against-result verdict is recomputed by the rule of docs/evaluation-sets.md
(:func:`verdict`). The schema of each file is in that page.

Reports are read from <shared>/corpora, <shared> being $QA_SHARED or <repo>/../shared.
Prints the counts per file, kind and language; exits 1 on any problem.
Usage: python eval/check_meaning.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parent
sys.path.insert(0, str(EVAL))
sys.path.insert(0, str(REPO))
import check_sets  # noqa: E402  (its helpers: script checks, figures, region names, the shared folder)

CORPUS_DIRS = check_sets.CORPUS_DIRS
LANGS = ("zh-Hans", "zh-Hant", "en")
MIN_SPAN, MAX_SPAN = 8, 60
MEANING_PATH, TABLES_PATH, ARCHIVE_PATH = EVAL / "meaning.jsonl", EVAL / "meaning_tables.jsonl", EVAL / "archive.jsonl"

SINGLE_KEYS = {"id", "question", "file", "corpus", "answer", "kind", "lang"}
SINGLE_KINDS = ("paraphrase", "english", "relative_time", "stated", "unanswerable")
SINGLE_MIN = {"paraphrase": 25, "english": 12, "relative_time": 8, "stated": 8, "unanswerable": 10}
TABLE_GROUPS = {"verb_which": "which", "english_table": "per_report", "synonym_years": "year_range",
                "relative_years": "year_range"}  # fmt: skip
TABLE_MIN = {"verb_which": 12, "english_table": 3, "synonym_years": 6, "relative_years": 4}
MIN_MEANING = 100  # questions of issue 28, single and across reports
ARCHIVE_KINDS = ("target_result", "first_mention", "timeline")
ARCHIVE_MIN = {"target_result": 16, "first_mention": 12, "timeline": 5}
MIN_ARCHIVE = 40
# A paraphrase shares no run of more than this many Chinese characters with its gold span (region
# names left out): the question is in other words.
MAX_PARAPHRASE_RUN = 3
RELATIVE_WORDS = ("这几年", "近年来", "近几年", "近三年", "近两年", "最近三年", "过去五年", "去年", "今年", "明年",
                  "recent years", "this year", "last year", "next year", "last four years")  # fmt: skip
NOW = 2025  # the year of the newest report: 今年 2025, 去年 2024, 明年 2026 (docs/evaluation-sets.md)
INDICATOR_DIRECTION = {"gdp": "floor", "jobs": "floor", "grain": "floor", "cpi": "ceiling", "deficit": "ceiling"}


# ---------------------------------------------------------------- the reports as the product reads them
@cache
def report_text(corpus: str, file: str) -> str:
    """The report's text read by qa.documents.load_document, without white space."""
    from qa.documents import load_document

    return "".join(load_document(CORPUS_DIRS[corpus] / file).text.split())


@cache
def simplified_text(corpus: str, file: str) -> str:
    return check_sets.CORPUS.t2s(report_text(corpus, file))


def compact(text: str) -> str:
    return "".join(text.split())


def gwr_files() -> dict[str, str]:
    """Province -> its 2025 report's file name, in file order."""
    files = sorted(path.name for path in CORPUS_DIRS["gwr2025"].glob("*.docx"))
    return {check_sets.region_of(name): name for name in files}


def archive_files() -> dict[int, str]:
    """Year -> the national government work report of that year (the NPC resolutions are not reports)."""
    return {int(path.name[:4]): path.name for path in sorted(CORPUS_DIRS["national"].glob("*年国务院政府工作报告.txt"))}


def form_pattern(forms: list[str]) -> re.Pattern[str]:
    """Any of the forms, the longest first: one phrase counts once."""
    simplified = sorted({compact(check_sets.CORPUS.t2s(form)) for form in forms}, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in simplified))


def mention_counts(forms: list[str]) -> dict[int, int]:
    """Occurrences of the forms in each national government work report (simplified, no white space)."""
    pattern = form_pattern(forms)
    return {year: len(pattern.findall(simplified_text("national", file))) for year, file in archive_files().items()}


# ---------------------------------------------------------------- the verdict rule
FLOOR_QUALIFIERS = {"以上", "不低于", "不少于", "超过", "力争"}
WEIGHT_IN_JIN = {"斤": 1, "亿斤": 1e8, "万亿斤": 1e12, "公斤": 2, "吨": 2000, "万吨": 2e7, "亿吨": 2e11}


def _scaled(value: float, unit: str) -> tuple[float, str]:
    if unit in WEIGHT_IN_JIN:
        return value * WEIGHT_IN_JIN[unit], "斤"
    return value, unit


def verdict(indicator: str, target: dict | None, result: dict | None) -> str | None:
    """met / missed / not_comparable by the rule of docs/evaluation-sets.md; None without both
    figures, or when they are about different years."""
    if not target or not result or target["value"] is None or result["value"] is None:
        return None
    if target.get("year") != result.get("year"):
        return None
    direction = INDICATOR_DIRECTION[indicator]
    bounds = target["value"] if isinstance(target["value"], list) else [target["value"]] * 2
    (low, unit), (high, _) = _scaled(bounds[0], target["unit"]), _scaled(bounds[1], target["unit"])
    if isinstance(result["value"], list):
        return "not_comparable"
    value, result_unit = _scaled(result["value"], result["unit"])
    if unit != result_unit:
        return "not_comparable"
    if result.get("qualifier") in FLOOR_QUALIFIERS and direction == "ceiling":
        return "not_comparable"  # "more than X" says nothing of a ceiling
    if target.get("qualifier") == "左右":
        tolerance = 0.2 if target["unit"] == "%" else 0.02 * abs(low)
        low, high = low - tolerance, high + tolerance
    if direction == "floor":
        return "met" if value >= low - 1e-9 else "missed"
    return "met" if value <= high + 1e-9 else "missed"


# ---------------------------------------------------------------- checks shared by the files
class Problems(check_sets.Report):
    pass


def check_span(rep: Problems, where: str, corpus: str, file: object, span: object, *, lo: int = MIN_SPAN) -> bool:
    if not isinstance(file, str) or Path(file).name != file or corpus not in CORPUS_DIRS:
        rep.bad(where, f"bad corpus/file {corpus!r}/{file!r}")
        return False
    if not (CORPUS_DIRS[corpus] / file).is_file():
        rep.bad(where, f"report not found: {corpus}/{file}")
        return False
    if not isinstance(span, str) or span != span.strip() or "\n" in span:
        rep.bad(where, f"span must be a one-line string, got {span!r}")
        return False
    if not lo <= len(compact(span)) <= MAX_SPAN:
        rep.bad(where, f"span {span!r}: length {len(compact(span))} not in {lo}..{MAX_SPAN}")
    found = report_text(corpus, file).count(compact(span))
    if found != 1:
        rep.bad(where, f"span {span!r} occurs {found} times in {file} as read (must be once)")
    return found == 1


def check_question(rep: Problems, where: str, question: object, lang: object) -> None:
    if not isinstance(question, str) or not question.strip():
        rep.bad(where, "empty question")
        return
    if lang not in LANGS:
        rep.bad(where, f"unknown lang {lang!r}")
        return
    check_sets.check_lang(rep, where, question, str(lang))


def longest_run(question: str, span: str) -> int:
    """Longest run of Chinese characters the question (simplified, region names left out) shares with the span."""
    text = check_sets.CORPUS.t2s(question)
    for region in check_sets.ENGLISH_NAMES:
        text = text.replace(region, "〇")
    best, previous = 0, [0] * (len(span) + 1)
    for char in text:
        current = [0] * (len(span) + 1)
        for j, other in enumerate(span, 1):
            if char == other and check_sets.CJK_RE.match(char):
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def file_year(file: str) -> int | None:
    return check_sets.year_of(file)


# ---------------------------------------------------------------- meaning.jsonl
def check_meaning(path: Path, seen: set[str]) -> tuple[Problems, Counter]:
    rep = Problems(path.name)
    counts: Counter = Counter()
    questions: set[str] = set()
    for record in check_sets.read_jsonl(path, rep):
        where = f"line {record.pop('_line')} ({record.get('id')})"
        keys = set(record)
        optional = {"reading", "absent", "note", "asked"}
        if not keys >= SINGLE_KEYS or keys - SINGLE_KEYS - optional:
            rep.bad(where, f"keys {sorted(keys)} must be {sorted(SINGLE_KEYS)} (+ optional {sorted(optional)})")
            continue
        identifier, kind, lang, corpus = record["id"], record["kind"], record["lang"], record["corpus"]
        if not re.fullmatch(r"m\d{3,}", str(identifier)) or identifier in seen:
            rep.bad(where, "id must look like m001 and be unique")
        seen.add(str(identifier))
        if kind not in SINGLE_KINDS:
            rep.bad(where, f"unknown kind {kind!r}")
            continue
        counts[(kind, lang)] += 1
        question, answer, file = record["question"], record["answer"], record["file"]
        if question in questions:
            rep.bad(where, "duplicate question")
        questions.add(question)
        check_question(rep, where, question, lang)
        if (kind == "english") != (lang == "en") and kind in ("english",):
            rep.bad(where, "english questions have lang 'en'")
        if kind == "unanswerable":
            _check_unanswerable(rep, where, record)
            continue
        if "absent" in record:
            rep.bad(where, "'absent' is only for unanswerable questions")
        if check_sets.check_gold.asked_problem(record):
            rep.bad(where, check_sets.check_gold.asked_problem(record))
        if not check_span(rep, where, corpus, file, answer):
            continue
        if compact(str(answer)) in compact(question):
            rep.bad(where, "the question contains its answer")
        if kind == "paraphrase":
            run = longest_run(question, answer)
            if run > MAX_PARAPHRASE_RUN:
                rep.bad(where, f"paraphrase shares a run of {run} characters with its answer")
        if kind == "relative_time":
            _check_reading(rep, where, record)
        elif "reading" in record:
            rep.bad(where, "'reading' is only for relative_time questions")
    return rep, counts


def _check_unanswerable(rep: Problems, where: str, record: dict) -> None:
    if record["answer"] is not None:
        rep.bad(where, "an unanswerable question has answer null")
    corpus, file, absent = record["corpus"], record["file"], record.get("absent")
    if corpus not in CORPUS_DIRS or not isinstance(file, str) or not (CORPUS_DIRS[corpus] / file).is_file():
        rep.bad(where, f"report not found: {corpus}/{file}")
        return
    if not (isinstance(absent, list) and absent and all(isinstance(item, str) and item for item in absent)):
        rep.bad(where, "an unanswerable question needs 'absent': patterns that match nothing in its report")
        return
    text = simplified_text(corpus, file)
    for pattern in absent:
        match = re.search(pattern, text)
        if match:
            context = text[max(0, match.start() - 20) : match.end() + 20]
            rep.bad(where, f"absent pattern {pattern!r} occurs in {file}: {context}")


def _check_reading(rep: Problems, where: str, record: dict) -> None:
    reading = record.get("reading")
    if not isinstance(reading, dict) or "years" not in reading:
        rep.bad(where, "a relative_time question needs 'reading': {'years': [...] or null}")
        return
    question = check_sets.CORPUS.t2s(record["question"])
    if not any(word in question.lower() for word in RELATIVE_WORDS):
        rep.bad(where, f"a relative_time question uses one of {RELATIVE_WORDS}")
    years = reading["years"]
    if years is None:
        return
    if not (isinstance(years, list) and years and all(isinstance(year, int) for year in years)):
        rep.bad(where, "reading years must be a list of years or null")
        return
    report_year = file_year(record["file"])
    if report_year is not None and not all(report_year - 1 <= year <= report_year + 1 for year in years):
        rep.bad(where, f"reading {years} is not said by the {report_year} report")
    if any(year > NOW + 1 for year in years):
        rep.bad(where, f"reading {years} lies beyond {NOW + 1}")


# ---------------------------------------------------------------- meaning_tables.jsonl
def check_tables(path: Path, seen: set[str]) -> tuple[Problems, Counter]:
    rep = Problems(path.name)
    counts: Counter = Counter()
    provinces = gwr_files()
    for record in check_sets.read_jsonl(path, rep):
        where = f"line {record.pop('_line')} ({record.get('id')})"
        required = {"id", "kind", "group", "corpus", "question", "lang", "rows", "not_stated"}
        optional = {"term", "verb", "basis", "names", "reading", "note"}
        keys = set(record)
        if not keys >= required or keys - required - optional:
            rep.bad(where, f"keys {sorted(keys)} must be {sorted(required)} (+ optional {sorted(optional)})")
            continue
        identifier, kind, group = record["id"], record["kind"], record["group"]
        if not re.fullmatch(r"mt\d{3,}", str(identifier)) or identifier in seen:
            rep.bad(where, "id must look like mt001 and be unique")
        seen.add(str(identifier))
        if TABLE_GROUPS.get(group) != kind:
            rep.bad(where, f"group {group!r} goes with kind {TABLE_GROUPS.get(group)!r}, not {kind!r}")
            continue
        counts[(group, record["lang"])] += 1
        check_question(rep, where, record["question"], record["lang"])
        rows = record["rows"]
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            rep.bad(where, "rows must be a list of objects")
            continue
        if kind == "which":
            _check_which(rep, where, record, provinces)
        elif kind == "per_report":
            _check_per_report(rep, where, record, provinces)
        else:
            _check_years(rep, where, record)
    return rep, counts


def _row_spans(row: dict) -> list[str]:
    return [row["answer"], *row.get("also", [])]


def _check_which(rep: Problems, where: str, record: dict, provinces: dict[str, str]) -> None:
    terms = record.get("term")
    if not (isinstance(terms, list) and terms and all(isinstance(term, str) and term for term in terms)):
        rep.bad(where, "a which question lists its term's names in 'term'")
        return
    if not isinstance(record.get("verb"), str):
        rep.bad(where, "a which question names its verb ('verb')")
    pattern = form_pattern(terms)
    expected = [region for region, file in provinces.items() if pattern.search(simplified_text("gwr2025", file))]
    listed = [row.get("region") for row in record["rows"]]
    if listed != expected:
        missing, extra = sorted(set(expected) - set(listed)), sorted(set(listed) - set(expected))
        rep.bad(where, f"rows: the reports holding one of {terms}, in file order; missing {missing}, extra {extra}")
    if sorted(record["not_stated"]) != sorted(set(provinces) - set(expected)):
        rep.bad(where, "not_stated must be every other province")
    for row in record["rows"]:
        row_where = f"{where} {row.get('region')}"
        if set(row) - {"region", "year", "file", "answer", "value", "unit", "qualifier", "also"}:
            rep.bad(row_where, f"unexpected row keys {sorted(row)}")
        if row.get("file") != provinces.get(row.get("region")):
            rep.bad(row_where, f"file {row.get('file')} is not the report of {row.get('region')}")
            continue
        if row.get("value") is not None or row.get("unit") is not None or row.get("qualifier") is not None:
            rep.bad(row_where, "which rows have null value, unit and qualifier")
        spans = _row_spans(row)
        if len(set(spans)) != len(spans):
            rep.bad(row_where, "a span is listed twice")
        for span in spans:
            if check_span(rep, row_where, "gwr2025", row["file"], span) and not pattern.search(
                check_sets.CORPUS.t2s(compact(span))
            ):
                rep.bad(row_where, f"span {span!r} holds none of {terms}")


def _check_per_report(rep: Problems, where: str, record: dict, provinces: dict[str, str]) -> None:
    regions = [row.get("region") for row in record["rows"]]
    if sorted(regions + list(record["not_stated"])) != sorted(provinces):
        rep.bad(where, "rows and not_stated together are the 31 provinces, once each")
    for row in record["rows"]:
        row_where = f"{where} {row.get('region')}"
        if row.get("file") != provinces.get(row.get("region")):
            rep.bad(row_where, f"file {row.get('file')} is not the report of {row.get('region')}")
            continue
        if check_span(rep, row_where, "gwr2025", row["file"], row.get("answer")):
            check_sets.check_value(rep, row_where, row, need_note_if_null=True)


def _check_years(rep: Problems, where: str, record: dict) -> None:
    basis, rows, group = record.get("basis"), record["rows"], record["group"]
    if basis not in ("target", "actual"):
        rep.bad(where, "basis must be target or actual")
        return
    archive = archive_files()
    years = [row.get("year") for row in rows]
    absent = record["not_stated"]
    if years != sorted(years) or len(set(years)) != len(years) or set(years) & set(absent):
        rep.bad(where, f"row years {years} must increase, and differ from not_stated {absent}")
    span = sorted(set(years) | set(absent))
    if span != list(range(span[0], span[-1] + 1)):
        rep.bad(where, f"rows and not_stated cover consecutive years, got {span}")
    for year in absent:
        report = archive.get(year + (1 if basis == "actual" else 0))
        names = record.get("names") or []
        if report and names and form_pattern(names).search(simplified_text("national", report)) and not record.get(
            "note"
        ):
            rep.bad(where, f"{year} is not_stated but its report {report} names the indicator (say why in 'note')")
    for row in rows:
        row_where = f"{where} {row.get('year')}"
        want = row.get("year", 0) + (1 if basis == "actual" else 0)
        if row.get("region") != "全国" or file_year(str(row.get("file"))) != want:
            rep.bad(row_where, f"the {basis} of {row.get('year')} is in the national report of {want}")
            continue
        if check_span(rep, row_where, "national", row["file"], row.get("answer")):
            check_sets.check_value(rep, row_where, row, need_note_if_null=True)
    if group == "synonym_years":
        names = record.get("names")
        if not (isinstance(names, list) and len(names) >= 2):
            rep.bad(where, "a synonym table lists the indicator's names ('names', two at least)")
            return
        simplified = [check_sets.CORPUS.t2s(compact(row["answer"])) for row in rows]
        question = check_sets.CORPUS.t2s(record["question"]).lower()
        asked = sorted((name for name in names if name.lower() in question), key=len, reverse=True)
        if not asked:
            rep.bad(where, f"the question uses none of {names}")
        elif all(asked[0].lower() in answer.lower() for answer in simplified):
            rep.bad(where, f"every row says {asked[0]!r} as the question does: no other name is asked for")
        questioned = check_sets.years_in(record["question"])
        if questioned and (questioned[0], questioned[-1]) != (span[0], span[-1]):
            rep.bad(where, f"the question asks {questioned[0]}..{questioned[-1]}, rows cover {span[0]}..{span[-1]}")
    else:
        reading = (record.get("reading") or {}).get("years")
        if reading != span:
            rep.bad(where, f"reading {reading} must be the years of the rows and not_stated {span}")
        question = check_sets.CORPUS.t2s(record["question"]).lower()
        if not any(word in question for word in RELATIVE_WORDS):
            rep.bad(where, f"a relative_years question uses one of {RELATIVE_WORDS}")


# ---------------------------------------------------------------- archive.jsonl
def check_archive(path: Path, seen: set[str]) -> tuple[Problems, Counter]:
    rep = Problems(path.name)
    counts: Counter = Counter()
    for record in check_sets.read_jsonl(path, rep):
        where = f"line {record.pop('_line')} ({record.get('id')})"
        identifier, kind = record.get("id"), record.get("kind")
        if not re.fullmatch(r"a\d{3,}", str(identifier)) or identifier in seen:
            rep.bad(where, "id must look like a001 and be unique")
        seen.add(str(identifier))
        if kind not in ARCHIVE_KINDS:
            rep.bad(where, f"unknown kind {kind!r}")
            continue
        counts[(kind, record.get("lang"))] += 1
        check_question(rep, where, record.get("question"), record.get("lang"))
        if kind == "target_result":
            _check_target_result(rep, where, record)
        elif kind == "first_mention":
            _check_first_mention(rep, where, record)
        else:
            _check_timeline(rep, where, record)
    return rep, counts


SIDE_KEYS = {"year", "file", "answer", "value", "unit", "qualifier"}


def _check_side(rep: Problems, where: str, corpus: str, side: dict, report_year: int, region: str) -> None:
    if not isinstance(side, dict) or not side.keys() >= SIDE_KEYS or set(side) - SIDE_KEYS - {"note"}:
        rep.bad(where, f"a side has the keys {sorted(SIDE_KEYS)} (+ note)")
        return
    if file_year(side["file"]) != report_year:
        rep.bad(where, f"this side is in the {report_year} report, not {side['file']}")
    if corpus == "gwr2025" and check_sets.region_of(side["file"]) != region:
        rep.bad(where, f"{side['file']} is not the report of {region}")
    if check_span(rep, where, corpus, side["file"], side["answer"]):
        check_sets.check_value(rep, where, side, need_note_if_null=True)


def _check_target_result(rep: Problems, where: str, record: dict) -> None:
    indicator, corpus = record.get("indicator"), record.get("corpus")
    if indicator not in INDICATOR_DIRECTION or record.get("direction") != INDICATOR_DIRECTION.get(indicator):
        rep.bad(where, f"indicator {indicator!r} with direction {record.get('direction')!r}")
        return
    if corpus not in ("national", "gwr2025"):
        rep.bad(where, f"corpus {corpus!r}")
        return
    years = []
    for row in record.get("rows", []):
        row_where = f"{where} {row.get('region')} {row.get('year')}"
        target, result = row.get("target"), row.get("result")
        if not target and not result:
            rep.bad(row_where, "a row has a target, a result or both (else its year goes in not_stated)")
            continue
        if corpus == "national":
            year = row.get("year")
            years.append(year)
            if row.get("region") != "全国":
                rep.bad(row_where, "national rows have region 全国")
            for side, report_year in ((target, year), (result, year + 1)):
                if side:
                    if side.get("year") != year:
                        rep.bad(row_where, f"a side of the {year} row is about {side.get('year')}")
                    _check_side(rep, row_where, corpus, side, report_year, "全国")
        else:
            if row.get("year") is not None:
                rep.bad(row_where, "a provincial row holds the 2024 result and the 2025 target: its year is null")
            for side, about in ((target, 2025), (result, 2024)):
                if side:
                    if side.get("year") != about:
                        rep.bad(row_where, f"the 2025 reports give the {about} figure on this side")
                    _check_side(rep, row_where, corpus, side, 2025, row.get("region"))
        want = verdict(indicator, target, result)
        if row.get("verdict") != want:
            rep.bad(row_where, f"verdict {row.get('verdict')!r}, by the rule {want!r}")
    if corpus == "national":
        covered = sorted(years + list(record.get("not_stated", [])))
        if not covered or covered != list(range(covered[0], covered[-1] + 1)):
            rep.bad(where, f"rows and not_stated cover consecutive years, got {covered}")
            return
        for year in record.get("not_stated", []):
            if archive_files().get(year) and archive_files().get(year + 1):
                rep.bad(where, f"{year} is not_stated although both its reports are in the archive: give the row")
        questioned = check_sets.years_in(record["question"])
        if questioned and (questioned[0], questioned[-1]) != (covered[0], covered[-1]):
            asked, rows = f"{questioned[0]}..{questioned[-1]}", f"{covered[0]}..{covered[-1]}"
            rep.bad(where, f"the question asks {asked}, rows cover {rows}")


def _check_first_mention(rep: Problems, where: str, record: dict) -> None:
    forms = record.get("forms")
    if not (isinstance(forms, list) and forms and record.get("term") in forms):
        rep.bad(where, "'forms' lists the term and its other names")
        return
    counts = mention_counts(forms)
    years = [year for year, count in counts.items() if count]
    if not years:
        rep.bad(where, f"no report mentions {forms}")
        return
    for key, year in (("first", years[0]), ("last", years[-1])):
        side = record.get(key) or {}
        if side.get("year") != year:
            rep.bad(where, f"{key} mention: {side.get('year')}, by count {year}")
            continue
        if side.get("file") != archive_files()[year]:
            rep.bad(where, f"{key} mention is in {archive_files()[year]}")
            continue
        if check_span(rep, f"{where} {key}", "national", side["file"], side.get("answer")) and not form_pattern(
            forms
        ).search(check_sets.CORPUS.t2s(compact(side["answer"]))):
            rep.bad(where, f"the {key} span holds none of {forms}")
    earlier = sum(1 for year in archive_files() if year < years[0])
    if record.get("earlier_reports_checked") != earlier:
        rep.bad(where, f"earlier_reports_checked {record.get('earlier_reports_checked')}, by count {earlier}")
    if record.get("reports_mentioning") != len(years):
        rep.bad(where, f"reports_mentioning {record.get('reports_mentioning')}, by count {len(years)}")


def _check_timeline(rep: Problems, where: str, record: dict) -> None:
    forms = record.get("forms")
    if not (isinstance(forms, list) and forms and record.get("term") in forms):
        rep.bad(where, "'forms' lists the term and its other names")
        return
    counts = {str(year): count for year, count in mention_counts(forms).items()}
    if record.get("counts") != counts:
        wrong = sorted(year for year in counts if (record.get("counts") or {}).get(year) != counts[year])
        rep.bad(where, f"counts differ from the count over the texts in {wrong[:8]}")
    if record.get("total") != sum(counts.values()):
        rep.bad(where, f"total {record.get('total')}, by count {sum(counts.values())}")


# ---------------------------------------------------------------- main
def check_all() -> tuple[list[str], dict[str, Counter]]:
    seen: set[str] = set()
    problems: list[str] = []
    counts: dict[str, Counter] = {}
    for path, check in ((MEANING_PATH, check_meaning), (TABLES_PATH, check_tables), (ARCHIVE_PATH, check_archive)):
        rep, counted = check(path, seen)
        problems += rep.problems
        counts[path.name] = counted
    single, tables, archive = (counts[path.name] for path in (MEANING_PATH, TABLES_PATH, ARCHIVE_PATH))
    for kind, least in SINGLE_MIN.items():
        if sum(n for (name, _), n in single.items() if name == kind) < least:
            problems.append(f"{MEANING_PATH.name}: fewer than {least} {kind} questions")
    for group, least in TABLE_MIN.items():
        if sum(n for (name, _), n in tables.items() if name == group) < least:
            problems.append(f"{TABLES_PATH.name}: fewer than {least} {group} questions")
    for group in ("verb_which",):
        for lang in LANGS:
            if not tables[(group, lang)]:
                problems.append(f"{TABLES_PATH.name}: no {lang} {group} question")
    if sum(single.values()) + sum(tables.values()) < MIN_MEANING:
        problems.append(f"issue 28 sets: {sum(single.values()) + sum(tables.values())} questions (need {MIN_MEANING})")
    for kind, least in ARCHIVE_MIN.items():
        if sum(n for (name, _), n in archive.items() if name == kind) < least:
            problems.append(f"{ARCHIVE_PATH.name}: fewer than {least} {kind} questions")
    if sum(archive.values()) < MIN_ARCHIVE:
        problems.append(f"{ARCHIVE_PATH.name}: {sum(archive.values())} questions (need {MIN_ARCHIVE})")
    return problems, counts


def main() -> int:
    if not all(folder.is_dir() for folder in CORPUS_DIRS.values()):
        print(f"shared corpora not found at {check_sets.CORPORA} (set QA_SHARED)", file=sys.stderr)
        return 1
    problems, counts = check_all()
    for name, counted in counts.items():
        kinds = sorted({kind for kind, _ in counted})
        print(f"{name}: {sum(counted.values())} questions")
        print(f"  {'kind':<16}" + "".join(f"{lang:>9}" for lang in LANGS) + f"{'total':>8}")
        for kind in kinds:
            row = "".join(f"{counted[(kind, lang)]:>9}" for lang in LANGS)
            print(f"  {kind:<16}{row}{sum(counted[(kind, lang)] for lang in LANGS):>8}")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
