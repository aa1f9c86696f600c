"""The message for an outbox row, composed at sending time from the stored event and state."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.ops.summary import render_digest
from bot.overview.state import build_overview
from bot.polling.health import render_notice
from bot.storage.tables import EventRow, MethodRow, OutboxRow
from bot.texts.alerts import Message, render_alert, section
from bot.texts.catalogue import SOURCE_NAME, Language, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean
from bot.texts.statuscard import render_card
from bot.watchlist import Method


def compose(session: Session, row: OutboxRow, *, language: Language) -> Message:
    """Alert, status card, group heading, summary or admin notice, by the row's kind."""
    if row.kind == "alert":
        event = session.get(EventRow, row.event_id) if row.event_id is not None else None
        assert event is not None, f"outbox row {row.id} lost its event"
        return render_alert(event, title=_title(session, event.method_id), language=language)
    if row.kind == "card":
        method = _method(session, row.method_id or "")
        return render_card(build_overview(session, method), language=language)
    payload = row.payload or {}
    if row.kind == "group":
        return _group(session, row, payload, language=language)
    # Summaries and health notices are written in the language they were queued in.
    chosen = payload.get("language", language)
    if row.kind == "digest":
        return render_digest(session, payload, language=chosen, zone=ZoneInfo(payload["zone"]))
    return _admin(payload, language=chosen)


def _admin(payload: dict[str, Any], *, language: Language) -> Message:
    """A notice for the admin channel: a source's health, or an alert set aside as dead."""
    if "health" in payload:
        return render_notice(payload, language=language)
    line = t(
        language,
        "admin_dead",
        channel=clean(str(payload.get("channel"))),
        reason=clean(str(payload.get("reason"))),
    )
    return Message(line, [section(line)])


def _group(
    session: Session, row: OutboxRow, payload: dict[str, Any], *, language: Language
) -> Message:
    """The head of a group: why its alerts were grouped, and how many its thread holds."""
    # Counted now, not when queued: every source of a catch-up cycle adds to the same group.
    query = select(func.count()).where(OutboxRow.group_key == row.alert_key)
    count = session.scalar(query) or 0
    if payload.get("reason") == "catch_up":
        line = t(language, "catch_up_one" if count == 1 else "catch_up", count=count)
    else:
        source = term(SOURCE_NAME, payload.get("source"), language)
        line = t(language, "storm", count=count, source=source)
    return Message(line, [section(line)])


def _method(session: Session, method_id: str) -> Method:
    row = session.get(MethodRow, method_id)
    assert row is not None, f"method {method_id} is not in the database"
    return Method.model_validate(row.definition)


def _title(session: Session, method_id: str) -> str:
    row = session.get(MethodRow, method_id)
    return str(row.definition.get("title", method_id)) if row else method_id
