"""Memory of this process: resident now and at its peak (standard library and psutil only, so that
the child processes can import it without importing report-qa's dependencies)."""

from __future__ import annotations

import psutil


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """VmHWM of this process (ru_maxrss of a forked child starts at the parent's RSS)."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
