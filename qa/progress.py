"""Progress of long work, as events with a rate and the time left, for any renderer (CLI, UI).

Indexing reports ``progress(stage, done, total)``; :class:`ProgressTracker` turns those calls into
:class:`ProgressEvent` values (items per second and seconds left for the stage) and hands them to a
renderer: a terminal line in the CLI, the status line and Gradio's progress bar in the UI.

The rate is a moving one, over the last :data:`RATE_WINDOW` seconds: on a shared machine the
encoder's rate drifts (6.4 chunks/s at the start of one run, 2.6 at its end, as others' work
came and went), and a rate counted from the stage's start kept promising the early pace.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

# The one type of a progress callback: ``progress(stage, done, total)``, called by long work
# (reading, OCR, embedding) for any renderer to show.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """A :data:`Progress` that shows nothing."""


STAGE_LABELS = {
    "reading": "读取 Reading",
    "ocr": "文字识别 OCR",
    "embedding": "向量化 Embedding",
    "lexical index": "词索引 Lexical index",
}
STAGE_UNITS = {"reading": "files", "ocr": "pages", "embedding": "chunks"}


@dataclass(frozen=True)
class ProgressEvent:
    stage: str
    done: int
    total: int
    rate: float | None  # items per second over the last RATE_WINDOW seconds (or since the stage began)
    seconds_left: float | None

    @property
    def label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    def describe(self) -> str:
        """ "向量化 Embedding 640/3151 chunks, 4.8 chunks/s, 8 min 43 s left"."""
        unit = STAGE_UNITS.get(self.stage, "")
        parts = [f"{self.label} {self.done}/{self.total}" + (f" {unit}" if unit else "")]
        if self.rate:
            parts.append(f"{self.rate:.1f} {unit or 'items'}/s")
        if self.seconds_left is not None and self.done < self.total:
            parts.append(f"{format_duration(self.seconds_left)} left")
        return ", ".join(parts)


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


RATE_WINDOW = 60.0  # seconds: about five of the indexer's 64-chunk batches at 5 chunks/s


class MovingRate:
    """Items per second over the last ``window`` seconds: from the newest sample back to the oldest
    one still inside the window, or the last one before it when none is (so a slow stretch between
    two samples still counts)."""

    def __init__(self, window: float = RATE_WINDOW) -> None:
        self.window = window
        self._samples: deque[tuple[float, float]] = deque()

    def add(self, when: float, done: float) -> float | None:
        self._samples.append((when, done))
        while len(self._samples) > 2 and self._samples[1][0] <= when - self.window:
            self._samples.popleft()
        (first_time, first_done), (last_time, last_done) = self._samples[0], self._samples[-1]
        elapsed, progressed = last_time - first_time, last_done - first_done
        return progressed / elapsed if elapsed > 0 and progressed > 0 else None


class ProgressTracker:
    """A ``progress(stage, done, total)`` callable that renders events with rate and time left."""

    def __init__(
        self, render: Callable[[ProgressEvent], None], clock: Callable[[], float] = time.monotonic,
        window: float = RATE_WINDOW,
    ) -> None:  # fmt: skip
        self.render, self.clock, self.window = render, clock, window
        self._stage: str | None = None
        self._rate = MovingRate(window)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage != self._stage:
            self._stage, self._rate = stage, MovingRate(self.window)
        rate = self._rate.add(now, done)
        left = (total - done) / rate if rate else None
        self.render(ProgressEvent(stage, done, total, rate, left))


class TerminalProgress:
    """One status line per stage on ``stream`` (the caller's terminal), with the rate and the time left;
    silent when not ``enabled``."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self._tracker = ProgressTracker(self._render)
        self._width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.enabled and total:
            self._tracker(stage, done, total)

    def _render(self, event: ProgressEvent) -> None:
        line = event.describe()
        self.stream.write("\r" + line.ljust(self._width))
        self._width = len(line)
        if event.done >= event.total:
            self.stream.write("\n")
            self._width = 0
        self.stream.flush()

    def close(self) -> None:
        if self._width:
            self.stream.write("\n")
            self._width = 0
