"""Child process of section 4: ``from qa import retrieve; retrieve(...)`` from process start to the first answer.

``python -m bench.child_retrieve INDEX STARTED QUESTION``: STARTED is ``time.time()`` when the
parent started this process. Prints one line of JSON. Only the standard library is imported
before the clock starts: the imports of report-qa are part of what is measured.
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    index, started, question = argv or sys.argv[1:]
    first = time.time()
    from bench.memory import peak_rss_mb, rss_mb
    from qa.runtime import tune_for_questions

    tune_for_questions()  # what an entry point does, before the encoder loads
    from qa import retrieve

    imported = time.time()
    hits = retrieve(question, index=index, k=5)
    answered = time.time()
    record = {
        "interpreter_start_s": first - float(started),
        "import_s": imported - first,
        "retrieve_first_call_s": answered - imported,
        "process_start_to_answer_s": answered - float(started),
        "rss_after_answer_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "hits": len(hits),
    }
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
