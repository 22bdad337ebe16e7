"""Long work tells its rate and the time left, the same way in the CLI and the UI."""

from __future__ import annotations

from qa.progress import ProgressEvent, ProgressTracker, format_duration


def test_rate_and_time_left_from_the_stage_s_own_start() -> None:
    clock = iter([0.0, 10.0, 20.0, 100.0, 101.0])
    events: list[ProgressEvent] = []
    tracker = ProgressTracker(events.append, clock=lambda: next(clock))
    tracker("embedding", 0, 1000)
    tracker("embedding", 50, 1000)
    tracker("embedding", 100, 1000)
    tracker("lexical index", 0, 1)
    tracker("lexical index", 1, 1)
    first, middle, last = events[0], events[1], events[2]
    assert first.rate is None and first.seconds_left is None
    assert middle.rate == 5.0 and middle.seconds_left == 190.0
    assert last.describe() == "向量化 Embedding 100/1000 chunks, 5.0 chunks/s, 3 min 0 s left"
    assert events[3].rate is None  # a new stage starts its own count
    assert "left" not in events[4].describe()


def test_durations_read_like_a_person_would_say_them() -> None:
    assert [format_duration(s) for s in (4.4, 65, 3725)] == ["4 s", "1 min 5 s", "1 h 2 min"]
