#!/usr/bin/env python3
"""Validate the evaluation sets next to gold.jsonl:

  eval/conversations.jsonl  multi-turn questions (only the last turn is scored)
  eval/tables.jsonl         questions answered by one row per report / per year
  eval/national.jsonl       single questions over the national reports (gold.jsonl format)

Every answer must be an exact substring (white space ignored) of exactly one
paragraph of the named file.  Source files are read from <shared>/corpora, where
<shared> is $QA_SHARED or <repo>/../shared:
  "data"     -> corpora/sample/<file>    (UTF-8 text, one paragraph per line)
  "gwr2025"  -> corpora/gwr2025/<file>   (.docx: body paragraphs and table-cell paragraphs)
  "national" -> corpora/national/<file>  (UTF-8 text, one paragraph per line)

"which" rows are recomputed from the texts: the rows must be exactly the gwr2025
reports whose text (converted to simplified with OpenCC t2s) contains the term.

Prints counts per file and kind, and exits 1 on any problem.
Usage: python eval/check_sets.py
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

EVAL = Path(__file__).resolve().parent
sys.path.insert(0, str(EVAL))
import check_gold  # noqa: E402  (shared helpers and limits of the gold checker)

CJK_RE = check_gold.CJK_RE
GOLD_KEYS = check_gold.KEYS
LANGS = check_gold.LANGS
MIN_ANSWER, MAX_ANSWER = check_gold.MIN_ANSWER, check_gold.MAX_ANSWER
MAX_PARAPHRASE_OVERLAP = check_gold.MAX_PARAPHRASE_OVERLAP
SIMP_ONLY_PAIRS, TRAD_ONLY_PAIRS = check_gold.SIMP_ONLY, check_gold.TRAD_ONLY
longest_common_run = check_gold.longest_common_run
script_counts = check_gold.script_counts

_DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED = Path(os.environ["QA_SHARED"]) if os.environ.get("QA_SHARED") else _DEFAULT_SHARED
CORPORA = SHARED / "corpora"
CORPUS_DIRS = {
    "data": CORPORA / "sample",
    "gwr2025": CORPORA / "gwr2025",
    "national": CORPORA / "national",
}
CONV_PATH = EVAL / "conversations.jsonl"
TABLES_PATH = EVAL / "tables.jsonl"
NATIONAL_PATH = EVAL / "national.jsonl"

# ---------------------------------------------------------------- requirements
CONV_KINDS = ("region_swap", "attribute_swap", "pronoun", "english", "self_contained", "year_swap", "not_stated")
CONV_MIN = {"region_swap": 5, "attribute_swap": 5, "pronoun": 5, "english": 5, "self_contained": 5, "year_swap": 10}
CONV_MAX = {"not_stated": 4}
CONV_MIN_TOTAL = 36
CONV_MIN_TRAD_TURNS = 3
TABLE_KINDS = ("which", "per_report", "compare", "year_range", "levels")
TABLE_MIN = {"which": 8, "per_report": 6, "compare": 4, "year_range": 6, "levels": 2}
TABLE_MIN_TOTAL = 26
WHICH_ROWS = (2, 25)
NAT_KINDS = ("year_figure", "actual", "english", "cross_script", "paraphrase")
NAT_MIN = {"year_figure": 10, "actual": 8, "english": 6, "cross_script": 6, "paraphrase": 6}
NAT_MIN_TOTAL = 36
# The four questions of the issue, with the report that answers each.
NAT_REQUIRED = {
    "2011年政府工作报告提出的国内生产总值增长目标是多少？": ("2011年国务院政府工作报告.txt", "8%左右"),
    "2010年国内生产总值实际增长了多少？": ("2011年国务院政府工作报告.txt", "10.3%"),
    "2019年国内生产总值增长目标是多少？": ("2019年国务院政府工作报告.txt", "6%－6.5%"),
    "2010年城镇新增就业目标是多少？": ("2010年国务院政府工作报告.txt", "900万人以上"),
}

PRONOUNS = ("它", "该省", "该市", "该区", "该地", "其", "这个省", "这个市", "这个地区", "当地", "本地", "那里")
ENGLISH_NAMES = {
    "北京": "Beijing",
    "天津": "Tianjin",
    "河北": "Hebei",
    "山西": "Shanxi",
    "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning",
    "吉林": "Jilin",
    "黑龙江": "Heilongjiang",
    "上海": "Shanghai",
    "江苏": "Jiangsu",
    "浙江": "Zhejiang",
    "安徽": "Anhui",
    "福建": "Fujian",
    "江西": "Jiangxi",
    "山东": "Shandong",
    "河南": "Henan",
    "湖北": "Hubei",
    "湖南": "Hunan",
    "广东": "Guangdong",
    "广西": "Guangxi",
    "海南": "Hainan",
    "重庆": "Chongqing",
    "四川": "Sichuan",
    "贵州": "Guizhou",
    "云南": "Yunnan",
    "西藏": "Tibet",
    "陕西": "Shaanxi",
    "甘肃": "Gansu",
    "青海": "Qinghai",
    "宁夏": "Ningxia",
    "新疆": "Xinjiang",
}
DATA_REGIONS = {"guizhou": "贵州", "hubei": "湖北"}
ACTUAL_ZH = ("实际", "完成")
ACTUAL_EN = re.compile(r"\b(actual|actually|grew|grow|created|achieved)\b", re.I)
PREFIX_QUALIFIERS = ("不少于", "不低于", "超过", "突破", "力争")
WS = re.compile(r"\s+")
NUM = re.compile(r"\d+(?:\.\d+)?")


def norm(text: str) -> str:
    return WS.sub("", text)


def region_of(file: str) -> str | None:
    """'2025年内蒙古自治区政府工作报告.docx' -> '内蒙古'; 'hubei-2024-…' -> '湖北'."""
    m = re.match(r"^\d{4}年(.+?)(?:省|市|自治区)?政府工作报告\.docx$", file)
    if m:
        return m.group(1)
    return DATA_REGIONS.get(file.split("-")[0])


def year_of(file: str) -> int | None:
    m = re.match(r"^(\d{4})年", file)
    return int(m.group(1)) if m else None


def fmt_number(v) -> str:
    """The number as it is written in the answer (5 -> '5', 5.0 -> '5.0', 2.85 -> '2.85')."""
    return str(v) if isinstance(v, int) else repr(float(v))


class Corpus:
    """Paragraphs of every source file, read once."""

    def __init__(self) -> None:
        self._units: dict[Path, list[str]] = {}
        self._norm: dict[Path, list[str]] = {}
        self._simp: dict[Path, list[str]] = {}
        self._cc: dict[str, object] = {}

    def _convert(self, config: str, text: str) -> str:
        if config not in self._cc:
            import opencc

            self._cc[config] = opencc.OpenCC(config)
        return self._cc[config].convert(text)

    def t2s(self, text: str) -> str:
        return self._convert("t2s", text)

    def s2t(self, text: str) -> str:
        return self._convert("s2t", text)

    def units(self, path: Path) -> list[str]:
        if path not in self._units:
            if path.suffix == ".docx":
                import docx  # python-docx

                doc = docx.Document(str(path))
                units = [p.text for p in doc.paragraphs]
                seen = set()
                for table in doc.tables:
                    for r in table.rows:
                        for cell in r.cells:
                            if id(cell._tc) in seen:  # merged cells repeat
                                continue
                            seen.add(id(cell._tc))
                            units.extend(p.text for p in cell.paragraphs)
            else:
                units = path.read_text(encoding="utf-8").splitlines()
            self._units[path] = units
            self._norm[path] = [norm(u) for u in units]
        return self._units[path]

    def hits(self, path: Path, answer: str) -> int:
        self.units(path)
        a = norm(answer)
        return sum(a in u for u in self._norm[path])

    def simplified(self, path: Path) -> list[str]:
        if path not in self._simp:
            self._simp[path] = [self.t2s(u) for u in self.units(path)]
        return self._simp[path]

    def contains(self, path: Path, term: str) -> bool:
        t = norm(self.t2s(term))
        return any(t in norm(u) for u in self.simplified(path))


CORPUS = Corpus()


class Report:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def bad(self, where: str, msg: str) -> None:
        self.problems.append(f"{self.name} {where}: {msg}")


def read_jsonl(path: Path, rep: Report) -> list[dict]:
    objs = []
    if not path.is_file():
        rep.bad("-", f"file not found: {path}")
        return objs
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            rep.bad(f"line {lineno}", "empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rep.bad(f"line {lineno}", f"invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            rep.bad(f"line {lineno}", "not a JSON object")
            continue
        obj["_line"] = lineno
        objs.append(obj)
    return objs


# Simplified characters that are also correct traditional forms in some words
# (里程, 皇后, 干部 …), or whose traditional form OpenCC gives as a variant (峰 峯, 床 牀): they prove nothing.
AMBIGUOUS = set("里后干发面松台系只冲复历卷才向于余征制准几出划升咸坛借克占娘尽折斗曲朴术杰范表谷郁采钟链须峰床")


def strict_counts(text: str) -> tuple[int, int]:
    """(simplified-only, traditional-only) counts: check_gold's pairs, widened with OpenCC."""
    simp, trad = script_counts(text)
    for c in set(text):
        if not CJK_RE.match(c):
            continue
        if CORPUS.t2s(c) != c:
            trad += text.count(c) if c not in "".join(TRAD_ONLY_PAIRS) else 0
        elif c not in AMBIGUOUS and CORPUS.s2t(c) != c:
            simp += text.count(c) if c not in "".join(SIMP_ONLY_PAIRS) else 0
    return simp, trad


def script_of(text: str) -> str:
    """'en', 'zh-Hans', 'zh-Hant' or 'mixed'."""
    if not CJK_RE.search(text):
        return "en"
    simp, trad = strict_counts(text)
    if simp and trad:
        return "mixed"
    return "zh-Hant" if trad else "zh-Hans"


def check_lang(rep: Report, where: str, text: str, lang: str) -> None:
    if lang not in LANGS:
        rep.bad(where, f"unknown lang {lang!r}")
        return
    has_cjk = bool(CJK_RE.search(text))
    simp, trad = strict_counts(text)
    if lang == "en" and has_cjk:
        rep.bad(where, "lang 'en' question contains CJK characters")
    if lang != "en" and not has_cjk:
        rep.bad(where, f"lang {lang!r} question has no CJK characters")
    if lang == "zh-Hans" and trad:
        rep.bad(where, "zh-Hans question contains traditional-only characters")
    if lang == "zh-Hant" and (simp or not trad):
        rep.bad(where, "zh-Hant question is not written in traditional characters")


def source_path(corpus: str, file: str) -> Path:
    return CORPUS_DIRS[corpus] / file


def check_answer(rep: Report, where: str, corpus: str, file: str, answer) -> bool:
    """Answer is an exact substring of exactly one paragraph of the file."""
    if not isinstance(file, str) or not file or Path(file).name != file:
        rep.bad(where, f"file must be a bare file name, got {file!r}")
        return False
    path = source_path(corpus, file)
    if not path.is_file():
        rep.bad(where, f"source file not found: {path}")
        return False
    if not isinstance(answer, str):
        rep.bad(where, "answer must be a string")
        return False
    if not MIN_ANSWER <= len(answer) <= MAX_ANSWER:
        rep.bad(where, f"answer length {len(answer)} not in {MIN_ANSWER}..{MAX_ANSWER}")
    if "\n" in answer or "\r" in answer:
        rep.bad(where, "answer contains a line break")
    if answer != answer.strip():
        rep.bad(where, "answer has leading/trailing whitespace")
    n = CORPUS.hits(path, answer)
    if n == 0:
        rep.bad(where, f"answer {answer!r} not found in any paragraph of {file}")
    elif n > 1:
        rep.bad(where, f"answer {answer!r} occurs in {n} paragraphs of {file} (must identify one)")
    return n == 1


def years_in(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)]


def is_actual(text: str) -> bool:
    s = CORPUS.t2s(text)
    return any(w in s for w in ACTUAL_ZH) or bool(ACTUAL_EN.search(text))


def regions_named(text: str) -> set[str]:
    s = CORPUS.t2s(text)
    out = {r for r in ENGLISH_NAMES if r in s}
    out |= {r for r, e in ENGLISH_NAMES.items() if re.search(rf"\b{e}\b", text)}
    if re.search(r"\bXizang\b", text):
        out.add("西藏")
    # '山西' is inside '陕西'? no; but '江西' contains no other name.  Guard 'Shanxi' vs 'Shaanxi' by \b.
    return out


# ---------------------------------------------------------------- conversations
CONV_KEYS = {"id", "kind", "corpus", "turns", "resolved", "file", "answer"}
CONV_OPTIONAL = {"absent", "note"}


def check_conversations(path: Path) -> tuple[Report, Counter, Counter]:
    rep = Report(path.name)
    by_kind: Counter = Counter()
    by_kind_corpus: Counter = Counter()
    seen: set[str] = set()
    trad_turns = 0
    for obj in read_jsonl(path, rep):
        where = f"line {obj.pop('_line')}"
        keys = set(obj)
        if not keys >= CONV_KEYS or keys - CONV_KEYS - CONV_OPTIONAL:
            rep.bad(where, f"keys {sorted(keys)} must be {sorted(CONV_KEYS)} (+ optional {sorted(CONV_OPTIONAL)})")
            continue
        cid, kind, corpus, turns, resolved = obj["id"], obj["kind"], obj["corpus"], obj["turns"], obj["resolved"]
        where = f"{where} ({cid})"
        if not isinstance(cid, str) or not re.fullmatch(r"c\d{3,}", cid):
            rep.bad(where, "id must look like c001")
        if cid in seen:
            rep.bad(where, "duplicate id")
        seen.add(cid)
        if kind not in CONV_KINDS:
            rep.bad(where, f"unknown kind {kind!r}")
            continue
        if corpus not in CORPUS_DIRS:
            rep.bad(where, f"unknown corpus {corpus!r}")
            continue
        by_kind[kind] += 1
        by_kind_corpus[(kind, corpus)] += 1
        turns_ok = isinstance(turns, list) and 2 <= len(turns) <= 3
        if not (turns_ok and all(isinstance(t, str) and t.strip() for t in turns)):
            rep.bad(where, "turns must be a list of 2 or 3 non-empty strings")
            continue
        if not isinstance(resolved, str) or not resolved.strip():
            rep.bad(where, "resolved must be a non-empty string")
            continue
        last = turns[-1]
        for t in turns:
            s = script_of(t)
            if s == "mixed":
                rep.bad(where, f"turn {t!r} mixes simplified-only and traditional-only characters")
            trad_turns += s == "zh-Hant"
        if script_of(resolved) == "mixed":
            rep.bad(where, "resolved mixes simplified-only and traditional-only characters")
        if len(set(turns)) != len(turns):
            rep.bad(where, "repeated turn")

        # The resolved question and the last turn.
        if kind == "self_contained":
            if resolved != last:
                rep.bad(where, "self_contained: resolved must equal the last turn exactly")
        elif resolved == last:
            rep.bad(where, "resolved must differ from the last turn (only self_contained keeps it)")

        # The answer.
        file, answer = obj["file"], obj["answer"]
        if kind == "not_stated":
            if answer is not None:
                rep.bad(where, "not_stated: answer must be null")
            p = source_path(corpus, file) if isinstance(file, str) else None
            if p is None or Path(file).name != file or not p.is_file():
                rep.bad(where, f"source file not found: {file!r}")
            absent = obj.get("absent")
            if not (isinstance(absent, list) and absent and all(isinstance(a, str) and a for a in absent)):
                rep.bad(where, "not_stated needs 'absent': regexes that must match no paragraph of the file")
            elif p is not None and p.is_file():
                for pat in absent:
                    for para in CORPUS.simplified(p):
                        if re.search(pat, para):
                            rep.bad(where, f"absent pattern {pat!r} occurs in {file}: {para[:60]!r}")
                            break
        else:
            if "absent" in obj:
                rep.bad(where, "'absent' is only for not_stated")
            check_answer(rep, where, corpus, file, answer)

        # Region / year consistency.
        if isinstance(file, str) and corpus in ("gwr2025", "data"):
            reg = region_of(file)
            if reg is None:
                rep.bad(where, f"cannot tell the region of {file}")
            else:
                if reg not in regions_named(resolved):
                    rep.bad(where, f"resolved question does not name the file's region {reg}")
                earlier = set().union(*(regions_named(t) for t in turns[:-1]))
                in_last = regions_named(last)
                if kind == "region_swap" and reg not in in_last:
                    rep.bad(where, f"region_swap: last turn should name {reg}")
                if kind in ("region_swap", "not_stated") and reg in earlier and reg in in_last and len(earlier) == 1:
                    rep.bad(where, f"{kind}: the region does not change")
                if kind == "attribute_swap":
                    if reg not in regions_named(turns[0]):
                        rep.bad(where, f"attribute_swap: first turn should name {reg}")
                    if in_last:
                        rep.bad(where, "attribute_swap: last turn should not name a region")
                if kind == "pronoun":
                    if reg not in earlier:
                        rep.bad(where, f"pronoun: an earlier turn should name {reg}")
                    if in_last:
                        rep.bad(where, "pronoun: last turn should not name a region")
        if kind == "pronoun" and not any(p in CORPUS.t2s(last) for p in PRONOUNS):
            rep.bad(where, f"pronoun: last turn has none of {PRONOUNS}")
        if kind == "english" and CJK_RE.search(last):
            rep.bad(where, "english: the last turn must be English")
        if kind == "year_swap" and corpus != "national":
            rep.bad(where, "year_swap conversations are over the national corpus")
        if corpus == "national" and isinstance(file, str):
            fy = year_of(file)
            ys = years_in(resolved)
            if not ys:
                rep.bad(where, "resolved question over the national corpus names no year")
            elif fy is not None:
                want = ys[-1] + 1 if is_actual(resolved) else ys[-1]
                if fy != want:
                    rep.bad(
                        where,
                        f"resolved asks about {ys[-1]} ({'actual' if is_actual(resolved) else 'target'}) "
                        f"so the answer is in the {want} report, not {fy}",
                    )
            if kind == "year_swap" and ys and set(years_in(turns[0])) == {ys[-1]}:
                rep.bad(where, "year_swap: the year does not change")

    total = sum(by_kind.values())
    for k, n in CONV_MIN.items():
        if by_kind[k] < n:
            rep.problems.append(f"{path.name}: kind {k}: {by_kind[k]} (need >= {n})")
    for k, n in CONV_MAX.items():
        if by_kind[k] > n:
            rep.problems.append(f"{path.name}: kind {k}: {by_kind[k]} (at most {n})")
    if total < CONV_MIN_TOTAL:
        rep.problems.append(f"{path.name}: {total} conversations (need >= {CONV_MIN_TOTAL})")
    if trad_turns < CONV_MIN_TRAD_TURNS:
        rep.problems.append(f"{path.name}: {trad_turns} traditional-script turns (need >= {CONV_MIN_TRAD_TURNS})")
    by_kind["_trad_turns"] = trad_turns
    return rep, by_kind, by_kind_corpus


# ---------------------------------------------------------------- tables
TABLE_KEYS = {"id", "kind", "corpus", "question", "lang", "rows", "not_stated"}
TABLE_OPTIONAL = {"term", "basis", "note"}
ROW_KEYS = {"region", "year", "file", "answer", "value", "unit", "qualifier"}
ROW_OPTIONAL = {"note"}


def all_regions() -> dict[str, str]:
    """region -> file of every gwr2025 report."""
    out = {}
    for p in sorted(CORPUS_DIRS["gwr2025"].glob("*.docx")):
        r = region_of(p.name)
        if r:
            out[r] = p.name
    return out


def check_value(rep: Report, where: str, row: dict, need_note_if_null: bool) -> None:
    value, unit, qual, answer = row["value"], row["unit"], row["qualifier"], row["answer"]
    a = norm(answer).replace("％", "%")
    if value is None:
        if unit is not None or qual is not None:
            rep.bad(where, "value is null, so unit and qualifier must be null")
        if need_note_if_null and not row.get("note"):
            rep.bad(where, "a row without a figure needs a 'note' saying what the report states instead")
        return
    nums = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not (len(value) == 2 and value[0] < value[1]):
        rep.bad(where, "a range value must be [low, high] with low < high")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
        rep.bad(where, f"value must be a number or [low, high], got {value!r}")
        return
    tokens = NUM.findall(a)
    for v in nums:
        if fmt_number(v) not in tokens:
            rep.bad(where, f"value {fmt_number(v)} is not written in the answer {answer!r}")
    if not isinstance(unit, str) or not unit:
        rep.bad(where, "a row with a value needs a unit")
        return
    if unit not in a:
        rep.bad(where, f"unit {unit!r} not in the answer")
    if qual is not None and (not isinstance(qual, str) or qual not in a):
        rep.bad(where, f"qualifier {qual!r} not in the answer")
    # value, unit and qualifier written together, e.g. '5%左右', '不少于26万人', '5.0%—5.5%'
    if isinstance(value, list):
        pats = [rf"(?<![\d.]){re.escape(fmt_number(v))}{re.escape(unit)}" for v in value]
        together = all(re.search(p, a) for p in pats)
    else:
        v = re.escape(fmt_number(value)) + re.escape(unit)
        if qual is None:
            pat = rf"(?<![\d.]){v}"
        elif qual in PREFIX_QUALIFIERS:
            pat = rf"{re.escape(qual)}(?<![\d.]){v}"
        else:
            pat = rf"(?<![\d.]){v}{re.escape(qual)}"
        together = bool(re.search(pat, a))
    if not together and not row.get("note"):
        rep.bad(
            where, f"value/unit/qualifier not written together in {answer!r} (add a 'note' if the text splits them)"
        )


def check_tables(path: Path) -> tuple[Report, Counter, Counter]:
    rep = Report(path.name)
    by_kind: Counter = Counter()
    by_kind_lang: Counter = Counter()
    seen: set[str] = set()
    regions = all_regions()
    reg_names = list(regions)
    which_extra: Counter = Counter()
    for obj in read_jsonl(path, rep):
        where = f"line {obj.pop('_line')}"
        keys = set(obj)
        if not keys >= TABLE_KEYS or keys - TABLE_KEYS - TABLE_OPTIONAL:
            rep.bad(where, f"keys {sorted(keys)} must be {sorted(TABLE_KEYS)} (+ optional {sorted(TABLE_OPTIONAL)})")
            continue
        tid, kind, corpus, question, lang = obj["id"], obj["kind"], obj["corpus"], obj["question"], obj["lang"]
        rows, not_stated = obj["rows"], obj["not_stated"]
        where = f"{where} ({tid})"
        if not isinstance(tid, str) or not re.fullmatch(r"t\d{3,}", tid):
            rep.bad(where, "id must look like t001")
        if tid in seen:
            rep.bad(where, "duplicate id")
        seen.add(tid)
        if kind not in TABLE_KINDS:
            rep.bad(where, f"unknown kind {kind!r}")
            continue
        if corpus not in ("gwr2025", "national"):
            rep.bad(where, f"corpus must be gwr2025 or national, got {corpus!r}")
            continue
        by_kind[kind] += 1
        by_kind_lang[(kind, lang)] += 1
        if not isinstance(question, str) or not question.strip():
            rep.bad(where, "empty question")
            continue
        check_lang(rep, where, question, lang)
        if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
            rep.bad(where, "rows must be a non-empty list of objects")
            continue
        if not isinstance(not_stated, list):
            rep.bad(where, "not_stated must be a list")
            continue
        if ("term" in obj) != (kind == "which"):
            rep.bad(where, "'term' is required for which questions and only for them")
        if ("basis" in obj) != (kind == "year_range"):
            rep.bad(where, "'basis' (target|actual) is required for year_range questions and only for them")

        ok_rows = []
        for i, r in enumerate(rows):
            rw = f"{where} row {i + 1}"
            rk = set(r)
            if not rk >= ROW_KEYS or rk - ROW_KEYS - ROW_OPTIONAL:
                rep.bad(rw, f"keys {sorted(rk)} must be {sorted(ROW_KEYS)} (+ optional note)")
                continue
            file = r["file"]
            if not isinstance(file, str):
                rep.bad(rw, "file must be a string")
                continue
            rw = f"{rw} ({r['region']} {r['year']})"
            rcorpus = "gwr2025" if file.endswith(".docx") else "national"
            if corpus == "national" and rcorpus != "national":
                rep.bad(rw, "a national question's rows come from the national reports")
            if rcorpus == "gwr2025":
                if region_of(file) != r["region"]:
                    rep.bad(rw, f"region {r['region']!r} does not match file {file}")
            elif r["region"] != "全国":
                rep.bad(rw, "rows from the national reports have region 全国")
            if not isinstance(r["year"], int):
                rep.bad(rw, "year must be an integer")
                continue
            if not check_answer(rep, rw, rcorpus, file, r["answer"]):
                continue
            ok_rows.append(r)
            if kind == "which":
                if r["value"] is not None or r["unit"] is not None or r["qualifier"] is not None:
                    rep.bad(rw, "which rows have null value, unit and qualifier")
            else:
                check_value(rep, rw, r, need_note_if_null=True)

        row_regions = [r["region"] for r in rows if isinstance(r, dict) and "region" in r]
        if kind != "year_range" and len(set(row_regions)) != len(row_regions):
            rep.bad(where, "a region appears in more than one row")
        if kind != "year_range":
            for r in not_stated:
                if r not in regions:
                    rep.bad(where, f"not_stated: unknown region {r!r}")
            if set(not_stated) & set(row_regions):
                rep.bad(where, f"regions both in rows and not_stated: {sorted(set(not_stated) & set(row_regions))}")
            if len(set(not_stated)) != len(not_stated):
                rep.bad(where, "duplicate region in not_stated")

        if kind == "which":
            terms = obj["term"] if isinstance(obj["term"], list) else [obj["term"]]
            if not terms or not all(isinstance(t, str) and t for t in terms):
                rep.bad(where, "term must be a string or a list of variant strings")
                continue
            if corpus != "gwr2025":
                rep.bad(where, "which questions are over gwr2025")
            gwr = CORPUS_DIRS["gwr2025"]
            want = {reg for reg, f in regions.items() if any(CORPUS.contains(gwr / f, t) for t in terms)}
            got = set(row_regions)
            if got != want:
                missing, extra = sorted(want - got), sorted(got - want)
                rep.bad(
                    where, f"rows must be exactly the reports containing {terms[0]!r}: missing {missing}, extra {extra}"
                )
            if set(not_stated) != set(regions) - want:
                rep.bad(where, "not_stated must be every other province")
            lo, hi = WHICH_ROWS
            if not lo <= len(want) <= hi:
                rep.bad(where, f"{terms[0]!r} is in {len(want)} reports (pick terms in {lo}..{hi})")
            for r in ok_rows:
                a = norm(CORPUS.t2s(r["answer"]))
                if not any(norm(CORPUS.t2s(t)) in a for t in terms):
                    rep.bad(f"{where} {r['region']}", "which answer must contain the term")
            which_extra[lang] += 1
        elif kind == "per_report":
            if corpus != "gwr2025":
                rep.bad(where, "per_report questions are over gwr2025")
            if set(row_regions) | set(not_stated) != set(regions):
                rep.bad(
                    where,
                    f"rows + not_stated must cover all {len(regions)} provinces: "
                    f"missing {sorted(set(regions) - set(row_regions) - set(not_stated))}",
                )
            if [x for x in row_regions] != sorted(row_regions, key=reg_names.index):
                rep.bad(where, "per_report rows should be in the order of the report files")
        elif kind in ("compare", "levels"):
            named = regions_named(question)
            if re.search(r"全国|national|China", CORPUS.t2s(question)):
                named.add("全国")
            for r in set(row_regions) | set(not_stated):
                if r not in named:
                    rep.bad(where, f"{r} is not named in the question")
            for r in named - set(row_regions) - set(not_stated):
                rep.bad(where, f"{r} is named in the question but has no row and is not in not_stated")
            if kind == "compare" and len(set(row_regions) | set(not_stated)) < 2:
                rep.bad(where, "compare needs at least two regions")
            if kind == "levels":
                if "全国" not in row_regions or not set(row_regions) - {"全国"}:
                    rep.bad(where, "levels needs a 全国 row and at least one provincial row")
                for r in ok_rows:
                    if r["region"] == "全国" and year_of(r["file"]) != r["year"]:
                        rep.bad(where, "the 全国 row of a target comes from that year's report")
        elif kind == "year_range":
            basis = obj.get("basis")
            if basis not in ("target", "actual"):
                rep.bad(where, "basis must be 'target' or 'actual'")
                continue
            if corpus != "national":
                rep.bad(where, "year_range questions are over the national corpus")
            ys = [r["year"] for r in rows if isinstance(r.get("year"), int)]
            if ys != sorted(ys) or len(set(ys)) != len(ys):
                rep.bad(where, f"row years must be strictly increasing, got {ys}")
            if not all(isinstance(y, int) for y in not_stated) or set(not_stated) & set(ys):
                rep.bad(where, "not_stated of a year_range lists years without a row")
            else:
                span = sorted(set(ys) | set(not_stated))
                qys = years_in(question)
                if span and span != list(range(span[0], span[-1] + 1)):
                    rep.bad(where, f"rows + not_stated must cover consecutive years, got {span}")
                if span and qys and (qys[0], qys[-1]) != (span[0], span[-1]):
                    rep.bad(where, f"question asks {qys[0]}..{qys[-1]} but rows cover {span[0]}..{span[-1]}")
            for r in ok_rows:
                fy = year_of(r["file"])
                want = r["year"] + (1 if basis == "actual" else 0)
                if fy != want:
                    rep.bad(f"{where} {r['year']}", f"{basis} figure of {r['year']} is in the {want} report, not {fy}")

    total = sum(by_kind.values())
    for k, n in TABLE_MIN.items():
        if by_kind[k] < n:
            rep.problems.append(f"{path.name}: kind {k}: {by_kind[k]} (need >= {n})")
    if total < TABLE_MIN_TOTAL:
        rep.problems.append(f"{path.name}: {total} questions (need >= {TABLE_MIN_TOTAL})")
    if which_extra["zh-Hant"] < 1 or which_extra["en"] < 2:
        rep.problems.append(f"{path.name}: which needs >= 1 traditional and >= 2 English questions")
    if by_kind_lang[("per_report", "zh-Hant")] < 1 or by_kind_lang[("per_report", "en")] < 1:
        rep.problems.append(f"{path.name}: per_report needs a traditional and an English question")
    if by_kind_lang[("year_range", "en")] < 1:
        rep.problems.append(f"{path.name}: year_range needs an English question")
    return rep, by_kind, by_kind_lang


# ---------------------------------------------------------------- national
def check_national(path: Path) -> tuple[Report, Counter, Counter]:
    rep = Report(path.name)
    by_kind: Counter = Counter()
    by_lang: Counter = Counter()
    seen_ids: set[str] = set()
    seen_q: dict[str, tuple[str, str]] = {}  # question -> (file, answer)
    for obj in read_jsonl(path, rep):
        where = f"line {obj.pop('_line')}"
        if not GOLD_KEYS <= set(obj) <= GOLD_KEYS | check_gold.OPTIONAL:
            rep.bad(where, f"keys {sorted(obj)} != {sorted(GOLD_KEYS)} (+ optional {sorted(check_gold.OPTIONAL)})")
            continue
        if check_gold.asked_problem(obj):
            rep.bad(where, check_gold.asked_problem(obj))
        if not all(isinstance(obj[k], str) for k in GOLD_KEYS):
            rep.bad(where, "all values must be strings")
            continue
        nid, question, file, answer, kind, lang = (obj[k] for k in ("id", "question", "file", "answer", "kind", "lang"))
        where = f"{where} ({nid})"
        if not re.fullmatch(r"n\d{3,}", nid):
            rep.bad(where, "id must look like n001")
        if nid in seen_ids:
            rep.bad(where, "duplicate id")
        seen_ids.add(nid)
        if question in seen_q:
            rep.bad(where, "duplicate question")
        seen_q[question] = (file, answer)
        if obj["corpus"] != "national":
            rep.bad(where, "corpus must be 'national'")
            continue
        if kind not in NAT_KINDS:
            rep.bad(where, f"unknown kind {kind!r}")
            continue
        by_kind[kind] += 1
        by_lang[lang] += 1
        check_lang(rep, where, question, lang)
        if (kind == "english") != (lang == "en"):
            rep.bad(where, "english questions, and only they, have lang 'en'")
        if kind == "cross_script" and lang != "zh-Hant":
            rep.bad(where, "cross_script questions are in traditional script (the national reports are simplified)")
        if kind in ("year_figure", "actual", "paraphrase") and lang != "zh-Hans":
            rep.bad(where, f"{kind} questions are in simplified script")
        check_answer(rep, where, "national", file, answer)
        if answer in question:
            rep.bad(where, "question contains the answer text")
        if kind == "paraphrase":
            run = longest_common_run(question, answer)
            if run > MAX_PARAPHRASE_OVERLAP:
                rep.bad(where, f"paraphrase shares a {run}-character run with the answer")
        # The year asked about and the report that answers it.
        fy, ys = year_of(file), years_in(question)
        if not ys:
            rep.bad(where, "question names no year")
        elif fy is not None:
            y = ys[-1]
            if kind == "year_figure" and fy != y:
                rep.bad(where, f"year_figure: a {y} target is in the {y} report, not {fy}")
            elif kind == "actual" and fy != y + 1:
                rep.bad(where, f"actual: what {y} achieved is reviewed in the {y + 1} report, not {fy}")
            elif kind not in ("year_figure", "actual"):
                want = y + 1 if is_actual(question) else None
                if fy not in (y, y + 1) or (want is not None and fy != want):
                    rep.bad(where, f"a question about {y} is answered by the {y} or {y + 1} report, not {fy}")
    for q, (file, frag) in NAT_REQUIRED.items():
        got_file, got_answer = seen_q.get(q, ("", ""))
        if got_file != file:
            rep.problems.append(f"{path.name}: required question {q!r} (answered by {file}) is missing")
        elif frag not in got_answer:
            rep.problems.append(f"{path.name}: the answer to {q!r} must contain {frag!r}")
    for k, n in NAT_MIN.items():
        if by_kind[k] < n:
            rep.problems.append(f"{path.name}: kind {k}: {by_kind[k]} (need >= {n})")
    if sum(by_kind.values()) < NAT_MIN_TOTAL:
        rep.problems.append(f"{path.name}: {sum(by_kind.values())} questions (need >= {NAT_MIN_TOTAL})")
    return rep, by_kind, by_lang


# ---------------------------------------------------------------- main
def main() -> int:
    problems: list[str] = []
    if not CORPORA.is_dir():
        print(f"shared corpora not found at {CORPORA} (set QA_SHARED)", file=sys.stderr)
        return 1

    rep, kinds, kc = check_conversations(CONV_PATH)
    problems += rep.problems
    corpora = ("gwr2025", "national", "data")
    print(
        f"{CONV_PATH.name}: {sum(v for k, v in kinds.items() if not k.startswith('_'))} conversations, "
        f"{kinds['_trad_turns']} traditional-script turns"
    )
    print(f"  {'kind':<16}" + "".join(f"{c:>10}" for c in corpora) + f"{'total':>8}")
    for k in CONV_KINDS:
        print(f"  {k:<16}" + "".join(f"{kc[(k, c)]:>10}" for c in corpora) + f"{kinds[k]:>8}")

    rep, kinds, kl = check_tables(TABLES_PATH)
    problems += rep.problems
    print(f"{TABLES_PATH.name}: {sum(kinds.values())} questions")
    print(f"  {'kind':<16}" + "".join(f"{lang:>9}" for lang in LANGS) + f"{'total':>8}")
    for k in TABLE_KINDS:
        print(f"  {k:<16}" + "".join(f"{kl[(k, lang)]:>9}" for lang in LANGS) + f"{kinds[k]:>8}")

    rep, kinds, langs = check_national(NATIONAL_PATH)
    problems += rep.problems
    print(f"{NATIONAL_PATH.name}: {sum(kinds.values())} questions")
    for k in NAT_KINDS:
        print(f"  {k:<16}{kinds[k]:>8}")
    print("  lang: " + ", ".join(f"{lang}={langs[lang]}" for lang in LANGS))

    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
