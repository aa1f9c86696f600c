"""The answers to `/metode`: a method's card shaped like the metodevarsel, and the short replies."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.overview.state import Overview
from bot.texts.blockkit import Block, Message, blocks_as_text, context, section
from bot.texts.catalogue import Language, number
from bot.texts.catalogue import text as t
from bot.texts.listing import ListPage, render_list_page
from bot.texts.mrkdwn import SECTION_LIMIT, clean, escape
from bot.texts.nyemetoder import section_lines
from bot.texts.sections import (
    event_lines,
    last_read_lines,
    link_lines,
    outlook_line,
    status_lines,
    study_lines,
)
from bot.watchlist import Method

MATCHES_SHOWN = 10


def render_lookup(overview: Overview, *, language: Language, zone: ZoneInfo) -> Message:
    """The method's card: facts, status in Norway/EU/US, outlook, Nye metoder, studies, events,
    sources."""
    blocks = [
        section(f"*{clean(overview.method.title)}*"),
        _facts(overview.method, language),
        section(fit_lines(status_lines(overview, language), language=language)),
        section(fit_lines(section_lines(overview, language), language=language)),
        section(fit_lines(study_lines(overview, language), language=language)),
        section(fit_lines(event_lines(overview, language, zone), language=language)),
        section(fit_lines(link_lines(overview, language), language=language)),
        context(fit_lines(last_read_lines(overview, language, zone), language=language)),
    ]
    return Message(_fallback(overview, language), blocks)


def _fallback(overview: Overview, language: Language) -> str:
    line = f"{clean(overview.method.title, limit=150)}: {outlook_line(overview, language)}"
    return line.replace("*", "")


def _facts(method: Method, language: Language) -> Block:
    atc = f"{method.atc} ({method.atc_name})" if method.atc and method.atc_name else method.atc
    facts = [
        ("lookup_type", method.method_type),
        ("lookup_area", method.area),
        ("lookup_substance", method.substance),
        ("lookup_trade_names", ", ".join(method.trade_names)),
        ("lookup_atc", atc),
        ("lookup_holder", method.mt_holder),
        ("lookup_financing", method.financing),
        ("lookup_indication", method.indication),
    ]
    fields = [
        {"type": "mrkdwn", "text": f"*{t(language, key)}:* {clean(value, limit=500)}"}
        for key, value in facts
        if value
    ]
    return {"type": "section", "fields": fields}


def fit_lines(lines: list[str], *, language: Language, limit: int = SECTION_LIMIT) -> str:
    """The lines joined, dropping whole lines from the end (counted) to stay within `limit`.

    Cutting inside a line could split a `<url|label>` link and break the mrkdwn.
    """
    text, kept = "\n".join(lines), len(lines)
    while len(text) > limit and kept > 1:
        kept -= 1
        more = t(language, "lookup_more", count=number(len(lines) - kept, language))
        text = "\n".join([*lines[:kept], more])
    return text


def render_matches(methods: list[Method], query: str, *, language: Language) -> Message:
    """Several methods found: title and slug of each, and how to pick one."""
    heading = t(language, "lookup_matches", count=len(methods), query=_echo(query))
    lines = [f"• {clean(m.title, limit=150)} (`{clean(m.id)}`)" for m in methods[:MATCHES_SHOWN]]
    if len(methods) > MATCHES_SHOWN:
        hidden = number(len(methods) - MATCHES_SHOWN, language)
        lines.append(t(language, "lookup_more", count=hidden))
    pick = t(language, "lookup_pick", slug=clean(methods[0].id)) if methods else ""
    return _reply([heading, *lines, pick], language)


def render_no_match(query: str, suggestions: list[str], *, language: Language) -> Message:
    """Nothing found: the query echoed (escaped) and the closest names, if any."""
    lines = [t(language, "lookup_no_match", query=_echo(query))]
    if suggestions:
        names = [clean(name, limit=100) for name in suggestions]
        lines.append(t(language, "lookup_did_you_mean", names=_or(names, language)))
    else:
        lines.append(t(language, "lookup_see_help"))
    return _reply(lines, language)


def render_help(language: Language) -> Message:
    """`/metode hjelp`: what to search for and the commands, admins' included."""
    return _reply(escape(t(language, "lookup_help")).split("\n"), language)


def render_list(overviews: list[Overview], *, language: Language) -> Message:
    """`/metode liste` when it is one page: every method with its outlook and status line.

    Pages and areas: bot/texts/listing.py.
    """
    count = len(overviews)
    return render_list_page(ListPage(overviews, total=count, watched=count), language=language)


def as_terminal_text(message: Message) -> str:
    """The answer as readable text (`metodevakt lookup`): a paragraph per block, links spelt out."""
    paragraphs = ["\n".join(blocks_as_text([block])) for block in message.blocks]
    return "\n\n".join(p for p in paragraphs if p) or message.text


def _reply(lines: list[str], language: Language) -> Message:
    shown = [line for line in lines if line]
    text = fit_lines(shown, language=language)
    return Message(shown[0].replace("*", ""), [section(text)])


def _echo(query: str) -> str:
    return clean(" ".join(query.split()), limit=200)


def _or(names: list[str], language: Language) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t(language, 'lookup_or')} {names[-1]}"
