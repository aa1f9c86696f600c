"""Overviews of methods read from the local database (snapshots, events, source read times)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.overview.state import Item, Overview
from bot.sources import clinicaltrials, ema, nyemetoder, openfda
from bot.storage.tables import EventRow, Snapshot, SourceState
from bot.watchlist import Method

# Which overview list each source's records go into.
BUCKETS = {
    clinicaltrials.NAME: "trials",
    ema.MEDICINES: "medicines",
    ema.POST_AUTHORISATION: "procedures",
    openfda.NAME: "applications",
    nyemetoder.PAGES: "nye_pages",
    nyemetoder.DECISIONS: "nye_decisions",
}


def build_overview(session: Session, method: Method, *, events: int = 5) -> Overview:
    """Read the method's records, latest events and source read times."""
    (overview,) = build_overviews(session, [method], events=events)
    return overview


def build_overviews(
    session: Session, methods: Sequence[Method], *, events: int = 5
) -> list[Overview]:
    """Overviews of several methods from one read of the snapshots (lists, App Home, digest)."""
    overviews = {method.id: Overview(method=method) for method in methods}
    query = select(Snapshot).where(Snapshot.source.in_(list(BUCKETS)))
    for row in session.scalars(query.order_by(Snapshot.source, Snapshot.key)):
        for method_id in row.method_ids or []:
            if method_id in overviews:
                bucket = getattr(overviews[method_id], BUCKETS[row.source])
                bucket.append(Item(row.key, row.fields, row.url))
    read = {s.source: s.last_success_at for s in session.scalars(select(SourceState))}
    for overview in overviews.values():
        overview.trials.sort(key=partial(_trial_order, overview.method))
        overview.events = latest_events(session, overview.method.id, limit=events) if events else []
        overview.last_read = dict(read)
    return list(overviews.values())


def latest_events(session: Session, method_id: str, *, limit: int) -> list[EventRow]:
    """The method's newest events, newest first."""
    query = (
        select(EventRow)
        .where(EventRow.method_id == method_id)
        .order_by(EventRow.observed_at.desc(), EventRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _trial_order(method: Method, item: Item) -> tuple[int, str]:
    key = item.key
    return (method.trials.index(key), key) if key in method.trials else (len(method.trials), key)
