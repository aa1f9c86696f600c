"""Polling rules across cycles: silent baselines for watchlist changes, absence through 304s."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, open_runtime
from bot.storage import db, store
from bot.storage.tables import EventRow, Snapshot
from bot.watchlist import Discovery, Method
from tests.replay import ReplayServer
from tests.world import CTGOV, MEDICINES, DupilumabWorld, fixture_json

NOW = datetime(2026, 11, 25, 8, tzinfo=UTC)


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def runtime(world: DupilumabWorld, database_url: str) -> Iterator[Runtime]:
    runtime = open_runtime(world.settings(database_url=database_url))
    yield runtime
    runtime.close()


def events(runtime: Runtime, method_id: str | None = None) -> list[EventRow]:
    with runtime.sessions() as session:
        query = select(EventRow).order_by(EventRow.id)
        if method_id:
            query = query.where(EventRow.method_id == method_id)
        return list(session.scalars(query))


def add_method(runtime: Runtime, method: Method) -> None:
    with db.transaction(runtime.sessions) as session:
        seed = store.active_methods(session)
        store.sync_file_methods(session, [*seed, method], now=NOW)


def at(moment: datetime) -> Callable[[], datetime]:
    """A clock that stands still at `moment`."""
    return lambda: moment


def touch_medicines(replay: ReplayServer) -> None:
    """EMA regenerates the medicines file: an unrelated row changes, so its ETag does."""
    document = fixture_json("ema/medicines_dupilumab.json")
    document["data"][0]["revision_number"] = "99"
    replay.route(MEDICINES, json.dumps(document).encode())


def test_method_added_while_files_are_unchanged_starts_silently(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """A new method's old EMA rows are its baseline, even if the file had not changed."""
    runtime.poll()
    add_method(
        runtime,
        Method(
            id="tralokinumab",
            title="Tralokinumab",
            substance="tralokinumab",
            trade_names=["Adtralza"],
            ema_products=["EMEA/H/C/005255"],
        ),
    )
    runtime.poll()
    touch_medicines(replay)
    runtime.poll()
    assert events(runtime, "tralokinumab") == []


def test_adding_discovery_to_a_method_is_silent(runtime: Runtime, replay: ReplayServer) -> None:
    """Trials already registered when a method starts discovering are not 'new trials'."""
    plain = Method(
        id="dupi-astma", title="Dupilumab mot astma", substance="dupilumab", trials=["NCT03054428"]
    )
    add_method(runtime, plain)
    runtime.poll()
    add_method(runtime, plain.model_copy(update={"discover": Discovery(condition="asthma")}))
    discovered = json.dumps(fixture_json("clinicaltrials/dupilumab_discovery.json")).encode()
    replay.route(CTGOV, discovered, match_params={"query.cond": "asthma"})
    runtime.poll()
    assert [e.kind for e in events(runtime, "dupi-astma")] == []


def test_absence_is_confirmed_through_unchanged_answers(
    runtime: Runtime, world: DupilumabWorld
) -> None:
    """A watched trial gone from the answer, then 304s: 'no longer listed' after three daily
    full reads (the change feed in between says nothing of absence)."""
    runtime.poll(clock=at(NOW))
    world.studies = {"studies": world.studies["studies"][:1]}
    world.serve_studies()
    for day in (1, 2, 3):
        runtime.poll(clock=at(NOW + timedelta(days=day, hours=-1)))
        assert events(runtime) == []
        runtime.poll(clock=at(NOW + timedelta(days=day)))
    kinds = [(e.kind, e.record_key) for e in events(runtime)]
    assert kinds == [("no_longer_listed", "NCT02612454")]


def test_feed_guid_longer_than_200_characters_is_stored(
    runtime: Runtime, world: DupilumabWorld
) -> None:
    """A very long feed guid is a key like any other (on SQLite and PostgreSQL)."""
    runtime.poll()
    world.add_press_release("Dupixent news", guid="g" * 400)
    results = {r.source: r for r in runtime.poll()}
    assert results["fda_rss"].ok
    with runtime.sessions() as session:
        assert session.get(Snapshot, ("fda_rss", "g" * 400)) is not None
    assert [e.kind for e in events(runtime)] == ["news"]
