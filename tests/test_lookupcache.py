"""Kept answers: served again while nothing changed, answered afresh after any change a card
shows (a poll, an event, an edit in Slack), on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.detection.detect import Change
from bot.lookup import cache
from bot.lookup.cache import cached_answer
from bot.overview.state import today_utc
from bot.runtime import Runtime, open_runtime
from bot.storage import admin, db, store
from bot.texts.lookupcard import as_terminal_text
from tests.replay import ReplayServer
from tests.world import DupilumabWorld

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 12, 5, 8, tzinfo=UTC)
METHOD = "dupilumab-ad-12-17"


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def runtime(world: DupilumabWorld, database_url: str) -> Iterator[Runtime]:
    runtime = open_runtime(world.settings(database_url=database_url))
    runtime.poll()
    yield runtime
    runtime.close()


def ask(runtime: Runtime, query: str = "dupilumab") -> Any:
    with runtime.sessions() as session:
        return cached_answer(session, query, language="nb", zone=OSLO)


def text_of(found: Any) -> str:
    return as_terminal_text(found.message)


def test_an_unchanged_database_is_answered_from_memory(runtime: Runtime) -> None:
    """Asked twice with nothing changed in between, the kept answer is served again."""
    first = ask(runtime)
    assert ask(runtime) is first
    assert ask(runtime, "Dupilumab") is not first  # another query, its own answer


def test_a_new_day_gives_a_fresh_answer(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing committed overnight, the outlook is still decided as of the new day: an answer
    kept yesterday is not served today."""
    first = ask(runtime)
    assert ask(runtime) is first
    tomorrow = today_utc() + timedelta(days=1)
    monkeypatch.setattr(cache, "today_utc", lambda: tomorrow)
    assert ask(runtime) is not first
    assert ask(runtime) is ask(runtime)


def test_a_poll_with_news_gives_a_fresh_card(runtime: Runtime, world: DupilumabWorld) -> None:
    """After a poll that finds a finished trial, the card shows it at once."""
    before = ask(runtime)
    assert "→ Avsluttet" not in text_of(before)
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-24")
    runtime.poll()
    after = ask(runtime)
    assert after is not before
    assert "Pågående, rekrutterer ikke → Avsluttet" in text_of(after)


def test_a_quiet_poll_still_renews_the_read_times(runtime: Runtime) -> None:
    """A poll that changes nothing moves the sources' read times, which the card shows."""
    before = ask(runtime)
    runtime.poll()
    assert ask(runtime) is not before


def test_a_new_event_gives_a_fresh_card(runtime: Runtime) -> None:
    """An event stored by any writer appears in the next answer."""
    before = ask(runtime)
    change = Change(
        METHOD,
        "clinicaltrials",
        "NCT03054428",
        "trial_status",
        "high",
        {"overall_status": "ACTIVE_NOT_RECRUITING"},
        {"overall_status": "TERMINATED"},
        "https://clinicaltrials.gov/study/NCT03054428",
        "NCT03054428 (LIBERTY AD ADOL)",
    )
    with db.transaction(runtime.sessions) as session:
        store.add_events(session, [change], now=NOW + timedelta(days=400))
    after = ask(runtime)
    assert after is not before and text_of(after) != text_of(before)
    assert "NCT03054428" in text_of(after).split("Siste hendelser")[1].splitlines()[1]


def test_edits_in_slack_give_fresh_answers(runtime: Runtime) -> None:
    """Removed in Slack, the method is no longer found by the very next lookup."""
    assert ask(runtime).method is not None
    with db.transaction(runtime.sessions) as session:
        admin.remove_method(session, METHOD, actor="U1", request_id="r1", now=NOW)
    assert ask(runtime).method is None


def test_an_edit_by_another_process_gives_a_fresh_answer(
    runtime: Runtime, database_url: str
) -> None:
    """A method removed by another process (the worker, a second web process) is not found by
    this process's next lookup, though its own connections saw no write."""
    assert ask(runtime).method is not None
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from bot.storage import admin, db\n"
        "engine = db.make_engine(sys.argv[1])\n"
        "with db.transaction(db.session_factory(engine)) as session:\n"
        f"    admin.remove_method(session, {METHOD!r}, actor='U1', request_id='p1',"
        " now=datetime.now(UTC))\n"
    )
    subprocess.run([sys.executable, "-c", script, database_url], check=True, timeout=60)
    assert ask(runtime).method is None
