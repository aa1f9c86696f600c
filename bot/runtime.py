"""The composition root: builds the database, clients and jobs from settings, once per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot import db, store
from bot.settings import Settings
from bot.watchlist import Method, load_watchlist

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a command needs, built from one Settings object."""

    settings: Settings
    engine: Engine
    sessions: db.SessionFactory

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def open_runtime(settings: Settings, *, seed_watchlist: bool = True) -> Runtime:
    """Connect, migrate, and (by default) load the watchlist file into the methods table."""
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    runtime = Runtime(settings=settings, engine=engine, sessions=db.session_factory(engine))
    if seed_watchlist:
        seed_methods(runtime, load_watchlist(settings.watchlist_file))
    return runtime


def seed_methods(runtime: Runtime, methods: list[Method]) -> None:
    """Make the watchlist file's methods active (methods added in Slack stay as they are)."""
    with db.transaction(runtime.sessions) as session:
        store.sync_file_methods(session, methods, now=datetime.now(UTC))
    log.info("watchlist: %d methods from %s", len(methods), runtime.settings.watchlist_file)
