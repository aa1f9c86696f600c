"""Source health: ok / degraded / down / stale per source, and admins' notices on transitions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delivery import outbox
from bot.storage import store
from bot.storage.tables import SourceState
from bot.texts.catalogue import Language

# One failed cycle is often a blip; this many in a row means the source is down.
DOWN_AFTER = 3
# EMA regenerates its data files twice a day; a file three days old means the export is stuck
# (in December 2023 the files stood still for weeks while the site itself was up).
STALE_AFTER = timedelta(hours=72)
# Fetch and gate reasons carry no URLs; should one ever slip in, its query (a key) stays out.
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Transition:
    """A change of a source's health that admins must hear about: down, recovered, stale, fresh."""

    source: str
    kind: str
    reason: str | None = None
    failures: int = 0
    data_age: timedelta | None = None


@dataclass(frozen=True)
class Notices:
    """Where health notices of the poller go (None: the console) and in which language."""

    channel: str | None = None
    language: Language = "nb"


def record_outcome(
    session: Session,
    source: str,
    *,
    ok: bool,
    reason: str | None,
    data_timestamp: str | None,
    now: datetime,
) -> Transition | None:
    """Write one poll's outcome to the source's state; returns what admins must hear, if any."""
    state = store.source_state(session, source)
    previous = state.health or "ok"
    state.last_attempt_at = now
    if ok:
        _succeeded(state, data_timestamp, now=now)
    else:
        _failed(state, reason)
    return _transition(state, previous, now=now)


def _succeeded(state: SourceState, stamp: str | None, *, now: datetime) -> None:
    state.last_success_at = now
    state.consecutive_failures, state.last_error = 0, None
    # An unchanged file (304) has no body to read a timestamp from: the last one still holds,
    # and it keeps ageing, which is exactly how a stuck export shows.
    state.data_timestamp = stamp or state.data_timestamp
    age = data_age(state.data_timestamp, now=now)
    state.health = "stale" if age is not None and age > STALE_AFTER else "ok"


def _failed(state: SourceState, reason: str | None) -> None:
    state.consecutive_failures = (state.consecutive_failures or 0) + 1
    state.last_error = reason
    if state.consecutive_failures >= DOWN_AFTER:
        state.health = "down"
    elif state.health != "stale":  # a blip while stale must not re-announce the staleness later
        state.health = "degraded"


def _transition(state: SourceState, previous: str, *, now: datetime) -> Transition | None:
    current = state.health
    if current == previous:
        return None
    if current == "down":
        return Transition(
            state.source, "down", reason=state.last_error, failures=state.consecutive_failures
        )
    if current == "stale":
        return Transition(state.source, "stale", data_age=data_age(state.data_timestamp, now=now))
    if current == "ok" and previous in ("down", "stale"):
        return Transition(state.source, "recovered" if previous == "down" else "fresh")
    return None  # ok ↔ degraded: a blip, not worth a notice


def data_age(stamp: str | None, *, now: datetime) -> timedelta | None:
    """How old data stamped `stamp` (ISO 8601, e.g. EMA's `meta.timestamp`) is; None if unknown."""
    moment = parse_stamp(stamp)
    return None if moment is None else now - moment


def is_older(stamp: str | None, than: str | None) -> bool:
    """Whether data stamped `stamp` is older than data stamped `than` (False if one is unknown)."""
    new, old = parse_stamp(stamp), parse_stamp(than)
    return new is not None and old is not None and new < old


def parse_stamp(stamp: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def queue_health_notice(
    session: Session,
    transition: Transition,
    *,
    admin_channel: str,
    language: Language,
    now: datetime,
) -> int:
    """Queue the admins' notice of one transition; returns the rows queued (0 or 1)."""
    age = transition.data_age
    payload: dict[str, Any] = {
        "health": transition.kind,
        "source": transition.source,
        "reason": scrub(transition.reason),
        "failures": transition.failures,
        "days": None if age is None else age.days,
        "language": language,
    }
    key = f"health|{transition.source}|{transition.kind}|{now.isoformat()}"
    row = outbox.admin_row(admin_channel, key, payload)
    return store.enqueue(session, [row], now=now)


def queue_not_found_notices(
    session: Session,
    source: str,
    keys: set[str],
    *,
    notices: Notices,
    now: datetime,
) -> int:
    """Tell the admins, once per key ever, that a watched page does not exist (a link to fix in
    the watchlist, not a source down); returns the rows queued."""
    channel = notices.channel or outbox.CONSOLE_CHANNEL
    rows = [
        outbox.admin_row(
            channel,
            f"not_found|{source}|{key}",
            {"not_found": key, "source": source, "language": notices.language},
        )
        for key in sorted(keys)
    ]
    return store.enqueue(session, rows, now=now) if rows else 0


def track(
    session: Session,
    source: str,
    *,
    ok: bool,
    notices: Notices,
    now: datetime,
    reason: str | None = None,
    data_timestamp: str | None = None,
) -> Transition | None:
    """`record_outcome`, and the notice of its transition queued in the same transaction."""
    found = record_outcome(
        session, source, ok=ok, reason=reason, data_timestamp=data_timestamp, now=now
    )
    if found is not None:
        channel = notices.channel or outbox.CONSOLE_CHANNEL
        queue_health_notice(
            session, found, admin_channel=channel, language=notices.language, now=now
        )
    return found


def scrub(reason: str | None) -> str | None:
    """A failure reason fit for a channel: any URL (which may carry a key) replaced."""
    return None if reason is None else _URL.sub("[url]", reason)


def last_success(session: Session) -> datetime | None:
    """When any source was last read successfully (for catch-up after downtime)."""
    return session.scalar(select(func.max(SourceState.last_success_at)))
