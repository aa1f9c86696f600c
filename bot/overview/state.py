"""A method's current state, assembled from the stored snapshots (never from a live source)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sources import clinicaltrials, ema, openfda
from bot.storage.tables import EventRow, Snapshot, SourceState
from bot.watchlist import Method

Fields = dict[str, Any]
RUNNING = {"NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING"}


@dataclass(frozen=True)
class Item:
    """One stored record of a source: its key, fields and link."""

    key: str
    fields: Fields
    url: str


@dataclass
class Overview:
    """Everything known about a method now, from the local database."""

    method: Method
    trials: list[Item] = field(default_factory=list)
    medicines: list[Item] = field(default_factory=list)
    procedures: list[Item] = field(default_factory=list)
    applications: list[Item] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    last_read: dict[str, datetime | None] = field(default_factory=dict)

    @property
    def outlook(self) -> tuple[str, str]:
        """*Tidsperspektiv MT i Norge* as (code, reason code); see `outlook_of`."""
        return outlook_of(self)


# Which overview list each source's records go into.
BUCKETS = {
    clinicaltrials.NAME: "trials",
    ema.MEDICINES: "medicines",
    ema.POST_AUTHORISATION: "procedures",
    openfda.NAME: "applications",
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


def outlook_of(overview: Overview) -> tuple[str, str]:
    """When a marketing authorisation in Norway can be expected, and why.

    Norway follows the EU's centralised procedure, so the EMA state decides: a pending EC decision
    after a CHMP opinion means about six months, a procedure under evaluation about a year, only
    running trials about two years; authorised with nothing pending means now.
    """
    procedures = [p.fields for p in own(overview.procedures, overview.method)]
    medicines = [m.fields for m in own(overview.medicines, overview.method)]
    pending = [p for p in procedures if pending_decision(p)]
    if pending or any(_opinion_without_decision(m) for m in medicines):
        return "6m", "opinion_pending_decision"
    if any(_under_evaluation(p) for p in procedures) or any(
        m.get("start_of_evaluation_date") and not m.get("opinion_adopted_date") for m in medicines
    ):
        return "1y", "under_evaluation"
    if any(fold_status(m.get("medicine_status")) == "authorised" for m in medicines):
        return "now", "authorised"
    if any(t.fields.get("overall_status") in RUNNING for t in overview.trials):
        return "2y", "trials_running"
    return "unclear", "no_information"


def own(items: list[Item], method: Method) -> list[Item]:
    """The EMA items of the method's own products, when it names any (a new product with the
    same substance is news, but it does not decide when this method's MA comes)."""
    if not method.ema_products:
        return items
    return [item for item in items if item.fields.get("product_number") in method.ema_products]


def fold_status(value: Any) -> str:
    """A free-text EMA status compared without case or surrounding space."""
    return str(value or "").strip().casefold()


def _opinion_without_decision(fields: Fields) -> bool:
    decided = fields.get("ec_decision_date") or fields.get("marketing_authorisation_date")
    return bool(fields.get("opinion_adopted_date")) and not decided


def pending_decision(fields: Fields) -> bool:
    # A procedure at "Opinion" has its CHMP opinion and waits for the Commission's decision
    # (earlier procedures of the same product read "Authorised" once decided).
    status = fold_status(fields.get("procedure_status"))
    return status == "opinion" or ("pending" in status and "decision" in status)


def _under_evaluation(fields: Fields) -> bool:
    status = fold_status(fields.get("procedure_status"))
    return "evaluation" in status or ("ongoing" in status and not fields.get("opinion_date"))
