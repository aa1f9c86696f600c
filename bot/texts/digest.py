"""The summary as a Slack message: methods with news in detail, the quiet ones one line each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.overview.outlook import outlook_of
from bot.overview.state import Event, Overview
from bot.overview.summary import Busy, Summary
from bot.overview.upcoming import Due, due
from bot.texts.alerts import describe
from bot.texts.blocks import Block, Message, context, section
from bot.texts.catalogue import Language, counted, prose_date
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import SECTION_LIMIT, clean, link
from bot.texts.outlook import outlook_line, outlook_short
from bot.texts.statuscard import eu_line, us_line

MAX_EVENTS = 10  # per method; more are counted, not listed


def render_digest(summary: Summary, *, language: Language, zone: ZoneInfo) -> Message:
    """The summary message, with a plain-text fallback that counts what changed."""
    period = _period(summary.since, summary.until, zone=zone, language=language)
    today = summary.until.astimezone(zone).date()
    since = summary.since.astimezone(zone).date() if summary.since else None
    blocks = [
        section(t(language, "digest_title", period=period)),
        *(
            section(_busy_text(b, today=today, since=since, zone=zone, language=language))
            for b in summary.busy
        ),
        *_quiet_blocks(summary.quiet, language=language),
    ]
    if summary.left_out:
        left_out = counted(summary.left_out, "method", language)
        blocks.append(context(t(language, "digest_more_methods", methods=left_out)))
    return Message(_fallback(summary, period, language), blocks)


def _fallback(summary: Summary, period: str, language: Language) -> str:
    """`…: 1 av 2 metoder har nye endringer (4 endringer i alt).`"""
    return t(
        language,
        "digest_fallback",
        period=period,
        changed=summary.changed,
        methods=counted(summary.methods, "method", language),
        events=counted(summary.events, "change", language),
    )


def _period(since: datetime | None, until: datetime, *, zone: ZoneInfo, language: Language) -> str:
    end = _local_day(until, zone)
    if since is None:
        return t(language, "digest_until", date=end)
    return f"{_local_day(since, zone)}–{end}"


def _local_day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d.%m.%Y}"


def _busy_text(
    busy: Busy,
    *,
    today: date,
    since: date | None,
    zone: ZoneInfo,
    language: Language,
) -> str:
    overview, events = busy.overview, busy.events
    lines = [
        f"*{clean(overview.method.title, limit=200)}*",
        outlook_line(outlook_of(overview), language),
        t(language, "card_eu", text=eu_line(overview, language)),
        t(language, "card_us", text=us_line(overview, language)),
        t(language, "digest_news"),
        *_event_lines(events, zone=zone, language=language),
    ]
    upcoming = due(overview, today=today, since=since)
    if upcoming:
        lines += [t(language, "digest_due"), *(f"• {due_line(d, language)}" for d in upcoming)]
    return "\n".join(lines)


def due_line(item: Due, language: Language) -> str:
    """One milestone due, in words."""
    if item.kind == "trial":
        nct = link(item.url, item.label)
        return t(language, "digest_due_trial", nct=nct, date=prose_date(item.when, language))
    return t(
        language,
        f"digest_due_{item.kind}",
        name=clean(item.label),
        date=prose_date(item.when, language),
        after=prose_date(item.after, language),
    )


def _event_lines(events: Sequence[Event], *, zone: ZoneInfo, language: Language) -> list[str]:
    lines = [
        f"• {_local_day(e.observed_at, zone)}: {describe(e, language, table=True)}"
        for e in events[:MAX_EVENTS]
    ]
    if len(events) > MAX_EVENTS:
        lines.append("• " + t(language, "digest_more", count=len(events) - MAX_EVENTS))
    return lines


def _quiet_blocks(overviews: list[Overview], *, language: Language) -> list[Block]:
    """Methods without news, one line each, in as few sections as fit."""
    if not overviews:
        return []
    lines = [t(language, "digest_quiet")]
    for overview in overviews:
        label = outlook_short(outlook_of(overview), language)
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
