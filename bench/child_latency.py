"""Child process of section 1: question latency on one index, printed as one line of JSON.

``python -m bench.child_latency INDEX [--rounds N] [--questions N]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.latency import child_latency
from bench.questions import QUESTIONS
from qa.runtime import tune_for_questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--questions", type=int, default=None, help="only the first N questions")
    args = parser.parse_args(argv)
    tune_for_questions()  # before the encoder loads: its OpenMP runtime reads the wait policy then
    print(json.dumps(child_latency(args.index, args.rounds, QUESTIONS[: args.questions])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
