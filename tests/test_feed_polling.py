"""ClinicalTrials.gov through its change feed, polled for real: the cursor across cycles,
restarts and failures, full reads when due, discovery served by the feed, and the switch from a
database the previous version left (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, update
from typer.testing import CliRunner

from bot.cli import app
from bot.polling.poll import PollResult
from bot.runtime import Runtime, open_runtime
from bot.sources.clinicaltrials import ClinicalTrials
from bot.storage import db, store
from bot.storage.tables import EventRow, HttpValidators, SourceState
from bot.watchlist import Discovery, Method
from tests.replay import ReplayServer, Request
from tests.scripted import serve_discovered_trials
from tests.world import CTGOV, FEED, DupilumabWorld

NOW = datetime(2026, 12, 8, 9, tzinfo=UTC)
TODAY = NOW.date()
TRIALS = "clinicaltrials"


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def runtime(world: DupilumabWorld, database_url: str) -> Iterator[Runtime]:
    runtime = open_runtime(world.settings(database_url=database_url))
    yield runtime
    runtime.close()


def poll(runtime: Runtime, moment: datetime) -> PollResult:
    """One poll of ClinicalTrials.gov at `moment`."""
    source = ClinicalTrials(runtime.settings.ctgov_api_url)
    (result,) = runtime.poll([source], clock=lambda: moment)
    return result


def asked(replay: ReplayServer, since: int) -> list[str]:
    """What each ClinicalTrials.gov request after the `since`-th asked for."""
    return [_kind(request) for request in replay.requests[since:] if request.path == CTGOV]


def _kind(request: Request) -> str:
    params = request.params
    if "query.term" in params:
        return f"feed {params['query.term']}"
    if "filter.ids" in params:
        return f"full read {params['filter.ids']}"
    return f"search {params['query.intr']} / {params['query.cond']}"


def polled(runtime: Runtime, replay: ReplayServer, moment: datetime) -> list[str]:
    """Poll at `moment`; what ClinicalTrials.gov was asked (the poll must succeed)."""
    since = replay.count()
    result = poll(runtime, moment)
    assert result.ok, result.reason
    return asked(replay, since)


def cursor(runtime: Runtime) -> tuple[date | None, datetime | None, str | None]:
    with runtime.sessions() as session:
        row = session.get(SourceState, TRIALS)
        assert row is not None
        return row.feed_watermark, row.full_read_at, row.full_read_after


def events(runtime: Runtime, kind: str | None = None) -> list[tuple[str, str, str]]:
    with runtime.sessions() as session:
        rows = session.scalars(select(EventRow).order_by(EventRow.id))
        found = [(row.method_id, row.kind, row.record_key) for row in rows]
    return [event for event in found if kind is None or event[1] == kind]


WATCHED = "full read NCT02612454,NCT03054428"
SEARCH = "search dupilumab / atopic dermatitis"


def feed(since: str) -> str:
    return f"feed AREA[LastUpdatePostDate]RANGE[{since},MAX]"


def test_first_cycle_reads_in_full_then_only_the_feed(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """The first cycle reads the watched IDs and runs the search; the next reads only the
    feed, from the day before the first began."""
    assert polled(runtime, replay, NOW) == [WATCHED, SEARCH]
    assert cursor(runtime) == (TODAY, NOW, None)
    assert polled(runtime, replay, NOW + timedelta(hours=1)) == [feed("2026-12-07")]
    assert cursor(runtime) == (TODAY, NOW, None)
    assert events(runtime) == []


def test_the_watermark_moves_only_when_a_cycle_commits(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """A failed feed leaves the watermark where it was; the next cycle reads from there."""
    polled(runtime, replay, NOW)
    replay.fault(CTGOV, "status", status=500, match_params=FEED, times=None)
    later = NOW + timedelta(days=2)
    assert not poll(runtime, later).ok
    assert cursor(runtime) == (TODAY, NOW, None)
    replay.clear_faults()
    assert polled(runtime, replay, later) == [WATCHED, feed("2026-12-07")]
    assert cursor(runtime) == (date(2026, 12, 10), later, None)  # the day's full read was due


def test_the_cursor_survives_a_restart(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer, database_url: str
) -> None:
    """A new process on the same database goes on from the stored watermark."""
    polled(runtime, replay, NOW)
    runtime.close()
    again = open_runtime(world.settings(database_url=database_url))
    try:
        assert polled(again, replay, NOW + timedelta(hours=3)) == [feed("2026-12-07")]
    finally:
        again.close()


def test_a_change_seen_in_the_feed_alerts_once(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer
) -> None:
    """A watched trial's new status arrives through the feed: one alert, and none again when
    the overlapping feed shows the same record next hour."""
    polled(runtime, replay, NOW)
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-12-08")
    assert polled(runtime, replay, NOW + timedelta(hours=1)) == [feed("2026-12-07")]
    assert events(runtime) == [("dupilumab-ad-12-17", "trial_status", "NCT02612454")]
    polled(runtime, replay, NOW + timedelta(hours=2))
    assert len(events(runtime)) == 1


def test_a_new_trial_for_the_discovery_terms_alerts_as_new(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer
) -> None:
    """A trial registered for the method's substance and condition shows up in the feed and
    alerts as a new trial, once."""
    polled(runtime, replay, NOW)
    (nct,) = serve_discovered_trials(world, 1)
    polled(runtime, replay, NOW + timedelta(hours=1))
    assert events(runtime) == [("dupilumab-ad-12-17", "trial_new", nct)]
    polled(runtime, replay, NOW + timedelta(hours=2))
    assert len(events(runtime)) == 1


def add_method(runtime: Runtime, method: Method) -> None:
    with db.transaction(runtime.sessions) as session:
        seed = store.active_methods(session)
        store.sync_file_methods(session, [*seed, method], now=NOW)


def asthma_study(world: DupilumabWorld, nct: str) -> dict[str, Any]:
    study = copy.deepcopy(world.discovery["studies"][0])
    study["protocolSection"]["identificationModule"]["nctId"] = nct
    study["protocolSection"]["conditionsModule"]["conditions"] = ["Asthma"]
    return study


def test_a_method_added_later_is_read_and_searched_then_served_by_the_feed(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer
) -> None:
    """A new method's trials and its own search are read at once, silently; afterwards a new
    trial for its terms comes through the feed and alerts for it alone."""
    polled(runtime, replay, NOW)
    asthma = Method(
        id="dupi-astma",
        title="Dupilumab mot astma",
        substance="dupilumab",
        trials=["NCT03054428"],
        discover=Discovery(condition="asthma"),
    )
    add_method(runtime, asthma)
    replay.route(CTGOV, json.dumps(world.discovery).encode(), match_params={"query.cond": "asthma"})
    (adolescents,) = [s for s in world.studies["studies"] if "NCT03054428" in json.dumps(s)]
    one = json.dumps({"studies": [adolescents]}).encode()
    replay.route(CTGOV, one, match_params={"filter.ids": "NCT03054428"})
    assert polled(runtime, replay, NOW + timedelta(hours=1)) == [
        "full read NCT03054428",
        "search dupilumab / asthma",
        feed("2026-12-07"),
    ]
    assert events(runtime) == []
    assert polled(runtime, replay, NOW + timedelta(hours=2)) == [feed("2026-12-07")]
    world.serve_discovery(
        {"studies": [*world.discovery["studies"], asthma_study(world, "NCT07700001")]}
    )
    polled(runtime, replay, NOW + timedelta(hours=3))
    assert events(runtime) == [("dupi-astma", "trial_new", "NCT07700001")]


def test_the_daily_full_read_finds_what_the_feed_did_not_show(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer
) -> None:
    """A change the feed does not list (its LastUpdatePostDate not moved) is found by the
    safety net within a day, and alerted once."""
    polled(runtime, replay, NOW)
    world.change_trial_status("NCT02612454", "TERMINATED", updated="2025-01-14")
    # Its last update date did not move, so the feed (updated since yesterday) lacks it.
    listed = [s for s in world.studies["studies"] if "NCT02612454" not in json.dumps(s)]
    replay.route(CTGOV, json.dumps({"studies": listed}).encode(), match_params=FEED)
    assert polled(runtime, replay, NOW + timedelta(hours=23)) == [feed("2026-12-07")]
    assert events(runtime) == []
    assert polled(runtime, replay, NOW + timedelta(hours=24)) == [WATCHED, feed("2026-12-08")]
    assert events(runtime) == [("dupilumab-ad-12-17", "trial_status", "NCT02612454")]


def forget_cursor(runtime: Runtime, *, polled_at: datetime | None) -> None:
    """The database as the previous version left it: snapshots and baselines, no cursor, and
    the time of its last good poll (None: never polled)."""
    with db.transaction(runtime.sessions) as session:
        clear = {"feed_watermark": None, "full_read_at": None, "full_read_after": None}
        clear |= {"last_success_at": polled_at}
        session.execute(update(SourceState).where(SourceState.source == TRIALS).values(**clear))


def test_the_switch_from_the_previous_version_has_no_storm_and_loses_no_change(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer
) -> None:
    """The first cycle on a database the previous version polled reads every watched ID and
    the feed since the day before its last poll, without running every search again: only the
    change that happened meanwhile alerts, once; then the feed alone."""
    polled(runtime, replay, NOW)
    forget_cursor(runtime, polled_at=NOW)
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-12-08")
    assert polled(runtime, replay, NOW + timedelta(hours=5)) == [WATCHED, feed("2026-12-07")]
    assert events(runtime) == [("dupilumab-ad-12-17", "trial_status", "NCT02612454")]
    assert polled(runtime, replay, NOW + timedelta(hours=6)) == [feed("2026-12-07")]
    assert len(events(runtime)) == 1


def test_a_source_state_without_a_success_reads_as_a_first_cycle(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """No cursor and no good poll on record: the cycle reads everything, searches included."""
    polled(runtime, replay, NOW)
    forget_cursor(runtime, polled_at=None)
    assert polled(runtime, replay, NOW + timedelta(hours=1)) == [WATCHED, SEARCH]
    assert events(runtime) == []


def test_poll_once_reads_the_feed_end_to_end(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, database_url: str
) -> None:
    """`metodevakt poll --once` twice: the baseline reads in full, the second only the feed,
    whose changed record is printed as an alert."""
    world = DupilumabWorld(replay)
    for name, value in world.settings(database_url=database_url).model_dump().items():
        if value is not None and name not in {"slack_bot_token", "openfda_api_key"}:
            monkeypatch.setenv(name.upper(), str(value))
    runner = CliRunner()
    assert runner.invoke(app, ["poll", "--once"]).exit_code == 0
    world.change_trial_status("NCT02612454", "WITHDRAWN", updated="2026-12-08")
    since = replay.count()
    changed = runner.invoke(app, ["poll", "--once"])
    assert changed.exit_code == 0
    (only,) = asked(replay, since)
    assert only.startswith("feed AREA[LastUpdatePostDate]RANGE[")
    assert "Pågående, rekrutterer ikke → Trukket før oppstart" in changed.stdout
    assert "clinicaltrials: ok, 1 requests" in changed.stderr


def migrate(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    engine = db.make_engine(url)
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        upgrade_or_down: Callable[..., None] = (
            command.downgrade if revision == "0003" else command.upgrade
        )
        upgrade_or_down(config, revision)
    engine.dispose()


def columns(url: str) -> set[str]:
    engine = db.make_engine(url)
    found = {column["name"] for column in inspect(engine).get_columns("source_state")}
    engine.dispose()
    return found


def test_migration_0004_adds_the_cursor_and_takes_it_away(database_url: str) -> None:
    """0004 adds the cursor's three columns to source_state (empty) and its downgrade removes
    them, on SQLite and PostgreSQL."""
    cursor_columns = {"feed_watermark", "full_read_at", "full_read_after"}
    migrate(database_url, "0004")
    assert cursor_columns <= columns(database_url)
    migrate(database_url, "0003")
    assert not cursor_columns & columns(database_url)
    migrate(database_url, "0004")
    assert cursor_columns <= columns(database_url)


def test_the_batches_not_read_this_cycle_keep_their_validators(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer
) -> None:
    """With one watched ID per batch, half a day reads one batch (a 304, its validators sent)
    and leaves the other's validators stored, so that the next day's read is a 304 too."""
    for study in world.studies["studies"]:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
        one = json.dumps({"studies": [study]}).encode()
        replay.route(CTGOV, one, match_params={"filter.ids": nct})
    source = ClinicalTrials(runtime.settings.ctgov_api_url, max_url_chars=0)  # an ID per batch

    def cycle(moment: datetime) -> PollResult:
        (result,) = runtime.poll([source], clock=lambda: moment)
        assert result.ok, result.reason
        return result

    assert cycle(NOW).requests == 3  # two batches and the search
    assert validators(runtime) == 3  # single-page answers keep theirs
    half = cycle(NOW + timedelta(hours=12))
    assert (half.requests, half.not_modified) == (2, 1)  # one batch (304) and the feed
    assert validators(runtime) == 3  # the search's were dropped, the feed's added
    whole = cycle(NOW + timedelta(hours=24))
    assert (whole.requests, whole.not_modified) == (2, 2)  # the other batch, and the feed: 304s


def validators(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return len(list(session.scalars(select(HttpValidators.request_id))))
