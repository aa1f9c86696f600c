"""The worker process: on SIGTERM it stops fast and commits nothing partial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.test_crash import bot_env
from tests.world import CTGOV, WATCHED, DupilumabWorld


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(sql))]
    engine.dispose()
    return found


def test_sigterm_mid_cycle_stops_quickly_and_commits_nothing_partial(
    replay: ReplayServer, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """SIGTERM while a source drips its answer: exit within 30 s, that source stores nothing."""
    world = DupilumabWorld(replay)
    env = bot_env(world, fake_slack, tmp_path)
    replay.fault(CTGOV, "drip", times=None, interval=0.5, match_params=WATCHED)
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert replay.wait_until(lambda: replay.count(CTGOV) >= 1, timeout=40)
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        assert time.monotonic() - started < 5  # the fetch in flight is abandoned at once
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
    assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""
    database = tmp_path / "bot.db"
    assert rows(database, "SELECT count(*) FROM snapshots") == [(0,)]
    state = rows(
        database, "SELECT consecutive_failures FROM source_state WHERE source = 'clinicaltrials'"
    )
    assert state in ([], [(0,)])  # being stopped is not a failure of the source
