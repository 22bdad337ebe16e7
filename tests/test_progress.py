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


def test_the_estimate_follows_the_rate_of_the_last_minute_not_the_early_pace() -> None:
    """6.4 chunks/s for the first two minutes, then 2.6 (the machine got busy): a minute later the
    rate and the time left are the slow pace's, where an average since the start would still say
    about 4.5 chunks/s and promise less than two thirds of the real time left."""
    times = [0.0, *(10.0 * step for step in range(1, 19))]
    done = [0.0]
    for when in times[1:]:
        done.append(done[-1] + (64.0 if when <= 120 else 26.0))
    clock = iter(times)
    events: list[ProgressEvent] = []
    tracker = ProgressTracker(events.append, clock=lambda: next(clock))
    for count in done:
        tracker("embedding", int(count), 3000)
    early, late = events[6], events[-1]
    assert early.rate is not None and abs(early.rate - 6.4) < 0.01
    assert late.rate is not None and abs(late.rate - 2.6) < 0.01
    assert late.seconds_left is not None and abs(late.seconds_left - (3000 - done[-1]) / 2.6) < 1
    assert done[-1] / times[-1] > 4.0  # what the rate since the start would have said


def test_a_long_silence_between_two_reports_still_counts() -> None:
    clock = iter([0.0, 10.0, 200.0])
    events: list[ProgressEvent] = []
    tracker = ProgressTracker(events.append, clock=lambda: next(clock))
    for count in (0, 64, 128):
        tracker("embedding", count, 1000)
    assert events[-1].rate is not None and abs(events[-1].rate - 64 / 190) < 1e-6
