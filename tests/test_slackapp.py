"""The Slack app over real HTTP on loopback: signed requests in, answers at a fake Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime, open_runtime
from bot.slack.app import build_app
from bot.slack.web import wsgi_app
from bot.storage.tables import AuditEntry, MethodRow
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.slackhttp import SECRET, command_body, interaction_body, post, serve
from tests.world import DupilumabWorld

ADMIN = "U0ADMIN"
TITLE = "Dupilumab (Dupixent) til behandling av atopisk eksem"


@pytest.fixture
def runtime(replay: ReplayServer, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    world = DupilumabWorld(replay)
    settings = world.settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.url,
        metodevakt_admins=ADMIN,
        slack_alert_channel="C0123ABCD",
    )
    runtime = open_runtime(settings)
    runtime.poll()
    yield runtime
    runtime.close()


@pytest.fixture
def base(runtime: Runtime) -> Iterator[str]:
    with serve(wsgi_app(runtime, build_app(runtime))) as url:
        yield url


def ask(
    base: str,
    slack: FakeSlack,
    text: str,
    *,
    user: str = "U0USER",
    name: str = "r1",
    trigger: str = "trigger-1",
) -> dict[str, Any]:
    """Send `/metode text`; wait for the answer posted to its response_url."""
    body = command_body(text, response_url=slack.response_url(name), user=user, trigger=trigger)
    response = post(base, body)
    assert response.status_code == 200, response.text
    assert slack.wait_until(lambda: bool(slack.responses(name)), timeout=5)
    return slack.responses(name)[-1]


def audit_rows(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize(
    "query",
    [
        "dupilumab",
        "DUPIXENT",
        "Dupixént",
        "d11ah05",
        "NCT03054428",
        "NCT03346434",
        "id2019_015",
        "dupilumab-ad-12-17",
        "   Dupilumab  ",
    ],
)
def test_lookup_by_every_key(base: str, fake_slack: FakeSlack, query: str) -> None:
    """Substance, trade name, ATC, NCT (watched and discovered), Nye metoder ID, slug: one card."""
    answer = ask(base, fake_slack, query)
    assert answer["response_type"] == "ephemeral"
    assert TITLE in answer["text"]
    assert answer["unfurl_links"] is False
    actions = [b for b in answer["blocks"] if b["type"] == "actions"]
    assert actions[-1]["elements"][0]["action_id"] == "share_card"


def test_no_match_suggests_names(base: str, fake_slack: FakeSlack) -> None:
    """An unknown name says so and offers the closest names."""
    answer = ask(base, fake_slack, "dupilumb")
    assert "Fant ingen metode" in answer["text"] or "Fant ingen metode" in json.dumps(answer)
    assert "dupilumab" in json.dumps(answer).casefold()


def test_several_matches_give_a_list(base: str, fake_slack: FakeSlack, runtime: Runtime) -> None:
    """Two methods with one substance: a short list to pick from, not a card."""
    submit_method(
        base,
        runtime,
        fake_slack,
        {"title": "Dupilumab mot astma", "substance": "dupilumab", "id": "dupilumab-astma"},
    )
    answer = json.dumps(ask(base, fake_slack, "dupilumab", name="r2"))
    assert "dupilumab-astma" in answer and "dupilumab-ad-12-17" in answer


def test_mentions_and_long_input(base: str, fake_slack: FakeSlack) -> None:
    """`<!channel>` is echoed escaped; 10,000 characters get a clear, short refusal."""
    answer = json.dumps(ask(base, fake_slack, "<!channel> hei"))
    assert "<!channel>" not in answer and "&lt;!channel&gt;" in answer
    long = ask(base, fake_slack, "x" * 10_000, name="r2")
    assert "200" in long["text"]


@pytest.mark.parametrize(
    "headers",
    [{"secret": "wrong-secret"}, {"timestamp": int(time.time()) - 360}],
    ids=["forged", "stale"],
)
def test_bad_signature_is_refused_and_runs_nothing(
    base: str,
    fake_slack: FakeSlack,
    runtime: Runtime,
    headers: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A forged or stale request gets 401, runs no handler, stores nothing, logs no body."""
    body = command_body("fjern dupilumab", response_url=fake_slack.response_url("x"), user=ADMIN)
    response = post(base, body, **headers)
    assert response.status_code == 401
    assert fake_slack.responses("x") == [] and fake_slack.calls == []
    assert audit_rows(runtime) == 0
    assert "response_url" not in caplog.text and "hooks" not in caplog.text


def test_non_admin_is_refused(base: str, fake_slack: FakeSlack, runtime: Runtime) -> None:
    """Admin commands from other users get a polite refusal and change nothing."""
    answer = ask(base, fake_slack, "fjern dupilumab")
    assert "bare administratorer" in answer["text"]
    assert fake_slack.calls_to("views.open") == [] and audit_rows(runtime) == 0


def submit_method(
    base: str, runtime: Runtime, slack: FakeSlack, fields: dict[str, str], *, view_id: str = "V1"
) -> httpx.Response:
    values = {
        name: {"value": {"type": "plain_text_input", "value": value}}
        for name, value in fields.items()
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEAM"},
        "user": {"id": ADMIN},
        "trigger_id": "t-view",
        "api_app_id": "A0APP",
        "view": {
            "id": view_id,
            "type": "modal",
            "hash": "h1",
            "callback_id": "add_method",
            "state": {"values": values},
        },
    }
    return post(base, interaction_body(payload))


def test_admin_adds_a_method_once(base: str, fake_slack: FakeSlack, runtime: Runtime) -> None:
    """`legg til` opens the modal; a submission stores it with an audit row; a replay is a no-op."""
    body = command_body("legg til", response_url=fake_slack.response_url("a"), user=ADMIN)
    assert post(base, body).status_code == 200
    assert fake_slack.wait_until(lambda: bool(fake_slack.calls_to("views.open")))
    assert fake_slack.calls_to("views.open")[0]["view"]["callback_id"] == "add_method"
    fields = {
        "title": "Tralokinumab mot atopisk eksem",
        "substance": "tralokinumab",
        "trials": "NCT03131648",
    }
    assert submit_method(base, runtime, fake_slack, fields).status_code == 200
    assert submit_method(base, runtime, fake_slack, fields).status_code == 200
    with runtime.sessions() as session:
        row = session.get(MethodRow, "tralokinumab")
        assert row is not None and row.origin == "slack" and row.created_by == ADMIN
    assert audit_rows(runtime) == 1


def test_invalid_modal_shows_field_errors(
    base: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """A bad NCT ID comes back as an error next to the trials field; nothing is stored."""
    response = submit_method(
        base, runtime, fake_slack, {"title": "X", "substance": "x", "trials": "NCT1"}
    )
    assert response.json()["response_action"] == "errors"
    assert "NCT1" in response.json()["errors"]["trials"]
    assert audit_rows(runtime) == 0


def test_admin_removes_after_confirming_and_replay_is_harmless(
    base: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """`fjern` asks first; the confirmation removes the method once, a replay says 'already'."""
    question = ask(base, fake_slack, "fjern dupixent", user=ADMIN)
    assert question["blocks"][-1]["elements"][0]["action_id"] == "confirm_remove"
    click = {
        "type": "block_actions",
        "team": {"id": "T0TEAM"},
        "user": {"id": ADMIN},
        "trigger_id": "t-confirm",
        "response_url": fake_slack.response_url("c"),
        "actions": [{"action_id": "confirm_remove", "value": "dupilumab-ad-12-17"}],
    }
    assert post(base, interaction_body(click)).status_code == 200
    assert post(base, interaction_body(click)).status_code == 200
    assert fake_slack.wait_until(lambda: len(fake_slack.responses("c")) == 2)
    texts = [r["text"] for r in fake_slack.responses("c")]
    assert "overvåkes ikke lenger" in texts[0] and "allerede gjort" in texts[1]
    with runtime.sessions() as session:
        row = session.get(MethodRow, "dupilumab-ad-12-17")
        assert row is not None and not row.active
    assert audit_rows(runtime) == 1


def test_admin_routes_a_method(base: str, fake_slack: FakeSlack, runtime: Runtime) -> None:
    """`kanal <metode> #kanal` sends the method's alerts to that channel, audited."""
    answer = ask(base, fake_slack, "kanal dupilumab <#C0999ZZZ|hud>", user=ADMIN)
    assert "<#C0999ZZZ>" in answer["text"]
    with runtime.sessions() as session:
        row = session.get(MethodRow, "dupilumab-ad-12-17")
        assert row is not None and row.definition["channel"] == "C0999ZZZ"
    assert audit_rows(runtime) == 1


def test_app_home_lists_methods_and_sources(base: str, fake_slack: FakeSlack) -> None:
    """Opening App Home publishes the watchlist and each source's health."""
    event = {
        "type": "event_callback",
        "team_id": "T0TEAM",
        "api_app_id": "A0APP",
        "event": {"type": "app_home_opened", "user": "U0USER", "tab": "home"},
        "event_id": "Ev1",
        "event_time": int(time.time()),
    }
    body = json.dumps(event)
    response = httpx.post(
        f"{base}/slack/events",
        content=body.encode(),
        timeout=10,
        headers={**signed(body), "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert fake_slack.wait_until(lambda: bool(fake_slack.calls_to("views.publish")))
    view = json.dumps(fake_slack.calls_to("views.publish")[0]["view"])
    assert "Dupilumab" in view and "ClinicalTrials.gov" in view


def signed(body: str) -> dict[str, str]:
    from tests.slackhttp import signed_headers

    return signed_headers(body)


def test_healthz(base: str) -> None:
    """GET /healthz: database reachable and the age of the last successful poll."""
    response = httpx.get(f"{base}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["last_successful_poll_age_seconds"] < 600


def test_healthz_fails_when_polling_stalls(base: str, runtime: Runtime) -> None:
    """No successful read for three poll intervals: /healthz answers 503 'stalled'."""
    from datetime import UTC, datetime, timedelta

    from bot.storage import db
    from bot.storage.tables import SourceState

    with db.transaction(runtime.sessions) as session:
        for state in session.scalars(select(SourceState)):
            state.last_success_at = datetime.now(UTC) - timedelta(hours=4)
    response = httpx.get(f"{base}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json()["polling"] == "stalled"
