"""The worker process: on SIGTERM it stops fast and commits nothing partial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def test_sigterm_mid_cycle_abandons_the_fetch_and_commits_nothing_partial(
    replay: ReplayServer, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """SIGTERM while a source drips its answer: the fetch is abandoned, that source stores nothing.

    The drip outlasts the test (and the fetch's own 60 s deadline), so the worker can only exit
    by abandoning the fetch; the wait below bounds the test, it measures nothing.
    """
    world = DupilumabWorld(replay)
    env = bot_env(world, fake_slack, tmp_path)
    replay.fault(CTGOV, "drip", times=None, interval=0.5, max_seconds=600, match_params=WATCHED)
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert replay.wait_until(lambda: replay.count(CTGOV) >= 1, timeout=40)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
    log = worker.stderr.read() if worker.stderr else ""
    assert worker.returncode == 0, log
    assert "clinicaltrials: poll abandoned, the process is stopping; nothing stored" in log
    database = tmp_path / "bot.db"
    assert rows(database, "SELECT count(*) FROM snapshots") == [(0,)]
    state = rows(
        database, "SELECT consecutive_failures FROM source_state WHERE source = 'clinicaltrials'"
    )
    assert state in ([], [(0,)])  # being stopped is not a failure of the source
