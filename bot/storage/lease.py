"""The poller's lease: exactly one worker polls and delivers; any other one stands by.

PostgreSQL: a session-level advisory lock on a connection held for the process's life (released
by the server when the process dies). SQLite: a row with an expiry, renewed while held.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, text

from bot.storage import db
from bot.storage.tables import Lease

log = logging.getLogger(__name__)

LEASE_NAME = "poller"
# Any constant will do; it only has to be the same in every process of this app.
ADVISORY_KEY = 0x4D455456
TTL = timedelta(seconds=60)


def holder_id() -> str:
    """Who holds the lease: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class PostgresLease:
    """`pg_try_advisory_lock` held on one dedicated connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        """Take the lock if free; True while this process holds it."""
        if self._connection is not None and self._alive(self._connection):
            return True
        connection = self.engine.connect()
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
        if taken.scalar():
            connection.commit()
            self._connection = connection
            return True
        connection.close()
        return False

    def _alive(self, connection: Connection) -> bool:
        # A dropped connection has lost its lock (the server released it): take it anew.
        try:
            connection.execute(text("SELECT 1"))
            connection.commit()
            return True
        except Exception:  # any failure means the lock is gone with the connection
            log.warning("lease connection lost; trying to take the lease again")
            self._connection = None
            return False

    def release(self) -> None:
        """Give the lock back (closing the connection would too)."""
        if self._connection is not None:
            self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self._connection.close()
            self._connection = None


class RowLease:
    """A lease row with an expiry, for SQLite: taken when free or expired, renewed when held."""

    def __init__(
        self,
        sessions: db.SessionFactory,
        *,
        holder: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sessions, self.holder, self.clock = sessions, holder or holder_id(), clock

    def acquire(self) -> bool:
        """Take or renew the lease; True while this process holds it."""
        now = self.clock()
        with db.transaction(self.sessions) as session:
            row = session.get(Lease, LEASE_NAME)
            if row is None:
                session.add(Lease(name=LEASE_NAME, holder=self.holder, expires_at=now + TTL))
                return True
            if row.holder != self.holder and row.expires_at > now:
                return False
            row.holder, row.expires_at = self.holder, now + TTL
            return True

    def release(self) -> None:
        """Let a standby take over at once."""
        with db.transaction(self.sessions) as session:
            row = session.get(Lease, LEASE_NAME)
            if row is not None and row.holder == self.holder:
                session.delete(row)


def make_lease(engine: Engine, sessions: db.SessionFactory) -> PostgresLease | RowLease:
    """The lease that suits the database."""
    if engine.dialect.name == "postgresql":
        return PostgresLease(engine)
    return RowLease(sessions)
