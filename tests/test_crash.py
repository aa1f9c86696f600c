"""A bot killed with SIGKILL between Slack accepting a post and recording it posts nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import SEED, DupilumabWorld

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
    settings = world.settings()
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "WATCHLIST_FILE": str(SEED),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.url,
        "SLACK_ALERT_CHANNEL": CHANNEL,
        "CTGOV_API_URL": settings.ctgov_api_url,
        "OPENFDA_API_URL": settings.openfda_api_url,
        "EMA_BASE_URL": settings.ema_base_url,
        "FDA_BASE_URL": settings.fda_base_url,
        "CTGOV_MIN_INTERVAL": "0",
        "OPENFDA_MIN_INTERVAL": "0",
        "EMA_MIN_INTERVAL": "0",
        "FDA_MIN_INTERVAL": "0",
        "SLACK_MIN_INTERVAL": "0",
        "NO_PROXY": "127.0.0.1",
        "PYTHONPATH": str(SEED.parents[1]),
    }


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
