"""Queueing alerts: which events are posted now, to which channels, and when they are grouped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import store
from bot.tables import EventRow
from bot.watchlist import Method

# More alerts than this from one source in one cycle become one message with a thread.
STORM_THRESHOLD = 20
CONSOLE_CHANNEL = "console"


def channels_for(method: Method, *, default: str | None) -> list[str]:
    """Where a method's alerts go: its own channel, else the alert channel, else the console."""
    return [method.channel or default or CONSOLE_CHANNEL]


def queue_alerts(
    session: Session,
    events: Sequence[EventRow],
    methods: Mapping[str, Method],
    *,
    default_channel: str | None,
    now: datetime,
    threshold: int = STORM_THRESHOLD,
) -> int:
    """Queue high- and normal-importance events (low ones wait for the summary).

    Per source and channel, more than `threshold` alerts become one group message whose thread
    holds the details. Returns the number of outbox rows queued.
    """
    by_target: dict[tuple[str, str], list[EventRow]] = defaultdict(list)
    for event in events:
        method = methods.get(event.method_id)
        if event.importance == "low" or method is None:
            continue
        for channel in channels_for(method, default=default_channel):
            by_target[(event.source, channel)].append(event)
    rows: list[dict[str, Any]] = []
    for (source, channel), targeted in by_target.items():
        rows += _rows_for(source, channel, targeted, threshold=threshold)
    return store.enqueue(session, rows, now=now)


def _rows_for(
    source: str, channel: str, events: list[EventRow], *, threshold: int
) -> list[dict[str, Any]]:
    group_key = None
    rows: list[dict[str, Any]] = []
    if len(events) > threshold:
        group_key = store.alert_key("group", channel, *sorted(e.dedupe_key for e in events))
        payload = {"source": source, "count": len(events)}
        rows.append(
            {"alert_key": group_key, "channel": channel, "kind": "group", "payload": payload}
        )
    for event in events:
        rows.append(
            {
                "alert_key": store.alert_key(event.dedupe_key, channel),
                "event_id": event.id,
                "method_id": event.method_id,
                "channel": channel,
                "kind": "alert",
                "group_key": group_key,
            }
        )
    return rows


def card_row(method_id: str, channel: str) -> dict[str, Any]:
    """The outbox row of a method's status card in a channel (the parent of its thread)."""
    return {
        "alert_key": store.alert_key("card", method_id, channel),
        "method_id": method_id,
        "channel": channel,
        "kind": "card",
    }


def admin_row(channel: str, text: str, *, key: str) -> dict[str, Any]:
    """An operator notice for the admin channel."""
    return {
        "alert_key": store.alert_key("admin", key),
        "channel": channel,
        "kind": "admin",
        "payload": {"text": text},
    }
