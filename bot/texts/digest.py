"""The summary as a Slack message: methods with news in detail, the quiet ones one line each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.overview.state import Event, Overview
from bot.overview.summary import Summary
from bot.overview.upcoming import Due, due
from bot.texts.alerts import describe
from bot.texts.blocks import Block, Message, context, section
from bot.texts.catalogue import OUTLOOK, OUTLOOK_REASON, Language, prose_date, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import SECTION_LIMIT, clean, link
from bot.texts.nyemetoder import card_line
from bot.texts.statuscard import eu_line, us_line

MAX_EVENTS = 10  # per method; more are counted, not listed


def render_digest(summary: Summary, *, language: Language, zone: ZoneInfo) -> Message:
    """The summary message, with a plain-text fallback that counts what changed."""
    period = _period(summary.since, summary.until, zone=zone, language=language)
    today = summary.until.astimezone(zone).date()
    blocks = [
        section(t(language, "digest_title", period=period)),
        *(
            section(_busy_text(b.overview, b.events, today=today, zone=zone, language=language))
            for b in summary.busy
        ),
        *_quiet_blocks(summary.quiet, language=language),
    ]
    if summary.left_out:
        blocks.append(context(t(language, "digest_more_methods", count=summary.left_out)))
    counts = {"changed": summary.changed, "total": summary.methods, "events": summary.events}
    return Message(t(language, "digest_fallback", period=period, **counts), blocks)


def _period(since: datetime | None, until: datetime, *, zone: ZoneInfo, language: Language) -> str:
    end = _local_day(until, zone)
    if since is None:
        return t(language, "digest_until", date=end)
    return f"{_local_day(since, zone)}–{end}"


def _local_day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d.%m.%Y}"


def _busy_text(
    overview: Overview,
    events: Sequence[Event],
    *,
    today: date,
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
        *filter(None, [card_line(overview, language)]),
        t(language, "digest_news"),
        *_event_lines(events, zone=zone, language=language),
    ]
    upcoming = due(overview, today=today)
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
        "digest_due_decision_overdue" if item.kind == "decision_overdue" else "digest_due_decision",
        name=clean(item.label),
        date=prose_date(item.when, language),
        opinion=prose_date(item.opinion, language),
    )


def _event_lines(events: Sequence[Event], *, zone: ZoneInfo, language: Language) -> list[str]:
    lines = [
        f"• {_local_day(e.observed_at, zone)}: {describe(e, language)}" for e in events[:MAX_EVENTS]
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
