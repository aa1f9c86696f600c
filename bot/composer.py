"""The message for an outbox row, composed at sending time from the stored event and state."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.cards import render_card
from bot.messages import SOURCE_NAME, Language, term
from bot.messages import text as t
from bot.overview import build_overview
from bot.render import Message, render_alert, section
from bot.slacktext import clean
from bot.tables import EventRow, MethodRow, OutboxRow
from bot.watchlist import Method


def compose(session: Session, row: OutboxRow, *, language: Language) -> Message:
    """Alert, status card, group heading or admin notice, by the row's kind."""
    if row.kind == "alert":
        event = session.get(EventRow, row.event_id)
        assert event is not None, f"outbox row {row.id} lost its event"
        return render_alert(event, title=_title(session, event.method_id), language=language)
    if row.kind == "card":
        method = _method(session, row.method_id or "")
        return render_card(build_overview(session, method), language=language)
    payload = row.payload or {}
    if row.kind == "group":
        source = term(SOURCE_NAME, payload.get("source"), language)
        line = t(language, "storm", count=payload.get("count"), source=source)
        return Message(line, [section(line)])
    line = t(
        language,
        "admin_dead",
        channel=clean(str(payload.get("channel"))),
        reason=clean(str(payload.get("reason"))),
    )
    return Message(line, [section(line)])


def _method(session: Session, method_id: str) -> Method:
    row = session.get(MethodRow, method_id)
    assert row is not None, f"method {method_id} is not in the database"
    return Method.model_validate(row.definition)


def _title(session: Session, method_id: str) -> str:
    row = session.get(MethodRow, method_id)
    return str(row.definition.get("title", method_id)) if row else method_id
