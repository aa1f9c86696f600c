"""The real Slack app for the catalogue tests: a runtime on the dupilumab world, on loopback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime, open_runtime
from bot.slack.app import build_app
from bot.slack.web import wsgi_app
from bot.storage.tables import AuditEntry, MethodRow, OutboxRow
from tests.fakeslack import FakeSlack
from tests.slackhttp import SECRET, command_body, post, serve
from tests.world import DupilumabWorld

ADMIN = "U0ADMIN"
TEAM = "T0TEAM"
ALERTS = "C0123ABCD"
METHOD = "dupilumab-ad-12-17"
# Loggers whose records the tests read at DEBUG (besides the root): the app's and its libraries'.
LIBRARY_LOGGERS = ("bot", "slack_bolt", "slack_sdk", "httpx", "httpcore", "urllib3", "sqlalchemy")


def open_app_runtime(
    world: DupilumabWorld, fake_slack: FakeSlack, database_url: str, **overrides: Any
) -> Runtime:
    """A runtime reading `world`'s sources, with Slack at the fake; `overrides` are settings."""
    settings = world.settings(
        **{
            "database_url": database_url,
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "slack_api_url": fake_slack.url,
            "metodevakt_admins": ADMIN,
            "slack_alert_channel": ALERTS,
        }
        | overrides
    )
    return open_runtime(settings)


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    """The app (`web`'s WSGI application, Bolt inside) on 127.0.0.1; yields its base URL."""
    with serve(wsgi_app(runtime, build_app(runtime))) as url:
        yield url


def everything_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every record at DEBUG, including loggers that copied a higher level at creation."""
    caplog.set_level(logging.DEBUG)
    names = list(logging.root.manager.loggerDict)
    for name in names:
        if name.split(".")[0].split(":")[0] in LIBRARY_LOGGERS:
            caplog.set_level(logging.DEBUG, logger=name)


def command(text: str, slack: FakeSlack, name: str, **fields: str) -> str:
    """A `/metode text` body answering to `response_url(name)`; `fields` replace any form field."""
    body = dict(parse_qsl(command_body(text, response_url=slack.response_url(name))))
    return urlencode(body | fields)


def ask(base: str, slack: FakeSlack, text: str, name: str, **fields: str) -> dict[str, Any]:
    """Send `/metode text` signed; wait for the one answer posted to its response_url."""
    response = post(base, command(text, slack, name, **fields))
    assert response.status_code == 200, response.text
    assert slack.wait_until(lambda: bool(slack.responses(name)), timeout=5)
    return slack.responses(name)[-1]


def db_state(runtime: Runtime) -> tuple[Any, ...]:
    """What a request could change: the methods (definition, active), audit and outbox rows."""
    with runtime.sessions() as session:
        methods = sorted(
            (row.id, row.active, repr(row.definition)) for row in session.scalars(select(MethodRow))
        )
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        outbox = session.scalar(select(func.count()).select_from(OutboxRow))
    return tuple(methods), audits, outbox


def audit_rows(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def method_row(runtime: Runtime, method_id: str = METHOD) -> MethodRow:
    with runtime.sessions() as session:
        row = session.get(MethodRow, method_id)
        assert row is not None
        session.expunge(row)
        return row
