"""Every Slack surface at 1, 300 and 2,000 watched methods, against a fake Slack that refuses
what Slack refuses: alerts, status and lookup cards, the summary, `/metode liste`, App Home,
catch-up and storm messages, admin notices; and what each says about what it leaves out."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from slack_sdk import WebClient

from bench import surfaceworld
from bench.surfaces import Surface, surfaces, world_database
from bench.surfaceworld import World
from bot.overview.state import Item, Overview
from bot.overview.summary import MAX_BRIEF, MAX_DETAILED, Brief, Busy, Summary
from bot.storage.tables import EventRow
from bot.texts.blockfit import fit_message
from bot.texts.catalogue import counted, number
from bot.texts.digest import render_digest
from bot.texts.statuscard import render_card
from tests import blocklimits
from tests.fakeslack import FakeSlack

NAMES = [
    "alert",
    "status card",
    "lookup card",
    "summary",
    "liste",
    "liste side 2",
    "liste <område>",
    "App Home",
    "catch-up",
    "storm",
    "admin notice",
]
NBSP = "\u00a0"


@dataclass(frozen=True)
class Sized:
    """A world of some size and every surface built from it."""

    methods: int
    world: World
    surfaces: dict[str, Surface]


@pytest.fixture(scope="module", params=[1, 300, 2000], ids=lambda n: f"{n}-methods")
def sized(request: pytest.FixtureRequest) -> Iterator[Sized]:
    """The world of 1, 300 or 2,000 methods (37 changes), built once per module and size."""
    with world_database(request.param) as (sessions, world):
        found = surfaces(sessions, world)
    by_name = {surface.name: surface for surface in found}
    yield Sized(request.param, world, by_name)


def post(slack: FakeSlack, surface: Surface) -> None:
    """Send the surface where the bot sends it; the fake answers as Slack would."""
    client = WebClient(token="xoxb-test", base_url=slack.url)
    for index, payload in enumerate(surface.payloads):
        if surface.kind == "view":
            client.views_publish(user_id="U0USER", view=payload)
        elif surface.kind == "response":
            # response_url skips the cumulative size; we keep to it anyway (docs/slack-limits.md)
            blocklimits.check_message(payload)
            answer = httpx.post(slack.response_url(f"r{index}"), json=payload, timeout=10)
            assert answer.status_code == 200, answer.text
        else:
            client.chat_postMessage(
                channel="C0123ABCD", text=payload["text"], blocks=payload["blocks"]
            )


def text_of(surface: Surface) -> str:
    return json.dumps([p["blocks"] for p in surface.payloads], ensure_ascii=False)


def lines_of(surface: Surface) -> list[str]:
    """Every line of every section and context, in order."""
    found = []
    for payload in surface.payloads:
        for block in payload["blocks"]:
            parts = [block.get("text"), *list(block.get("elements") or [])]
            for part in parts:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    found += part["text"].split("\n")
    return found


def count(text: str) -> int:
    """A count as the bot writes it ("1 742") read back."""
    return int(text.replace(NBSP, ""))


@pytest.mark.parametrize("name", NAMES)
def test_every_surface_is_accepted_by_slack(sized: Sized, fake_slack: FakeSlack, name: str) -> None:
    """Each surface, at each size, goes through the fake Slack's Block Kit limits."""
    post(fake_slack, sized.surfaces[name])


# The summary --------------------------------------------------------------------------------


def test_the_summary_takes_one_message_for_one_method(sized: Sized) -> None:
    """One method: one message, no thread."""
    summary = sized.surfaces["summary"]
    if sized.methods == 1:
        assert len(summary.payloads) == 1 and "Del 1 av" not in text_of(summary)
    else:
        assert len(summary.payloads) >= 2


def test_the_summary_is_never_a_wall_of_methods(sized: Sized) -> None:
    """Quiet methods are grouped and counted: the lines stay few whatever the watchlist's size."""
    summary = sized.surfaces["summary"]
    assert len(lines_of(summary)) < 60 + 10 * 37
    quiet = sized.methods - 37 if sized.methods > 37 else 0
    if quiet > 40:
        heading = f"*Ingen nye endringer: {number(quiet, 'nb')} metoder*"
        assert any(line.startswith(heading) for line in lines_of(summary))


def test_the_summary_counts_every_quiet_method(sized: Sized) -> None:
    """Per outlook: shown titles plus "… og N til" make the group's count; groups make all."""
    groups = outlook_groups(lines_of(sized.surfaces["summary"]))
    if sized.methods > 77:  # grouped only past 40 quiet methods
        assert sum(total for total, _shown in groups) == sized.methods - 37
        assert all(total == shown for total, shown in groups)


def test_the_summary_states_how_many_methods_changed(sized: Sized) -> None:
    """The fallback text counts the changed methods and all methods, thousands spaced."""
    text = sized.surfaces["summary"].payloads[0]["text"]
    changed = min(37, sized.methods)
    methods = counted(sized.methods, "method", "nb")  # "1 metode", "2 000 metoder"
    assert f"{changed} av {methods} har nye endringer" in text


def outlook_groups(lines: list[str]) -> list[tuple[int, int]]:
    """(count in the heading, titles shown + counted rest) of each `*Nå* (1 234)` group."""
    groups: list[tuple[int, int]] = []
    for line in lines:
        heading = re.fullmatch(r"\*[^*]+\* \(([\d\u00a0]+)\)", line)
        if heading:
            groups.append((count(heading.group(1)), 0))
        elif groups and line.startswith("• "):
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        elif groups and (rest := re.fullmatch(r"… og ([\d\u00a0]+) til", line)):
            groups[-1] = (groups[-1][0], groups[-1][1] + count(rest.group(1)))
    return groups


# /metode liste ------------------------------------------------------------------------------


def test_the_list_says_how_many_methods_are_watched_and_which_page(sized: Sized) -> None:
    """`/metode liste`: the count of all methods, the page, and the way to the next page."""
    first = sized.surfaces["liste"]
    heading = first.payloads[0]["text"]
    pages = -(-sized.methods // 20)
    if pages == 1:
        assert heading == f"Metoder som overvåkes ({sized.methods})"
        assert "Neste side" not in text_of(first)
    else:
        assert (
            heading == f"Metoder som overvåkes ({number(sized.methods, 'nb')}), side 1 av {pages}"
        )
        assert "Neste side: `/metode liste side 2`" in text_of(first)
        assert "side 2 av" in sized.surfaces["liste side 2"].payloads[0]["text"]
    assert sum(line.startswith("• *") for line in lines_of(first)) == min(20, sized.methods)


def test_the_list_of_one_area_counts_its_methods(sized: Sized) -> None:
    """`/metode liste <område>`: how many of all the methods are in the area."""
    area = sized.surfaces["liste <område>"]
    wanted = sized.world.methods[0].area or ""
    members = sum(wanted.casefold() in (m.area or "").casefold() for m in sized.world.methods)
    total = number(sized.methods, "nb")
    assert area.payloads[0]["text"].startswith(
        f"Metoder innen «{wanted}» ({number(members, 'nb')} av {total})"
    )


def test_the_list_names_the_areas_with_their_counts(sized: Sized) -> None:
    """The first page lists each area with its number of methods."""
    line = next(x for x in lines_of(sized.surfaces["liste"]) if x.startswith("*Etter område:*"))
    named = re.findall(r"([^·(]+) \(([\d\u00a0]+)\)", line.removeprefix("*Etter område:*"))
    expected = Counter(
        part.strip()
        for m in sized.world.methods
        for part in (m.area or "").split(",")
        if part.strip()
    )
    assert {name.strip(): count(n) for name, n in named if name.strip() in expected} == dict(
        expected
    )


# App Home -----------------------------------------------------------------------------------


def test_app_home_stays_within_a_view_and_counts_what_it_leaves_out(sized: Sized) -> None:
    """At most 100 blocks; the number of methods; per outlook, shown + counted = the group."""
    home = sized.surfaces["App Home"]
    (view,) = home.payloads
    assert len(view["blocks"]) <= 100
    assert f"*Overvåkede metoder: {number(sized.methods, 'nb')}*" in text_of(home)
    groups = outlook_groups(lines_of(home))
    assert sum(total for total, _shown in groups) == sized.methods
    assert all(total == shown for total, shown in groups)


# Groups and notices -------------------------------------------------------------------------


def test_catch_up_and_storm_headings_count_their_alerts(sized: Sized) -> None:
    """The catch-up heading counts every alert of the cycle; a storm heading its source's."""
    events = sized.world.events
    catch_up = sized.surfaces["catch-up"].payloads[0]["text"]
    expected = "1 endring" if events == 1 else f"{events} endringer"
    assert expected in catch_up
    assert re.search(r"\d+ endringer fra ", sized.surfaces["storm"].payloads[0]["text"])


def test_one_methods_surfaces_do_not_grow_with_the_watchlist(sized: Sized) -> None:
    """The alert, the status card and the lookup card stay small at every size."""
    weights = {
        name: blocklimits.blocks_size(sized.surfaces[name].payloads[0]["blocks"])
        for name in ("alert", "status card", "lookup card")
    }
    # Half the 12,000 we keep to; a decided method's card with its Nye metoder steps is about 4,900.
    assert all(weight < 6_000 for weight in weights.values()), weights


# A summary where every method changed ---------------------------------------------------------


def test_a_summary_of_2000_changed_methods_stays_bounded_and_counted() -> None:
    """2,000 methods each with three changes: 40 in detail, 100 a line each, 1 860 counted; a
    handful of messages, every one accepted."""
    methods = [surfaceworld.method(i) for i in range(2000)]
    busy = [Busy(Overview(method=m), stored_events(m.id)) for m in methods[:MAX_DETAILED]]
    brief = [Brief(m, 3) for m in methods[MAX_DETAILED : MAX_DETAILED + MAX_BRIEF]]
    summary = Summary(
        since=None,
        until=datetime(2026, 11, 25, 8, tzinfo=UTC),
        busy=busy,
        brief=brief,
        methods=2000,
        changed=2000,
        events=6000,
    )
    message = render_digest(summary, language="nb", zone=ZoneInfo("Europe/Oslo"))
    parts = fit_message(message, language="nb")
    assert 2 <= len(parts) <= 10
    for part in parts:
        blocklimits.check_message({"text": part.text, "blocks": part.blocks})
    text = json.dumps([p.blocks for p in parts], ensure_ascii=False)
    assert "… og 1\u00a0860 metoder til" in text
    assert text.count("3 endringer") == MAX_BRIEF


def stored_events(method_id: str) -> list[EventRow]:
    """Three trial status changes, as detection stores them."""
    return [
        EventRow(
            method_id=method_id,
            source="clinicaltrials",
            record_key=f"NCT0000000{n}",
            kind="trial_status",
            importance="normal",
            old={"overall_status": "RECRUITING"},
            new={"overall_status": "COMPLETED"},
            url=f"https://clinicaltrials.gov/study/NCT0000000{n}",
            subject=f"NCT0000000{n}",
            observed_at=datetime(2026, 11, 24, 8, tzinfo=UTC),
        )
        for n in range(3)
    ]


def test_the_status_card_counts_the_trials_it_leaves_out() -> None:
    """A method with 25 trials: its status card shows 10 and says "… og 15 til"."""
    items = [
        Item(
            f"NCT{n:08d}",
            {"overall_status": "RECRUITING"},
            f"https://clinicaltrials.gov/study/NCT{n:08d}",
        )
        for n in range(25)
    ]
    card = render_card(Overview(method=surfaceworld.method(0), trials=items), language="nb")
    text = json.dumps(card.blocks, ensure_ascii=False)
    assert "… og 15 til" in text and text.count("clinicaltrials.gov/study/") == 10
