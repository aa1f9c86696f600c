"""The Slack app manifest: what the bot uses, and no more."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.app import build_app  # noqa: F401  (the app the manifest describes)

MANIFEST = Path(__file__).parents[1] / "config" / "slack-app-manifest.yaml"


def test_manifest_declares_the_command_events_and_minimal_scopes() -> None:
    """`/metode`, interactivity and App Home on /slack/events; four bot scopes only."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/metode" and command["url"].endswith("/slack/events")
    assert command["should_escape"] is True  # `/metode kanal … #kanal` needs <#C…|…>
    settings = manifest["settings"]
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == [
        "channels:history",
        "chat:write",
        "commands",
        "groups:history",
    ]
