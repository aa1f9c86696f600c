"""A bot killed with SIGKILL between Slack accepting a post and recording it posts nothing twice,
and a summary in parts killed between its parts loses and repeats none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bench.surfaceworld import seed
from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import SlackPoster
from bot.storage import db
from bot.storage.tables import OutboxRow
from bot.watchlist import Method
from tests import botprocess
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import DupilumabWorld

CHANNEL = "C0123ABCD"


def poll_once(env: dict[str, str], *, crashpoint: str | None = None) -> int:
    """Run `metodevakt poll --once` as a separate process; returns its exit status."""
    run_env = env | ({"METODEVAKT_CRASHPOINT": crashpoint} if crashpoint else {})
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "poll", "--once"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return completed.returncode


def bot_env(world: DupilumabWorld, slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    """The bot's environment for these tests: a SQLite file in `tmp_path`."""
    return botprocess.bot_env(world, slack, f"sqlite:///{tmp_path / 'bot.db'}", home=tmp_path)


@pytest.mark.parametrize("nth", [1, 2], ids=["card", "alert-reply"])
def test_kill_after_post_before_record_gives_one_copy(
    replay: ReplayServer, fake_slack: FakeSlack, tmp_path: Path, nth: int
) -> None:
    """Killed right after Slack accepted the card (1) or the reply (2): after restart, one copy."""
    world = DupilumabWorld(replay)
    env = bot_env(world, fake_slack, tmp_path)
    assert poll_once(env) == 0
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-24")
    assert poll_once(env, crashpoint=f"after_post:{nth}") == -signal.SIGKILL
    assert len(fake_slack.calls_to("chat.postMessage")) == nth
    assert poll_once(env) == 0
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert "Avsluttet" in reply.text
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


@pytest.mark.parametrize("crashpoint", ["after_post:2", "before_post:2", "after_post:3"])
def test_a_summary_in_parts_loses_and_repeats_no_part_across_a_kill(
    fake_slack: FakeSlack, tmp_path: Path, crashpoint: str
) -> None:
    """Killed between the posts of a summary in three or more parts: after a restart every part
    is in the thread once, in order."""
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    methods = summary_world(database)
    env = summary_env(fake_slack, database, write_methods(tmp_path / "watchlist.yaml", methods))
    digest = subprocess.run(
        [sys.executable, "-m", "bot", "digest"],
        env=env | {"METODEVAKT_CRASHPOINT": crashpoint},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert digest.returncode == -signal.SIGKILL, digest.stderr
    restart(database, fake_slack)
    (parent,) = fake_slack.messages(CHANNEL)
    replies = fake_slack.replies(CHANNEL, parent.ts)
    total = len(replies) + 1
    labels = [reply.blocks[0]["elements"][0]["text"] for reply in replies]
    assert total >= 3 and labels == [f"Del {n} av {total}" for n in range(2, total + 1)]
    assert botprocess.duplicated_keys(fake_slack) == []


def summary_world(database: str) -> list[Method]:
    """60 methods, 37 of them changed, their alerts already delivered: a summary in parts."""
    engine = db.make_engine(database)
    db.upgrade(engine)
    sessions = db.session_factory(engine)
    world = seed(sessions, methods=60, now=datetime.now(UTC) - timedelta(hours=1))
    with db.transaction(sessions) as session:
        for row in session.scalars(select(OutboxRow)):
            row.status = "sent"
    engine.dispose()
    return world.methods


def write_methods(path: Path, methods: list[Method]) -> Path:
    """The methods as a watchlist file (the bot syncs its methods from it at start)."""
    entries = [method.model_dump(mode="json", exclude_none=True) for method in methods]
    path.write_text(yaml.safe_dump({"methods": entries}, sort_keys=False), encoding="utf-8")
    return path


def summary_env(slack: FakeSlack, database: str, watchlist: Path) -> dict[str, str]:
    """The bot's environment for `metodevakt digest`: the database, the file, the fake Slack."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(watchlist.parent),
        "DATABASE_URL": database,
        "WATCHLIST_FILE": str(watchlist),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.url,
        "SLACK_ALERT_CHANNEL": CHANNEL,
        "SLACK_MIN_INTERVAL": "0",
        "NO_PROXY": "127.0.0.1",
        "PYTHONPATH": str(botprocess.ROOT),
    }


def restart(database: str, slack: FakeSlack) -> None:
    """A new process's delivery on the same database: reconcile, then send what is due."""
    engine = db.make_engine(database)
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    Deliverer(db.session_factory(engine), poster, "nb", min_interval=0.0).run()
    engine.dispose()
