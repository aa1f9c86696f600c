"""Posting to Slack (or to the console): post once, update, and find a post again by its key."""

from __future__ import annotations

import http.client
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.texts.blockkit import Block, blocks_as_text

log = logging.getLogger(__name__)

EVENT_TYPE = "metodevakt_alert"
# Pages of history or replies read when looking for an unconfirmed post (200 messages each).
FIND_PAGES = 10
# Errors that no retry can fix: the row is parked as dead and an admin is told.
PERMANENT = {
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "no_text",
    "restricted_action",
    "missing_scope",
    "ekm_access_denied",
}
# Slack refused what the message holds (Block Kit limits, length; docs/slack-limits.md): the
# same payload can never go through, a split or shortened one can. Never retried as it is.
PAYLOAD_REFUSED = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long"}
)


class DeliveryError(Exception):
    """Slack refused or failed; `retry_after` set for rate limits, `permanent` when hopeless,
    `payload_refused` when the content itself was refused (split or shorten, then send)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.reason, self.retry_after, self.permanent = reason, retry_after, permanent

    @property
    def payload_refused(self) -> bool:
        """True for Slack's answers to a payload past its limits (PAYLOAD_REFUSED)."""
        return self.reason in PAYLOAD_REFUSED


class OutcomeUnknownError(Exception):
    """The post may or may not have reached Slack (connection lost after sending)."""


@dataclass(frozen=True)
class Outgoing:
    """One message to post, carrying its alert key in the message metadata."""

    channel: str
    text: str
    blocks: list[Block]
    key: str
    thread_ts: str | None = None
    broadcast: bool = False


class Poster(Protocol):
    """Where messages go: Slack, or the console when no token is configured."""

    def post(self, message: Outgoing) -> str:
        """Post and return the message's ts; raise DeliveryError or OutcomeUnknownError."""
        ...

    def update(self, channel: str, ts: str, *, text: str, blocks: list[Block]) -> None:
        """Replace an earlier message (the status card)."""
        ...

    def find(
        self, channel: str, key: str, *, oldest: datetime, thread_ts: str | None
    ) -> str | None:
        """The ts of our message with `key` posted since `oldest`, if Slack has it."""
        ...


class SlackPoster:
    """The Slack Web API. Posting never retries by itself: a retried post after a dropped
    connection duplicates the message (slack_sdk's default retry handler does exactly that)."""

    def __init__(self, token: str, *, base_url: str, timeout: int = 30) -> None:
        self.writer = WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])
        self.reader = WebClient(token=token, base_url=base_url, timeout=timeout)

    def post(self, message: Outgoing) -> str:
        """chat.postMessage with unfurling off and the key in metadata."""
        arguments: dict[str, Any] = {
            "channel": message.channel,
            "text": message.text,
            "blocks": message.blocks,
            "unfurl_links": False,
            "unfurl_media": False,
            "metadata": {"event_type": EVENT_TYPE, "event_payload": {"alert_key": message.key}},
        }
        if message.thread_ts:
            arguments |= {"thread_ts": message.thread_ts, "reply_broadcast": message.broadcast}
        try:
            response = self.writer.chat_postMessage(**arguments)
        except SlackApiError as exc:
            raise _api_error(exc, unknown_on_5xx=True) from None
        except (OSError, http.client.HTTPException) as exc:
            raise OutcomeUnknownError(type(exc).__name__) from None
        return str(response["ts"])

    def update(self, channel: str, ts: str, *, text: str, blocks: list[Block]) -> None:
        """chat.update of one of our messages."""
        try:
            self.writer.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            raise _api_error(exc) from None
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(type(exc).__name__) from None

    def find(
        self, channel: str, key: str, *, oldest: datetime, thread_ts: str | None
    ) -> str | None:
        """Look in the thread (replies) or the channel's recent history for our key."""
        since = f"{oldest.timestamp():.6f}"
        cursor = None
        for _ in range(FIND_PAGES):
            arguments = {
                "channel": channel,
                "oldest": since,
                "include_all_metadata": True,
                "limit": 200,
                "cursor": cursor,
            }
            response = self._read(thread_ts, arguments)
            found = _ts_with_key(response.get("messages") or [], key)
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if found is not None or not cursor:
                return found
        return None

    def _read(self, thread_ts: str | None, arguments: dict[str, Any]) -> Any:
        try:
            if thread_ts:
                return self.reader.conversations_replies(ts=thread_ts, **arguments)
            return self.reader.conversations_history(**arguments)
        except SlackApiError as exc:
            raise _api_error(exc) from None
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(type(exc).__name__) from None


def _ts_with_key(messages: list[dict[str, Any]], key: str) -> str | None:
    for message in messages:
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("alert_key") == key:
            return str(message["ts"])
    return None


def _api_error(exc: SlackApiError, *, unknown_on_5xx: bool = False) -> Exception:
    response = exc.response
    error = str(response.get("error") or f"HTTP {response.status_code}")
    if response.status_code == 429:
        headers = {name.lower(): value for name, value in (response.headers or {}).items()}
        value = headers.get("retry-after", "1")
        retry_after = float((value[0] if isinstance(value, list) else value) or 1)
        return DeliveryError("ratelimited", retry_after=retry_after)
    if unknown_on_5xx and response.status_code >= 500:
        return OutcomeUnknownError(error)
    return DeliveryError(error, permanent=error in PERMANENT or error in PAYLOAD_REFUSED)


@dataclass
class ConsolePoster:
    """Prints messages readably when no Slack token is configured."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    posted: int = 0

    def post(self, message: Outgoing) -> str:
        """Print the message's blocks as plain text, indented when it is a thread reply."""
        self.posted += 1
        indent = "    " if message.thread_ts else ""
        lines = blocks_as_text(message.blocks) or [message.text]
        marker = "↳ " if message.thread_ts else "● "
        body = "\n".join(f"{indent}  {line}" for line in lines[1:])
        self.stream.write(f"{indent}{marker}{lines[0]}\n" + (body + "\n" if body else ""))
        self.stream.flush()
        return f"console.{self.posted:06d}"

    def update(self, channel: str, ts: str, *, text: str, blocks: list[Block]) -> None:
        """A card update is not worth repeating on the console."""

    def find(
        self, channel: str, key: str, *, oldest: datetime, thread_ts: str | None
    ) -> str | None:
        """The console keeps nothing: an unconfirmed post is printed again."""
        return None
