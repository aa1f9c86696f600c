"""Slack for `metodevakt doctor`: the token, the scopes granted, the bot in its channels."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings

# The bot scopes of config/slack-app-manifest.yaml (tests/test_manifest.py keeps them equal).
REQUIRED_SCOPES = ("commands", "chat:write", "channels:history", "groups:history")


@dataclass(frozen=True)
class ChannelCheck:
    """One channel the bot posts to: its role (alert, admin), its ID, and a problem if any."""

    role: str
    channel: str | None
    problem: str | None = None


@dataclass
class SlackCheck:
    """What Slack said: whether a token is configured, who the bot is, what is missing."""

    configured: bool
    team: str | None = None
    user: str | None = None
    problem: str | None = None
    missing_scopes: list[str] = field(default_factory=list)
    channels: list[ChannelCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Without a token the bot writes to the console, which is a working setup."""
        channels_ok = all(channel.problem is None for channel in self.channels)
        return self.problem is None and not self.missing_scopes and channels_ok


def check_slack(settings: Settings) -> SlackCheck:
    """auth.test with the bot token, the scopes it was granted, and the alert and admin channels."""
    if settings.slack_bot_token is None:
        return SlackCheck(configured=False)
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
    )
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        return SlackCheck(configured=True, problem=_error(exc))
    except OSError as exc:  # Slack not reached at all
        return SlackCheck(configured=True, problem=type(exc).__name__)
    check = SlackCheck(True, team=auth.get("team_id"), user=auth.get("user_id"))
    check.missing_scopes = _missing_scopes(auth.headers)
    check.channels = [_channel(client, role, channel) for role, channel in _channels(settings)]
    return check


def _missing_scopes(headers: dict[str, object]) -> list[str]:
    """The required scopes the token lacks, from Slack's `x-oauth-scopes` answer header."""
    found = {name.lower(): value for name, value in (headers or {}).items()}
    value = found.get("x-oauth-scopes")
    text = value[0] if isinstance(value, list) else str(value or "")
    granted = {scope.strip() for scope in text.split(",") if scope.strip()}
    return [scope for scope in REQUIRED_SCOPES if scope not in granted]


def _channels(settings: Settings) -> list[tuple[str, str | None]]:
    alert = settings.slack_alert_channel
    admin = settings.slack_admin_channel
    found: list[tuple[str, str | None]] = [("alert", alert)]
    if admin and admin != alert:
        found.append(("admin", admin))
    return found


def _channel(client: WebClient, role: str, channel: str | None) -> ChannelCheck:
    """Whether the bot can read (and so post in) the channel: history answers only to members."""
    if not channel:
        return ChannelCheck(role, None, problem="not_set")
    try:
        client.conversations_history(channel=channel, limit=1)
    except SlackApiError as exc:
        return ChannelCheck(role, channel, problem=_error(exc))
    except OSError as exc:
        return ChannelCheck(role, channel, problem=type(exc).__name__)
    return ChannelCheck(role, channel)


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
