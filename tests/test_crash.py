"""A bot killed with SIGKILL between Slack accepting a post and recording it posts nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

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
