"""What `/metode TEXT` answers for everyone (search, list, help), from the local database only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.lookup.index import search_index
from bot.lookup.listing import list_answer
from bot.lookup.search import QueryTooLong, StoredTrials, clean_query
from bot.overview.read import build_overview
from bot.texts.blockkit import Message, section
from bot.texts.catalogue import Language
from bot.texts.catalogue import text as t
from bot.texts.lookupcard import render_help, render_lookup, render_matches, render_no_match
from bot.watchlist import Method

HELP_WORDS = {"", "hjelp", "help"}
LIST_WORDS = {"liste", "list"}


@dataclass(frozen=True)
class Answer:
    """The message, and the method when it is one method's card."""

    message: Message
    method: Method | None = None


def answer(
    session: Session, text: str, *, language: Language, zone: ZoneInfo, today: date | None = None
) -> Answer:
    """The answer to `/metode text` (never an admin command; those are handled by the app), with
    the outlook as of `today` (default: today)."""
    try:
        query = clean_query(text)
    except QueryTooLong:
        line = t(language, "query_too_long")
        return Answer(Message(line, [section(line)]))
    if query.casefold() in HELP_WORDS:
        return Answer(render_help(language))
    word, _, rest = query.partition(" ")
    if word.casefold() in LIST_WORDS:
        return Answer(list_answer(session, rest, language=language, today=today))
    match = search_index(session).find(query, extra=StoredTrials(session))
    if len(match.exact) == 1:
        overview = build_overview(session, match.exact[0], today=today)
        card = render_lookup(overview, language=language, zone=zone)
        return Answer(card, match.exact[0])
    if match.exact:
        return Answer(render_matches(match.exact, query, language=language))
    return Answer(render_no_match(query, match.suggestions, language=language))
