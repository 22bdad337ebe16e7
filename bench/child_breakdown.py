"""Child process of section 4: the parts of a first answer, timed once: imports, index load (and
the memory it takes), encoder load, first search.

``python -m bench.child_breakdown INDEX QUESTION``; prints one line of JSON.
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    index, question = argv or sys.argv[1:]
    from bench.memory import peak_rss_mb, rss_mb

    started = time.time()
    from qa.runtime import tune_for_questions

    tune_for_questions()  # what an entry point does, before the encoder loads
    from qa.retrieval import Retriever

    imported = time.time()
    rss_imported = rss_mb()
    retriever = Retriever(index)
    loaded = time.time()
    rss_loaded, peak_loaded = rss_mb(), peak_rss_mb()
    _ = retriever.encoder
    encoder_loaded = time.time()
    rss_encoder = rss_mb()
    retriever.search(question, k=5)
    answered = time.time()
    record = {
        "import_s": imported - started,
        "index_load_s": loaded - imported,
        "encoder_load_s": encoder_loaded - loaded,
        "first_search_s": answered - encoder_loaded,
        "rss_after_imports_mb": rss_imported,
        "rss_after_index_load_mb": rss_loaded,
        "index_rss_mb": rss_loaded - rss_imported,
        "peak_rss_after_index_load_mb": peak_loaded,
        "rss_after_encoder_load_mb": rss_encoder,
        "rss_after_answer_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
