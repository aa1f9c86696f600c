"""The periodic summary: per channel, what changed for each method and what is due next."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery import outbox
from bot.storage import store
from bot.storage.tables import EventRow, OutboxRow
from bot.texts.catalogue import Language
from bot.watchlist import Method


def queue_digest(
    session: Session,
    *,
    methods: Sequence[Method],
    default_channel: str | None,
    language: Language,
    zone: ZoneInfo,
    now: datetime,
    since: datetime | None = None,
) -> int:
    """Queue one summary per channel and mark the events it covers; returns the rows queued.

    It covers every event not yet in a summary (observed at `since` or later, when given).
    """
    rows, covered = [], []
    for channel, members in _by_channel(methods, default_channel).items():
        events = _undigested(session, [m.id for m in members], since=since, now=now)
        period = (since or _last_digest_end(session, channel), now)
        rows.append(_digest_row(channel, members, events, period, zone=zone, language=language))
        covered += events
    for event in covered:
        event.digested_at = now
    return store.enqueue(session, rows, now=now)


def _digest_row(
    channel: str,
    members: list[Method],
    events: list[EventRow],
    period: tuple[datetime | None, datetime],
    *,
    zone: ZoneInfo,
    language: Language,
) -> dict[str, Any]:
    start, end = period
    payload = {
        "channel": channel,
        "method_ids": [m.id for m in members],
        "event_ids": [e.id for e in events],
        "since": start.isoformat() if start else None,
        "until": end.isoformat(),
        "zone": zone.key,
        "language": language,
    }
    return {
        "alert_key": digest_key(channel, end),
        "channel": channel,
        "kind": "digest",
        "payload": payload,
    }


def digest_key(channel: str, end: datetime) -> str:
    """The outbox key of the summary queued for `channel` at `end` (what candidates join)."""
    return store.alert_key("digest", channel, end.isoformat())


def _by_channel(methods: Sequence[Method], default: str | None) -> dict[str, list[Method]]:
    found: dict[str, list[Method]] = defaultdict(list)
    for method in methods:
        for channel in outbox.channels_for(method, default=default):
            found[channel].append(method)
    return found


def _last_digest_end(session: Session, channel: str) -> datetime | None:
    query = (
        select(OutboxRow)
        .where(OutboxRow.kind == "digest", OutboxRow.channel == channel)
        .order_by(OutboxRow.created_at.desc(), OutboxRow.id.desc())
        .limit(1)
    )
    row = session.scalar(query)
    until = (row.payload or {}).get("until") if row else None
    return datetime.fromisoformat(until) if until else None


def _undigested(
    session: Session, method_ids: list[str], *, since: datetime | None, now: datetime
) -> list[EventRow]:
    query = select(EventRow).where(
        EventRow.method_id.in_(method_ids),
        EventRow.digested_at.is_(None),
        EventRow.observed_at <= now,
    )
    if since is not None:
        query = query.where(EventRow.observed_at >= since)
    return list(session.scalars(query.order_by(EventRow.observed_at, EventRow.id)))
