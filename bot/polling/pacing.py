"""How long the fetcher waits before a request: jittered backoff, Retry-After, per-host pacing."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx


def backoff_seconds(retry: int, rng: random.Random, *, base: float = 1.0) -> float:
    """The pause before retry number `retry` (1, 2, ...): base * 2^(retry-1), jittered ±50 %.

    The jitter keeps several workers that failed together from retrying in step.
    """
    return base * 2.0 ** (retry - 1) * rng.uniform(0.5, 1.5)


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """The wait a Retry-After header asks for (seconds or an HTTP-date); None if absent or bad."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    # Measured against the server's own Date header when it sent one, so our clock skew
    # does not turn "in 30 s" into "now" or "in an hour".
    now = _http_date(headers.get("date", "")) or datetime.now(UTC)
    return max((when - now).total_seconds(), 0.0)


def _http_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class HostPacer:
    """Keeps request starts to one host at least `min_interval[host]` seconds apart, across threads.

    A host without an interval is never delayed. The lock is held while sleeping on purpose:
    requests to one host queue up behind each other instead of leaving in a burst.
    """

    def __init__(
        self,
        min_interval: Mapping[str, float],
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._interval = {host.lower(): seconds for host, seconds in min_interval.items()}
        self._locks = {host: threading.Lock() for host in self._interval}
        self._last_start: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep

    def wait(self, host: str) -> None:
        """Sleep until a request to `host` may start, and record that it starts now."""
        host = host.lower()
        lock = self._locks.get(host)
        if lock is None:
            return
        with lock:
            last = self._last_start.get(host)
            if last is not None:
                pause = last + self._interval[host] - self._clock()
                if pause > 0:
                    self._sleep(pause)
            self._last_start[host] = self._clock()
