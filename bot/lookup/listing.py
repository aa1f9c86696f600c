"""`/metode liste [område] [side N]`: which watched methods one page of the list shows."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from sqlalchemy.orm import Session

from bot.lookup.index import search_index
from bot.overview.read import build_overviews
from bot.sources.names import fold
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language
from bot.texts.listing import ListPage, render_list_page
from bot.watchlist import Method

# Methods per page: fixed, so `side 2` always starts at the 21st; 20 lines of the longest kind
# (about 440 characters) and the heading stay well within one message.
PAGE_SIZE = 20
_PAGE = re.compile(r"^(?P<area>.*?)\s*(?:\b(?:side|page)\s*(?P<page>\d+))?\s*$", re.I)


def list_answer(
    session: Session, rest: str, *, language: Language, today: date | None = None
) -> Message:
    """The page of the list that `/metode liste <rest>` asks for (a page past the end: the
    last one)."""
    area, wanted = parse_list(rest)
    # The index holds the active methods already parsed (rebuilt only when they change).
    methods = sorted(search_index(session).methods, key=lambda m: (fold(m.title), m.id))
    chosen = [m for m in methods if in_area(m, area)] if area else methods
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(wanted, 1), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    listing = ListPage(
        build_overviews(session, shown, events=0, today=today),
        page=page,
        pages=pages,
        total=len(chosen),
        watched=len(methods),
        area=area,
        areas=area_counts(methods) if area is None and page == 1 else [],
    )
    return render_list_page(listing, language=language)


def parse_list(rest: str) -> tuple[str | None, int]:
    """(area or None, page) from what follows `liste`: `onkologi side 2`, `side 3`, `hud`."""
    found = _PAGE.match(" ".join(rest.split()))
    if found is None:  # the pattern matches any text; kept for the type checker
        return None, 1
    area, page = found.group("area"), found.group("page")
    if area.isdigit() and page is None:  # `/metode liste 2`
        area, page = "", area
    return area or None, int(page) if page else 1


def in_area(method: Method, area: str) -> bool:
    """Whether the method's area (`Barn og unge, hud`) contains `area`, case and accents aside."""
    return fold(area) in fold(method.area or "")


def area_counts(methods: list[Method]) -> list[tuple[str | None, int]]:
    """Each area (the parts of a method's `area`, split at commas) with its number of methods,
    most first; None counts the methods without an area."""
    counts: Counter[str | None] = Counter()
    for method in methods:
        parts: set[str | None] = {p.strip() for p in (method.area or "").split(",") if p.strip()}
        counts.update(parts or {None})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
