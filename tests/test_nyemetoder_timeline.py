"""The seed method's Norwegian steps through `metodevakt poll --once`, end to end.

Sources on the replay server (tests/world.py), Slack on the fake Web API. The ID2019_015 page
goes from proposal to ordered, finished and decided (seed_0 … seed_3); the workbook gains the
decision of 24.02.2020. Each `poll --once` is its own runtime, so every cycle is also a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.overview.read import build_overview
from bot.runtime import open_runtime
from bot.settings import Settings
from bot.storage.store import active_methods
from bot.storage.tables import EventRow
from bot.texts.nyemetoder import section_lines
from tests.fakeslack import FakeSlack
from tests.golden import FIXTURES, assert_golden_text
from tests.replay import ReplayServer
from tests.world import NYE_SEED_PAGE, SEED, DupilumabWorld

CHANNEL = "C0123ABCD"
SEED_PAGE_LINK = "https://nyemetoder.no" + NYE_SEED_PAGE  # illustrative (fixtures README)
BEFORE = "decisions_before_2020_02_24.xlsx"
DECIDED = "decisions.xlsx"
SECRETS = {"slack_bot_token", "slack_signing_secret", "slack_app_token", "openfda_api_key"}
runner = CliRunner()


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    world = DupilumabWorld(replay)
    world.serve_nye_metoder(seed_page="seed_0_proposed.html", workbook=BEFORE)
    return world


@pytest.fixture
def settings(
    world: DupilumabWorld,
    fake_slack: FakeSlack,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    """The bot's environment: the replay world, the fake Slack, the seed method watching the
    ID2019_015 page (its only Nye metoder page here, so the story is told in order)."""
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    document["methods"][0]["nye_metoder_url"] = [SEED_PAGE_LINK]
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    settings = world.settings(
        database_url=database_url,
        watchlist_file=watchlist,
        slack_api_url=fake_slack.url,
        slack_alert_channel=CHANNEL,
    )
    for name, value in settings.model_dump().items():
        if value is not None and name not in SECRETS:
            monkeypatch.setenv(name.upper(), str(value))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    return settings


def poll_once() -> Result:
    """`metodevakt poll --once`: every source, then delivery; both Nye metoder sources ok."""
    result = runner.invoke(app, ["poll", "--once"])
    assert result.exit_code == 0, result.output
    assert "nyemetoder_pages: ok" in result.stderr, result.stderr
    assert "nyemetoder_decisions: ok" in result.stderr, result.stderr
    return result


def posted(fake_slack: FakeSlack) -> list[dict[str, Any]]:
    return fake_slack.calls_to("chat.postMessage")


def decision_events(settings: Settings) -> list[EventRow]:
    runtime = open_runtime(settings, seed_watchlist=False)
    try:
        with runtime.sessions() as session:
            query = select(EventRow).where(EventRow.kind == "nyemetoder_decision")
            return list(session.scalars(query))
    finally:
        runtime.close()


def test_the_norwegian_steps_are_alerted_in_order(
    settings: Settings, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """Ordered, finished, decided: each step is alerted once, the decision once (page first)."""
    poll_once()
    assert posted(fake_slack) == []
    cycles = []
    for page, workbook in (
        ("seed_1_ordered.html", BEFORE),
        ("seed_2_finished.html", BEFORE),
        ("seed_3_decided.html", DECIDED),
    ):
        world.serve_nye_metoder(seed_page=page, workbook=workbook)
        before = len(posted(fake_slack))
        poll_once()
        cycles.append([_shown(call) for call in posted(fake_slack)[before:]])
    poll_once()
    assert sum(map(len, cycles)) == len(posted(fake_slack))  # a cycle without news posts nothing
    text = "\n\n".join("\n".join(cycle) for cycle in cycles) + "\n"
    assert_golden_text(text, FIXTURES / "nyemetoder" / "timeline.nb.txt")
    (decision,) = decision_events(settings)
    assert (decision.source, decision.importance) == ("nyemetoder_pages", "high")


def _shown(call: dict[str, Any]) -> str:
    where = "↳" if call.get("thread_ts") else "●"
    return f"{where} {call['text']}"


@pytest.mark.parametrize("first", ["page", "workbook"])
def test_a_decision_on_the_page_and_in_the_workbook_is_one_alert(
    first: str, settings: Settings, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """Whichever source shows the decision first alerts it; the other, a cycle (and a restart)
    later, adds no second event and no second post."""
    world.serve_nye_metoder(seed_page="seed_2_finished.html", workbook=BEFORE)
    poll_once()
    if first == "page":
        world.serve_nye_metoder(seed_page="seed_3_decided.html", workbook=BEFORE)
    else:
        world.serve_nye_metoder(seed_page="seed_2_finished.html", workbook=DECIDED)
    poll_once()
    (decision,) = decision_events(settings)
    expected = {"page": "nyemetoder_pages", "workbook": "nyemetoder_decisions"}[first]
    assert decision.source == expected
    assert decision.subject.startswith("ID2019_015 ")  # the first record that told it
    world.serve_nye_metoder(seed_page="seed_3_decided.html", workbook=DECIDED)
    poll_once()
    poll_once()
    assert [event.id for event in decision_events(settings)] == [decision.id]
    texts = [call["text"] for call in posted(fake_slack)]
    assert sum("beslutning i Beslutningsforum 24. februar 2020" in text for text in texts) == 1


def test_the_lookup_card_shows_the_nye_metoder_section(
    settings: Settings, world: DupilumabWorld
) -> None:
    """After the decision, `metodevakt lookup` shows the page's status, its dated steps and the
    current decisions; the section matches its golden text."""
    poll_once()
    world.serve_nye_metoder(seed_page="seed_3_decided.html", workbook=DECIDED)
    poll_once()
    result = runner.invoke(app, ["lookup", "dupilumab"])
    assert result.exit_code == 0, result.output
    assert "ID2019_015 Dupilumab (Dupixent)" in result.stdout
    assert "status: Beslutning foreligger" in result.stdout
    assert "24.02.2020 · Beslutning i Beslutningsforum: Dupilumab (Dupixent) kan" in result.stdout
    runtime = open_runtime(settings, seed_watchlist=False)
    try:
        with runtime.sessions() as session:
            (method,) = active_methods(session)
            overview = build_overview(session, method)
    finally:
        runtime.close()
    for language in ("nb", "en"):
        lines = "\n".join(section_lines(overview, language)) + "\n"
        assert_golden_text(lines, FIXTURES / "nyemetoder" / f"lookup_section.{language}.txt")
