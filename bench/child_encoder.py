"""Child process of section 1b: the query encoder alone, one question at a time, fresh and after a
batch of 64 passages.

``python -m bench.child_encoder QUESTIONS_JSON``; prints one line of JSON (medians in ms).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Sequence

from qa.embedding import Encoder, load_encoder
from qa.runtime import tune_for_questions

PASSAGE = "根据省委经济工作会议部署，今年经济社会发展的主要预期目标是地区生产总值增长5%左右。" * 4
PASSAGES = 64


def median_ms(encoder: Encoder, questions: Sequence[str]) -> float:
    times = []
    for question in questions:
        started = time.perf_counter()
        encoder.encode_queries([question])
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    (questions_json,) = argv or sys.argv[1:]
    questions = json.loads(questions_json)
    tune_for_questions()  # before the encoder loads: its OpenMP runtime reads the wait policy then
    encoder = load_encoder()
    encoder.encode_queries(["预热"])
    fresh = median_ms(encoder, questions)
    encoder.encode_passages([PASSAGE] * PASSAGES)
    print(json.dumps({"fresh_median_ms": fresh, "after_passage_batch_median_ms": median_ms(encoder, questions)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
