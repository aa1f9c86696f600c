"""The database tables: methods, source state, snapshots, events, outbox, threads, mutes, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite stores no zone; we add it back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them on SQLite)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class MethodRow(Base):
    """A watched method: seeded from the watchlist file or added in Slack."""

    __tablename__ = "methods"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    definition: Mapped[dict[str, Any]]
    origin: Mapped[str] = mapped_column(String(10))  # "file" or "slack"
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(40))


class SourceState(Base):
    """Health and bookkeeping of one source."""

    __tablename__ = "source_state"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    health: Mapped[str] = mapped_column(String(10), default="ok")  # ok/degraded/down/stale
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    data_timestamp: Mapped[str | None] = mapped_column(String(40))
    baseline_keys: Mapped[list[Any]] = mapped_column(default=list)
    # A change-feed source's cursor (bot.sources.cursor): the UTC day the last committed read
    # began; when the current pass of full reads began and the last key it read.
    feed_watermark: Mapped[date | None] = mapped_column(Date)
    full_read_at: Mapped[datetime | None]
    full_read_after: Mapped[str | None] = mapped_column(Text)


class HttpValidators(Base):
    """ETag / Last-Modified per request URL, for conditional GET."""

    __tablename__ = "http_validators"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    # The authoritative keys the answer held: a 304 repeats their presence and the others' absence.
    present_keys: Mapped[list[Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class Snapshot(Base):
    """The last good state of one record (per source and key)."""

    __tablename__ = "snapshots"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    fields: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    method_ids: Mapped[list[Any]] = mapped_column(default=list)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    missing_since: Mapped[datetime | None]
    missing_count: Mapped[int] = mapped_column(default=0)


class EventRow(Base):
    """A detected change; `dedupe_key` makes the same change one event across runs."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    method_id: Mapped[str] = mapped_column(String(80), index=True)
    source: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    importance: Mapped[str] = mapped_column(String(10))  # high/normal/low
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text, default="")
    observed_at: Mapped[datetime] = mapped_column(index=True)
    digested_at: Mapped[datetime | None]


class OutboxRow(Base):
    """A message to deliver; committed with its event, sent by the separate delivery step."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_key: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    method_id: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default="alert")  # alert/card/group/digest/admin
    # Rows of a group (storm breaker, catch-up) are posted in the thread of the group's message.
    group_key: Mapped[str | None] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class ThreadRow(Base):
    """The status card (thread parent) of a method in a channel."""

    __tablename__ = "threads"

    method_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    ts: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class Mute(Base):
    """A method's alerts silenced in one channel until a time; the digest still lists them."""

    __tablename__ = "mutes"

    method_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    until: Mapped[datetime]
    muted_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Who changed the watchlist, when and how; `request_id` makes a replayed request a no-op."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    method_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(120), unique=True)


class Lease(Base):
    """A named lease (the poller's) held until `expires_at` by one process."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]


class ScopeRow(Base):
    """The team's scope (`name` "team"): the watchlist file's until an admin edits it in Slack,
    after which Slack's copy wins over the file (as for methods)."""

    __tablename__ = "scope"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    definition: Mapped[dict[str, Any]]
    origin: Mapped[str] = mapped_column(String(10))  # "file" or "slack"
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(40))


class Candidate(Base):
    """A substance in scope, not watched, for one scope entry; `identity` makes it one candidate
    whichever source and however often it is seen. Triage: open, followed or dismissed; owned."""

    __tablename__ = "candidates"
    __table_args__ = (Index("ix_candidates_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identity: Mapped[str] = mapped_column(String(300), unique=True)
    substance: Mapped[str] = mapped_column(Text)
    term_kind: Mapped[str] = mapped_column(String(20))
    term: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    owner: Mapped[str | None] = mapped_column(String(40))
    owned_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    method_id: Mapped[str | None] = mapped_column(String(80))
    first_seen_at: Mapped[datetime]
    evidence_at: Mapped[datetime]
    reopened_at: Mapped[datetime | None]


class CandidateEvidence(Base):
    """One fact about a candidate from one source; the same fact read again adds nothing.
    `proposed_at` is when a weekly "Nye kandidater" first carried it."""

    __tablename__ = "candidate_evidence"
    __table_args__ = (UniqueConstraint("candidate_id", "source", "record_key", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    event_date: Mapped[str | None] = mapped_column(String(10))
    facts: Mapped[dict[str, Any]]
    url: Mapped[str] = mapped_column(Text)
    observed_at: Mapped[datetime]
    proposed_at: Mapped[datetime | None]


class ScopeSubstance(Base):
    """A substance (folded) EMA's medicines file puts in scope, with the entry it falls in by:
    how sources without ATC codes or indications (FDA) are matched to the scope."""

    __tablename__ = "scope_substances"

    substance: Mapped[str] = mapped_column(String(200), primary_key=True)
    term_kind: Mapped[str] = mapped_column(String(20))
    term: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class SnapshotMethod(Base):
    """One method a snapshot belongs to: `Snapshot.method_ids` as rows, written with the snapshot,
    so that one method's records are read without reading every snapshot."""

    __tablename__ = "snapshot_methods"
    __table_args__ = (Index("ix_snapshot_methods_source_key", "source", "key"),)

    method_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)


class ChangeCounter(Base):
    """How many times something changed, so that caches know when they are stale: `methods`
    counts every write of a method row, `data` every write of a source's state (each poll
    commits its snapshots and events together with one) and every other change of records.
    bot.storage.counters moves them."""

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class WatchlistSeed(Base):
    """The watchlist file last synced into `methods`, and the methods table as the sync left it:
    while neither changed, a start need not read the file again."""

    __tablename__ = "watchlist_seed"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    method_rows: Mapped[int]
    methods_updated_at: Mapped[datetime | None]
    methods_changes: Mapped[int]
    seeded_at: Mapped[datetime]
