"""The change counters: moved in the transaction of every write that caches must notice.

`methods` moves with every ORM insert, update or delete of a method row (file sync; add,
remove, route in Slack; whatever writes methods later), `data` with every write of a source's
state (each poll commits its snapshots and events together with one), with new events and with
deleted snapshots. A bulk UPDATE statement on those tables would not move them. Importing this
module (bot.storage.store does) installs the listeners.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Connection, event, update

from bot.storage.tables import ChangeCounter, MethodRow, SourceState

METHODS_COUNTER = "methods"
DATA_COUNTER = "data"


# Databases known to have the counters. A database at an older revision (before it is migrated:
# tests that write an old version's rows) has none, and its writes are not counted.
_counted: weakref.WeakSet[Any] = weakref.WeakSet()


def count_change(connection: Connection, name: str) -> None:
    """Add one to a counter, in the caller's transaction (it moves when the change commits)."""
    if connection.engine not in _counted:
        if not connection.dialect.has_table(connection, ChangeCounter.__tablename__):
            return
        _counted.add(connection.engine)
    connection.execute(
        update(ChangeCounter)
        .where(ChangeCounter.name == name)
        .values(value=ChangeCounter.value + 1)
    )


def _count_method_change(_mapper: Any, connection: Connection, _row: Any) -> None:
    count_change(connection, METHODS_COUNTER)


def _count_data_change(_mapper: Any, connection: Connection, _row: Any) -> None:
    count_change(connection, DATA_COUNTER)


# Every ORM insert, update or delete of a method row (file sync, add, remove, route in Slack,
# and whatever writes methods later) counts, and so does every write of a source's state;
# a bulk UPDATE statement would not.
for _event in ("after_insert", "after_update", "after_delete"):
    event.listen(MethodRow, _event, _count_method_change)
    event.listen(SourceState, _event, _count_data_change)
