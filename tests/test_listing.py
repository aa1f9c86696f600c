"""`/metode liste` a page at a time and by area: what is asked, what a page holds, what is said
when a page or an area does not exist."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bench.surfaceworld import seed
from bot.lookup.answers import answer
from bot.lookup.listing import PAGE_SIZE, area_counts, parse_list
from bot.storage import db
from bot.texts.blockkit import blocks_as_text
from tests import blocklimits

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("", (None, 1)),
        ("side 2", (None, 2)),
        ("page 4", (None, 4)),
        ("2", (None, 2)),
        ("Onkologi side 3", ("Onkologi", 3)),
        ("barn og unge", ("barn og unge", 1)),
        ("  hud   SIDE  2 ", ("hud", 2)),
    ],
)
def test_what_follows_liste_is_an_area_and_a_page(
    rest: str, expected: tuple[str | None, int]
) -> None:
    """`side N` (or `page N`, or a bare number) picks the page; the rest is the area."""
    assert parse_list(rest) == expected


def test_areas_are_counted_per_comma_separated_part() -> None:
    """`Barn og unge, hud` counts in both areas; methods without an area are counted apart."""
    from bench.surfaceworld import method

    methods = [method(i) for i in range(24)]
    counts = dict(area_counts(methods))
    assert counts["Barn og unge"] == counts["hud"] == 2 and counts[None] == 2
    assert sum(counts.values()) == 24 + 2


def ask(sessions: db.SessionFactory, text: str) -> list[str]:
    with sessions() as session:
        message = answer(session, text, language="nb", zone=OSLO).message
    blocklimits.check_message({"text": message.text, "blocks": message.blocks})
    return [message.text, *blocks_as_text(message.blocks)]


def test_pages_cover_every_method_once(sessions: db.SessionFactory) -> None:
    """45 methods: three pages of 20, 20 and 5; together each method once; the last page has
    no way on, and a page past the end shows the last one."""
    world = seed(sessions, methods=45, changes=0, now=NOW)
    pages = [ask(sessions, f"liste side {n}") for n in (1, 2, 3)]
    assert [p[0] for p in pages] == [
        f"Metoder som overvåkes (45), side {n} av 3" for n in (1, 2, 3)
    ]
    listed = [line for page in pages for line in page if line.startswith("• ")]
    assert len(listed) == 45 == len(set(listed)) and PAGE_SIZE == 20
    assert all(any(f"(`{m.id}`)" in line for line in listed) for m in world.methods)
    assert not any("Neste side" in line for line in pages[2])
    assert ask(sessions, "liste side 99") == pages[2]


def test_an_area_lists_only_its_methods(sessions: db.SessionFactory) -> None:
    """`/metode liste hud` lists the methods whose area contains «hud», and counts them."""
    world = seed(sessions, methods=45, changes=0, now=NOW)
    found = ask(sessions, "liste HUD")
    members = [m for m in world.methods if "hud" in (m.area or "")]
    assert found[0] == f"Metoder innen «HUD» ({len(members)} av 45)"
    assert sum(line.startswith("• ") for line in found) == len(members)


def test_an_unknown_area_says_so(sessions: db.SessionFactory) -> None:
    """No method in the area: the answer says so, the area echoed escaped."""
    seed(sessions, methods=3, changes=0, now=NOW)
    found = ask(sessions, "liste <!channel>")
    assert "Ingen overvåket metode har området «<!channel>»." in found
