"""A fake monotonic clock for code that waits: time moves only when it sleeps (or a test says)."""

from __future__ import annotations


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps; sleeps are recorded.

    With `tick`, every reading of the clock also moves it on by `tick` seconds: the code's own
    work (reading a body chunk by chunk, say) then takes time, without any real waiting.
    """

    def __init__(self, *, tick: float = 0.0) -> None:
        self.now = 1000.0
        self.tick = tick
        self.sleeps: list[float] = []

    def clock(self) -> float:
        now = self.now
        self.now += self.tick
        return now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
