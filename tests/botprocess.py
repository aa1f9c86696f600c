"""The bot as a separate process against loopback servers, and what it left in the fake Slack."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.fakeslack import FakeSlack, Message
from tests.world import SEED, DupilumabWorld

CHANNEL = "C0123ABCD"
ROOT = SEED.parents[1]


def bot_env(
    world: DupilumabWorld, slack: FakeSlack, database_url: str, *, home: Path, **extra: str
) -> dict[str, str]:
    """A clean environment pointing the bot at the replay world, the fake Slack and a database.

    `home` is the process's home and working directory (so no developer's `.env` is read).
    """
    settings = world.settings()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "DATABASE_URL": database_url,
        "WATCHLIST_FILE": str(SEED),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.url,
        "SLACK_ALERT_CHANNEL": CHANNEL,
        "CTGOV_API_URL": settings.ctgov_api_url,
        "OPENFDA_API_URL": settings.openfda_api_url,
        "EMA_BASE_URL": settings.ema_base_url,
        "FDA_BASE_URL": settings.fda_base_url,
        "NYEMETODER_BASE_URL": settings.nyemetoder_base_url,
        "CTGOV_MIN_INTERVAL": "0",
        "OPENFDA_MIN_INTERVAL": "0",
        "EMA_MIN_INTERVAL": "0",
        "FDA_MIN_INTERVAL": "0",
        "NYEMETODER_MIN_INTERVAL": "0",
        "SLACK_MIN_INTERVAL": "0",
        "NO_PROXY": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    return env | extra


def command(*args: str) -> list[str]:
    """`metodevakt ARGS` as this interpreter runs it."""
    return [sys.executable, "-m", "bot", *args]


def poll_once(
    env: dict[str, str], *, crashpoint: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `metodevakt poll --once` to its end (or its crash point)."""
    run_env = env | ({"METODEVAKT_CRASHPOINT": crashpoint} if crashpoint else {})
    return subprocess.run(
        command("poll", "--once"),
        env=run_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=run_env["HOME"],
    )


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start `metodevakt ARGS` in the background (stop it with stop())."""
    return subprocess.Popen(
        command(*args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=env["HOME"],
    )


def stop(process: subprocess.Popen[str], *, timeout: float = 30) -> str:
    """SIGTERM, wait (bounded), SIGKILL if it is still there; returns what it logged."""
    if process.poll() is None:
        process.terminate()
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate(timeout=5)
    return stderr


def all_messages(slack: FakeSlack) -> list[Message]:
    """Every message the fake Slack holds, top-level and replies, in post order."""
    with slack.lock:
        return list(slack.workspace.messages)


def alert_key(message: Message) -> str | None:
    """The key the bot put in a message's metadata."""
    payload = (message.metadata or {}).get("event_payload") or {}
    key = payload.get("alert_key")
    return None if key is None else str(key)


def duplicated_keys(slack: FakeSlack) -> list[str]:
    """Alert keys that arrived more than once."""
    counts = Counter(alert_key(message) for message in all_messages(slack))
    return sorted(key for key, count in counts.items() if key is not None and count > 1)
