"""A method's history at the EMA: the changes the bot recorded since it first watched it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sources import ema
from bot.storage import store
from bot.storage.tables import EventRow

# The sources whose changes are evidence for the outlook (what arrived, was decided, gained).
EVIDENCE_SOURCES = (ema.MEDICINES, ema.POST_AUTHORISATION)


def ema_history(session: Session, method_ids: Sequence[str]) -> dict[str, list[EventRow]]:
    """Each method's EMA events, oldest first, in one query per IN (...) list of methods."""
    found: dict[str, list[EventRow]] = defaultdict(list)
    for chunk in store.in_chunks(list(method_ids)):
        query = (
            select(EventRow)
            .where(EventRow.method_id.in_(chunk))
            .where(EventRow.source.in_(EVIDENCE_SOURCES))
            .order_by(EventRow.observed_at, EventRow.id)
        )
        for event in session.scalars(query):
            found[event.method_id].append(event)
    return found
