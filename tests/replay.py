"""A source replay server on loopback: recorded payloads by path, conditional GET, fault modes."""

from __future__ import annotations

import enum
import hashlib
import itertools
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from tests.loopback import Handler, LoopbackServer

__all__ = ["AUTO", "MODES", "ReplayServer", "Request", "replay"]

MAINTENANCE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Down for maintenance</title></head>"
    b"<body><h1>We'll be back soon</h1></body></html>"
)
_NO_ROUTE = b'{"error": "no route"}'

# Each mode and the options it takes (with their defaults).
MODES: dict[str, dict[str, Any]] = {
    "status": {"status": 500, "body": b"", "content_type": "text/plain", "headers": {}},
    "html": {"status": 200, "body": MAINTENANCE_PAGE},
    "truncate": {"keep": None},  # bytes of the body to send; default half
    "drip": {"interval": 0.05, "max_seconds": 5.0},
    "hang": {"seconds": 5.0, "answer": True},  # answer=False: hang up instead, after the wait
    "content_type": {"content_type": "text/plain"},
    "redirect": {"location": None, "status": 301},
}


class _Auto(enum.Enum):
    AUTO = "auto"


AUTO = _Auto.AUTO
"""`etag=AUTO` (the default): a strong ETag derived from the body's SHA-256."""


class Request(NamedTuple):
    """One request as received; header names lower-cased."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass(frozen=True)
class _Route:
    body: bytes
    content_type: str
    status: int
    etag: str | None
    last_modified: str | None
    headers: Mapping[str, str]
    match: Mapping[str, str]
    order: int

    def response_headers(self) -> dict[str, str]:
        validators = {"ETag": self.etag, "Last-Modified": self.last_modified}
        present = {name: value for name, value in validators.items() if value is not None}
        return {"Content-Type": self.content_type, **present, **self.headers}


@dataclass
class _Fault:
    path: str
    mode: str
    match: Mapping[str, str]
    times: int | None
    options: dict[str, Any] = field(default_factory=dict)


def _key(path: str, match: Mapping[str, str] | None) -> tuple[str, frozenset[tuple[str, str]]]:
    return path, frozenset((match or {}).items())


def _matches(match: Mapping[str, str], params: Mapping[str, str]) -> bool:
    return all(params.get(name) == value for name, value in match.items())


class ReplayServer(LoopbackServer):
    """Serves registered bodies by path (and query subset) at `.url`; records every request."""

    def __init__(self) -> None:
        super().__init__()
        self.handler = _ReplayHandler
        self._routes: dict[tuple[str, frozenset[tuple[str, str]]], _Route] = {}
        self._faults: list[_Fault] = []
        self._requests: list[Request] = []
        self._unmatched: list[Request] = []
        self._bytes_sent = 0
        self._order = itertools.count()

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash: `replay.url + "/api/v2/studies"`."""
        return self.origin

    def route(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/json",
        status: int = 200,
        etag: str | _Auto | None = AUTO,
        last_modified: str | None = None,
        match_params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str | None:
        """Serve `body` at `path`; again for the same path and params replaces it (a new world).

        `match_params` is a subset the query string must contain; when several routes match,
        the one with the most parameters wins (then the latest registered). Returns the ETag.
        """
        if etag is AUTO:
            etag = f'"{hashlib.sha256(body).hexdigest()[:24]}"'
        with self.lock:
            self._routes[_key(path, match_params)] = _Route(
                body=body,
                content_type=content_type,
                status=status,
                etag=etag,
                last_modified=last_modified,
                headers=dict(headers or {}),
                match=dict(match_params or {}),
                order=next(self._order),
            )
        return etag

    def fault(
        self,
        path: str,
        mode: str,
        *,
        times: int | None = 1,
        match_params: Mapping[str, str] | None = None,
        **options: Any,
    ) -> None:
        """Misbehave on matching requests: `times` of them, or every one when None.

        Faults are used in the order added. Modes and options are listed in MODES; redirect
        needs `location` (a path on this server or any absolute URL).
        """
        if mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}; known: {', '.join(MODES)}")
        unknown = set(options) - set(MODES[mode])
        if unknown:
            raise TypeError(f"{mode} takes no option(s) {', '.join(sorted(unknown))}")
        if mode == "redirect" and not options.get("location"):
            raise ValueError("a redirect fault needs location=")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1, or None for a persistent fault")
        chosen = MODES[mode] | options
        with self.lock:
            self._faults.append(_Fault(path, mode, dict(match_params or {}), times, chosen))

    def clear_faults(self) -> None:
        """Forget every fault still pending."""
        with self.lock:
            self._faults.clear()

    @property
    def requests(self) -> list[Request]:
        """Every request received, in order."""
        with self.lock:
            return list(self._requests)

    @property
    def unmatched(self) -> list[Request]:
        """The requests no route matched (answered 404)."""
        with self.lock:
            return list(self._unmatched)

    def count(self, path: str | None = None) -> int:
        """How many requests arrived, in all or for one path."""
        return sum(1 for r in self.requests if path is None or r.path == path)

    @property
    def bytes_sent(self) -> int:
        """Body bytes written so far (headers not counted; 304s add nothing)."""
        with self.lock:
            return self._bytes_sent

    def _record(self, request: Request) -> None:
        with self.lock:
            self._requests.append(request)
            self.notify()

    def _receive(self, request: Request) -> tuple[_Fault | None, _Route | None]:
        """Record the request; pick its fault (if any) and its route (if any)."""
        with self.lock:
            self._requests.append(request)
            route = self._route_for(request)
            if route is None:
                self._unmatched.append(request)
            fault = self._take_fault(request)
            self.notify()
            return fault, route

    def _route_for(self, request: Request) -> _Route | None:
        candidates = [
            route
            for (path, _), route in self._routes.items()
            if path == request.path and _matches(route.match, request.params)
        ]
        return max(candidates, key=lambda r: (len(r.match), r.order), default=None)

    def _take_fault(self, request: Request) -> _Fault | None:
        for fault in self._faults:
            if fault.path == request.path and _matches(fault.match, request.params):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def _sent(self, count: int) -> None:
        with self.lock:
            self._bytes_sent += count


def _not_modified(route: _Route, headers: Mapping[str, str]) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        current = (route.etag or "").removeprefix("W/")
        return route.etag is not None and ("*" in tags or current in tags)
    since, modified = headers.get("if-modified-since"), route.last_modified
    if since is None or modified is None:
        return False
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(modified)
    except (TypeError, ValueError):
        return since == modified


class _ReplayHandler(Handler):
    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._refuse()

    def do_PUT(self) -> None:
        self._refuse()

    def do_DELETE(self) -> None:
        self._refuse()

    def _refuse(self) -> None:
        """Sources are only read: other methods are recorded and answered 405."""
        self.read_body()
        self.owner._record(self._request())
        self._send(405, b'{"error": "method not allowed"}', {"Content-Type": "application/json"})

    def _serve(self) -> None:
        replay: ReplayServer = self.owner
        fault, route = replay._receive(self._request())
        if fault is None:
            self._normal(route)
        else:
            getattr(self, f"_fault_{fault.mode}")(route, fault.options)

    def _request(self) -> Request:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        return Request(self.command, url.path, params, self.lower_headers())

    def _normal(self, route: _Route | None) -> None:
        if route is None:
            self._send(404, _NO_ROUTE, {"Content-Type": "application/json"})
        elif route.status == 200 and _not_modified(route, self.lower_headers()):
            headers = route.response_headers()
            del headers["Content-Type"]
            self.send_head(304, headers)
        else:
            self._send(route.status, route.body, route.response_headers())

    def _send(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        self.owner._sent(self.answer(status, body, headers))

    def _fault_status(self, route: _Route | None, options: dict[str, Any]) -> None:
        headers = {"Content-Type": options["content_type"], **options["headers"]}
        self._send(options["status"], options["body"], headers)

    def _fault_html(self, route: _Route | None, options: dict[str, Any]) -> None:
        self._send(options["status"], options["body"], {"Content-Type": "text/html; charset=utf-8"})

    def _fault_content_type(self, route: _Route | None, options: dict[str, Any]) -> None:
        if route is None:
            return self._normal(route)
        headers = route.response_headers() | {"Content-Type": options["content_type"]}
        self._send(route.status, route.body, headers)

    def _fault_redirect(self, route: _Route | None, options: dict[str, Any]) -> None:
        self._send(options["status"], b"", {"Location": options["location"]})

    def _fault_truncate(self, route: _Route | None, options: dict[str, Any]) -> None:
        """The full Content-Length, part of the body, then the connection closes."""
        if route is None:
            return self._normal(route)
        keep = options["keep"] if options["keep"] is not None else len(route.body) // 2
        self._head_for(route)
        self.wfile.write(route.body[:keep])
        self.owner._sent(len(route.body[:keep]))
        self.hang_up()

    def _fault_drip(self, route: _Route | None, options: dict[str, Any]) -> None:
        """Headers at once, then one body byte per `interval`, for `max_seconds` at most."""
        if route is None:
            return self._normal(route)
        self._head_for(route)
        replay: ReplayServer = self.owner
        stop = time.monotonic() + options["max_seconds"]
        for index in range(len(route.body)):
            if not replay.pause(options["interval"]) or time.monotonic() > stop:
                break
            try:
                self.wfile.write(route.body[index : index + 1])
            except OSError:
                break  # the client gave up
            replay._sent(1)
        self.hang_up()

    def _fault_hang(self, route: _Route | None, options: dict[str, Any]) -> None:
        """Say nothing for `seconds`; then answer normally, or hang up when answer=False."""
        replay: ReplayServer = self.owner
        if replay.pause(options["seconds"]) and options["answer"]:
            self._normal(route)
        else:
            self.hang_up()

    def _head_for(self, route: _Route) -> None:
        self.send_head(
            route.status, route.response_headers() | {"Content-Length": str(len(route.body))}
        )


def replay() -> Iterator[ReplayServer]:
    """A running replay server, shut down after the test (register with pytest.fixture)."""
    with ReplayServer() as server:
        yield server
