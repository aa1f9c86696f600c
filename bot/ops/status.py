"""`metodevakt status`: each source's health and last read, and the outbox's counts, as text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.polling.health import parse_stamp, scrub
from bot.storage.tables import OutboxRow, SourceState
from bot.texts.catalogue import SOURCE_NAME, Language, local_time, term
from bot.texts.catalogue import text as t


def status_lines(session: Session, *, zone: ZoneInfo, language: Language = "en") -> list[str]:
    """`metodevakt status`: one line per source, then the outbox's pending, sending and dead."""
    states = session.scalars(select(SourceState).order_by(SourceState.source))
    lines = [_status_line(state, zone=zone, language=language) for state in states]
    return [*(lines or [t(language, "status_no_sources")]), _outbox_line(session, language)]


def _status_line(state: SourceState, *, zone: ZoneInfo, language: Language) -> str:
    read = state.last_success_at
    line = t(
        language,
        "status_source",
        source=term(SOURCE_NAME, state.source, language),
        health=t(language, f"health_state_{state.health}"),
        last=local_time(read, zone, language) if read else t(language, "status_never"),
        failures=state.consecutive_failures,
    )
    stamp = parse_stamp(state.data_timestamp)
    if stamp is not None:
        line += t(language, "status_data", stamp=local_time(stamp, zone, language))
    if state.last_error:
        line += t(language, "status_error", reason=scrub(state.last_error))
    return line


def _outbox_line(session: Session, language: Language) -> str:
    query = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
    counts = {status: count for status, count in session.execute(query)}
    return t(
        language,
        "status_outbox",
        pending=counts.get("pending", 0),
        sending=counts.get("sending", 0),
        dead=counts.get("dead", 0),
    )
