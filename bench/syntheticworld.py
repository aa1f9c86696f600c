"""A synthetic source server on loopback: every registry the bot reads, answered on the fly.

Paths are the ones `bot.runtime.build_sources` plans when the settings point at this server
(`ctgov_api_url=<url>/api/v2`, `openfda_api_url=<url>`, `ema_base_url=<url>/ema`,
`fda_base_url=<url>/fda`, `nyemetoder_base_url=<url>`). Every 200 carries a strong ETag of its
body; a matching If-None-Match is answered 304. Traffic is counted per route (openFDA's
candidates query apart from its watched searches, the method pages together); `/_bench/...`
paths control the world (the change script, the traffic counts, the registry's clock) and are
not counted.

Run as `python -m bench.syntheticworld --methods N` it prints its URL and serves until its
standard input closes, so a benchmark can keep the server's CPU and memory out of its numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from bench import applications, nyeworld, payloads
from bench.registries import DEFAULT_PER_DAY, RSS, Answer, Registries
from bench.traffic import Traffic
from bot.sources.ema import MEDICINES_FILE, POST_AUTHORISATION_FILE

CTGOV = "/api/v2/studies"
OPENFDA = "/drug/drugsfda.json"
EMA_REPORTS = "/ema/en/documents/report/"
MEDICINES = EMA_REPORTS + MEDICINES_FILE
POST_AUTH = EMA_REPORTS + POST_AUTHORISATION_FILE
FDA_PRESS = "/fda/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
FEEDS = {
    "/ema/en/news.xml": "ema_news.xml",
    "/ema/en/whats-new.xml": "ema_whats_new.xml",
    FDA_PRESS: "fda_press_releases.xml",
}
CONTROL = "/_bench/"
# Traffic labels of routes that are not one path each.
OPENFDA_SCAN = OPENFDA + " (candidates)"
NYE_PAGES = nyeworld.PAGES
NYE_DECISION_PAGE = nyeworld.DECISION_PAGE
NYE_WORKBOOKS = nyeworld.WORKBOOKS


class SyntheticWorld:
    """The server: start() binds 127.0.0.1 on a free port and serves from a daemon thread."""

    def __init__(
        self,
        *,
        methods: int,
        trials: int,
        ema_medicines: int,
        per_day: int = DEFAULT_PER_DAY,
        now: datetime | None = None,
        fda_recent: int = applications.FDA_RECENT,
    ) -> None:
        self.registries = Registries(
            methods=methods,
            trials=trials,
            ema_rows=ema_medicines,
            per_day=per_day,
            now=now,
            fda_recent=fda_recent,
        )
        self.traffic = Traffic()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._routes: dict[str, Callable[[dict[str, str]], Answer]] = {
            CTGOV: self.registries.studies,
            OPENFDA: self.registries.applications,
            MEDICINES: lambda _params: self.registries.medicines(),
            POST_AUTH: lambda _params: self.registries.procedures(),
        }
        for path, name in FEEDS.items():
            self._routes[path] = _static(Answer(200, payloads.feed(name), RSS))

    def start(self) -> Self:
        """Serve in a daemon thread."""
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def apply_changes(self, n: int, seed: int) -> list[str]:
        """Change `n` watched records so that each yields exactly one alert for one method."""
        return self.registries.apply_changes(n, seed)

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        """The registry's answer to a GET of `path` (404 for an unknown path)."""
        route = self._routes.get(path)
        if route is not None:
            return route(params)
        nye = self.registries.nye
        if path == NYE_DECISION_PAGE:
            return Answer(200, nye.decision_page(), nyeworld.HTML)
        if path.startswith(NYE_PAGES):
            found, kind = nye.page(path), nyeworld.HTML
        else:
            found, kind = nye.workbook(path), nyeworld.XLSX
        if found is None:
            return Answer(404, b"not found", nyeworld.HTML)
        return Answer(200, found, kind)

    @staticmethod
    def label(path: str, params: dict[str, str]) -> str:
        """What the traffic of a request is counted under."""
        if path == OPENFDA and applications.window(params.get("search", "")) is not None:
            return OPENFDA_SCAN
        if path.startswith(NYE_PAGES):
            return NYE_PAGES
        return NYE_WORKBOOKS if path.startswith(NYE_WORKBOOKS) else path


def _static(answer: Answer) -> Callable[[dict[str, str]], Answer]:
    """A route that always gives the same answer (the recorded feeds)."""
    return lambda _params: answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, world: SyntheticWorld) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.world = world


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as the real APIs allow: the bot's httpx client reuses its connections.
    protocol_version = "HTTP/1.1"
    timeout = 60
    # Headers and body are two writes: with Nagle on, each keep-alive answer waited ~40 ms for
    # the client's delayed ACK.
    disable_nagle_algorithm = True

    @property
    def world(self) -> SyntheticWorld:
        server: _Server = self.server  # type: ignore[assignment]
        return server.world

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the world counts requests itself."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path.startswith(CONTROL):
            self._control(url.path, params)
            return
        answer = self.world.answer(url.path, params)
        etag = f'"{hashlib.sha256(answer.body).hexdigest()[:24]}"'
        asked = self.headers.get("If-None-Match")
        traffic, label = self.world.traffic, self.world.label(url.path, params)
        if answer.status == 200 and asked == etag:
            self._send(304, b"", {"ETag": etag})
            traffic.count(label, self.path, status=304, sent=0, etag=asked)
            return
        headers = {"Content-Type": answer.content_type}
        headers |= {"ETag": etag} if answer.status == 200 else {}
        self._send(answer.status, answer.body, headers)
        traffic.count(label, self.path, status=answer.status, sent=len(answer.body), etag=asked)

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length", "")
        self.rfile.read(int(length) if length.isdigit() else 0)
        url = urlsplit(self.path)
        self._control(url.path, dict(parse_qsl(url.query)))

    def _control(self, path: str, params: dict[str, str]) -> None:
        if path == CONTROL + "changes":
            result: Any = self.world.apply_changes(int(params["n"]), int(params.get("seed", "1")))
        elif path == CONTROL + "traffic":
            result = self.world.traffic.take()
        elif path == CONTROL + "advance":
            result = self.world.registries.advance(float(params["hours"]))
        else:
            self._send(404, b"{}", {"Content-Type": "application/json"})
            return
        self._send(200, json.dumps(result).encode(), {"Content-Type": "application/json"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main(argv: list[str] | None = None) -> None:
    """Serve a world until standard input closes; the first line printed is its URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", type=int, default=2000)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--ema-medicines", type=int, default=3000)
    parser.add_argument("--per-day", type=int, default=DEFAULT_PER_DAY, help="others updated a day")
    parser.add_argument("--now", type=datetime.fromisoformat, default=datetime.now(UTC))
    parser.add_argument("--fda-recent", type=int, default=applications.FDA_RECENT)
    args = parser.parse_args(argv)
    world = SyntheticWorld(
        methods=args.methods,
        trials=args.trials,
        ema_medicines=args.ema_medicines,
        per_day=args.per_day,
        now=args.now,
        fda_recent=args.fda_recent,
    ).start()
    print(world.url, flush=True)
    sys.stdin.read()  # returns when the parent closes the pipe (or exits)
    world.close()


if __name__ == "__main__":
    main()
