"""The Slack app manifest against the listeners the app registers, both ways; minimal scopes.

The listeners are read from Bolt, not from our source: the app's registered listeners
(`App._listeners`, which Bolt 1.x keeps without a public accessor), the name each one's first
matcher was built with (its closure), and, to tell a command from an action, a view or an event,
Bolt's own `Listener.matches()` on a request of each kind.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt import App, BoltRequest, BoltResponse

from bot.runtime import open_runtime
from bot.settings import Settings
from bot.slack.app import build_app

MANIFEST = Path(__file__).parents[1] / "config" / "slack-app-manifest.yaml"
# The request Slack sends for each kind of listener, for a given name.
PROBES = {
    "command": lambda name: {"command": name, "team_id": "T0TEAM"},
    "action": lambda name: {
        "type": "block_actions",
        "actions": [{"type": "button", "action_id": name, "block_id": "b"}],
    },
    "view": lambda name: {
        "type": "view_submission",
        "view": {"type": "modal", "callback_id": name},
    },
    "event": lambda name: {"type": "event_callback", "event": {"type": name}},
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(MANIFEST.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, set[str]]]:
    """What the app listens to, by kind: {"command": {"/metode"}, "action": {...}, ...}."""
    database = tmp_path_factory.mktemp("manifest") / "app.db"
    settings = Settings(
        database_url=f"sqlite:///{database}",
        slack_bot_token="xoxb-test",
        slack_signing_secret="manifest-test-secret",
    )
    runtime = open_runtime(settings, seed_watchlist=False)
    try:
        yield listeners_of(build_app(runtime))
    finally:
        runtime.close()


def listeners_of(app: App) -> dict[str, set[str]]:
    """Each registered listener's name, under the kind of request it matches ("unknown": none)."""
    found: dict[str, set[str]] = defaultdict(set)
    for listener in app._listeners:
        names = inspect.getclosurevars(listener.matchers[0].func).nonlocals.values()
        for name in (value for value in names if isinstance(value, str)):
            kinds = [kind for kind, body in PROBES.items() if matches(listener, body(name))]
            found[kinds[0] if len(kinds) == 1 else "unknown"].add(name)
    return dict(found)


def matches(listener: Any, body: dict[str, Any]) -> bool:
    request = BoltRequest(body=body, mode="socket_mode")
    return bool(listener.matches(req=request, resp=BoltResponse(status=200)))


def test_every_listener_is_understood(registered: dict[str, set[str]]) -> None:
    """Each listener is a command, an action, a view or an event (else this test must learn it)."""
    assert "unknown" not in registered, registered
    assert registered.get("command") and registered.get("event")


def test_slash_commands_match_both_ways(
    manifest: dict[str, Any], registered: dict[str, set[str]]
) -> None:
    """The manifest's slash commands are exactly the commands the app answers."""
    declared = {command["command"] for command in manifest["features"]["slash_commands"]}
    assert declared == registered.get("command", set())


def test_bot_events_match_both_ways(
    manifest: dict[str, Any], registered: dict[str, set[str]]
) -> None:
    """The events the manifest subscribes to are exactly the events the app listens to."""
    declared = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert declared == registered.get("event", set())


def test_interactivity_is_on_exactly_when_there_are_actions_or_views(
    manifest: dict[str, Any], registered: dict[str, set[str]]
) -> None:
    """Buttons and the add-method form need interactivity; without them it would be off."""
    interactive = bool(registered.get("action") or registered.get("view"))
    assert manifest["settings"]["interactivity"]["is_enabled"] is interactive


def test_home_tab_is_on_exactly_when_app_home_is_listened_to(
    manifest: dict[str, Any], registered: dict[str, set[str]]
) -> None:
    """App Home's tab is enabled when, and only when, the app answers app_home_opened."""
    home = "app_home_opened" in registered.get("event", set())
    assert manifest["features"]["app_home"]["home_tab_enabled"] is home


def test_every_request_url_is_the_one_endpoint(manifest: dict[str, Any]) -> None:
    """Commands, interactivity and events all go to /slack/events (what `web` serves)."""
    settings = manifest["settings"]
    urls = [command["url"] for command in manifest["features"]["slash_commands"]]
    urls += [
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    ]
    assert all(url.endswith("/slack/events") for url in urls)


def test_manifest_declares_minimal_scopes_and_escaped_command(manifest: dict[str, Any]) -> None:
    """`/metode` is escaped (for `#kanal`); four bot scopes only."""
    (command,) = manifest["features"]["slash_commands"]
    assert command["should_escape"] is True  # `/metode kanal … #kanal` needs <#C…|…>
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == [
        "channels:history",
        "chat:write",
        "commands",
        "groups:history",
    ]
