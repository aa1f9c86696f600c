"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("method_id", sa.String(length=80), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("request_id", name=op.f("uq_audit_log_request_id")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("method_id", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("record_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("importance", sa.String(length=10), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("observed_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("digested_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_events_dedupe_key")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_method_id"), ["method_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_observed_at"), ["observed_at"], unique=False)

    op.create_table(
        "http_validators",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("updated_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_http_validators")),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    op.create_table(
        "methods",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_methods")),
    )
    op.create_table(
        "mutes",
        sa.Column("method_id", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("until", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("muted_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("method_id", "channel", name=op.f("pk_mutes")),
    )
    op.create_table(
        "snapshots",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("method_ids", sa.JSON(), nullable=False),
        sa.Column("first_seen", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("missing_since", bot.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("missing_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "key", name=op.f("pk_snapshots")),
    )
    op.create_table(
        "source_state",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("health", sa.String(length=10), nullable=False),
        sa.Column("last_attempt_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("data_timestamp", sa.String(length=40), nullable=True),
        sa.Column("baseline_keys", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_source_state")),
    )
    op.create_table(
        "threads",
        sa.Column("method_id", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("updated_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("method_id", "channel", name=op.f("pk_threads")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_key", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("method_id", sa.String(length=80), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("group_key", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_outbox_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("alert_key", name=op.f("uq_outbox_alert_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_group_key"), ["group_key"], unique=False)
        batch_op.create_index("ix_outbox_status_next", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_next")
        batch_op.drop_index(batch_op.f("ix_outbox_group_key"))

    op.drop_table("outbox")
    op.drop_table("threads")
    op.drop_table("source_state")
    op.drop_table("snapshots")
    op.drop_table("mutes")
    op.drop_table("methods")
    op.drop_table("leases")
    op.drop_table("http_validators")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_observed_at"))
        batch_op.drop_index(batch_op.f("ix_events_method_id"))

    op.drop_table("events")
    op.drop_table("audit_log")
