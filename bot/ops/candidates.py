"""The weekly "Nye kandidater" and the summary's reply on candidates, queued (delivery sends).

Once a week (CANDIDATES_CRON) the candidates with evidence no weekly message has carried yet are
queued as one message in the candidates' channel (the scope's `channel`, else the alert channel)
with the candidates in its thread, grouped by source; their evidence is marked as proposed in the
same transaction, so a candidate is proposed again only when new evidence arrives. Nothing new,
nothing posted. The summary ends with the open candidates and who owns what.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.candidates import HEAD, PART, SUMMARY
from bot.ops.summary import digest_key
from bot.overview.candidates import open_candidates, to_propose
from bot.storage import store
from bot.storage.candidates import mark_proposed
from bot.storage.tables import OutboxRow
from bot.texts.candidates.weekly import plan_parts
from bot.texts.catalogue import Language
from bot.watchlist import Method, Scope


def queue_candidates(
    session: Session,
    *,
    methods: Sequence[Method],
    scope: Scope | None,
    channel: str,
    language: Language,
    now: datetime,
) -> int:
    """Queue the week's message and its thread; returns how many candidates it proposes."""
    if scope is None or not scope.proposes:
        return 0
    views = to_propose(session, methods)
    if not views:
        return 0
    key = store.alert_key("candidates", channel, now.isoformat())
    ids = [view.id for view in views]
    rows = [_row(key, channel, HEAD, {"ids": ids, "language": language})]
    for number, part in enumerate(plan_parts(views, language), start=1):
        payload = {"source": part.source, "ids": part.ids, "continued": part.continued}
        rows.append(
            _row(store.alert_key(key, number), channel, PART, payload | {"language": language})
            | {"group_key": key}
        )
    mark_proposed(session, ids, now=now)
    store.enqueue(session, rows, now=now)
    return len(ids)


def queue_candidate_summary(
    session: Session,
    *,
    methods: Sequence[Method],
    scope: Scope | None,
    channel: str,
    language: Language,
    now: datetime,
) -> int:
    """Open candidates and who owns what, at the end of the summary queued now in `channel`, or
    as a message of its own when that channel has no summary; 0 rows when none are open."""
    if scope is None or not open_candidates(session, methods):
        return 0
    digest = session.scalar(
        select(OutboxRow).where(OutboxRow.alert_key == digest_key(channel, now))
    )
    if digest is not None:
        digest.payload = {**(digest.payload or {}), "candidates": True}
        return 0
    own = store.alert_key(SUMMARY, channel, now.isoformat())
    return store.enqueue(session, [_row(own, channel, SUMMARY, {"language": language})], now=now)


def _row(key: str, channel: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"alert_key": key, "channel": channel, "kind": kind, "payload": payload}
