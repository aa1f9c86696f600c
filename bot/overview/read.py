"""Overviews of methods read from the local database (snapshots, events, source read times)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.overview.history import ema_history
from bot.overview.state import Item, Overview, today_utc
from bot.sources import clinicaltrials, ema, news, nyemetoder, openfda
from bot.storage.tables import EventRow, Snapshot, SourceState
from bot.watchlist import Method

# Which overview list each source's records go into.
BUCKETS = {
    clinicaltrials.NAME: "trials",
    ema.MEDICINES: "medicines",
    ema.POST_AUTHORISATION: "procedures",
    openfda.NAME: "applications",
    news.EMA_NEWS: "news",
    nyemetoder.PAGES: "nye_pages",
    nyemetoder.DECISIONS: "nye_decisions",
}


def build_overview(
    session: Session, method: Method, *, events: int = 5, today: date | None = None
) -> Overview:
    """Read the method's records, latest events and source read times (as of `today`)."""
    (overview,) = build_overviews(session, [method], events=events, today=today)
    return overview


def build_overviews(
    session: Session, methods: Sequence[Method], *, events: int = 5, today: date | None = None
) -> list[Overview]:
    """Overviews of several methods from one read of the snapshots (lists, App Home, digest)."""
    day = today or today_utc()
    overviews = {method.id: Overview(method=method, today=day) for method in methods}
    query = select(Snapshot).where(Snapshot.source.in_(list(BUCKETS)))
    for row in session.scalars(query.order_by(Snapshot.source, Snapshot.key)):
        for method_id in row.method_ids or []:
            if method_id in overviews:
                bucket = getattr(overviews[method_id], BUCKETS[row.source])
                bucket.append(Item(row.key, row.fields, row.url))
    read = {s.source: s.last_success_at for s in session.scalars(select(SourceState))}
    histories = ema_history(session, list(overviews))
    for overview in overviews.values():
        overview.history = histories.get(overview.method.id, [])
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
