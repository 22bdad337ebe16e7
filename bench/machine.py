"""Machine facts and the small measurements every section uses: clock, load, memory, CPU time.

The machine is shared with whatever else runs on it, so every section records the load average
next to its figures. FAISS's thread count is captured before the entry point tunes the process
(:func:`qa.runtime.tune_for_questions` sets one thread): the scaling section measures FAISS's
default against one thread.
"""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np
import psutil

from bench.memory import peak_rss_mb, rss_mb

__all__ = [
    "Untuned",
    "cpu_seconds",
    "faiss_threads",
    "load",
    "machine",
    "ms",
    "now",
    "peak_rss_mb",
    "percentile",
    "print_machine",
    "rss_mb",
    "say",
]

OPENMP_PREFIXES = ("OMP_", "MKL_")


def now() -> float:
    return time.perf_counter()


def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def say(text: str = "") -> None:
    print(text, flush=True)


@dataclass(frozen=True)
class Untuned:
    """What the process had before the entry point tuned it: FAISS's default OpenMP threads and
    the OpenMP environment the benchmark was started with."""

    faiss_threads: int
    openmp_environment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def capture(cls) -> Untuned:
        environment = {key: value for key, value in os.environ.items() if key.startswith(OPENMP_PREFIXES)}
        return cls(faiss.omp_get_max_threads(), environment)


@contextlib.contextmanager
def faiss_threads(count: int) -> Iterator[None]:
    """FAISS runs with ``count`` OpenMP threads inside the block, with what it had after."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine(untuned: Untuned) -> dict[str, object]:
    memory = psutil.virtual_memory()
    return {
        "cpu_model": cpu_model(),
        "cores_logical": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "ram_gb": round(memory.total / 2**30, 1),
        "ram_available_gb": round(memory.available / 2**30, 1),
        "python": platform.python_version(),
        "faiss": faiss.__version__,
        "faiss_omp_threads": untuned.faiss_threads,
        "numpy": np.__version__,
        "openmp_environment": untuned.openmp_environment,
        "load_average_at_start": load(),
        "other_busy_processes": busy_processes(),
    }


def busy_processes() -> int:
    """Processes other than this one using CPU right now: the machine may be shared."""
    processes = list(psutil.process_iter(["pid"]))
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.cpu_percent(None)
    time.sleep(0.5)
    busy = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            if process.pid != os.getpid() and process.cpu_percent(None) > 20:
                busy += 1
    return busy


def print_machine(info: dict[str, object]) -> None:
    say("== Machine ==")
    say(
        f"  CPU {info['cpu_model']}, {info['cores_usable']} usable cores ({info['cores_logical']} logical), "
        f"{info['ram_gb']} GB RAM ({info['ram_available_gb']} GB available); faiss {info['faiss']} with "
        f"{info['faiss_omp_threads']} OpenMP threads by default; Python {info['python']}"
    )
    say(
        f"  load average at start {info['load_average_at_start']}, {info['other_busy_processes']} other busy "
        "processes: timings on a shared machine include their interference"
    )
