"""The watchlist at any size: `/metode liste` a page at a time (all, or one area) and App Home
grouped by outlook, each saying how many methods are watched and counting what it leaves out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.overview.outlook import outlook_of
from bot.overview.state import Overview
from bot.texts.blockfit import fit_block, fit_lines, more
from bot.texts.blockkit import (
    MESSAGE,
    VIEW,
    Block,
    Budget,
    Message,
    context,
    section,
    sections,
    size,
)
from bot.texts.catalogue import (
    EMA_STATUS,
    SOURCE_NAME,
    Language,
    folded_term,
    local_time,
    number,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.digest import outlook_groups
from bot.texts.mrkdwn import clean, escape, link
from bot.texts.nyemetoder import home_phrase
from bot.texts.outlook import outlook_short
from bot.texts.sections import study_status, watched_medicine

AREAS_SHOWN = 30  # areas named on the list's first page; more are counted
HOME_PER_GROUP = 15  # methods named under each outlook in App Home; more are counted
Source = tuple[str, str, datetime | None]  # name, health, last successful read


@dataclass(frozen=True)
class ListPage:
    """One page of `/metode liste`: its methods, where it sits, and what the list holds.

    `total` counts the methods listed (in `area`, when one was asked for), `watched` every
    watched method; `areas` (area or None, count) is given on an unfiltered list.
    """

    overviews: list[Overview]
    page: int = 1
    pages: int = 1
    total: int = 0
    watched: int = 0
    area: str | None = None
    areas: list[tuple[str | None, int]] = field(default_factory=list)


def render_list_page(listing: ListPage, *, language: Language) -> Message:
    """A page of the list within one message: heading, areas, one line per method, the way on."""
    heading = _heading(listing, language)
    if not listing.overviews:
        empty = "list_unknown_area" if listing.area else "lookup_list_empty"
        line = t(language, empty, area=clean(listing.area or "", limit=100))
        return Message(heading.replace("*", ""), [section(f"{heading}\n{line}")])
    footer = _footer(listing, language)
    room = Budget(MESSAGE.blocks - len(footer), (MESSAGE.size or 0) - size(footer))
    lines = [heading, *_areas(listing.areas, language)]
    lines += [list_line(overview, language) for overview in listing.overviews]
    # The heading lines are short: what fitting cuts and counts is only ever methods.
    blocks = fit_lines(lines, language=language, budget=room)
    return Message(heading.replace("*", ""), [*blocks, *footer])


def _heading(listing: ListPage, language: Language) -> str:
    if listing.area is not None:
        area = clean(listing.area, limit=100)
        count, total = number(listing.total, language), number(listing.watched, language)
        line = t(language, "list_area", area=area, count=count, total=total)
    else:
        line = t(language, "lookup_list", count=number(listing.watched, language))
    if listing.pages > 1:
        pages = number(listing.pages, language)
        line += t(language, "list_page_suffix", page=number(listing.page, language), pages=pages)
    return f"*{line}*"


def _areas(areas: Sequence[tuple[str | None, int]], language: Language) -> list[str]:
    """The areas with their counts, most methods first; past AREAS_SHOWN, a count of the rest."""
    if not areas:
        return []
    named = [
        t(
            language,
            "list_area_count",
            area=clean(area, limit=100) if area else t(language, "list_no_area"),
            count=number(count, language),
        )
        for area, count in areas[:AREAS_SHOWN]
    ]
    if len(areas) > AREAS_SHOWN:
        named.append(t(language, "more_left_out", count=number(len(areas) - AREAS_SHOWN, language)))
    return [t(language, "list_areas", areas=" · ".join(named))]


def _footer(listing: ListPage, language: Language) -> list[Block]:
    """Where the next page is, and how to list one area."""
    lines = []
    if listing.page < listing.pages:
        word = t(language, "list_page_word")
        after = f"{clean(listing.area, limit=100)} " if listing.area else ""
        lines.append(t(language, "list_next", next=f"{after}{word} {listing.page + 1}"))
    if listing.areas:
        lines.append(escape(t(language, "list_pick_area")))
    return [context(" · ".join(lines))] if lines else []


def list_line(overview: Overview, language: Language) -> str:
    """`• *Title* (`slug`) · Om 6 mnd · EMA: name (status) · NCT…: status`."""
    method = overview.method
    return " · ".join(
        [
            f"• *{clean(method.title, limit=150)}* (`{clean(method.id)}`)",
            outlook_short(outlook_of(overview), language),
            _headline(overview, language),
        ]
    )


def _headline(overview: Overview, language: Language) -> str:
    """The watched EMA medicine's status and the first watched trial's, when known."""
    parts = []
    medicine = watched_medicine(overview)
    if medicine is not None:
        status = folded_term(EMA_STATUS, medicine.fields.get("medicine_status"), language)
        name = medicine.fields.get("name") or medicine.key
        parts.append(f"EMA: {clean(str(name))} ({status})")
    if overview.trials:
        trial = overview.trials[0]
        parts.append(f"{link(trial.url, trial.key)}: {study_status(trial.fields, language)}")
    return " · ".join(parts) or t(language, "lookup_no_data")


# App Home ---------------------------------------------------------------------------------


def home_blocks(
    overviews: list[Overview], sources: list[Source], *, language: Language, zone: ZoneInfo
) -> list[Block]:
    """App Home within a view's 100 blocks: how many methods, grouped by outlook (the first
    of each named, the rest counted), and each source's health and last successful read."""
    title = {"type": "plain_text", "text": t(language, "home_title")[:150], "emoji": False}
    blocks: list[Block] = [{"type": "header", "text": title}]
    if overviews:
        count = number(len(overviews), language)
        lines = [t(language, "home_methods_count", count=count)]
        # Each method with where it stands in Nye metoder, when the bot has read that.
        lines += outlook_groups(
            overviews, shown=HOME_PER_GROUP, language=language, detail=home_phrase
        )
        blocks += sections(lines)
        blocks.append(context(escape(t(language, "home_see_list"))))
    else:
        blocks.append(section(f"{t(language, 'home_methods')}\n{t(language, 'lookup_list_empty')}"))
    blocks += sections([t(language, "home_sources"), *_health(sources, language, zone)])
    return _within_view(blocks, language)


def _health(sources: list[Source], language: Language, zone: ZoneInfo) -> list[str]:
    return [
        t(
            language,
            "home_source_line",
            source=term(SOURCE_NAME, name, language),
            health=t(language, f"health_state_{state}"),
            when=local_time(read, zone, language) if read else t(language, "never"),
        )
        for name, state, read in sources
    ]


def _within_view(blocks: list[Block], language: Language) -> list[Block]:
    """The blocks, or as many as a view holds and a count of the rest (never expected)."""
    fitted = [part for block in blocks for part in fit_block(block)]
    if len(fitted) <= VIEW.blocks:
        return fitted
    return [*fitted[: VIEW.blocks - 1], more(len(fitted) - VIEW.blocks + 1, language)]
