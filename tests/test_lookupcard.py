"""The `/metode` card from a database filled by the replay world: golden text and Slack limits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.lookup.search import discovered_trials, find_methods
from bot.overview.read import build_overview
from bot.overview.state import Item, Overview
from bot.polling.poll import poll_source
from bot.runtime import Runtime, build_sources, open_runtime
from bot.storage.store import active_methods
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language
from bot.texts.lookupcard import as_terminal_text, render_list, render_lookup
from bot.texts.mrkdwn import SECTION_LIMIT, is_allowed_url
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden_text
from tests.replay import ReplayServer
from tests.world import DupilumabWorld

OSLO = ZoneInfo("Europe/Oslo")
BASELINE = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
CHANGED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
HOSTILE = "<!channel> <@U1> <https://evil.example|EMA> & co"


@pytest.fixture
def runtime(replay: ReplayServer, database_url: str) -> Iterator[Runtime]:
    """A database with two polls of the dupilumab world: a baseline, then a finished trial."""
    world = DupilumabWorld(replay)
    runtime = open_runtime(world.settings(database_url=database_url))
    poll_at(runtime, BASELINE)
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-24")
    world.add_press_release("FDA approves Dupixent for a new use", guid="new-use-1")
    poll_at(runtime, CHANGED)
    yield runtime
    runtime.close()


def poll_at(runtime: Runtime, moment: datetime) -> None:
    """One cycle of every source, stamped with `moment` so the card's times are fixed."""
    with runtime.sessions() as session:
        methods = active_methods(session)
    for source in build_sources(runtime.settings):
        result = poll_source(
            source,
            fetcher=runtime.fetcher,
            sessions=runtime.sessions,
            methods=methods,
            default_channel=None,
            clock=lambda: moment,
        )
        assert result.ok, result


def overview_of(runtime: Runtime) -> Overview:
    with runtime.sessions() as session:
        (method,) = active_methods(session)
        return build_overview(session, method)


def slack_texts(message: Message) -> list[str]:
    """Every string of the message that Slack parses as mrkdwn or shows as text."""
    found: list[str] = [message.text]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            found.extend(v for k, v in value.items() if k == "text" and isinstance(v, str))
            value = list(value.values())
        if isinstance(value, list):
            for item in value:
                walk(item)

    walk(message.blocks)
    return found


def assert_safe_for_slack(message: Message) -> None:
    """Only our own links use `<`; they point at allowed hosts; Slack's limits hold."""
    for text in slack_texts(message):
        for opening in re.finditer("<", text):
            target = re.match(r"<([^|>]+)\|[^>]*>", text[opening.start() :])
            assert target and is_allowed_url(target.group(1)), text
    assert len(message.blocks) < 50
    for block in message.blocks:
        assert len(block.get("text", {}).get("text", "")) <= SECTION_LIMIT
        assert len(block.get("fields", [])) <= 10


@pytest.mark.parametrize("language", ["nb", "en"])
def test_card_matches_golden_text(runtime: Runtime, language: Language) -> None:
    """The card for dupilumab, as terminal text, equals the reviewed golden file."""
    message = render_lookup(overview_of(runtime), language=language, zone=OSLO)
    assert_golden_text(
        as_terminal_text(message) + "\n", FIXTURES / "lookup" / f"dupilumab.{language}.txt"
    )


def test_card_is_safe_for_slack(runtime: Runtime) -> None:
    """No raw `<!`, every link on an allowed host, under 50 blocks and 3,000 per section."""
    message = render_lookup(overview_of(runtime), language="nb", zone=OSLO)
    assert "<!" not in json.dumps([message.text, message.blocks])
    assert_safe_for_slack(message)
    assert message.text.startswith("Dupilumab (Dupixent) til behandling av atopisk eksem")


def test_card_shows_the_events_of_the_second_poll(runtime: Runtime) -> None:
    """The finished trial appears as the latest event, dated in Oslo time, and in the table."""
    text = as_terminal_text(render_lookup(overview_of(runtime), language="nb", zone=OSLO))
    assert "25.11.2026: NCT02612454" in text
    assert "Pågående, rekrutterer ikke → Avsluttet" in text
    assert "ClinicalTrials.gov: 25.11.2026 kl. 09:00" in text


def test_discovered_trials_become_lookup_keys(runtime: Runtime) -> None:
    """A trial stored only through discovery finds the method via `discovered_trials`."""
    with runtime.sessions() as session:
        extra = discovered_trials(session)
        methods = active_methods(session)
    assert "NCT03346434" in extra["dupilumab-ad-12-17"]
    match = find_methods(methods, "NCT03346434", extra_keys=extra)
    assert [m.id for m in match.exact] == ["dupilumab-ad-12-17"]


def test_list_gives_one_status_line_per_method(runtime: Runtime) -> None:
    """`/metode liste`: title, slug, outlook and the most telling status in one line."""
    message = render_list([overview_of(runtime)], language="nb")
    lines = as_terminal_text(message).splitlines()
    assert lines[0] == "Metoder som overvåkes (1)"
    assert lines[1].startswith("• Dupilumab (Dupixent) til behandling")
    assert (
        "(`dupilumab-ad-12-17`) · Nå (indikasjonen i EU omfattet pasientgruppen da overvåkingen "
        "startet) · EMA: Dupixent (Godkjent)"
    ) in lines[1]
    assert_safe_for_slack(message)


def hostile_overview(trials: int) -> Overview:
    """A method whose every text tries to ping, disguise a link or break out of mrkdwn."""
    method = Method(
        id="hostile",
        title=HOSTILE,
        substance=HOSTILE,
        trade_names=[HOSTILE],
        mt_holder=HOSTILE,
        nye_metoder=["ID2019_015"],
        nye_metoder_url="https://evil.example/nyemetoder",
        notice_url="https://evil.example/notice",
    )
    fields = {"name": HOSTILE, "medicine_status": HOSTILE, "therapeutic_indication": HOSTILE}
    studies = [
        Item(f"NCT{n:08d}", {"acronym": HOSTILE, "overall_status": HOSTILE}, "javascript:alert(1)")
        for n in range(trials)
    ]
    medicine = Item("EMEA/H/C/000001", fields, "https://evil.example|EMA official")
    return Overview(method=method, trials=studies, medicines=[medicine])


def test_hostile_source_text_is_escaped_and_links_refused() -> None:
    """Mentions and link markup from sources are escaped; foreign and odd URLs are not linked."""
    for language in ("nb", "en"):
        message = render_lookup(hostile_overview(3), language=language, zone=OSLO)
        assert "&lt;!channel&gt;" in json.dumps(message.blocks)
        assert_safe_for_slack(message)
        assert_safe_for_slack(render_list([hostile_overview(3)], language=language))


def test_many_trials_stay_within_one_section() -> None:
    """300 trials: whole lines are dropped and counted, never a link cut in half."""
    message = render_lookup(hostile_overview(300), language="nb", zone=OSLO)
    assert_safe_for_slack(message)
    texts = [block.get("text", {}).get("text", "") for block in message.blocks]
    (studies,) = [text for text in texts if text.startswith("*Studier*")]
    assert re.search(r"… og \d+ til$", studies)
