"""The periodic summary: per channel, what changed for each method and what is due next."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery import outbox
from bot.overview.state import Overview, build_overviews
from bot.overview.upcoming import due
from bot.storage import store
from bot.storage.tables import EventRow, MethodRow, OutboxRow
from bot.texts.alerts import Block, Message, context, describe, section
from bot.texts.catalogue import OUTLOOK, OUTLOOK_REASON, Language, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import SECTION_LIMIT, clean
from bot.texts.statuscard import eu_line, us_line
from bot.watchlist import Method

MAX_EVENTS = 10  # per method; more are counted, not listed
# Slack allows 50 blocks a message: methods with news get a section each, up to this many, and
# the quiet ones share a few sections; the rest are counted.
MAX_BUSY = 30
MAX_QUIET = 40


def queue_digest(
    session: Session,
    *,
    methods: Sequence[Method],
    default_channel: str | None,
    language: Language,
    zone: ZoneInfo,
    now: datetime,
    since: datetime | None = None,
) -> int:
    """Queue one summary per channel and mark the events it covers; returns the rows queued.

    It covers every event not yet in a summary (observed at `since` or later, when given).
    """
    rows, covered = [], []
    for channel, members in _by_channel(methods, default_channel).items():
        events = _undigested(session, [m.id for m in members], since=since, now=now)
        period = (since or _last_digest_end(session, channel), now)
        rows.append(_digest_row(channel, members, events, period, zone=zone, language=language))
        covered += events
    for event in covered:
        event.digested_at = now
    return store.enqueue(session, rows, now=now)


def _digest_row(
    channel: str,
    members: list[Method],
    events: list[EventRow],
    period: tuple[datetime | None, datetime],
    *,
    zone: ZoneInfo,
    language: Language,
) -> dict[str, Any]:
    start, end = period
    payload = {
        "channel": channel,
        "method_ids": [m.id for m in members],
        "event_ids": [e.id for e in events],
        "since": start.isoformat() if start else None,
        "until": end.isoformat(),
        "zone": zone.key,
        "language": language,
    }
    key = store.alert_key("digest", channel, end.isoformat())
    return {"alert_key": key, "channel": channel, "kind": "digest", "payload": payload}


def _by_channel(methods: Sequence[Method], default: str | None) -> dict[str, list[Method]]:
    found: dict[str, list[Method]] = defaultdict(list)
    for method in methods:
        for channel in outbox.channels_for(method, default=default):
            found[channel].append(method)
    return found


def _last_digest_end(session: Session, channel: str) -> datetime | None:
    query = (
        select(OutboxRow)
        .where(OutboxRow.kind == "digest", OutboxRow.channel == channel)
        .order_by(OutboxRow.created_at.desc(), OutboxRow.id.desc())
        .limit(1)
    )
    row = session.scalar(query)
    until = (row.payload or {}).get("until") if row else None
    return datetime.fromisoformat(until) if until else None


def _undigested(
    session: Session, method_ids: list[str], *, since: datetime | None, now: datetime
) -> list[EventRow]:
    query = select(EventRow).where(
        EventRow.method_id.in_(method_ids),
        EventRow.digested_at.is_(None),
        EventRow.observed_at <= now,
    )
    if since is not None:
        query = query.where(EventRow.observed_at >= since)
    return list(session.scalars(query.order_by(EventRow.observed_at, EventRow.id)))


def render_digest(
    session: Session, payload: dict[str, Any], *, language: Language, zone: ZoneInfo
) -> Message:
    """The summary a digest row stands for, from the stored methods, events and snapshots."""
    until = datetime.fromisoformat(payload["until"])
    events = _events(session, payload.get("event_ids") or [])
    methods = _methods(session, payload.get("method_ids") or [])
    busy = [m for m in methods if events.get(m.id)]
    quiet = [m for m in methods if not events.get(m.id)]
    period = _period(payload.get("since"), until, zone=zone, language=language)
    blocks = [
        section(t(language, "digest_title", period=period)),
        *_busy_blocks(session, busy[:MAX_BUSY], events, now=until, zone=zone, language=language),
        *_quiet_blocks(session, quiet[:MAX_QUIET], language=language),
    ]
    left = len(busy[MAX_BUSY:]) + len(quiet[MAX_QUIET:])
    if left:
        blocks.append(context(t(language, "digest_more_methods", count=left)))
    counts = {"changed": len(busy), "total": len(methods), "events": sum(map(len, events.values()))}
    return Message(t(language, "digest_fallback", period=period, **counts), blocks)


def _events(session: Session, ids: list[int]) -> dict[str, list[EventRow]]:
    query = select(EventRow).where(EventRow.id.in_(ids)).order_by(EventRow.observed_at, EventRow.id)
    found: dict[str, list[EventRow]] = defaultdict(list)
    for event in session.scalars(query):
        found[event.method_id].append(event)
    return found


def _methods(session: Session, ids: list[str]) -> list[Method]:
    rows = {row.id: row for row in session.scalars(select(MethodRow).where(MethodRow.id.in_(ids)))}
    return [Method.model_validate(rows[i].definition) for i in ids if i in rows]


def _period(since: str | None, until: datetime, *, zone: ZoneInfo, language: Language) -> str:
    end = _local_day(until, zone)
    if since is None:
        return t(language, "digest_until", date=end)
    return f"{_local_day(datetime.fromisoformat(since), zone)}–{end}"


def _local_day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d.%m.%Y}"


def _busy_blocks(
    session: Session,
    methods: list[Method],
    events: dict[str, list[EventRow]],
    *,
    now: datetime,
    zone: ZoneInfo,
    language: Language,
) -> list[Block]:
    """A section per method with news: outlook, status, its events and what is due."""
    return [
        section(
            _busy_text(overview, events[overview.method.id], now=now, zone=zone, language=language)
        )
        for overview in build_overviews(session, methods, events=0)
    ]


def _busy_text(
    overview: Overview,
    events: list[EventRow],
    *,
    now: datetime,
    zone: ZoneInfo,
    language: Language,
) -> str:
    label, reason = overview.outlook
    outlook = term(OUTLOOK, label, language), term(OUTLOOK_REASON, reason, language)
    lines = [
        f"*{clean(overview.method.title, limit=200)}*",
        t(language, "card_outlook", label=outlook[0], reason=outlook[1]),
        t(language, "card_eu", text=eu_line(overview, language)),
        t(language, "card_us", text=us_line(overview, language)),
        t(language, "digest_news"),
        *_event_lines(events, zone=zone, language=language),
    ]
    upcoming = due(overview, today=now.astimezone(zone).date(), language=language)
    if upcoming:
        lines += [t(language, "digest_due"), *(f"• {line}" for line in upcoming)]
    return "\n".join(lines)


def _event_lines(events: list[EventRow], *, zone: ZoneInfo, language: Language) -> list[str]:
    lines = [
        f"• {_local_day(e.observed_at, zone)}: {describe(e, language)}" for e in events[:MAX_EVENTS]
    ]
    if len(events) > MAX_EVENTS:
        lines.append("• " + t(language, "digest_more", count=len(events) - MAX_EVENTS))
    return lines


def _quiet_blocks(session: Session, methods: list[Method], *, language: Language) -> list[Block]:
    """Methods without news, one line each, in as few sections as fit."""
    if not methods:
        return []
    lines = [t(language, "digest_quiet")]
    for overview in build_overviews(session, methods, events=0):
        label = term(OUTLOOK, overview.outlook[0], language)
        title = clean(overview.method.title, limit=150)
        lines.append("• " + t(language, "digest_quiet_line", title=title, label=label))
    return [section(chunk) for chunk in _pack(lines)]


def _pack(lines: list[str]) -> Iterator[str]:
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > SECTION_LIMIT:
            yield "\n".join(chunk)
            chunk = []
        chunk.append(line)
    if chunk:
        yield "\n".join(chunk)
