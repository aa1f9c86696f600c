"""The fake Slack workspace's state, and the Web API methods that read and change it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tests import blocklimits

Params = dict[str, Any]

BOT = {"user": "U0BOT", "bot_id": "B0BOT", "app_id": "A0APP", "team": "T0FAKE"}


class SlackError(Exception):
    """An `{"ok": false, "error": ...}` answer (HTTP 200 unless `status` says otherwise);
    `detail` holds fields Slack sends beside the error (`errors`, `response_metadata`)."""

    def __init__(self, error: str, *, status: int = 200, detail: Params | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.detail = detail or {}


@dataclass
class Message:
    """A message as the fake workspace holds it."""

    channel: str
    ts: str
    text: str | None = None
    blocks: list[Any] | None = None
    attachments: list[Any] | None = None
    thread_ts: str | None = None
    reply_broadcast: bool = False
    metadata: dict[str, Any] | None = None
    unfurl_links: bool | None = None
    unfurl_media: bool | None = None
    edits: int = 0
    params: Params = field(default_factory=dict)

    @property
    def in_channel(self) -> bool:
        """Shown in the channel's history: top-level, or a reply broadcast to the channel."""
        return self.thread_ts is None or self.reply_broadcast

    def to_api(self, *, with_metadata: bool) -> Params:
        """The message object Slack's API returns."""
        out: Params = {"type": "message", **BOT, "ts": self.ts, "text": self.text or ""}
        optional: Params = {"blocks": self.blocks, "attachments": self.attachments}
        optional |= {"thread_ts": self.thread_ts}
        optional["metadata"] = self.metadata if with_metadata else None
        out |= {name: value for name, value in optional.items() if value is not None}
        if self.reply_broadcast:
            out["subtype"] = "thread_broadcast"
        if self.edits:
            out["edited"] = {"user": BOT["user"], "ts": self.ts}
        return out


# Methods whose payload Slack checks against the Block Kit limits (tests/blocklimits.py).
_LIMITS: dict[str, Callable[[Params], None]] = {
    "chat.postMessage": blocklimits.check_message,
    "chat.update": blocklimits.check_message,
    "chat.postEphemeral": blocklimits.check_message,
    "views.open": blocklimits.check_view,
    "views.publish": blocklimits.check_view,
    "views.update": blocklimits.check_view,
}


def flag(value: Any) -> bool:
    """A boolean as JSON (true) or a form field ("1", "true") carries it."""
    return value is True or str(value).lower() in {"1", "true"}


def _optional_flag(value: Any) -> bool | None:
    return None if value is None else flag(value)


def _required(params: Params, name: str) -> Any:
    value = params.get(name)
    if value in (None, ""):
        raise SlackError("invalid_arguments")
    return value


def _number(value: Any, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        raise SlackError("invalid_arguments") from None


def _ts_value(ts: Any) -> Decimal:
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        raise SlackError("invalid_ts_oldest") from None


def _within(ts: str, params: Params) -> bool:
    """Slack's `oldest`/`latest` window: exclusive at both ends unless `inclusive` is set."""
    value, inclusive = Decimal(ts), flag(params.get("inclusive"))
    if params.get("oldest") not in (None, ""):
        oldest = _ts_value(params["oldest"])
        if value < oldest or (value == oldest and not inclusive):
            return False
    if params.get("latest") not in (None, ""):
        latest = _ts_value(params["latest"])
        if value > latest or (value == latest and not inclusive):
            return False
    return True


class Workspace:
    """Messages in post order, ephemeral messages and views; callers hold the server's lock."""

    def __init__(self, *, clock: Callable[[], float], channels: Iterable[str] | None) -> None:
        self.messages: list[Message] = []
        self.ephemerals: list[Params] = []
        self.views: dict[str, Params] = {}
        self._clock = clock
        self._channels = None if channels is None else frozenset(channels)
        self.outside: set[str] = set()  # channels that exist but the bot is not a member of
        self._last_micros = -1
        self._view_ids = itertools.count(1)
        self._methods: dict[str, Callable[[Params], Params]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "chat.update": self.update,
            "chat.delete": self.delete,
            "chat.postEphemeral": self.post_ephemeral,
            "conversations.history": self.history,
            "conversations.replies": self.replies,
            "views.open": self.views_open,
            "views.publish": self.views_publish,
            "views.update": self.views_update,
        }

    def call(self, method: str, params: Params) -> Params:
        """Run one Web API method; raise SlackError for an `ok: false` answer."""
        run = self._methods.get(method)
        if run is None:
            raise SlackError("unknown_method", status=404)
        check = _LIMITS.get(method)
        try:
            if check is not None:
                check(params)
        except blocklimits.RefusedError as refusal:
            raise SlackError(refusal.error, detail=refusal.detail) from None
        return {"ok": True, **run(params)}

    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        """The replies to one parent, oldest first."""
        return [m for m in self.messages if m.channel == channel and m.thread_ts == thread_ts]

    def auth_test(self, params: Params) -> Params:
        return {
            "url": "https://metodevakt-fake.slack.com/",
            "team": "Fake workspace",
            "user": "metodevakt",
            "team_id": BOT["team"],
            "user_id": BOT["user"],
            "bot_id": BOT["bot_id"],
            "is_enterprise_install": False,
        }

    def post_message(self, params: Params) -> Params:
        channel = self._channel(params)
        if not any(params.get(k) for k in ("text", "blocks", "attachments", "markdown_text")):
            raise SlackError("no_text")
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            text=params.get("text") or params.get("markdown_text"),
            blocks=params.get("blocks"),
            attachments=params.get("attachments"),
            thread_ts=params.get("thread_ts") or None,
            reply_broadcast=flag(params.get("reply_broadcast")),
            metadata=params.get("metadata"),
            unfurl_links=_optional_flag(params.get("unfurl_links")),
            unfurl_media=_optional_flag(params.get("unfurl_media")),
            params=params,
        )
        self.messages.append(message)
        return {"channel": channel, "ts": message.ts, "message": self._render(message, True)}

    def update(self, params: Params) -> Params:
        message = self._existing(params)
        for name in ("text", "blocks", "attachments", "metadata"):
            if name in params:
                setattr(message, name, params[name])
        message.edits += 1
        rendered = self._render(message, True)
        return {"channel": message.channel, "ts": message.ts, "text": rendered["text"]} | {
            "message": rendered
        }

    def delete(self, params: Params) -> Params:
        message = self._existing(params)
        self.messages.remove(message)
        return {"channel": message.channel, "ts": message.ts}

    def post_ephemeral(self, params: Params) -> Params:
        channel, user = self._channel(params), _required(params, "user")
        ts = self._next_ts()
        self.ephemerals.append(params | {"channel": channel, "user": user, "message_ts": ts})
        return {"message_ts": ts}

    def history(self, params: Params) -> Params:
        """Channel messages newest first; metadata only with `include_all_metadata`."""
        channel = self._channel(params)
        shown = [
            m
            for m in self.messages
            if m.channel == channel and m.in_channel and _within(m.ts, params)
        ]
        return self._page(shown[::-1], params)

    def replies(self, params: Params) -> Params:
        """The parent, then its replies oldest first (asked by the parent's or a reply's ts)."""
        channel = self._channel(params)
        asked = self._find(channel, str(_required(params, "ts")))
        parent = asked and self._find(channel, asked.thread_ts or asked.ts)
        if parent is None:
            raise SlackError("thread_not_found")
        replies = [m for m in self.thread(channel, parent.ts) if _within(m.ts, params)]
        return self._page([parent, *replies], params)

    def views_open(self, params: Params) -> Params:
        _required(params, "trigger_id")
        return self._store_view(f"V{next(self._view_ids):08d}", params)

    def views_publish(self, params: Params) -> Params:
        user = _required(params, "user_id")
        known = [vid for vid, view in self.views.items() if view.get("user_id") == user]
        return self._store_view(known[0] if known else f"V{next(self._view_ids):08d}", params)

    def views_update(self, params: Params) -> Params:
        wanted = params.get("view_id")
        if not wanted and params.get("external_id"):
            matches = (
                v for v, s in self.views.items() if s.get("external_id") == params["external_id"]
            )
            wanted = next(matches, None)
        if wanted not in self.views:
            raise SlackError("not_found")
        return self._store_view(str(wanted), params)

    def _store_view(self, view_id: str, params: Params) -> Params:
        view = _required(params, "view")
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        stored = {**view, "id": view_id, "hash": f"{self._next_ts()}.fake"}
        if params.get("user_id"):
            stored["user_id"] = params["user_id"]
        self.views[view_id] = stored
        return {"view": stored}

    def _page(self, messages: list[Message], params: Params) -> Params:
        """Cursor pagination as Slack does it (the cursor here is just an offset)."""
        start, limit = _number(params.get("cursor"), 0), _number(params.get("limit"), 100)
        chunk, more = messages[start : start + limit], start + limit < len(messages)
        with_metadata = flag(params.get("include_all_metadata"))
        return {
            "messages": [self._render(m, with_metadata) for m in chunk],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _render(self, message: Message, with_metadata: bool) -> Params:
        out = message.to_api(with_metadata=with_metadata)
        replies = self.thread(message.channel, message.ts) if message.thread_ts is None else []
        if replies:
            out |= {"thread_ts": message.ts, "reply_count": len(replies)}
            out["latest_reply"] = replies[-1].ts
        return out

    def _channel(self, params: Params) -> str:
        channel = params.get("channel")
        if not channel or (self._channels is not None and channel not in self._channels):
            raise SlackError("channel_not_found")
        if channel in self.outside:
            raise SlackError("not_in_channel")
        return str(channel)

    def _find(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.messages if m.channel == channel and m.ts == ts), None)

    def _existing(self, params: Params) -> Message:
        message = self._find(self._channel(params), str(_required(params, "ts")))
        if message is None:
            raise SlackError("message_not_found")
        return message

    def _next_ts(self) -> str:
        """The clock's time in microseconds, strictly increasing (100 µs apart at least)."""
        micros = max(int(self._clock() * 1_000_000), self._last_micros + 100)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"
