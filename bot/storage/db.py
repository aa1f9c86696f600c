"""The database engine: SQLite (WAL, busy timeout, writes that lock up front) or PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision) = (None|\"([^\"]+)\")$", re.MULTILINE)
# Any constant will do; it only has to be the same in every process of this app.
_MIGRATION_LOCK_ID = 0x6D65746F

SessionFactory = sessionmaker[Session]


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their directory created and safe pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    return create_engine(url, pool_pre_ping=True, future=True)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # Up to 32 Slack listener threads read at once: with the default pool of 5 (+10 overflow)
    # a burst of lookups opened and closed connections (each with its PRAGMAs) over and over.
    engine = create_engine(
        url,
        connect_args={"timeout": 30, "check_same_thread": False},
        pool_size=32,
        max_overflow=16,
    )
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, emit BEGIN, so that writes can take the lock up front
    # (SQLAlchemy's documented recipe for SQLite transactions).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # FULL: a committed outbox row survives power loss, not only a crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" when another writer committed in between (WAL busy-snapshot); IMMEDIATE waits
    # for the lock instead. Write transactions (`transaction()`) ask for it; reads stay deferred
    # so that they never wait on a writer.
    mode = "IMMEDIATE" if connection.get_execution_options().get("write") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def _config() -> Config:
    # Alembic (and Mako and Pygments with it) loads only when a migration has to run.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this code."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


@cache
def shipped_head() -> str | None:
    """The newest migration shipped, read from the files' `revision =` lines without loading
    Alembic; None unless there is exactly one head (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        for name, _value, revision in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).add(revision)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def upgrade(engine: Engine) -> None:
    """Apply every migration; safe when several processes start at once.

    A database already at the newest migration is left as it is without loading Alembic.
    """
    if shipped_head() is not None and current_revision(engine) == shipped_head():
        return
    from alembic import command

    config = _config()
    # As a write transaction: on SQLite, two processes starting together on a fresh file would
    # otherwise both read "no tables" and one fail with "database is locked" (WAL busy snapshot).
    with engine.connect() as connection, connection.execution_options(write=True).begin():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None before the first upgrade."""
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def session_factory(engine: Engine) -> SessionFactory:
    """Sessions that keep loaded values usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: SessionFactory) -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    with sessions() as session, session.begin():
        session.connection(execution_options={"write": True})
        yield session


class CommitWatch:
    """Whether any other connection may have committed since the last look, in microseconds.

    SQLite: `PRAGMA data_version` on a read-only connection of this watch's own, which never
    writes, so its value changes exactly when another connection (of this process or another)
    commits. Elsewhere (PostgreSQL, an in-memory database) `stamp()` is None: "maybe".
    """

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            uri = f"{Path(database).resolve().as_uri()}?mode=ro"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def stamp(self) -> int | None:
        """A number that differs from the last one returned iff someone committed meanwhile."""
        if self._connection is None:
            return None
        with self._lock:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])
