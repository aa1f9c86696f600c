"""What a summary holds: per method, its overview with the period's events, from the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.overview.read import build_overviews
from bot.overview.state import Event, Overview
from bot.storage.tables import EventRow, MethodRow
from bot.watchlist import Method

# Methods with news are shown in detail, the most important first, up to MAX_DETAILED; the next
# MAX_BRIEF get a line each; any more are counted. Every quiet method is passed on (texts group
# them by outlook when there are many).
MAX_DETAILED = 40
MAX_BRIEF = 100


@dataclass(frozen=True)
class Busy:
    """A method with news in the period: its overview now and the period's events, oldest first."""

    overview: Overview
    events: Sequence[Event]


@dataclass(frozen=True)
class Brief:
    """A method with news beyond those shown in detail: only how many changes it had."""

    method: Method
    events: int


@dataclass(frozen=True)
class Summary:
    """One channel's summary for the period `since`–`until` (since None: up to `until`)."""

    since: datetime | None
    until: datetime
    busy: list[Busy] = field(default_factory=list)
    quiet: list[Overview] = field(default_factory=list)
    methods: int = 0
    changed: int = 0
    events: int = 0
    brief: list[Brief] = field(default_factory=list)

    @property
    def left_out(self) -> int:
        """Methods not shown, only counted."""
        return self.methods - len(self.busy) - len(self.brief) - len(self.quiet)


def read_summary(session: Session, payload: dict[str, Any]) -> Summary:
    """The summary a digest row's payload stands for (methods, events, period)."""
    events = _events(session, payload.get("event_ids") or [])
    methods = _methods(session, payload.get("method_ids") or [])
    changed = _by_importance([m for m in methods if events.get(m.id)], events)
    until = datetime.fromisoformat(payload["until"])
    day = until.date()  # the outlook as it stood when the period ended
    detailed = build_overviews(session, changed[:MAX_DETAILED], events=0, today=day)
    brief = changed[MAX_DETAILED : MAX_DETAILED + MAX_BRIEF]
    quiet = [m for m in methods if not events.get(m.id)]
    since = payload.get("since")
    return Summary(
        since=datetime.fromisoformat(since) if since else None,
        until=until,
        busy=[Busy(o, events[o.method.id]) for o in detailed],
        brief=[Brief(m, len(events[m.id])) for m in brief],
        quiet=build_overviews(session, quiet, events=0, today=day),
        methods=len(methods),
        changed=len(changed),
        events=sum(map(len, events.values())),
    )


def _by_importance(methods: list[Method], events: dict[str, list[EventRow]]) -> list[Method]:
    """Methods with a high-importance change first, then those with the most changes (stable)."""

    def weight(method: Method) -> tuple[bool, int]:
        found = events[method.id]
        return (not any(e.importance == "high" for e in found), -len(found))

    return sorted(methods, key=weight)


def _events(session: Session, ids: list[int]) -> dict[str, list[EventRow]]:
    query = select(EventRow).where(EventRow.id.in_(ids)).order_by(EventRow.observed_at, EventRow.id)
    found: dict[str, list[EventRow]] = defaultdict(list)
    for event in session.scalars(query):
        found[event.method_id].append(event)
    return found


def _methods(session: Session, ids: list[str]) -> list[Method]:
    rows = {row.id: row for row in session.scalars(select(MethodRow).where(MethodRow.id.in_(ids)))}
    return [Method.model_validate(rows[i].definition) for i in ids if i in rows]
