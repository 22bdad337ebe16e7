"""The figures issue 28 is judged by, from one ``qa eval --sets gold,meaning`` results file.

``python eval/meaning_figures.py eval/results.json``: prints a Markdown table (all, tune,
test) of paraphrase R@5 (the gold set's paraphrases and the meaning set's), answers holding the
gold (both sets; paraphrases; English), how often the gold set is answered at all, false "not
stated" and unanswerable questions answered (meaning set), which-questions by language, year tables
and English tables (recall / precision of rows), and relative time (single questions and tables).
"""

from __future__ import annotations

import json
import sys


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        results = json.load(handle)
    meaning, gold = results["meaning"], results["gold"]

    def gold_top5(half: str, kind: str) -> tuple[int, int]:
        chosen = [q for q in gold["per_question"] if (half == "all" or q["half"] == half) and q["kind"] == kind]
        return sum(1 for q in chosen if q["hybrid"] and q["hybrid"] <= 5), len(chosen)

    def gold_answers(half: str, kind: str | None = None) -> tuple[float, int, float]:
        entry = gold["answers"] if half == "all" else gold["answers"]["halves"][half]
        entry = entry["all"] if kind is None else entry["by_kind"][kind]
        return entry["contains_gold"], entry["n"], entry["answered"]

    def rows(half: str, keep) -> str:
        chosen = [t for t in meaning["per_table"] if (half == "all" or t["half"] == half) and keep(t)]
        expected, found = sum(t["expected"] for t in chosen), sum(t["found"] for t in chosen)
        listed, right = sum(t["listed"] for t in chosen), sum(t["right"] for t in chosen)
        if not expected:
            return "-"
        shares = f"{found / expected:.3f} / {right / max(listed, 1):.3f}"
        return f"{shares} ({found}/{expected}, {right}/{listed}; {len(chosen)} q)"

    def pooled(of_gold: tuple[float, int, float], of_meaning: dict) -> str:
        share, count = of_meaning["holds_gold"], of_meaning["answerable"]
        both = (of_gold[0] * of_gold[1] + share * count) / (of_gold[1] + count)
        return f"{both:.3f} (gold {of_gold[0]:.3f} of {of_gold[1]}; meaning {share:.3f} of {count})"

    def which(lang: str):
        return lambda t: t["answer_kind"] == "which" and t["lang"] == lang

    def years(t: dict) -> bool:
        return t["group"] in ("synonym_years", "relative_years")

    table: dict[str, dict[str, str]] = {}
    for half in ("all", "tune", "test"):
        single = meaning["single"] if half == "all" else meaning["single"]["halves"][half]
        kinds, overall = single["by_kind"], single["all"]
        top5, count = gold_top5(half, "paraphrase")
        para, relative = kinds["paraphrase"], kinds["relative_time"]
        para_r5 = (top5 + round(para["recall@5"] * para["answerable"])) / (count + para["answerable"])
        every, english = gold_answers(half), gold_answers(half, "english")
        table[half] = {
            "paraphrase R@5 (gold + meaning)": (
                f"{para_r5:.3f} (gold {top5}/{count}; meaning {para['recall@5']:.3f} of {para['answerable']})"
            ),
            "answers holding the gold, all": pooled(every, overall),
            "answers holding the gold, paraphrase": pooled(gold_answers(half, "paraphrase"), para),
            "answers holding the gold, English": pooled(english, kinds["english"]),
            "gold set answered at all; English": f"{every[2]:.3f}; {english[2]:.3f}",
            "false 'not stated', gold in the answer's 5 (meaning set)": (
                f"{overall['false_not_stated']} of {overall['gold_in_answer_passages']}"
            ),
            "unanswerable questions answered (meaning set)": (
                f"{overall['answered_unanswerable']} of {overall['unanswerable']}"
            ),
            "which: simplified Chinese, recall / precision": rows(half, which("zh-Hans")),
            "which: traditional": rows(half, which("zh-Hant")),
            "which: English": rows(half, which("en")),
            "year tables (other names, relative years)": rows(half, years),
            "English tables (each province)": rows(half, lambda t: t["group"] == "english_table"),
            "relative time, single: holds / answered": (
                f"{relative['holds_gold']:.3f} / {relative['answered']:.3f} of {relative['answerable']}"
            ),
            "relative time, tables": rows(half, lambda t: t["group"] == "relative_years"),
        }
    print("| figure | all | tune | test |\n|---|---|---|---|")
    for name in table["all"]:
        print(f"| {name} | " + " | ".join(table[half][name] for half in ("all", "tune", "test")) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
