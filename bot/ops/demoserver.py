"""The demo's sources: bundled recorded payloads served on loopback, with ETag and 304."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

DATA = files("bot.ops") / "demodata"
JSON = "application/json"
RSS = "application/rss+xml; charset=utf-8"
CTGOV = "/api/v2/studies"
EMA_REPORTS = "/ema/en/documents/report/medicines-output-"
FDA_PRESS = "/fda/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
WATCHED, DISCOVERY = CTGOV + "?watched", CTGOV + "?discovery"
OPENFDA = "/drug/drugsfda.json"
HTML = "text/html; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Nye metoder on the server's root: the seed method's page, the decision page and its workbook
# (before Beslutningsforum's meeting of 24.02.2020; the demo's change serves DECIDED after it).
NYE_WORKBOOK = "/globalassets/beslutninger/oversikt-beslutninger.xlsx"
DECIDED = "nyemetoder/decisions.xlsx"
# Route → (bundled file, content type). The two ClinicalTrials.gov queries share a path.
FILES = {
    WATCHED: ("clinicaltrials/dupilumab_watched.json", JSON),
    DISCOVERY: ("clinicaltrials/dupilumab_discovery.json", JSON),
    OPENFDA: ("openfda/dupilumab_bla761055.json", JSON),
    EMA_REPORTS + "medicines_json-report_en.json": ("ema/medicines_dupilumab.json", JSON),
    EMA_REPORTS + "post_authorisation_json-report_en.json": (
        "ema/post_authorisation_dupilumab.json",
        JSON,
    ),
    "/ema/en/news.xml": ("rss/ema_news.xml", RSS),
    "/ema/en/whats-new.xml": ("rss/ema_whats_new.xml", RSS),
    FDA_PRESS: ("rss/fda_press_releases.xml", RSS),
    "/metoder/dupilumab-dupixent/": ("nyemetoder/p2_dupilumab_dupixent.html", HTML),
    "/innforing-av-nye-metoder/beslutning/": ("nyemetoder/beslutning.html", HTML),
    NYE_WORKBOOK: ("nyemetoder/decisions_before_2020_02_24.xlsx", XLSX),
}


def _route(path: str, params: dict[str, list[str]]) -> str:
    if path != CTGOV:
        return path
    # The change feed (`query.term=AREA[LastUpdatePostDate]…`) answers the watched studies:
    # they are what the demo changes, and the bot reads an unchanged study as unchanged.
    return WATCHED if "filter.ids" in params or "query.term" in params else DISCOVERY


def _fresh(body: bytes) -> bytes:
    """An EMA data file as EMA serves it today: generated this morning, so not stale."""
    document = json.loads(body)
    document["meta"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(document).encode()


class DemoSources:
    """Every source the bot reads, at `.url`; `edit()` changes what a route serves next."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bodies = {route: (DATA / name).read_bytes() for route, (name, _) in FILES.items()}
        for route in FILES:
            if route.startswith(EMA_REPORTS):
                self.bodies[route] = _fresh(self.bodies[route])
        self.server = _Server(self)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`, without a trailing slash."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, route: str) -> tuple[bytes, str] | None:
        """The body and content type served at `route`, if any."""
        with self.lock:
            body = self.bodies.get(route)
        return None if body is None else (body, FILES[route][1])

    def edit(self, route: str, change: Callable[[bytes], bytes]) -> None:
        """Serve `change(body)` at `route` from now on."""
        with self.lock:
            self.bodies[route] = change(self.bodies[route])


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sources: DemoSources) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.sources = sources


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        found = self.server.sources.answer(_route(url.path, parse_qs(url.query)))
        if found is None:
            return self._send(404, b'{"error": "no route"}', {"Content-Type": JSON})
        body, content_type = found
        etag = f'"{hashlib.sha256(body).hexdigest()[:24]}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", {"ETag": etag})
        self._send(200, body, {"Content-Type": content_type, "ETag": etag})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the demo prints what the bot does, not each request."""
