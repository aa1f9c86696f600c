"""The poller's lease: one worker holds it, another stands by and takes over when it stops."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.storage import db
from bot.storage.lease import TTL, PostgresLease, RowLease, make_lease


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


def test_postgres_lease_is_released_when_the_process_dies(engine: Engine) -> None:
    """On PostgreSQL the lock dies with its connection (a killed worker frees it)."""
    if engine.dialect.name != "postgresql":
        assert isinstance(make_lease(engine, db.session_factory(engine)), RowLease)
        return
    first, second = PostgresLease(engine), PostgresLease(engine)
    assert first.acquire() and not second.acquire()
    assert first._connection is not None
    first._connection.invalidate()  # the connection is gone, as with a killed process
    first._connection = None
    assert second.acquire()
    second.release()


def test_sqlite_lease_expires_when_not_renewed(engine: Engine) -> None:
    """A row lease not renewed within its TTL can be taken by the standby."""
    sessions = db.session_factory(engine)
    now = [datetime(2026, 11, 25, tzinfo=UTC)]
    first = RowLease(sessions, holder="a", clock=lambda: now[0])
    second = RowLease(sessions, holder="b", clock=lambda: now[0])
    assert first.acquire() and not second.acquire()
    now[0] += TTL + timedelta(seconds=1)
    assert second.acquire() and not first.acquire()
