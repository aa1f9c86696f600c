"""Starting a process: the watchlist is read once per change, Slack's edits still win, and a
command loads only what it uses (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import bot.runtime
from bot.runtime import open_runtime, seed_methods
from bot.settings import Settings
from bot.storage import admin, db, seeding, store
from bot.storage.tables import MethodRow
from bot.watchlist import WatchlistError, load_watchlist
from tests.world import SEED

ROOT = Path(__file__).parents[1]
NOW = datetime(2026, 12, 5, 8, tzinfo=UTC)
TWO = """\
methods:
  - id: dupilumab-ad
    title: Dupilumab mot atopisk eksem
    substance: dupilumab
    trade_names: [Dupixent]
  - id: tezepelumab-astma
    title: Tezepelumab mot astma
    substance: tezepelumab
"""


def settings_for(database_url: str, watchlist: Path) -> Settings:
    return Settings(_env_file=None, database_url=database_url, watchlist_file=watchlist)


def start(database_url: str, watchlist: Path) -> dict[str, tuple[bool, str | None]]:
    """Open (and close) a runtime as every command does; each method's (active, channel)."""
    runtime = open_runtime(settings_for(database_url, watchlist))
    try:
        with runtime.sessions() as session:
            rows = session.query(MethodRow).all()
            return {row.id: (row.active, row.definition.get("channel")) for row in rows}
    finally:
        runtime.close()


@pytest.fixture
def watchlist(tmp_path: Path) -> Path:
    path = tmp_path / "watchlist.yaml"
    path.write_text(TWO, encoding="utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the runtime parsed (it still parses them)."""
    parsed: list[str] = []
    real = bot.runtime.watchlist_from_bytes

    def counting(raw: bytes, *, name: str) -> Any:
        parsed.append(name)
        return real(raw, name=name)

    monkeypatch.setattr(bot.runtime, "watchlist_from_bytes", counting)
    return parsed


def test_an_unchanged_watchlist_is_not_parsed_again(
    database_url: str, watchlist: Path, parses: list[str]
) -> None:
    """The first start parses and syncs the file; the next ones, with nothing changed, do not."""
    first = start(database_url, watchlist)
    second = start(database_url, watchlist)
    assert parses == [str(watchlist)]
    assert first == second == {"dupilumab-ad": (True, None), "tezepelumab-astma": (True, None)}


def test_a_changed_watchlist_is_read_and_synced(
    database_url: str, watchlist: Path, parses: list[str]
) -> None:
    """An edited file is parsed at the next start: a method dropped from it stops being watched."""
    start(database_url, watchlist)
    watchlist.write_text(TWO.split("  - id: tezepelumab-astma")[0], encoding="utf-8")
    methods = start(database_url, watchlist)
    assert len(parses) == 2
    assert methods == {"dupilumab-ad": (True, None), "tezepelumab-astma": (False, None)}


def test_a_broken_watchlist_is_reported_as_before(database_url: str, watchlist: Path) -> None:
    """After a good start, a broken edit fails the next start with the same file:line errors
    `watchlist check` gives."""
    start(database_url, watchlist)
    watchlist.write_text(TWO + "    trails: [NCT1]\n    atc: X\n", encoding="utf-8")
    with pytest.raises(WatchlistError) as started:
        start(database_url, watchlist)
    with pytest.raises(WatchlistError) as checked:
        load_watchlist(watchlist)
    assert str(started.value) == str(checked.value)
    assert f"{watchlist}:9: methods[1].trails: unknown key 'trails'" in str(started.value)


def test_slack_edits_win_over_an_unchanged_file(
    database_url: str, watchlist: Path, parses: list[str]
) -> None:
    """Removed, routed and added in Slack, then restarted with the same file: Slack's state
    stays, exactly as when every start synced the file."""
    start(database_url, watchlist)
    engine = db.make_engine(database_url)
    sessions = db.session_factory(engine)
    extra = load_watchlist(SEED)[0]
    with db.transaction(sessions) as session:
        admin.remove_method(session, "dupilumab-ad", actor="U1", request_id="r1", now=NOW)
        admin.route_method(
            session, "tezepelumab-astma", "C0999ZZZ", actor="U1", request_id="r2", now=NOW
        )
        admin.add_method(session, extra, actor="U1", request_id="r3", now=NOW)
    engine.dispose()
    assert start(database_url, watchlist) == {
        "dupilumab-ad": (False, None),
        "tezepelumab-astma": (True, "C0999ZZZ"),
        extra.id: (True, None),
    }
    assert len(parses) == 2  # the table changed, so the file was synced again


def test_a_table_changed_elsewhere_is_synced_again(database_url: str, watchlist: Path) -> None:
    """File methods deactivated by another writer come back at the next start, as before."""
    runtime = open_runtime(settings_for(database_url, watchlist))
    seed_methods(runtime, [])  # the file's methods, as if the file had been emptied
    runtime.close()
    assert start(database_url, watchlist) == {
        "dupilumab-ad": (True, None),
        "tezepelumab-astma": (True, None),
    }


def test_new_reading_code_reads_the_same_file_again(
    database_url: str, watchlist: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint covers the code that reads the file: a new version parses it again."""
    start(database_url, watchlist)
    monkeypatch.setattr(seeding, "_code_digest", lambda: b"another version")
    start(database_url, watchlist)
    assert len(parses) == 2


def test_the_methods_version_moves_on_every_write(sessions: db.SessionFactory) -> None:
    """Add, route and remove each move the version, even with the same clock reading."""
    method = load_watchlist(SEED)[0]
    versions = []
    for step, operation, args in [
        (1, admin.add_method, (method,)),
        (2, admin.route_method, (method.id, "C0999ZZZ")),
        (3, admin.remove_method, (method.id,)),
    ]:
        with db.transaction(sessions) as session:
            operation(session, *args, actor="U1", request_id=f"r{step}", now=NOW)
        with sessions() as session:
            versions.append(store.methods_version(session))
    assert len(set(versions)) == 3
    assert versions[0][0] is not None


def test_the_shipped_head_is_alembics_head() -> None:
    """The head read from the migration files without Alembic is the one Alembic finds."""
    assert db.shipped_head() == db.head_revision()


def loaded_modules(arguments: list[str], env: dict[str, str]) -> set[str]:
    """The top-level modules a `metodevakt` command loaded, run in a fresh interpreter."""
    script = (
        "import sys, json\n"
        "from bot.cli import app\n"
        f"try:\n    app({arguments!r})\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | env,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


HEAVY = {"slack_bolt", "slack_sdk", "gunicorn", "apscheduler", "feedparser", "openpyxl", "httpx"}


def test_help_loads_no_database_http_or_slack_library() -> None:
    """`metodevakt --help` imports neither a database, HTTP, Slack nor scheduler library."""
    modules = loaded_modules(["--help"], {})
    assert modules & (HEAVY | {"sqlalchemy", "alembic", "pydantic", "yaml"}) == set()


def test_lookup_loads_no_http_slack_or_scheduler(tmp_path: Path) -> None:
    """`metodevakt lookup` on a database at head imports no HTTP, Slack, scheduler, feed or
    spreadsheet library, nor Alembic (only APScheduler's cron parser, to check DIGEST_CRON)."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "WATCHLIST_FILE": str(SEED)}
    loaded_modules(["db", "upgrade"], env)
    modules = loaded_modules(["lookup", "dupilumab"], env)
    assert "sqlalchemy" in modules
    assert modules & (HEAVY - {"apscheduler"} | {"alembic"}) == set()


def test_the_seed_is_remembered_per_database(database_url: str, watchlist: Path) -> None:
    """The remembered fingerprint is the file's, so a restart with it skips the parse."""
    start(database_url, watchlist)
    engine = db.make_engine(database_url)
    with db.session_factory(engine)() as session:
        assert seeding.is_current(session, seeding.fingerprint(watchlist.read_bytes()))
        assert not seeding.is_current(session, seeding.fingerprint(b"methods: []\n"))
    engine.dispose()
