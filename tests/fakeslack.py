"""A fake Slack Web API on loopback: records every call, keeps messages, injects faults.

slack_sdk's WebClient POSTs every method (it ignores `http_verb`): chat.postMessage,
chat.update, chat.postEphemeral and views.* as `application/json;charset=utf-8`, the rest
(chat.delete, conversations.history/replies, auth.test) as form fields with booleans as "1"/"0".
The token travels as `Authorization: Bearer …`. Both body kinds are accepted here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from tests import blocklimits
from tests.loopback import Handler, LoopbackServer
from tests.slackworkspace import Message, Params, SlackError, Workspace

__all__ = ["Call", "FakeSlack", "Message", "fake_slack"]

_API = "/api/"
_RESPONSE = "/response/"
# Fields a form body carries as JSON text; JSON bodies carry them as objects already.
_JSON_FIELDS = ("blocks", "attachments", "metadata", "view", "payload")
_JSON_TYPE = {"Content-Type": "application/json; charset=utf-8"}


class Call(NamedTuple):
    """One request: the Web API method (or "response_url") and its parameters, token removed."""

    method: str
    params: Params


@dataclass
class _Fault:
    kind: str  # fail | ratelimit | status | drop | hang
    options: dict[str, Any]
    times: int | None  # None: until clear_faults()


class _Outcome(NamedTuple):
    fault: _Fault | None
    status: int
    payload: Params


class FakeSlack(LoopbackServer):
    """A Slack Web API at `.url` (pass as `WebClient(base_url=...)` or SLACK_API_URL).

    `token`: the one bot token accepted (default: any `xoxb-` token). `channels`: the channel
    IDs that exist (default: any). `clock`: seconds since the epoch, from which message `ts`
    values are made (strictly increasing), so `oldest=` filters behave as against Slack.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        channels: Iterable[str] | None = None,
        clock: Callable[[], float] = time.time,
        scopes: Iterable[str] = ("commands", "chat:write", "channels:history", "groups:history"),
    ) -> None:
        super().__init__()
        self.handler = _SlackHandler
        self.token = token
        # Slack names the token's scopes in every Web API answer's `x-oauth-scopes` header.
        self.scopes = ",".join(scopes)
        self.workspace = Workspace(clock=clock, channels=channels)
        self._calls: list[Call] = []
        self._responses: dict[str, list[Params]] = {}
        self._faults: dict[str, list[_Fault]] = {}

    @property
    def url(self) -> str:
        """The Web API base URL, ending with "/" (methods are joined onto it)."""
        return f"{self.origin}{_API}"

    def response_url(self, name: str) -> str:
        """A `response_url` for a slash command; what is POSTed there is kept under `name`."""
        return f"{self.origin}{_RESPONSE}{name}"

    # Introspection -------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every request so far, in arrival order (failed and faulted ones included)."""
        with self.lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Params]:
        """The parameters of every call to one method, in order."""
        return [call.params for call in self.calls if call.method == method]

    def messages(self, channel: str) -> list[Message]:
        """The channel's current top-level messages, oldest first (copies)."""
        with self.lock:
            found = self.workspace.messages
            return [replace(m) for m in found if m.channel == channel and m.thread_ts is None]

    def replies(self, channel: str, thread_ts: str) -> list[Message]:
        """The current replies in one thread, oldest first, without the parent (copies)."""
        with self.lock:
            return [replace(m) for m in self.workspace.thread(channel, thread_ts)]

    def responses(self, name: str) -> list[Params]:
        """The bodies POSTed to `response_url(name)`, in order."""
        with self.lock:
            return list(self._responses.get(name, []))

    def ephemerals(self, channel: str) -> list[Params]:
        """The chat.postEphemeral calls that succeeded for one channel."""
        with self.lock:
            return [e for e in self.workspace.ephemerals if e["channel"] == channel]

    @property
    def views(self) -> dict[str, Params]:
        """Opened and published views by view id."""
        with self.lock:
            return dict(self.workspace.views)

    def leave(self, channel: str) -> None:
        """The bot is no longer a member of `channel`: history and posts answer not_in_channel."""
        with self.lock:
            self.workspace.outside.add(channel)

    # Faults: queued per method, used in order; `times=None` keeps one until clear_faults() ---

    def fail_next(
        self, method: str, error: str = "channel_not_found", *, times: int | None = 1
    ) -> None:
        """Answer HTTP 200 `{"ok": false, "error": error}`; nothing is stored."""
        self._add_fault(method, "fail", times, error=error)

    def rate_limit_next(self, method: str, retry_after: int = 1, *, times: int | None = 1) -> None:
        """Answer HTTP 429 with `Retry-After` and `{"ok": false, "error": "ratelimited"}`."""
        self._add_fault(method, "ratelimit", times, retry_after=retry_after)

    def drop_next(self, method: str, *, reset: bool = False, times: int | None = 1) -> None:
        """Read the request, act on it (the message IS stored), then hang up without answering.

        This is "Slack accepted the post, the client saw the connection die". `reset` sends a
        TCP RST rather than an orderly close.
        """
        self._add_fault(method, "drop", times, reset=reset)

    def status_next(
        self,
        method: str,
        status: int = 500,
        *,
        body: bytes = b"",
        content_type: str = "text/plain",
        times: int | None = 1,
    ) -> None:
        """Answer with an HTTP error status and `body`; nothing is stored."""
        self._add_fault(
            method, "status", times, status=status, body=body, content_type=content_type
        )

    def hang_next(self, method: str, seconds: float, *, times: int | None = 1) -> None:
        """Act on the request at once; answer after `seconds` (capped, cut short by close())."""
        self._add_fault(method, "hang", times, seconds=seconds)

    def clear_faults(self, method: str | None = None) -> None:
        """Forget queued faults for one method, or for all."""
        with self.lock:
            if method is None:
                self._faults.clear()
            else:
                self._faults.pop(method, None)

    def _add_fault(self, method: str, kind: str, times: int | None, **options: Any) -> None:
        if times is not None and times < 1:
            raise ValueError("times must be at least 1, or None for a persistent fault")
        with self.lock:
            self._faults.setdefault(method, []).append(_Fault(kind, options, times))

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times == 0:
                queue.pop(0)
        return fault

    # Serving ---------------------------------------------------------------------------------

    def _serve_api(self, method: str, params: Params, token: str | None) -> _Outcome:
        with self.lock:
            self._calls.append(Call(method, params))
            outcome = self._outcome(method, params, token)
            self.notify()
            return outcome

    def _outcome(self, method: str, params: Params, token: str | None) -> _Outcome:
        """Auth first, then the next fault, then the method itself (unless the fault refuses)."""
        problem = self._auth_problem(token)
        if problem:
            return _Outcome(None, 200, {"ok": False, "error": problem})
        fault = self._take_fault(method)
        if fault is not None and fault.kind in {"fail", "ratelimit", "status"}:
            return _Outcome(fault, 0, {})
        try:
            return _Outcome(fault, 200, self.workspace.call(method, params))
        except SlackError as error:
            return _Outcome(
                fault, error.status, {"ok": False, "error": error.error, **error.detail}
            )

    def _serve_response(self, name: str, body: Params) -> _Outcome:
        """Keep the body unless a fault or Slack's limits refuse it.

        A refused body is answered as incoming webhooks answer: HTTP 400 and the error as plain
        text (slackapi/java-slack-sdk#1017, sourcegraph/sourcegraph-public-snapshot#49979).
        """
        with self.lock:
            self._calls.append(Call("response_url", body))
            fault = self._take_fault("response_url") or _response_refusal(body)
            if fault is None or fault.kind in {"drop", "hang"}:
                self._responses.setdefault(name, []).append(body)
            self.notify()
            return _Outcome(fault, 200, {"ok": True})

    def _auth_problem(self, token: str | None) -> str | None:
        if not token:
            return "not_authed"
        valid = token == self.token if self.token else token.startswith("xoxb-")
        return None if valid else "invalid_auth"


class _SlackHandler(Handler):
    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url, body = urlsplit(self.path), self.read_body()
        fake: FakeSlack = self.owner
        try:
            params = _params(url.query, body, self.headers.get("Content-Type", ""))
        except ValueError:
            self._json(200, {"ok": False, "error": "invalid_json"})
            return
        if url.path.startswith(_RESPONSE):
            outcome = fake._serve_response(url.path.removeprefix(_RESPONSE), params)
        elif url.path.startswith(_API):
            token = _bearer(self.headers.get("Authorization")) or params.pop("token", None)
            outcome = fake._serve_api(url.path.removeprefix(_API), params, token)
        else:
            self._json(404, {"ok": False, "error": "unknown_method"})
            return
        self._reply(fake, outcome)

    def _reply(self, fake: FakeSlack, outcome: _Outcome) -> None:
        options = outcome.fault.options if outcome.fault else {}
        kind = outcome.fault.kind if outcome.fault else None
        if kind == "fail":
            self._json(200, {"ok": False, "error": options["error"]})
        elif kind == "ratelimit":
            retry = {"Retry-After": str(options["retry_after"])}
            self._json(429, {"ok": False, "error": "ratelimited"}, retry)
        elif kind == "status":
            headers = {"Content-Type": options["content_type"]}
            self.answer(options["status"], options["body"], headers)
        elif kind == "drop":
            self.hang_up(reset=options["reset"])
        else:
            if kind == "hang" and not fake.pause(options["seconds"]):
                self.hang_up()
                return
            self._json(outcome.status, outcome.payload)

    def _json(self, status: int, payload: Params, headers: dict[str, str] | None = None) -> None:
        fake: FakeSlack = self.owner
        extra = {"x-oauth-scopes": fake.scopes} | (headers or {})
        self.answer(status, json.dumps(payload).encode(), _JSON_TYPE | extra)


def _response_refusal(body: Params) -> _Fault | None:
    try:
        blocklimits.check_response(body)
    except blocklimits.RefusedError as refusal:
        options = {"status": 400, "body": refusal.error.encode(), "content_type": "text/plain"}
        return _Fault("status", options, times=1)
    return None


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _params(query: str, body: bytes, content_type: str) -> Params:
    """Query string and body merged; JSON-in-form fields decoded. ValueError on bad JSON."""
    params: Params = dict(parse_qsl(query, keep_blank_values=True))
    if body and "json" in content_type.lower():
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("a JSON body must be an object")
        params.update(decoded)
    elif body:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for name in _JSON_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value.lstrip()[:1] in {"[", "{"}:
            params[name] = json.loads(value)
    return params


def fake_slack() -> Iterator[FakeSlack]:
    """A running fake Slack Web API, shut down after the test (register with pytest.fixture)."""
    with FakeSlack() as slack:
        yield slack
