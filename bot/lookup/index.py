"""The search index of the active methods, one per database, rebuilt when a method changes.

Every lookup asks the methods table for its version (rows, active rows, newest `updated_at`:
one small query); a sync of the watchlist file and every add, remove or route in Slack moves
it, so the index is never older than the methods it answers for. Building it (reading and
validating every method, folding every key) happens once per change, not once per request.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy.orm import Session

from bot.lookup.search import SearchIndex
from bot.storage import store

_lock = threading.Lock()
_indexes: weakref.WeakKeyDictionary[Any, tuple[store.MethodsVersion, SearchIndex]] = (
    weakref.WeakKeyDictionary()
)


def search_index(session: Session) -> SearchIndex:
    """The index of the active methods of the session's database, as they are now."""
    database = session.get_bind()
    # The version is read before the methods: a change in between only causes a rebuild.
    version = store.methods_version(session)
    with _lock:  # one builder; requests arriving meanwhile wait for its index
        cached = _indexes.get(database)
        if cached is not None and cached[0] == version:
            return cached[1]
        index = SearchIndex(store.active_methods(session))
        _indexes[database] = (version, index)
        return index
