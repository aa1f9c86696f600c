"""How fast the guards refuse, deadlines cut and the worker stops: timings tests do not assert.

    uv run python -m bench.guards

The tests prove each behaviour (the refusal, the cut, the clean stop) without a clock; this
measures the wall-clock promises beside them against the budgets the tests used to assert, and
exits 1 when one is over its budget. Loopback only; the PostgreSQL-free parts of the bot.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from bot.polling.fetch import Fetcher, FetchError, build_client
from bot.sources.base import ParseError, Query
from bot.sources.ema import EmaMedicines
from bot.sources.news.feeds import news_sources
from bot.watchlist import Method, WatchlistError, load_watchlist
from tests.apphost import ask, open_app_runtime, serving
from tests.botprocess import bot_env, poll_once, start, stop
from tests.fakeslack import FakeSlack
from tests.golden import FIXTURES
from tests.replay import ReplayServer
from tests.world import CTGOV, WATCHED, DupilumabWorld

ALIAS_BOMB = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "methods: []\n"
)
WATCHLISTS = {
    "10 MB": "methods: []\n" + "# padding\n" * 1_000_000,
    "5,000 levels of nesting": "methods: " + "[" * 5000 + "]" * 5000 + "\n",
    "alias bomb": ALIAS_BOMB,
}


@dataclass(frozen=True)
class Timing:
    """One measurement and the budget it is held to (in seconds)."""

    name: str
    seconds: float
    budget: float

    @property
    def ok(self) -> bool:
        """Within budget."""
        return self.seconds <= self.budget

    def __str__(self) -> str:
        verdict = "ok" if self.ok else "OVER BUDGET"
        return f"| {self.name} | {self.seconds:.3f} s | {self.budget:g} s | {verdict} |"


def seconds_of(work: Callable[[], object]) -> float:
    """Wall-clock seconds one call takes (the refusal it raises is expected)."""
    started = time.perf_counter()
    with suppress(WatchlistError, ParseError, FetchError):
        work()
    return time.perf_counter() - started


def watchlist_refusals(folder: Path) -> list[Timing]:
    """I7: the watchlist guards refuse before parsing (was `< 1 s` in the test)."""
    timings = []
    for name, text in WATCHLISTS.items():
        path = folder / "watchlist.yaml"
        path.write_text(text)
        spent = seconds_of(lambda path=path: load_watchlist(path))
        timings.append(Timing(f"watchlist refused: {name}", spent, 1.0))
    return timings


def feed_refusals() -> list[Timing]:
    """S11: feeds that declare entities are refused before feedparser (was `< 0.5 s`)."""
    feed = news_sources("https://www.ema.europa.eu", "https://www.fda.gov")[0]
    methods = [Method(id="dupi", title="Dupilumab", substance="dupilumab")]
    query = feed.plan(methods)[0]
    timings = []
    for name in ("billion_laughs.xml", "xxe.xml"):
        body = (FIXTURES / "rss" / name).read_bytes()
        spent = seconds_of(lambda body=body: feed.parse(query, 200, body, methods))
        timings.append(Timing(f"feed refused: {name}", spent, 0.5))
    return timings


def medicines_file(count: int) -> bytes:
    """An EMA medicines data file of `count` rows, shaped like tests/test_ema.py's rows."""
    rows = [
        {
            "category": "Human",
            "name_of_medicine": f"Med {i}",
            "ema_product_number": f"EMEA/H/C/{i:06d}",
            "active_substance": f"substance{i}mab",
            "international_non_proprietary_name_common_name": f"substance{i}mab",
            "marketing_authorisation_date": "26/09/2017",
            "medicine_url": "https://www.ema.europa.eu/en/medicines/human/EPAR/dupixent",
        }
        for i in range(count)
    ]
    meta = {"total_records": count, "timestamp": "2025-02-14T05:00:12Z"}
    return json.dumps({"meta": meta, "data": rows}).encode()


def ema_parse() -> Timing:
    """EMA: 3,000 medicines against 500 watched methods (was `< 2 s`)."""
    body = medicines_file(3000)
    methods = [Method(id=f"m{i}", title="t", substance=f"substance{i * 6}mab") for i in range(500)]
    source = EmaMedicines("https://www.ema.europa.eu")
    query = source.plan(methods)[0]
    spent = seconds_of(lambda: source.parse(query, 200, body, methods))
    return Timing("EMA medicines file, 3,000 rows x 500 methods", spent, 2.0)


def deadline_cuts(replay: ReplayServer) -> list[Timing]:
    """F9/F10: a dripping and a silent server cost one 0.5 s deadline, not more (was `< 2 s`)."""
    replay.route("/drip.json", b"{" + b" " * 5000 + b"}")
    replay.fault("/drip.json", "drip", interval=0.02, max_seconds=30)
    replay.route("/silent.json", b"{}")
    replay.fault("/silent.json", "hang", seconds=30.0, answer=False)
    fetcher = Fetcher(build_client(timeout_seconds=5), deadline_seconds=0.5)
    timings = []
    for name in ("drip", "silent"):
        query = Query("bench", f"{replay.url}/{name}.json")
        spent = seconds_of(lambda q=query: fetcher.fetch(q))
        timings.append(Timing(f"fetch cut at its 0.5 s deadline: {name}", spent, 2.0))
    return timings


def long_command(replay: ReplayServer, slack: FakeSlack, folder: Path) -> Timing:
    """I1: `/metode` with 10,000 characters is refused at once (was `< 1 s`, HTTP round trip)."""
    runtime = open_app_runtime(DupilumabWorld(replay), slack, f"sqlite:///{folder / 'app.db'}")
    try:
        with serving(runtime) as base:
            spent = seconds_of(lambda: ask(base, slack, "dupilumab " * 1000, "bench-i1"))
    finally:
        runtime.close()
    return Timing("/metode with 10,000 characters answered", spent, 1.0)


def worker_stop(replay: ReplayServer, slack: FakeSlack, folder: Path) -> Timing:
    """D7: SIGTERM while a source drips: the worker exits within seconds (was `< 5 s`)."""
    world = DupilumabWorld(replay)
    env = bot_env(world, slack, f"sqlite:///{folder / 'worker.db'}", home=folder)
    poll_once(env)
    replay.fault(CTGOV, "drip", times=None, interval=0.5, max_seconds=600, match_params=WATCHED)
    worker = start(env, "worker")
    before = replay.count(CTGOV)
    replay.wait_until(lambda: replay.count(CTGOV) > before, timeout=60)
    started = time.perf_counter()
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)
    spent = time.perf_counter() - started
    stop(worker)
    replay.clear_faults()
    return Timing("worker exits after SIGTERM mid-fetch", spent, 5.0)


def demo(folder: Path) -> Timing:
    """The offline demo runs well under half a minute (README; was `< 30 s`)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "NO_PROXY": "127.0.0.1"}
    command = [sys.executable, "-m", "bot", "demo"]

    def run() -> None:
        subprocess.run(command, cwd=folder, env=env, capture_output=True, timeout=120, check=True)

    return Timing("`metodevakt demo`, start to end", seconds_of(run), 30.0)


@contextmanager
def servers() -> Iterator[tuple[ReplayServer, FakeSlack, Path]]:
    """A replay server, a fake Slack and a scratch folder, for one group of measurements."""
    with ReplayServer() as replay, FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        yield replay, slack, Path(tmp)


def measure() -> list[Timing]:
    """Every measurement, in the order of the table."""
    with servers() as (replay, slack, folder):
        timings = watchlist_refusals(folder) + feed_refusals() + [ema_parse()]
        timings += deadline_cuts(replay)
        timings.append(long_command(replay, slack, folder))
    with servers() as (replay, slack, folder):
        timings.append(worker_stop(replay, slack, folder))
    with tempfile.TemporaryDirectory() as tmp:
        timings.append(demo(Path(tmp)))
    return timings


def main() -> int:
    """Print the table; 1 when something is over budget."""
    timings = measure()
    print("| measurement | took | budget | |")
    print("| --- | --- | --- | --- |")
    for timing in timings:
        print(timing)
    return 0 if all(timing.ok for timing in timings) else 1


if __name__ == "__main__":
    sys.exit(main())
