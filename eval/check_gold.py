#!/usr/bin/env python3
"""Validate eval/gold.jsonl, the gold retrieval evaluation set.

Every line must be a JSON object with exactly the keys
id, question, file, corpus, answer, kind, lang, and its answer must be an
exact substring (8-40 characters, no line break) of exactly one paragraph of
the named file.  Source files are read from <repo>/../shared/corpora:
  corpus "data"    -> shared/corpora/sample/<file>   (UTF-8 text, one paragraph per line)
  corpus "gwr2025" -> shared/corpora/gwr2025/<file>  (.docx, python-docx paragraphs)

Prints counts per kind / corpus / lang and exits 1 on any problem.
Usage: python eval/check_gold.py [path/to/gold.jsonl]
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

GOLD_PATH = Path(__file__).resolve().parent / "gold.jsonl"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPUS_DIRS = {"data": CORPORA / "sample", "gwr2025": CORPORA / "gwr2025"}

KEYS = {"id", "question", "file", "corpus", "answer", "kind", "lang"}
# "asked": the part of the answer span the question asks, where the span runs on past it (past a ；)
# to be found once in its report; answers are judged by it (qa.evaluation.datasets.Question.asked).
OPTIONAL = {"asked"}


def asked_problem(obj: dict) -> str | None:
    """What is wrong with a record's "asked" part, if it has one: a string inside its answer span."""
    if "asked" not in obj:
        return None
    asked = obj["asked"]
    if not isinstance(asked, str) or len(asked) < 4 or asked not in str(obj.get("answer") or ""):
        return f"asked {asked!r} is not a part (4 characters or more) of its answer"
    return None
KINDS = ("figure", "paraphrase", "english", "cross_script", "province")
LANGS = ("zh-Hans", "zh-Hant", "en")
ID_RE = re.compile(r"^g\d{3,}$")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
MIN_ANSWER, MAX_ANSWER = 8, 40

# Set-level requirements.
MIN_TOTAL = 130
MIN_PER_KIND = 18
MIN_GWR_FILES = 25
# A paraphrase question may not share a run this long with its answer.
MAX_PARAPHRASE_OVERLAP = 5

# Common characters whose simplified and traditional forms always differ;
# used to tell which script a question (or a source file) is written in.
_PAIRS = (
    "国國 们們 个個 这這 说說 时時 会會 为為 发發 经經 过過 对對 网網 络絡 实實 设設 业業 产產 "
    "长長 动動 区區 开開 进進 质質 济濟 务務 总總 规規 划劃 现現 场場 体體 验驗 数數 据據 级級 "
    "领領 导導 关關 县縣 乡鄉 农農 电電 车車 资資 额額 亿億 万萬 项項 机機 构構 营營 费費 达達 "
    "轮輪 铁鐵 运運 输輸 视視 频頻 读讀 览覽 获獲 奖獎 线線 园園 创創 专專 样樣 几幾 么麼 哪哪 "
    "还還 从從 东東 种種 问問 题題 们們 将將 应應 处處 条條 与與 节節 举舉 办辦 级級 庆慶 陆陸 "
    "贵貴 蓝藍 辽遼 陕陝 龙龍 宁寧 广廣 云雲 苏蘇 湾灣 岛島 门門 间間 华華 职職 师師 学學 讲講"
)
SIMP_ONLY = {p[0] for p in _PAIRS.split() if p[0] != p[1]}
TRAD_ONLY = {p[1] for p in _PAIRS.split() if p[0] != p[1]}


def script_counts(text: str) -> tuple[int, int]:
    """(simplified-only, traditional-only) character counts."""
    return sum(c in SIMP_ONLY for c in text), sum(c in TRAD_ONLY for c in text)


def load_paragraphs(path: Path) -> list[str]:
    if path.suffix == ".docx":
        import docx  # python-docx

        return [p.text for p in docx.Document(str(path)).paragraphs]
    return path.read_text(encoding="utf-8").splitlines()


def longest_common_run(a: str, b: str) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def check(gold_path: Path) -> int:
    problems: list[str] = []
    items: list[dict] = []
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    paragraphs: dict[Path, list[str]] = {}
    file_script: dict[Path, str] = {}

    def bad(where: str, msg: str) -> None:
        problems.append(f"{where}: {msg}")

    lines = gold_path.read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        where = f"line {lineno}"
        if not line.strip():
            bad(where, "empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            bad(where, f"invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            bad(where, "not a JSON object")
            continue
        if not KEYS <= set(obj) <= KEYS | OPTIONAL:
            bad(where, f"keys {sorted(obj)} != {sorted(KEYS)} (+ optional {sorted(OPTIONAL)})")
            continue
        if asked_problem(obj):
            bad(where, asked_problem(obj))
        if not all(isinstance(obj[k], str) for k in KEYS):
            bad(where, "all values must be strings")
            continue
        where = f"line {lineno} ({obj['id']})"
        items.append(obj)

        if not ID_RE.match(obj["id"]):
            bad(where, "id must look like g001")
        if obj["id"] in seen_ids:
            bad(where, "duplicate id")
        seen_ids.add(obj["id"])
        question, answer, kind, lang = obj["question"], obj["answer"], obj["kind"], obj["lang"]
        if not question.strip():
            bad(where, "empty question")
        if question in seen_questions:
            bad(where, "duplicate question")
        seen_questions.add(question)
        if kind not in KINDS:
            bad(where, f"unknown kind {kind!r}")
        if lang not in LANGS:
            bad(where, f"unknown lang {lang!r}")
        if obj["corpus"] not in CORPUS_DIRS:
            bad(where, f"unknown corpus {obj['corpus']!r}")
            continue
        if Path(obj["file"]).name != obj["file"]:
            bad(where, "file must be a bare file name")
            continue
        if not MIN_ANSWER <= len(answer) <= MAX_ANSWER:
            bad(where, f"answer length {len(answer)} not in {MIN_ANSWER}..{MAX_ANSWER}")
        if "\n" in answer or "\r" in answer:
            bad(where, "answer contains a line break")
        if answer != answer.strip():
            bad(where, "answer has leading/trailing whitespace")

        # Answer must be a substring of exactly one paragraph of the file.
        path = CORPUS_DIRS[obj["corpus"]] / obj["file"]
        if path not in paragraphs:
            if not path.is_file():
                bad(where, f"source file not found: {path}")
                continue
            paragraphs[path] = load_paragraphs(path)
            s, t = script_counts("".join(paragraphs[path]))
            file_script[path] = "zh-Hant" if t > s else "zh-Hans"
        hits = sum(answer in p for p in paragraphs[path])
        if hits == 0:
            bad(where, f"answer not found in any paragraph of {obj['file']}")
        elif hits > 1:
            bad(where, f"answer occurs in {hits} paragraphs of {obj['file']} (must identify one)")

        # Language / script consistency.
        has_cjk = bool(CJK_RE.search(question))
        simp, trad = script_counts(question)
        if kind == "english" and lang != "en":
            bad(where, "english questions must have lang 'en'")
        if lang == "en":
            if kind != "english":
                bad(where, "lang 'en' is only for kind 'english'")
            if has_cjk:
                bad(where, "lang 'en' question contains CJK characters")
        else:
            if not has_cjk:
                bad(where, f"lang {lang!r} question has no CJK characters")
            if lang == "zh-Hans" and trad:
                bad(where, "zh-Hans question contains traditional-only characters")
            if lang == "zh-Hant" and (simp or not trad):
                bad(where, "zh-Hant question is not written in traditional characters")
            src = file_script[path]
            if kind == "cross_script" and lang == src:
                bad(where, f"cross_script question is in the same script as its file ({src})")
            if kind not in ("cross_script", "english") and lang != src:
                bad(where, f"{kind} question lang {lang} differs from file script {src}")

        # Paraphrase / english questions must not copy the answer.
        if answer in question:
            bad(where, "question contains the answer text")
        if kind == "paraphrase":
            run = longest_common_run(question, answer)
            if run > MAX_PARAPHRASE_OVERLAP:
                bad(where, f"paraphrase shares a {run}-character run with the answer")

    # Set-level requirements.
    by_kind = Counter(o["kind"] for o in items)
    by_corpus = Counter(o["corpus"] for o in items)
    by_lang = Counter(o["lang"] for o in items)
    by_kind_corpus = Counter((o["kind"], o["corpus"]) for o in items)
    files = Counter((o["corpus"], o["file"]) for o in items)
    gwr_files = {f for c, f in files if c == "gwr2025"}
    data_files = {f for c, f in files if c == "data"}
    if len(items) < MIN_TOTAL:
        problems.append(f"only {len(items)} questions (need >= {MIN_TOTAL})")
    for k in KINDS:
        if by_kind[k] < MIN_PER_KIND:
            problems.append(f"kind {k}: {by_kind[k]} questions (need >= {MIN_PER_KIND})")
    if len(gwr_files) < MIN_GWR_FILES:
        problems.append(f"gwr2025 questions cover {len(gwr_files)} reports (need >= {MIN_GWR_FILES})")
    available = {p.name for p in CORPUS_DIRS["data"].glob("*.txt")}
    if available - data_files:
        problems.append(f"data samples without questions: {sorted(available - data_files)}")

    # Report.
    corpora = list(CORPUS_DIRS)
    print(f"{gold_path}: {len(items)} questions")
    print(f"{'kind':<14}" + "".join(f"{c:>9}" for c in corpora) + f"{'total':>9}")
    for k in KINDS:
        row = "".join(f"{by_kind_corpus[(k, c)]:>9}" for c in corpora)
        print(f"{k:<14}{row}{by_kind[k]:>9}")
    print(f"{'total':<14}" + "".join(f"{by_corpus[c]:>9}" for c in corpora) + f"{len(items):>9}")
    print("lang: " + ", ".join(f"{lang}={by_lang[lang]}" for lang in LANGS))
    print(f"files: {len(data_files)} data samples, {len(gwr_files)} gwr2025 reports")

    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(check(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD_PATH))
