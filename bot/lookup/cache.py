"""Answers kept until what they were made from changes: the methods, a poll's data, an event.

Fifty people asking at once mostly ask the same few things between two polls. An answer is
kept per database, per query as typed, language, time zone and day (the outlook's), with the
data version it was made at (bot.storage.store.data_version: one cheap query). A write of a
method (file sync, add, remove, route in Slack), a poll's commit and any new event each move
that version, so a kept answer is never older than the database it answers for. On SQLite a
watch on commits (db.CommitWatch, microseconds) tells when nothing at all was committed since
the answer was last checked; then even the version query is skipped.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.lookup.answers import Answer, answer
from bot.overview.state import today_utc
from bot.storage import db, store
from bot.texts.catalogue import Language

KEPT = 512  # answers per database, the least recently used dropped first


@dataclass
class _Kept:
    """An answer, the data version it was made at, and the commit stamp it was last seen at."""

    version: tuple[Any, ...]
    answer: Answer
    stamp: int | None


@dataclass
class _Database:
    """The kept answers of one database, and its watch on commits."""

    watch: db.CommitWatch
    answers: OrderedDict[tuple[str, str, str, str], _Kept]


_lock = threading.Lock()
_databases: weakref.WeakKeyDictionary[Any, _Database] = weakref.WeakKeyDictionary()


def cached_answer(session: Session, text: str, *, language: Language, zone: ZoneInfo) -> Answer:
    """`answer(session, text, …)`, served from the kept answers while the data is unchanged.

    The returned answer may be shared with other requests: read it, never change it.
    """
    # The day is part of the key: an outlook turns overdue at midnight, commit or no commit.
    today = today_utc()
    kept, key = _database(session), (text, language, zone.key, today.isoformat())
    stamp = kept.watch.stamp()  # first the stamp, then the version: a commit between is seen
    with _lock:
        found = kept.answers.get(key)
        if found is not None and stamp is not None and found.stamp == stamp:
            kept.answers.move_to_end(key)
            return found.answer
    version = store.data_version(session)
    # Without its counters (a database not migrated by this code) nothing is served again.
    if found is not None and found.version == version and None not in version[:2]:
        found.stamp = stamp
        return found.answer
    made = answer(session, text, language=language, zone=zone, today=today)
    with _lock:
        kept.answers[key] = _Kept(version, made, stamp)
        kept.answers.move_to_end(key)
        while len(kept.answers) > KEPT:
            kept.answers.popitem(last=False)
    return made


def _database(session: Session) -> _Database:
    database = session.get_bind()
    with _lock:
        found = _databases.get(database)
        if found is None:
            watch = db.CommitWatch(database.engine)
            found = _databases[database] = _Database(watch, OrderedDict())
        return found
