"""News item keys in their normalised form (https, lower-case host, no trailing slash).

Before this revision a feed item's key was its guid or link exactly as written, so FDA's
`http://` permalinks would have become new keys (and new alerts) the day the feed moved to
https. Stored `ema_rss`/`fda_rss` snapshot keys and event record keys are rewritten to the form
the parser now gives (bot.sources.news.links.normal_key); two stored keys that now name the same
item keep the snapshot first seen. Snapshot links that pointed at the site root because the
item's own link was plain http now point at the item.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

from bot.sources.news import PUBLISHER_HOSTS
from bot.sources.news.links import normal_key, own_link

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_HOSTS = {"ema_rss": PUBLISHER_HOSTS["EMA"], "fda_rss": PUBLISHER_HOSTS["FDA"]}

_snapshots = sa.table(
    "snapshots",
    sa.column("source", sa.String),
    sa.column("key", sa.Text),
    sa.column("url", sa.Text),
    sa.column("fields", sa.JSON),
    sa.column("first_seen", sa.DateTime),
)
_events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("record_key", sa.Text),
)


def upgrade() -> None:
    connection = op.get_bind()
    for source, host in _HOSTS.items():
        _rewrite_snapshots(connection, source, host)
        _rewrite_events(connection, source)


def downgrade() -> None:
    # The original spellings are not kept; normalised keys read the same to the old code,
    # except that an http item seen again would be new to it. Nothing to undo.
    pass


def _rewrite_snapshots(connection: sa.Connection, source: str, host: str) -> None:
    columns = (_snapshots.c.key, _snapshots.c.url, _snapshots.c.fields, _snapshots.c.first_seen)
    rows = connection.execute(
        sa.select(*columns).where(_snapshots.c.source == source).order_by(_snapshots.c.first_seen)
    ).all()
    kept: set[str] = set()
    for row in rows:
        new_key = normal_key(row.key)
        this = (_snapshots.c.source == source) & (_snapshots.c.key == row.key)
        if new_key in kept:  # a later spelling of an item already kept: the same item
            connection.execute(sa.delete(_snapshots).where(this))
            continue
        kept.add(new_key)
        values = {"key": new_key, "url": _item_url(row.url, row.fields, host=host)}
        if values != {"key": row.key, "url": row.url}:
            connection.execute(sa.update(_snapshots).where(this).values(**values))


def _item_url(url: str, fields: Any, *, host: str) -> str:
    """The item's own page, when the stored link is the site root for want of an https link."""
    if urlsplit(url).path not in ("", "/"):
        return url
    link = fields.get("link") if isinstance(fields, dict) else None
    return own_link(link, host=host) or url


def _rewrite_events(connection: sa.Connection, source: str) -> None:
    rows = connection.execute(
        sa.select(_events.c.id, _events.c.record_key).where(_events.c.source == source)
    ).all()
    for row in rows:
        new_key = normal_key(row.record_key)
        if new_key != row.record_key:
            connection.execute(
                sa.update(_events).where(_events.c.id == row.id).values(record_key=new_key)
            )
