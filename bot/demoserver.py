"""The demo's sources: bundled recorded payloads served on loopback, with ETag and 304."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

DATA = files("bot") / "demodata"
JSON = "application/json"
RSS = "application/rss+xml; charset=utf-8"
CTGOV = "/api/v2/studies"
EMA_REPORTS = "/ema/en/documents/report/medicines-output-"
FDA_PRESS = "/fda/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
# Route → (bundled file, content type). The two ClinicalTrials.gov queries share a path.
FILES = {
    CTGOV + "?watched": ("clinicaltrials/dupilumab_watched.json", JSON),
    CTGOV + "?discovery": ("clinicaltrials/dupilumab_discovery.json", JSON),
    "/drug/drugsfda.json": ("openfda/dupilumab_bla761055.json", JSON),
    EMA_REPORTS + "medicines_json-report_en.json": ("ema/medicines_dupilumab.json", JSON),
    EMA_REPORTS + "post_authorisation_json-report_en.json": (
        "ema/post_authorisation_dupilumab.json",
        JSON,
    ),
    "/ema/en/news.xml": ("rss/ema_news.xml", RSS),
    "/ema/en/whats-new.xml": ("rss/ema_whats_new.xml", RSS),
    FDA_PRESS: ("rss/fda_press_releases.xml", RSS),
}
TRIAL = "NCT02612454"
PRESS_LINK = "https://www.fda.gov/news-events/press-announcements/metodevakt-demo"


def _route(path: str, params: dict[str, list[str]]) -> str:
    if path != CTGOV:
        return path
    return path + ("?watched" if "filter.ids" in params else "?discovery")


def _fresh(body: bytes) -> bytes:
    """An EMA data file as EMA serves it today: generated this morning, so not stale."""
    document = json.loads(body)
    document["meta"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(document).encode()


class DemoSources:
    """Every source the bot reads, at `.url`; `change()` scripts what happens next."""

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

    def change(self, now: datetime) -> None:
        """The trial completes, FDA approves an efficacy supplement and issues a press release."""
        with self.lock:
            self._edit(CTGOV + "?watched", lambda d: _complete_trial(d, now))
            self._edit("/drug/drugsfda.json", lambda d: _approve_supplement(d, now))
            self.bodies[FDA_PRESS] = _add_press_release(self.bodies[FDA_PRESS], now)

    def _edit(self, route: str, edit: Callable[[dict[str, Any]], None]) -> None:
        document = json.loads(self.bodies[route])
        edit(document)
        self.bodies[route] = json.dumps(document).encode()


def _complete_trial(document: dict[str, Any], now: datetime) -> None:
    for study in document["studies"]:
        if study["protocolSection"]["identificationModule"]["nctId"] == TRIAL:
            module = study["protocolSection"]["statusModule"]
            module["overallStatus"] = "COMPLETED"
            module["lastUpdatePostDateStruct"] = {"date": f"{now:%Y-%m-%d}", "type": "ACTUAL"}


def _approve_supplement(document: dict[str, Any], now: datetime) -> None:
    submissions = document["results"][0]["submissions"]
    number = 1 + max(int(s["submission_number"]) for s in submissions)
    submissions.append(
        {
            "submission_type": "SUPPL",
            "submission_number": str(number),
            "submission_status": "AP",
            "submission_status_date": f"{now:%Y%m%d}",
            "review_priority": "STANDARD",
            "submission_class_code": "EFFICACY",
            "submission_class_code_description": "Efficacy",
        }
    )


def _add_press_release(feed: bytes, now: datetime) -> bytes:
    item = (
        "<item><title>FDA approves Dupixent for a new use (Metodevakt demo)</title>"
        f"<link>{PRESS_LINK}</link><guid>{PRESS_LINK}</guid>"
        "<description>Dupixent (dupilumab): an invented press release for the demo.</description>"
        f"<pubDate>{format_datetime(now)}</pubDate></item>"
    )
    return feed.replace(b"<item>", item.encode() + b"<item>", 1)


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
