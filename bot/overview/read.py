"""Overviews of methods read from the local database (snapshots, events, source read times).

A method's records are found through `snapshot_methods` (its snapshots as rows, indexed by
method), so one method's overview reads that method's rows only, however long the watchlist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from functools import partial

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.overview.history import ema_history
from bot.overview.state import Item, Overview, today_utc
from bot.sources import clinicaltrials, ema, news, nyemetoder, openfda
from bot.storage import store
from bot.storage.tables import EventRow, Snapshot, SnapshotMethod, SourceState
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
    """Overviews of several methods: their records, newest events, EMA history and the
    sources' read times, with the outlook decided as of `today` (default: today in UTC)."""
    day = today or today_utc()
    overviews = {method.id: Overview(method=method, today=day) for method in methods}
    for method_id, source, item in _items(session, list(overviews)):
        getattr(overviews[method_id], BUCKETS[source]).append(item)
    newest = latest_events_of(session, list(overviews), limit=events) if events else {}
    read = {source: last for source, last in session.execute(_READ_TIMES)}
    histories = ema_history(session, list(overviews))
    for overview in overviews.values():
        overview.history = histories.get(overview.method.id, [])
        overview.trials.sort(key=partial(_trial_order, overview.method))
        overview.events = newest.get(overview.method.id, [])
        overview.last_read = dict(read)
    return list(overviews.values())


# Built once with list parameters: a lookup runs them on every answer.
_READ_TIMES = select(SourceState.source, SourceState.last_success_at)
_ITEMS = (
    select(SnapshotMethod.method_id, Snapshot.source, Snapshot.key, Snapshot.fields, Snapshot.url)
    .join(
        Snapshot,
        (Snapshot.source == SnapshotMethod.source) & (Snapshot.key == SnapshotMethod.key),
    )
    .where(
        SnapshotMethod.method_id.in_(bindparam("methods", expanding=True)),
        SnapshotMethod.source.in_(list(BUCKETS)),
    )
    .order_by(Snapshot.source, Snapshot.key)
)
_RANK = (
    func.row_number()
    .over(
        partition_by=EventRow.method_id,
        order_by=(EventRow.observed_at.desc(), EventRow.id.desc()),
    )
    .label("rank")
)
_RANKED = (
    select(EventRow.id, _RANK)
    .where(EventRow.method_id.in_(bindparam("methods", expanding=True)))
    .subquery()
)
_NEWEST_EVENTS = (
    select(EventRow)
    .join(_RANKED, _RANKED.c.id == EventRow.id)
    .where(_RANKED.c.rank <= bindparam("limit"))
    .order_by(EventRow.method_id, EventRow.observed_at.desc(), EventRow.id.desc())
)


def _items(session: Session, method_ids: list[str]) -> Iterator[tuple[str, str, Item]]:
    """(method id, source, item) of every record of these methods, by source and key."""
    for chunk in store.in_chunks(method_ids):
        for method_id, source, key, fields, url in session.execute(_ITEMS, {"methods": chunk}):
            yield method_id, source, Item(key, fields, url)


def latest_events_of(
    session: Session, method_ids: list[str], *, limit: int
) -> dict[str, list[EventRow]]:
    """Each method's `limit` newest events, newest first (one query per chunk of methods)."""
    found: dict[str, list[EventRow]] = {}
    for chunk in store.in_chunks(method_ids):
        for row in session.scalars(_NEWEST_EVENTS, {"methods": chunk, "limit": limit}):
            found.setdefault(row.method_id, []).append(row)
    return found


def _trial_order(method: Method, item: Item) -> tuple[int, str]:
    key = item.key
    return (method.trials.index(key), key) if key in method.trials else (len(method.trials), key)
