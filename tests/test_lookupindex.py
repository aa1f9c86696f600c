"""What one `/metode` answer reads: methods per snapshot kept in step, a search index that is
never older than the methods table, discovered trials still found (SQLite and PostgreSQL)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from bench.lookupworld import watchlist_with_discovery
from bot.lookup.answers import answer
from bot.lookup.index import search_index
from bot.lookup.search import SearchIndex, search_keys
from bot.overview.read import build_overview, build_overviews
from bot.runtime import Runtime, open_runtime
from bot.sources.base import Record
from bot.sources.names import fold
from bot.storage import admin, db, store
from bot.storage.tables import Snapshot, SnapshotMethod
from bot.watchlist import Method
from tests.replay import ReplayServer
from tests.world import DupilumabWorld

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 12, 5, 8, tzinfo=UTC)
DUPILUMAB = "dupilumab-ad-12-17"
DISCOVERED = "NCT03346434"  # found by the seed method's discovery search, not on its list
ASTHMA = Method(
    id="tezepelumab-astma",
    title="Tezepelumab (Tezspire) til behandling av alvorlig astma",
    substance="tezepelumab",
    trade_names=["Tezspire"],
)


@pytest.fixture
def runtime(replay: ReplayServer, database_url: str) -> Iterator[Runtime]:
    """The dupilumab world polled once."""
    runtime = open_runtime(DupilumabWorld(replay).settings(database_url=database_url))
    runtime.poll()
    yield runtime
    runtime.close()


def links(session: Any) -> set[tuple[str, str, str]]:
    """(source, key, method) of every row of snapshot_methods."""
    rows = session.execute(
        select(SnapshotMethod.source, SnapshotMethod.key, SnapshotMethod.method_id)
    )
    return {tuple(row) for row in rows}


def links_from_snapshots(session: Any) -> set[tuple[str, str, str]]:
    """The same pairs as the snapshots' own `method_ids` say."""
    return {
        (row.source, row.key, str(method_id))
        for row in session.scalars(select(Snapshot))
        for method_id in row.method_ids or []
    }


def ask(runtime: Runtime, query: str) -> Any:
    with runtime.sessions() as session:
        return answer(session, query, language="nb", zone=OSLO)


def found_id(runtime: Runtime, query: str) -> str | None:
    """The id of the method whose card `query` gives, or None."""
    method = ask(runtime, query).method
    return None if method is None else method.id


def test_a_poll_writes_the_methods_of_every_snapshot(runtime: Runtime) -> None:
    """After a real poll, snapshot_methods holds exactly the snapshots' method_ids."""
    with runtime.sessions() as session:
        assert links(session) == links_from_snapshots(session)
        assert ("clinicaltrials", DISCOVERED, DUPILUMAB) in links(session)


def test_a_changed_owner_list_moves_the_rows(sessions: db.SessionFactory) -> None:
    """A snapshot whose methods change loses the old rows and gains the new, in its transaction."""
    record = Record("clinicaltrials", "NCT01", {"a": 1}, "https://x", ("m1", "m2"))
    with db.transaction(sessions) as session:
        store.save_record(session, record, now=NOW)
    moved = Record("clinicaltrials", "NCT01", {"a": 2}, "https://x", ("m2", "m3"))
    with db.transaction(sessions) as session:
        store.save_record(session, moved, now=NOW)
    with sessions() as session:
        assert links(session) == {
            ("clinicaltrials", "NCT01", "m2"),
            ("clinicaltrials", "NCT01", "m3"),
        }
        assert links(session) == links_from_snapshots(session)


def test_deleted_snapshots_take_their_rows_along(sessions: db.SessionFactory) -> None:
    """Housekeeping's delete removes a snapshot's method rows with it, and only its own."""
    for key in ("old", "new"):
        record = Record("fda_rss", key, {}, "https://x", ("m1",))
        with db.transaction(sessions) as session:
            store.save_record(session, record, now=NOW)
    with db.transaction(sessions) as session:
        store.delete_snapshots(session, Snapshot.source == "fda_rss", Snapshot.key == "old")
    with sessions() as session:
        assert links(session) == {("fda_rss", "new", "m1")}


def test_one_methods_overview_reads_its_own_records(runtime: Runtime) -> None:
    """Through snapshot_methods the overview holds the method's trials (the discovered one
    last), its EMA and FDA records, as the full read of every snapshot gave them."""
    with runtime.sessions() as session:
        (method,) = store.active_methods(session)
        overview = build_overview(session, method)
        (again,) = build_overviews(session, [method], events=5)
    keys = [item.key for item in overview.trials]
    assert keys[: len(method.trials)] == method.trials and keys[-1] == DISCOVERED
    assert overview.medicines and overview.procedures and overview.applications
    assert [i.key for i in again.trials] == keys and again.events == overview.events


def test_a_discovered_trial_finds_its_method(runtime: Runtime) -> None:
    """A trial known only from discovery gives the method's card, in any case."""
    assert found_id(runtime, DISCOVERED) == DUPILUMAB
    assert found_id(runtime, DISCOVERED.lower()) == DUPILUMAB
    assert found_id(runtime, "NCT09999999") is None


def test_the_index_follows_add_remove_and_route(runtime: Runtime) -> None:
    """Edits made in Slack are seen by the very next lookup of the same process."""
    assert found_id(runtime, "tezspire") is None  # the index is now built and cached
    edit(runtime, admin.add_method, ASTHMA, minutes=1)
    assert found_id(runtime, "tezspire") == ASTHMA.id
    edit(runtime, admin.route_method, ASTHMA.id, "C0999ZZZ", minutes=2)
    with runtime.sessions() as session:
        assert search_index(session).by_id[ASTHMA.id].channel == "C0999ZZZ"
    edit(runtime, admin.remove_method, ASTHMA.id, minutes=3)
    assert found_id(runtime, "tezspire") is None
    assert "Fant ingen metode" in ask(runtime, "tezspire").message.text


def edit(runtime: Runtime, operation: Any, *args: Any, minutes: int) -> None:
    """One audited change as the Slack handlers make it."""
    with db.transaction(runtime.sessions) as session:
        operation(
            session,
            *args,
            actor="U0ADMIN",
            request_id=f"r{minutes}",
            now=NOW + timedelta(minutes=minutes),
        )


def test_the_index_follows_a_watchlist_change(runtime: Runtime, tmp_path: Any) -> None:
    """A changed watchlist file, synced at the next start, is what the next lookup searches."""
    assert found_id(runtime, "dupixent") == DUPILUMAB
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(
        "methods:\n  - id: tezepelumab-astma\n    title: Tezepelumab mot astma\n"
        "    substance: tezepelumab\n    trade_names: [Tezspire]\n",
        encoding="utf-8",
    )
    settings = runtime.settings.model_copy(update={"watchlist_file": watchlist})
    open_runtime(settings).close()
    assert found_id(runtime, "tezspire") == ASTHMA.id
    assert found_id(runtime, "dupixent") is None


def test_several_methods_list_in_id_order(runtime: Runtime) -> None:
    """A key two methods share lists both, in the order of their ids, from the cached index."""
    twin = ASTHMA.model_copy(update={"id": "a-dupilumab-twin", "substance": "dupilumab"})
    edit(runtime, admin.add_method, twin, minutes=1)
    message = ask(runtime, "dupilumab").message
    text = str(message.blocks)
    assert text.index("a-dupilumab-twin") < text.index(DUPILUMAB)


@pytest.fixture
def engine_at_0003(database_url: str) -> Iterator[Engine]:
    """A database migrated to 0003, as the previous version left it."""
    engine = db.make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    yield engine
    engine.dispose()


def test_the_migration_fills_the_rows_from_stored_snapshots(engine_at_0003: Engine) -> None:
    """0005 writes one row per (snapshot, method) from every stored `method_ids`."""
    sessions = db.session_factory(engine_at_0003)
    with db.transaction(sessions) as session:
        for key, owners in (("NCT01", ["m1", "m2"]), ("NCT02", ["m2", "m2"]), ("NCT03", [])):
            session.add(
                Snapshot(
                    source="clinicaltrials",
                    key=key,
                    fields={},
                    content_hash="0" * 64,
                    url="https://x",
                    method_ids=owners,
                    first_seen=NOW,
                    last_seen=NOW,
                )
            )
    db.upgrade(engine_at_0003)
    with sessions() as session:
        assert links(session) == {
            ("clinicaltrials", "NCT01", "m1"),
            ("clinicaltrials", "NCT01", "m2"),
            ("clinicaltrials", "NCT02", "m2"),
        }


GENERATED = [Method.model_validate(m) for m in watchlist_with_discovery(300, 5)["methods"]]


def every_name(methods: list[Method]) -> dict[str, str]:
    """Every searchable name by folded form, as the suggestions read them before the index."""
    names: dict[str, str] = {}
    for method in methods:
        for name in [*search_keys(method), method.title]:
            names.setdefault(fold(name).strip(), name.strip())
    return names


NAMES = every_name(GENERATED)
INDEX = SearchIndex(GENERATED)


_TYPOS = st.tuples(
    st.sampled_from([*(m.substance for m in GENERATED), *(m.trials[0] for m in GENERATED)]),
    st.integers(min_value=0, max_value=12),
    st.sampled_from(["", "x", "0", "a", "-", " ", "é"]),
).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :])
# Strings whose closeness to the names lies near the cutoff: where skipping could go wrong.
_NEAR = st.text(alphabet="synthabfmcNT0147-é ", min_size=2, max_size=12)


@settings(max_examples=150, deadline=None)
@given(_TYPOS | _NEAR)
def test_suggestions_are_difflibs(query: str) -> None:
    """Skipping names that cannot be close changes nothing: the same three names, in order,
    as difflib over every name of every method."""
    wanted = fold(query)
    close = difflib.get_close_matches(wanted, list(NAMES), n=3, cutoff=0.6)
    assert INDEX.suggest(wanted) == [NAMES[folded] for folded in close]
