"""A fake monotonic clock for code that waits: time moves only when it sleeps (or a test says)."""

from __future__ import annotations


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps; sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
