"""Storage operations on one session: methods, snapshots, events with their outbox rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from hashlib import sha256
from importlib import import_module
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from bot.detection.detect import Change
from bot.sources.base import Record
from bot.storage.counters import DATA_COUNTER, METHODS_COUNTER, count_change
from bot.storage.tables import (
    ChangeCounter,
    EventRow,
    MethodRow,
    Mute,
    OutboxRow,
    Snapshot,
    SnapshotMethod,
    SourceState,
)
from bot.watchlist import Method

T = TypeVar("T")
# Values per IN (...) list: well under every database's parameter limit (SQLite's 32,766,
# PostgreSQL's 65,535 per statement).
IN_CHUNK = 900


def in_chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """`values` in slices of at most `size`, one IN (...) list each."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_ignoring_duplicates(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows, silently skipping those whose unique key exists; returns how many went in."""
    if not rows:
        return 0
    name = "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"
    # Imported here: the PostgreSQL dialect's modules are heavy for a start on SQLite.
    module: Any = import_module(f"sqlalchemy.dialects.{name}")
    statement = module.insert(table).values(list(rows)).on_conflict_do_nothing()
    # rowcount is unreliable for multi-row inserts on psycopg; RETURNING counts what went in.
    result = session.execute(statement.returning(*table.primary_key.columns))
    return len(result.all())


def sync_file_methods(session: Session, methods: Iterable[Method], *, now: datetime) -> None:
    """Make the watchlist file's methods active; methods added in Slack are left alone."""
    existing = {row.id: row for row in session.scalars(select(MethodRow))}
    listed = set()
    for method in methods:
        listed.add(method.id)
        definition = method.model_dump(mode="json", exclude_none=True)
        row = existing.get(method.id)
        if row is None:
            session.add(_method_row(method.id, definition, now=now))
        elif row.origin == "file" and (row.definition != definition or not row.active):
            row.definition, row.active, row.updated_at = definition, True, now
    for row in existing.values():
        if row.origin == "file" and row.id not in listed and row.active:
            row.active, row.updated_at = False, now


def _method_row(method_id: str, definition: dict[str, Any], *, now: datetime) -> MethodRow:
    return MethodRow(
        id=method_id,
        definition=definition,
        origin="file",
        active=True,
        created_at=now,
        updated_at=now,
        created_by=None,
    )


def active_methods(session: Session) -> list[Method]:
    """The methods being watched now, file and Slack alike, by id."""
    rows = session.scalars(select(MethodRow).where(MethodRow.active).order_by(MethodRow.id))
    return [Method.model_validate(row.definition) for row in rows]


MethodsVersion = tuple[int | None, int, int, datetime | None]


def _counter(name: str) -> Any:
    return select(ChangeCounter.value).where(ChangeCounter.name == name).scalar_subquery()


_METHOD_ROWS = (
    func.count(),
    func.count().filter(MethodRow.active),
    func.max(MethodRow.updated_at),
)
# Built once: these run on every lookup, where building a statement costs more than running it.
_METHODS_VERSION = select(_counter(METHODS_COUNTER), *_METHOD_ROWS).select_from(MethodRow)
_DATA_VERSION = select(
    _counter(METHODS_COUNTER),
    _counter(DATA_COUNTER),
    *_METHOD_ROWS,
    select(func.max(EventRow.id)).scalar_subquery(),
).select_from(MethodRow)


def methods_version(session: Session) -> MethodsVersion:
    """(changes counted, rows, active rows, newest `updated_at`) of the methods table: every
    write of a method row moves it (tables.ChangeCounter). One cheap query, to keep caches of
    the methods honest."""
    counted, rows, active, newest = session.connection().execute(_METHODS_VERSION).one()
    return counted, int(rows), int(active), newest


def data_version(session: Session) -> tuple[Any, ...]:
    """(methods counted, data counted, the methods' rows, active rows and newest `updated_at`,
    the newest event id): whatever an answer about the methods and their records shows, a
    change of it moves one of these. One cheap query."""
    return tuple(session.connection().execute(_DATA_VERSION).one())


def snapshots_of(
    session: Session, source: str, *, keys: Iterable[str] | None = None
) -> dict[str, Snapshot]:
    """The last good snapshot of a source's records, by key (only `keys`, when given)."""
    query = select(Snapshot).where(Snapshot.source == source)
    if keys is None:
        return {row.key: row for row in session.scalars(query)}
    wanted = sorted(set(keys))
    found: dict[str, Snapshot] = {}
    for chunk in in_chunks(wanted):
        found |= {row.key: row for row in session.scalars(query.where(Snapshot.key.in_(chunk)))}
    return found


_LOOK_UP: Any = object()


def save_record(
    session: Session,
    record: Record,
    *,
    now: datetime,
    row: Snapshot | None = _LOOK_UP,
    content_hash: str | None = None,
) -> None:
    """Store `record` as the current snapshot of its key (present now).

    A caller that already holds the key's row (or knows there is none: `row=None`) passes it,
    which spares a query per record.
    """
    if row is _LOOK_UP:
        row = session.get(Snapshot, (record.source, record.key))
    before: list[Any] = []
    if row is None:
        row = Snapshot(source=record.source, key=record.key, first_seen=now, missing_count=0)
        session.add(row)
    else:
        before = list(row.method_ids or [])
    row.fields, row.url = record.fields, record.url
    row.content_hash = content_hash or record.content_hash()
    row.method_ids, row.last_seen = list(record.method_ids), now
    row.missing_since, row.missing_count = None, 0
    link_methods(session, record.source, record.key, before=before, after=record.method_ids)


def link_methods(
    session: Session, source: str, key: str, *, before: Iterable[Any], after: Iterable[Any]
) -> None:
    """Keep `snapshot_methods` equal to a snapshot's `method_ids` (`before` → `after`), in the
    same transaction. Whatever writes `Snapshot.method_ids` other than save_record calls this."""
    old, new = {str(m) for m in before}, {str(m) for m in after}
    if old - new:
        gone = SnapshotMethod.method_id.in_(sorted(old - new))
        this = (SnapshotMethod.source == source) & (SnapshotMethod.key == key)
        session.execute(delete(SnapshotMethod).where(this & gone))
    for method_id in sorted(new - old):
        session.add(SnapshotMethod(method_id=method_id, source=source, key=key))


def delete_snapshots(session: Session, *conditions: Any) -> None:
    """Delete the snapshots matching `conditions` (on Snapshot columns) and their method rows."""
    doomed = select(Snapshot.source, Snapshot.key).where(*conditions)
    pair = tuple_(SnapshotMethod.source, SnapshotMethod.key)
    session.execute(delete(SnapshotMethod).where(pair.in_(doomed)))
    session.execute(delete(Snapshot).where(*conditions))
    count_change(session.connection(), DATA_COUNTER)


def add_events(session: Session, changes: Sequence[Change], *, now: datetime) -> list[EventRow]:
    """Store new events (a known dedupe key is skipped); returns only the events that were new."""
    keys = [change.dedupe_key for change in changes]
    known = set(session.scalars(select(EventRow.dedupe_key).where(EventRow.dedupe_key.in_(keys))))
    fresh = {c.dedupe_key: _event_row(c, now=now) for c in changes if c.dedupe_key not in known}
    if insert_ignoring_duplicates(session, EventRow.__table__, list(fresh.values())):
        count_change(session.connection(), DATA_COUNTER)
    stored = session.scalars(select(EventRow).where(EventRow.dedupe_key.in_(list(fresh))))
    return sorted(stored, key=lambda row: row.id)


def _event_row(change: Change, *, now: datetime) -> dict[str, Any]:
    return {
        "dedupe_key": change.dedupe_key,
        "method_id": change.method_id,
        "source": change.source,
        "record_key": change.key,
        "kind": change.kind,
        "importance": change.importance,
        "old": change.old,
        "new": change.new,
        "url": change.url,
        "subject": change.subject,
        "observed_at": now,
    }


def alert_key(*parts: object) -> str:
    """The outbox key of a message: deterministic, so a re-run never queues it twice."""
    return sha256("|".join(str(part) for part in parts).encode("utf-8")).hexdigest()


def enqueue(session: Session, rows: Sequence[dict[str, Any]], *, now: datetime) -> int:
    """Queue outbox rows (keys already queued are skipped); returns how many were new."""
    defaults = {"status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
    # A multi-row INSERT needs the same columns in every row: absent optional ones are NULL.
    optional = dict.fromkeys(("event_id", "method_id", "payload", "group_key"))
    full = [defaults | optional | row for row in rows]
    return insert_ignoring_duplicates(session, OutboxRow.__table__, full)


def source_state(session: Session, source: str) -> SourceState:
    """The state row of a source, created on first use."""
    row = session.get(SourceState, source)
    if row is None:
        row = SourceState(source=source, health="ok", consecutive_failures=0, baseline_keys=[])
        session.add(row)
        session.flush()
    return row


def muted(session: Session, *, now: datetime) -> set[tuple[str, str]]:
    """(method, channel) pairs whose alerts are muted now."""
    rows = session.execute(select(Mute.method_id, Mute.channel).where(Mute.until > now))
    return {(method_id, channel) for method_id, channel in rows}
