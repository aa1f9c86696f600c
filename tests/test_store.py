"""The store on a real database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.detection.detect import Change
from bot.sources.base import Record
from bot.storage import db, store
from bot.storage.tables import EventRow, MethodRow, OutboxRow, Snapshot
from bot.watchlist import Method

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def make_event(new_status: str = "COMPLETED") -> Change:
    return Change(
        "dupilumab-ad-12-17",
        "clinicaltrials",
        "NCT03054428",
        "trial_status",
        "high",
        {"overall_status": "ACTIVE_NOT_RECRUITING"},
        {"overall_status": new_status},
        "https://clinicaltrials.gov/study/NCT03054428",
        "NCT03054428 (LIBERTY AD ADOL)",
    )


def test_upgrade_is_idempotent(database_url: str) -> None:
    """Running the migrations twice leaves the database at the head revision."""
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision() == "0005"
    engine.dispose()


def test_snapshot_round_trip(sessions: db.SessionFactory) -> None:
    """A saved record reads back with its fields, hash, methods and aware UTC times."""
    record = Record(
        "clinicaltrials",
        "NCT03054428",
        {"overall_status": "COMPLETED", "title": "Ø"},
        "https://clinicaltrials.gov/study/NCT03054428",
        ("dupilumab-ad-12-17",),
    )
    with db.transaction(sessions) as session:
        store.save_record(session, record, now=NOW)
    with sessions() as session:
        (row,) = store.snapshots_of(session, "clinicaltrials").values()
    assert row.fields == {"overall_status": "COMPLETED", "title": "Ø"}
    assert row.content_hash == record.content_hash()
    assert row.method_ids == ["dupilumab-ad-12-17"]
    assert row.first_seen == NOW and row.first_seen.tzinfo is not None


def test_duplicate_dedupe_key_is_ignored(sessions: db.SessionFactory) -> None:
    """The same change stored twice is one event; its outbox key is queued once."""
    with db.transaction(sessions) as session:
        first = store.add_events(session, [make_event()], now=NOW)
        store.enqueue(
            session, [{"alert_key": "a1", "channel": "C1", "event_id": first[0].id}], now=NOW
        )
    with db.transaction(sessions) as session:
        again = store.add_events(
            session, [make_event(), make_event("TERMINATED")], now=NOW + timedelta(hours=1)
        )
        queued = store.enqueue(session, [{"alert_key": "a1", "channel": "C1"}], now=NOW)
    with sessions() as session:
        events = list(session.scalars(select(EventRow).order_by(EventRow.id)))
        outbox = list(session.scalars(select(OutboxRow)))
    assert [e.dedupe_key for e in first] == [make_event().dedupe_key]
    assert [e.new for e in again] == [{"overall_status": "TERMINATED"}]
    assert len(events) == 2 and events[0].subject == "NCT03054428 (LIBERTY AD ADOL)"
    assert queued == 0
    assert [(row.alert_key, row.status, row.event_id) for row in outbox] == [
        ("a1", "pending", events[0].id)
    ]


def test_failed_transaction_leaves_nothing(sessions: db.SessionFactory) -> None:
    """An error inside a transaction rolls back the snapshot and events written in it."""
    record = Record("openfda", "BLA761055", {"sponsor_name": "X"}, "https://www.fda.gov/")
    with pytest.raises(RuntimeError), db.transaction(sessions) as session:
        store.save_record(session, record, now=NOW)
        store.add_events(session, [make_event()], now=NOW)
        raise RuntimeError("crash mid-cycle")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) == 0
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0


def test_file_methods_sync(sessions: db.SessionFactory) -> None:
    """Watchlist methods become active rows; one dropped from the file is deactivated."""
    a = Method(id="a", title="A", substance="x")
    b = Method(id="b", title="B", substance="y")
    with db.transaction(sessions) as session:
        store.sync_file_methods(session, [a, b], now=NOW)
    with db.transaction(sessions) as session:
        store.sync_file_methods(session, [b.model_copy(update={"title": "B2"})], now=NOW)
    with sessions() as session:
        assert [m.title for m in store.active_methods(session)] == ["B2"]
        assert session.get(MethodRow, "a") is not None


def test_concurrent_writers_wait_instead_of_failing(sessions: db.SessionFactory) -> None:
    """Two threads writing at once both commit (no 'database is locked')."""
    errors: list[Exception] = []

    def write(prefix: str) -> None:
        try:
            for i in range(20):
                with db.transaction(sessions) as session:
                    store.snapshots_of(session, "s")
                    store.save_record(session, Record("s", f"{prefix}{i}", {}, "u"), now=NOW)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with sessions() as session:
        assert len(store.snapshots_of(session, "s")) == 40
