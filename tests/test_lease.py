"""The poller's lease: one worker holds it, another stands by and takes over when it stops."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.storage import db
from bot.storage.lease import TTL, PostgresLease, RowLease, make_lease
from tests.postgres import needs_postgres

ROOT = Path(__file__).parents[1]
# A worker that takes the advisory lock, says so, and then only waits to be killed.
HOLDER = """
import sys, threading
from bot.storage import db
from bot.storage.lease import PostgresLease
lease = PostgresLease(db.make_engine(sys.argv[1]))
assert lease.acquire()
print("held", flush=True)
threading.Event().wait(600)
"""


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


def test_one_polls_one_stands_by_then_takes_over(engine: Engine) -> None:
    """Two workers: the first holds the lease, the second waits, and takes it once it is freed."""
    sessions = db.session_factory(engine)
    first, second = make_lease(engine, sessions), make_lease(engine, sessions)
    if isinstance(first, RowLease) and isinstance(second, RowLease):
        first.holder, second.holder = "host:1", "host:2"
    assert first.acquire() is True
    assert second.acquire() is False
    assert first.acquire() is True  # renewing keeps it
    first.release()
    assert second.acquire() is True
    assert first.acquire() is False
    second.release()


def test_each_database_gets_its_own_kind_of_lease(engine: Engine) -> None:
    """SQLite gets the lease row; PostgreSQL the advisory lock."""
    lease = make_lease(engine, db.session_factory(engine))
    expected = PostgresLease if engine.dialect.name == "postgresql" else RowLease
    assert type(lease) is expected


@needs_postgres
def test_postgres_lease_is_released_when_the_process_dies(postgres_url: str) -> None:
    """A worker killed with SIGKILL frees its advisory lock: a standby then takes it."""
    engine = db.make_engine(postgres_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, postgres_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    standby = PostgresLease(engine)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert standby.acquire() is False
        holder.kill()
        holder.wait(timeout=30)
        assert taken_within(standby, seconds=30), "the killed worker's lock was never freed"
    finally:
        if holder.poll() is None:
            holder.kill()
        standby.release()
        engine.dispose()


def taken_within(lease: PostgresLease, *, seconds: float) -> bool:
    """Try to take the lease until it is taken or `seconds` have passed (a bounded wait)."""
    tick = threading.Event()
    for _ in range(int(seconds / 0.1)):
        if lease.acquire():
            return True
        tick.wait(0.1)
    return False


def test_sqlite_lease_expires_when_not_renewed(tmp_path: Path) -> None:
    """A row lease not renewed within its TTL can be taken by the standby."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'lease.db'}")
    db.upgrade(engine)
    sessions = db.session_factory(engine)
    now = [datetime(2026, 11, 25, tzinfo=UTC)]
    first = RowLease(sessions, holder="a", clock=lambda: now[0])
    second = RowLease(sessions, holder="b", clock=lambda: now[0])
    assert first.acquire() and not second.acquire()
    now[0] += TTL + timedelta(seconds=1)
    assert second.acquire() and not first.acquire()
    engine.dispose()
