"""The HTTP side: `POST /slack/events` (Bolt) and `GET /healthz`, served by gunicorn."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import func, select, text

from bot.storage.tables import SourceState

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def health(runtime: Runtime) -> tuple[int, dict[str, Any]]:
    """200 while the database answers and polling is alive; 503 otherwise.

    Polling counts as stalled when no source was read successfully for three poll intervals
    (a fresh installation that has not polled yet is healthy).
    """
    try:
        with runtime.sessions() as session:
            session.execute(text("SELECT 1"))
            last = session.scalar(select(func.max(SourceState.last_success_at)))
    except Exception as exc:  # any database failure means unhealthy; say which kind only
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return 503, {"database": "unreachable"}
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    age = None if last is None else round((datetime.now(UTC) - last).total_seconds())
    limit = 3 * 60 * runtime.settings.poll_interval_minutes
    stalled = age is not None and age > limit
    body = {
        "database": "ok",
        "last_successful_poll_age_seconds": age,
        "polling": "stalled" if stalled else "ok",
    }
    return (503 if stalled else 200), body


def wsgi_app(runtime: Runtime, app: App) -> WsgiApp:
    """Slack requests go to Bolt; `/healthz` is answered here."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            status, body = health(runtime)
            reason = "OK" if status == 200 else "Service Unavailable"
            start_response(f"{status} {reason}", [("Content-Type", "application/json")])
            return [json.dumps(body).encode()]
        return slack(environ, start_response)

    return application


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn in-process: one worker with threads (Bolt's dev server drops connections)."""

    def __init__(
        self,
        application: WsgiApp,
        *,
        port: int,
        threads: int = 32,
        on_worker_start: Callable[[], Any] | None = None,
        on_worker_exit: Callable[[], Any] | None = None,
    ) -> None:
        self.application = application
        self.options: dict[str, Any] = {
            "bind": f"0.0.0.0:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "backlog": 2048,
            "timeout": 30,
            "graceful_timeout": 25,
            "accesslog": None,
            "loglevel": "warning",
        }
        if on_worker_start is not None:  # runs in the worker process, after the fork
            self.options["post_worker_init"] = lambda _worker: on_worker_start()
        if on_worker_exit is not None:
            self.options["worker_exit"] = lambda _server, _worker: on_worker_exit()
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WsgiApp:
        return self.application
