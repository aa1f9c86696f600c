"""Methods per snapshot as rows (one method's records without reading them all), the
watchlist file last seeded (a start skips reading an unchanged file), and counts of the
changes of the methods and of the polled data (caches know when they are stale).

`snapshot_methods` is filled from every stored snapshot's `method_ids`; from now on
bot.storage.store.save_record keeps it in step, in the snapshot's own transaction.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.storage.tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHUNK = 500

_snapshots = sa.table(
    "snapshots",
    sa.column("source", sa.String),
    sa.column("key", sa.Text),
    sa.column("method_ids", sa.JSON),
)


def upgrade() -> None:
    links = op.create_table(
        "snapshot_methods",
        sa.Column("method_id", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("method_id", "source", "key", name=op.f("pk_snapshot_methods")),
    )
    op.create_index("ix_snapshot_methods_source_key", "snapshot_methods", ["source", "key"])
    op.create_table(
        "watchlist_seed",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("method_rows", sa.Integer(), nullable=False),
        sa.Column(
            "methods_updated_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("methods_changes", sa.Integer(), nullable=False),
        sa.Column("seeded_at", bot.storage.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_watchlist_seed")),
    )
    counters = op.create_table(
        "change_counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counters")),
    )
    op.bulk_insert(counters, [{"name": "methods", "value": 0}, {"name": "data", "value": 0}])
    connection = op.get_bind()
    for chunk in _chunks(_links(connection)):
        connection.execute(sa.insert(links), chunk)


def downgrade() -> None:
    op.drop_table("change_counters")
    op.drop_table("watchlist_seed")
    op.drop_index("ix_snapshot_methods_source_key", table_name="snapshot_methods")
    op.drop_table("snapshot_methods")


def _links(connection: sa.Connection) -> Iterator[dict[str, Any]]:
    """One row per (snapshot, method) pair, each pair once."""
    query = sa.select(_snapshots.c.source, _snapshots.c.key, _snapshots.c.method_ids)
    for source, key, method_ids in connection.execute(query).all():
        for method_id in dict.fromkeys(str(m) for m in method_ids or []):
            yield {"method_id": method_id, "source": source, "key": key}


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
