"""Queueing alerts: which events are posted now, to which channels, and when they are grouped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.storage import store
from bot.storage.tables import EventRow
from bot.watchlist import Method

# More alerts than this from one source in one cycle become one message with a thread.
STORM_THRESHOLD = 20
CONSOLE_CHANNEL = "console"


def channels_for(method: Method, *, default: str | None) -> list[str]:
    """Where a method's alerts go: its own channel, else the alert channel, else the console."""
    return [method.channel or default or CONSOLE_CHANNEL]


@dataclass(frozen=True)
class CatchUp:
    """The first cycle after downtime: its alerts go out as one message per channel.

    `since` is the last successful poll before the downtime; every source polled in that cycle
    is given the same value, so their alerts share one group per channel.
    """

    since: datetime


def catch_up_after(
    last_success_before: datetime | None, *, interval: timedelta, now: datetime
) -> CatchUp | None:
    """A catch-up when nothing was read for more than two poll intervals (never on a first run)."""
    if last_success_before is None or now - last_success_before <= 2 * interval:
        return None
    return CatchUp(last_success_before)


def queue_alerts(
    session: Session,
    events: Sequence[EventRow],
    methods: Mapping[str, Method],
    *,
    default_channel: str | None,
    now: datetime,
    threshold: int = STORM_THRESHOLD,
    catch_up: CatchUp | None = None,
) -> int:
    """Queue high- and normal-importance events (low ones wait for the summary).

    Alerts become one group message whose thread holds the details: per channel after downtime
    (`catch_up`), else per source and channel when there are more than `threshold` (storm).
    Returns the number of outbox rows queued.
    """
    rows: dict[str, dict[str, Any]] = {}
    muted = store.muted(session, now=now)
    for (source, channel), targeted in _targets(events, methods, default_channel, muted).items():
        group = _group_row(source, channel, targeted, threshold=threshold, catch_up=catch_up)
        for row in _rows_for(channel, targeted, group=group):
            rows[row["alert_key"]] = row  # sources of one catch-up share its group row
    return store.enqueue(session, list(rows.values()), now=now)


def _targets(
    events: Sequence[EventRow],
    methods: Mapping[str, Method],
    default_channel: str | None,
    muted: set[tuple[str, str]],
) -> dict[tuple[str, str], list[EventRow]]:
    by_target: dict[tuple[str, str], list[EventRow]] = defaultdict(list)
    for event in events:
        method = methods.get(event.method_id)
        if event.importance == "low" or method is None:
            continue
        for channel in channels_for(method, default=default_channel):
            if (event.method_id, channel) not in muted:  # muted: the summary still lists it
                by_target[(event.source, channel)].append(event)
    return by_target


def _group_row(
    source: str,
    channel: str,
    events: list[EventRow],
    *,
    threshold: int,
    catch_up: CatchUp | None,
) -> dict[str, Any] | None:
    if catch_up is not None:
        key = store.alert_key("catch_up", channel, catch_up.since.isoformat())
        payload: dict[str, Any] = {"reason": "catch_up", "since": catch_up.since.isoformat()}
    elif len(events) > threshold:
        key = store.alert_key("group", channel, *sorted(e.dedupe_key for e in events))
        payload = {"reason": "storm", "source": source, "count": len(events)}
    else:
        return None
    return {"alert_key": key, "channel": channel, "kind": "group", "payload": payload}


def _rows_for(
    channel: str, events: list[EventRow], *, group: dict[str, Any] | None
) -> list[dict[str, Any]]:
    rows = [] if group is None else [group]
    for event in events:
        rows.append(
            {
                "alert_key": store.alert_key(event.dedupe_key, channel),
                "event_id": event.id,
                "method_id": event.method_id,
                "channel": channel,
                "kind": "alert",
                "group_key": None if group is None else group["alert_key"],
            }
        )
    return rows


def card_row(method_id: str, channel: str, *, generation: int = 0) -> dict[str, Any]:
    """The outbox row of a method's status card in a channel (the parent of its thread).

    A card that could not be posted is followed by a new generation with a key of its own.
    """
    parts = ("card", method_id, channel) + ((generation,) if generation else ())
    return {
        "alert_key": store.alert_key(*parts),
        "method_id": method_id,
        "channel": channel,
        "kind": "card",
    }


def admin_row(channel: str, key: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An operator notice for the admin channel; `payload` says what composer writes."""
    return {
        "alert_key": store.alert_key("admin", key),
        "channel": channel,
        "kind": "admin",
        "payload": payload,
    }
