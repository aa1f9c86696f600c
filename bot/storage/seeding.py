"""The watchlist file's last sync into the methods table, so that a start can skip reading it.

A start reads the file's bytes and hashes them with the code that reads and syncs a watchlist
(bot/watchlist and bot/storage/store.py: a new version of either may read the same file
differently). When that fingerprint and the methods table (rows and newest `updated_at`) are
what the last sync left, syncing again would change nothing, so the file is not parsed; any
change of the file, the code or the table (an add, remove or route in Slack) means a full read
and sync, with every check and error as before.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from hashlib import sha256
from pathlib import Path

from sqlalchemy.orm import Session

import bot.watchlist
from bot.storage import store
from bot.storage.tables import WatchlistSeed

NAME = "watchlist_file"


@cache
def _code_digest() -> bytes:
    sources = sorted(Path(bot.watchlist.__file__).parent.glob("*.py"))
    digest = sha256()
    for path in [*sources, Path(store.__file__)]:
        digest.update(path.read_bytes())
    return digest.digest()


def fingerprint(raw: bytes) -> str:
    """What decides the methods a file seeds: its bytes and the code that reads them."""
    return sha256(_code_digest() + raw).hexdigest()


def is_current(session: Session, stamp: str) -> bool:
    """True when the last sync was of this fingerprint and the methods table is as it left it."""
    row = session.get(WatchlistSeed, NAME)
    if row is None or row.fingerprint != stamp:
        return False
    changes, rows, _active, newest = store.methods_version(session)
    return (changes, rows, newest) == (row.methods_changes, row.method_rows, row.methods_updated_at)


def remember(session: Session, stamp: str, *, now: datetime) -> None:
    """Record a sync of `stamp` (call after the sync, in its transaction)."""
    session.flush()
    changes, rows, _active, newest = store.methods_version(session)
    session.merge(
        WatchlistSeed(
            name=NAME,
            fingerprint=stamp,
            method_rows=rows,
            methods_updated_at=newest,
            methods_changes=changes or 0,
            seeded_at=now,
        )
    )
