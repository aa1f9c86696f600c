"""The outlook along replayed timelines: polls store snapshots and events, `/metode` answers.

The seed method (an extension of Dupixent to adolescents) walks baseline → CHMP opinion → EC
decision → MT in Norway; a new product walks absent → evaluation → opinion → decision. Each step
is one poll of every source at that day (`tests/timelines.py`), then the `/metode` answer as of a
day in that step.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.lookup.answers import answer
from bot.overview.outlook import Outlook, outlook_of
from bot.overview.read import build_overview
from bot.polling.poll import poll_source
from bot.runtime import Runtime, build_sources, open_runtime
from bot.storage.store import active_methods
from bot.texts.listing import home_blocks
from bot.texts.lookupcard import as_terminal_text, render_list
from bot.texts.statuscard import render_card
from tests.replay import ReplayServer
from tests.timelines import example_files, seed_files, serve, serve_news
from tests.world import SEED, DupilumabWorld

OSLO = ZoneInfo("Europe/Oslo")
OUTLOOK_LINE = "Tidsperspektiv MT i Norge:"


def poll_at(runtime: Runtime, day: str) -> None:
    """One cycle of every source, stamped 08:00 UTC on `day`."""
    moment = datetime.fromisoformat(f"{day}T08:00:00+00:00")
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


def card(runtime: Runtime, query: str, today: date) -> str:
    """The `/metode query` answer as of `today`, as terminal text."""
    with runtime.sessions() as session:
        found = answer(session, query, language="nb", zone=OSLO, today=today)
    return as_terminal_text(found.message)


def outlook_line(text: str) -> str:
    (line,) = [line for line in text.splitlines() if line.startswith(OUTLOOK_LINE)]
    return line


def decided(runtime: Runtime, today: date) -> Outlook:
    with runtime.sessions() as session:
        (method,) = active_methods(session)
        return outlook_of(build_overview(session, method, today=today))


def watchlist(tmp_path: Path, *, kind: bool) -> Path:
    """The seed watchlist, with or without its `kind: extension`."""
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    if not kind:
        del document["methods"][0]["kind"]
    path = tmp_path / "watchlist.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(params=[True, False], ids=["kind-given", "kind-derived"])
def seed(
    request: pytest.FixtureRequest, replay: ReplayServer, database_url: str, tmp_path: Path
) -> Iterator[tuple[Runtime, DupilumabWorld]]:
    """The seed method in the dupilumab world, its EMA files as of May 2019."""
    world = DupilumabWorld(replay)
    path = watchlist(tmp_path, kind=request.param)
    runtime = open_runtime(world.settings(database_url=database_url, watchlist_file=path))
    serve(world, seed_files("baseline", stamp="2019-05-20T04:00:00Z"))
    serve_news(world, june_2019=False)
    poll_at(runtime, "2019-05-20")
    yield runtime, world
    runtime.close()


def test_extension_walks_from_trials_to_now(seed: tuple[Runtime, DupilumabWorld]) -> None:
    """Before the opinion: Om 2 år; opinion: Om 6 mnd by 02.09.2019; decision: Nå, then MT."""
    runtime, world = seed
    before = outlook_line(card(runtime, "dupilumab", date(2019, 6, 1)))
    assert "Nå" not in before and "Om 2 år" in before
    assert "Grunnlag: NCT02612454 pågår (ClinicalTrials.gov)." in before
    assert decided(runtime, date(2019, 6, 1)).kind == "extension"

    serve(world, seed_files("opinion", stamp="2019-06-28T04:00:00Z"))
    serve_news(world, june_2019=True)
    poll_at(runtime, "2019-06-28")
    waiting = outlook_line(card(runtime, "dupilumab", date(2019, 7, 15)))
    assert waiting.startswith(f"{OUTLOOK_LINE} Om 6 mnd (indikasjonsutvidelse: CHMP-uttalelse")
    assert "Grunnlag: CHMP-uttalelse 27.06.2019 (EMA)." in waiting
    assert "EU-kommisjonens vedtak ventes senest 02.09.2019" in waiting

    serve(world, seed_files("decision", stamp="2019-08-05T04:00:00Z"))
    poll_at(runtime, "2019-08-05")
    now = outlook_line(card(runtime, "dupilumab", date(2019, 8, 10)))
    assert now.startswith(f"{OUTLOOK_LINE} Nå (indikasjonsutvidelse: godkjent i EU; Norge følger")
    assert "Grunnlag: EU-kommisjonens vedtak 01.08.2019 (EMA)." in now
    assert "MT i Norge ventes rundt 31.08.2019" in now
    later = decided(runtime, date(2019, 9, 15))
    assert (later.state, later.label, later.expected) == ("authorised", "now", ())


def test_extension_never_follows_the_products_old_authorisation(
    seed: tuple[Runtime, DupilumabWorld],
) -> None:
    """Authorised since 2017, nothing for adolescents yet and no running trial: Uklart, not Nå."""
    runtime, world = seed
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2019-05-21")
    poll_at(runtime, "2019-05-21")
    outlook = decided(runtime, date(2019, 6, 1))
    assert (outlook.kind, outlook.label, outlook.fact) == ("extension", "unclear", None)


def test_an_old_opinion_is_overdue_not_any_moment(seed: tuple[Runtime, DupilumabWorld]) -> None:
    """The opinion of 27.06.2019 read in 2026 without a decision: Uklart, the deadline named."""
    runtime, world = seed
    serve(world, seed_files("opinion", stamp="2019-06-28T04:00:00Z"))
    serve_news(world, june_2019=True)
    poll_at(runtime, "2019-06-28")
    line = outlook_line(card(runtime, "dupilumab", date(2026, 1, 5)))
    assert line.startswith(f"{OUTLOOK_LINE} Uklart (indikasjonsutvidelse: EU-kommisjonens vedtak")
    assert "Fristen for vedtaket var 02.09.2019" in line
    assert "ventes" not in line


NEW_PRODUCT = {
    "id": "dupilumab-example",
    "title": "Dupilumab Example (fiktivt) til behandling av atopisk eksem hos voksne",
    "substance": "dupilumab",
    "ema_products": ["EMEA/H/C/009990"],
    "trials": ["NCT03054428", "NCT02612454"],
}


@pytest.fixture
def new_product(
    replay: ReplayServer, database_url: str, tmp_path: Path
) -> Iterator[tuple[Runtime, DupilumabWorld]]:
    """A method for a product EMA does not list yet; its trials run."""
    world = DupilumabWorld(replay)
    path = tmp_path / "watchlist.yaml"
    path.write_text(yaml.safe_dump({"methods": [NEW_PRODUCT]}), encoding="utf-8")
    runtime = open_runtime(world.settings(database_url=database_url, watchlist_file=path))
    serve(world, example_files("absent", stamp="2024-01-15T04:00:00Z"))
    poll_at(runtime, "2024-01-15")
    yield runtime, world
    runtime.close()


def test_new_product_walks_from_trials_to_now(new_product: tuple[Runtime, DupilumabWorld]) -> None:
    """Absent: Om 2 år; evaluation: Om 1 år; opinion: Om 6 mnd; decision: Nå; a new product."""
    runtime, world = new_product
    steps = [
        (None, "2024-01-16", "Om 2 år", "NCT02612454 pågår"),
        (
            "evaluation",
            "2024-03-29",
            "Om 1 år",
            "vurderingen av Dupilumab Example startet 28.03.2024",
        ),
        ("opinion", "2025-01-31", "Om 6 mnd", "CHMP-uttalelse 30.01.2025"),
        ("decision", "2025-03-31", "Nå", "EU-kommisjonens vedtak 27.03.2025"),
    ]
    for step, day, label, fact in steps:
        if step is not None:
            serve(world, example_files(step, stamp=f"{day}T04:00:00Z"))
            poll_at(runtime, day)
        line = outlook_line(card(runtime, "dupilumab-example", date.fromisoformat(day)))
        assert line.startswith(f"{OUTLOOK_LINE} {label} ("), line
        assert f"Grunnlag: {fact} (" in line, line
        assert "indikasjonsutvidelse" not in line
    assert "MT i Norge ventes rundt 26.04.2025" in line
    assert decided(runtime, date(2025, 5, 10)).state == "authorised"
    assert decided(runtime, date(2025, 5, 10)).kind == "new_product"


def test_every_surface_shows_the_same_outlook(seed: tuple[Runtime, DupilumabWorld]) -> None:
    """Card, /metode, liste and App Home all say Om 6 mnd between opinion and decision."""
    runtime, world = seed
    serve(world, seed_files("opinion", stamp="2019-06-28T04:00:00Z"))
    serve_news(world, june_2019=True)
    poll_at(runtime, "2019-06-28")
    day = date(2019, 7, 15)
    with runtime.sessions() as session:
        (method,) = active_methods(session)
        overview = build_overview(session, method, today=day)
    short = "Om 6 mnd (CHMP-uttalelse 27.06.2019, vedtak ventes senest 02.09.2019)"
    home = str(home_blocks([overview], [], language="nb", zone=ZoneInfo("Europe/Oslo")))
    assert "*Om 6 mnd* (1)" in home  # App Home groups the methods by the same outlook
    assert short in as_terminal_text(render_list([overview], language="nb"))
    assert "Om 6 mnd (indikasjonsutvidelse" in render_card(overview, language="nb").text
    assert "Om 6 mnd (indikasjonsutvidelse" in card(runtime, "dupilumab", day)
