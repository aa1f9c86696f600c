"""The message for an outbox row, composed at sending time from the stored event and state."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delivery.candidates import KINDS as CANDIDATE_KINDS
from bot.delivery.candidates import compose_candidates, with_candidates
from bot.overview.read import build_overview
from bot.overview.summary import read_summary
from bot.storage.tables import EventRow, MethodRow, OutboxRow
from bot.texts.alerts import render_alert
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language
from bot.texts.digest import render_digest
from bot.texts.notices import render_admin, render_group
from bot.texts.statuscard import render_card
from bot.watchlist import Method


def compose(session: Session, row: OutboxRow, *, language: Language) -> Message:
    """Alert, status card, group heading, summary, admin notice or candidates, by the row's
    kind."""
    if row.kind == "alert":
        event = session.get(EventRow, row.event_id) if row.event_id is not None else None
        assert event is not None, f"outbox row {row.id} lost its event"
        return render_alert(event, title=_title(session, event.method_id), language=language)
    if row.kind == "card":
        method = _method(session, row.method_id or "")
        return render_card(build_overview(session, method), language=language)
    if row.kind in CANDIDATE_KINDS:
        return compose_candidates(session, row, language=language)
    payload = row.payload or {}
    if row.kind == "group":
        return _group(session, row, payload, language=language)
    # Summaries and health notices are written in the language they were queued in.
    chosen = payload.get("language", language)
    if row.kind == "digest":
        summary = read_summary(session, payload)
        digest = render_digest(summary, language=chosen, zone=ZoneInfo(payload["zone"]))
        return (
            with_candidates(session, digest, language=chosen)
            if payload.get("candidates")
            else digest
        )
    return render_admin(payload, language=chosen)


def _group(
    session: Session, row: OutboxRow, payload: dict[str, Any], *, language: Language
) -> Message:
    """The head of a group, with how many alerts its thread holds."""
    # Counted now, not when queued: every source of a catch-up cycle adds to the same group.
    query = select(func.count()).where(OutboxRow.group_key == row.alert_key)
    return render_group(payload, session.scalar(query) or 0, language=language)


def _method(session: Session, method_id: str) -> Method:
    row = session.get(MethodRow, method_id)
    assert row is not None, f"method {method_id} is not in the database"
    return Method.model_validate(row.definition)


def _title(session: Session, method_id: str) -> str:
    row = session.get(MethodRow, method_id)
    return str(row.definition.get("title", method_id)) if row else method_id
