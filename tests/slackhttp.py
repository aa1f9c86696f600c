"""The Slack app served over HTTP on loopback, and signed requests to it (like Slack sends)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

SECRET = "test-signing-secret"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""


@contextmanager
def serve(application: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1:0 in a thread; yields its base URL."""
    server = make_server(
        "127.0.0.1", 0, application, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def signed_headers(
    body: str, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def command_body(
    text: str,
    *,
    response_url: str,
    user: str = "U0USER",
    team: str = "T0TEAM",
    trigger: str = "trigger-1",
    channel: str = "C0123ABCD",
) -> str:
    """A `/metode` slash-command body with the fields Slack sends."""
    return urlencode(
        {
            "token": "deprecated",
            "team_id": team,
            "team_domain": "hta",
            "channel_id": channel,
            "channel_name": "metodevarsler",
            "user_id": user,
            "user_name": "someone",
            "command": "/metode",
            "text": text,
            "api_app_id": "A0APP",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger,
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    """An interactivity request: the JSON payload in a `payload` form field."""
    return urlencode({"payload": json.dumps(payload)})


def post(base: str, body: str, **header_options: Any) -> httpx.Response:
    """POST a signed body to /slack/events."""
    return httpx.post(
        f"{base}/slack/events",
        content=body.encode(),
        headers=signed_headers(body, **header_options),
        timeout=10,
    )
