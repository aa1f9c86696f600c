"""The summary as a Slack message: methods with news in detail, the quiet ones one line each, or
grouped and counted by outlook when there are many. Delivery splits a long one into a thread."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.overview.outlook import outlook_of
from bot.overview.state import Event, Overview
from bot.overview.summary import Brief, Busy, Summary
from bot.overview.upcoming import Due, due
from bot.sources.names import fold
from bot.texts.alerts import describe
from bot.texts.blockkit import Block, Message, context, section, sections
from bot.texts.catalogue import OUTLOOK, Language, counted, number, prose_date, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link
from bot.texts.nyemetoder import card_line
from bot.texts.outlook import outlook_line, outlook_short
from bot.texts.statuscard import eu_line, us_line

MAX_EVENTS = 10  # per method; more are counted, not listed
# Up to this many quiet methods get a line each; more are grouped by outlook and counted.
QUIET_LISTED = 40
QUIET_PER_GROUP = 5  # titles shown under each outlook when grouped


def render_digest(summary: Summary, *, language: Language, zone: ZoneInfo) -> Message:
    """The summary message, with a plain-text fallback that counts what changed.

    Its blocks may exceed one Slack message; delivery splits them (bot/texts/blockfit.py).
    """
    period = _period(summary.since, summary.until, zone=zone, language=language)
    today = summary.until.astimezone(zone).date()
    since = summary.since.astimezone(zone).date() if summary.since else None
    blocks = [section(t(language, "digest_title", period=period))]
    for busy in summary.busy:
        blocks += sections(
            _busy_lines(busy, today=today, since=since, zone=zone, language=language)
        )
    blocks += _brief_blocks(summary.brief, language=language)
    blocks += _quiet_blocks(summary.quiet, language=language)
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
        changed=number(summary.changed, language),
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


def _busy_lines(
    busy: Busy,
    *,
    today: date,
    since: date | None,
    zone: ZoneInfo,
    language: Language,
) -> list[str]:
    overview, events = busy.overview, busy.events
    lines = [
        f"*{clean(overview.method.title, limit=200)}*",
        outlook_line(outlook_of(overview), language),
        t(language, "card_eu", text=eu_line(overview, language)),
        t(language, "card_us", text=us_line(overview, language)),
        *filter(None, [card_line(overview, language)]),
        t(language, "digest_news"),
        *_event_lines(events, zone=zone, language=language),
    ]
    upcoming = due(overview, today=today, since=since)
    if upcoming:
        lines += [t(language, "digest_due"), *(f"• {due_line(d, language)}" for d in upcoming)]
    return lines


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
        hidden = number(len(events) - MAX_EVENTS, language)
        lines.append("• " + t(language, "digest_more", count=hidden))
    return lines


def _brief_blocks(briefs: list[Brief], *, language: Language) -> list[Block]:
    """Methods with news past those in detail: a line each, with how many changes."""
    if not briefs:
        return []
    lines = [t(language, "digest_busy_more")]
    for brief in briefs:
        title = clean(brief.method.title, limit=150)
        changes = counted(brief.events, "change", language)
        lines.append("• " + t(language, "digest_busy_line", title=title, changes=changes))
    return sections(lines)


def _quiet_blocks(overviews: list[Overview], *, language: Language) -> list[Block]:
    """Methods without news: one line each, or grouped by outlook past QUIET_LISTED."""
    if not overviews:
        return []
    if len(overviews) > QUIET_LISTED:
        return sections(quiet_groups(overviews, language=language))
    lines = [t(language, "digest_quiet")]
    for overview in overviews:
        label = outlook_short(outlook_of(overview), language)
        title = clean(overview.method.title, limit=150)
        lines.append("• " + t(language, "digest_quiet_line", title=title, label=label))
    return sections(lines)


def quiet_groups(overviews: list[Overview], *, language: Language) -> list[str]:
    """The quiet methods counted per outlook, each group with its first few titles."""
    lines = [t(language, "digest_quiet_many", count=number(len(overviews), language))]
    lines += outlook_groups(overviews, shown=QUIET_PER_GROUP, language=language)
    return [*lines, t(language, "digest_see_list")]


def outlook_groups(
    overviews: list[Overview],
    *,
    shown: int,
    language: Language,
    detail: Callable[[Overview, Language], str] | None = None,
) -> list[str]:
    """Per outlook (Nå first): `*Om 6 mnd* (40)`, the first `shown` titles (each followed by
    `detail`, when given), "… og 35 til"."""
    overviews = sorted(overviews, key=lambda o: (fold(o.method.title), o.method.id))
    codes = [outlook_of(overview).label for overview in overviews]
    counts = Counter(codes)
    lines: list[str] = []
    for code in [*OUTLOOK, *(c for c in counts if c not in OUTLOOK)]:
        members = [o for o, c in zip(overviews, codes, strict=True) if c == code]
        if not members:
            continue
        label = term(OUTLOOK, code, language)
        count = number(counts[code], language)
        lines.append(t(language, "group_heading", label=label, count=count))
        lines += [
            f"• {clean(o.method.title, limit=150)}{detail(o, language) if detail else ''}"
            for o in members[:shown]
        ]
        if len(members) > shown:
            hidden = number(len(members) - shown, language)
            lines.append(t(language, "more_left_out", count=hidden))
    return lines
