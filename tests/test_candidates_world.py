"""Candidates in a replayed world: found once each, proposed weekly, triaged in Slack.

The world (tests/candidateworld.py) holds this month's news in the team's scope and out of it;
every source is read from the replay server, Slack is the fake Slack, and every request to the
app is signed as Slack signs it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.overview.candidates import read_candidates
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.web import wsgi_app
from bot.storage.tables import (
    AuditEntry,
    Candidate,
    CandidateEvidence,
    MethodRow,
    OutboxRow,
    Snapshot,
)
from tests.candidateworld import SCOPE, CandidateWorld
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.slackhttp import SECRET, command_body, interaction_body, post, serve
from tests.world import SEED

ADMIN, USER, CHANNEL = "U0ADMIN", "U0USER", "C0123ABCD"
LEBRIKIZUMAB = "lebrikizumab|condition:atopic dermatitis"
ABROCITINIB = "abrocitinib|condition:atopic dermatitis"
TRALOKINUMAB = "tralokinumab|condition:atopic dermatitis"
FOUND = {
    ABROCITINIB: [("ema_medicines", "ema_decision")],
    LEBRIKIZUMAB: [("ema_medicines", "ema_opinion"), ("openfda", "fda_original")],
    TRALOKINUMAB: [
        ("ema_post_authorisation", "ema_procedure_opinion"),
        ("openfda", "fda_efficacy"),
    ],
}


def scoped_watchlist(directory: Path) -> Path:
    """The seed's method with the world's scope (exampleumab ignored too)."""
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    document["scope"] = SCOPE
    path = directory / "watchlist.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def world(replay: ReplayServer) -> CandidateWorld:
    return CandidateWorld(replay)


@pytest.fixture
def settings(
    world: CandidateWorld, fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> Settings:
    return world.settings(
        database_url=database_url,
        watchlist_file=scoped_watchlist(tmp_path),
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.url,
        metodevakt_admins=ADMIN,
        slack_alert_channel=CHANNEL,
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    runtime = open_runtime(settings)
    yield runtime
    runtime.close()


@pytest.fixture
def base(runtime: Runtime) -> Iterator[str]:
    with serve(wsgi_app(runtime, build_app(runtime))) as url:
        yield url


def found(runtime: Runtime) -> dict[str, list[tuple[str, str]]]:
    """Each candidate's identity with its evidence (source, kind), as stored."""
    with runtime.sessions() as session:
        rows = session.execute(
            select(Candidate.identity, CandidateEvidence.source, CandidateEvidence.kind).join(
                CandidateEvidence, CandidateEvidence.candidate_id == Candidate.id
            )
        ).all()
    result: dict[str, list[tuple[str, str]]] = {}
    for identity, source, kind in rows:
        result.setdefault(identity, []).append((source, kind))
    return {identity: sorted(items) for identity, items in sorted(result.items())}


def candidate(runtime: Runtime, identity: str) -> Candidate:
    with runtime.sessions() as session:
        row = session.scalar(select(Candidate).where(Candidate.identity == identity))
    assert row is not None
    return row


def audits(runtime: Runtime, action: str) -> int:
    with runtime.sessions() as session:
        query = select(func.count()).where(AuditEntry.action == action)
        return int(session.scalar(query.select_from(AuditEntry)) or 0)


def polled(runtime: Runtime) -> None:
    """Two cycles: openFDA knows EMA's substances in scope from the second on."""
    for _ in range(2):
        assert all(result.ok for result in runtime.poll())


def weekly(runtime: Runtime, slack: FakeSlack) -> tuple[Any, list[Any]]:
    """Queue and deliver the week's message; its head and the replies in its thread."""
    runtime.candidates()
    report = runtime.deliverer.run()
    assert report.dead == 0, report.errors
    head = slack.messages(CHANNEL)[-1]
    return head, slack.replies(CHANNEL, head.ts)


def buttons(replies: list[Any]) -> dict[tuple[str, str], str]:
    """(action, candidate id) → the ts of the reply holding that button."""
    found: dict[tuple[str, str], str] = {}
    for reply in replies:
        for block in reply.blocks or []:
            for element in block.get("elements", []) if block["type"] == "actions" else []:
                found[(element["action_id"], element["value"])] = reply.ts
    return found


def click(base: str, slack: FakeSlack, action: str, candidate_id: int, **options: Any) -> str:
    """Press a candidate's button in a message of the channel; returns its response name."""
    name = options.get("name", f"{action}-{candidate_id}")
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEAM"},
        "user": {"id": options.get("user", USER)},
        "api_app_id": "A0APP",
        "trigger_id": options.get("trigger", f"t-{action}-{candidate_id}"),
        "response_url": slack.response_url(name),
        "container": {
            "type": "message",
            "message_ts": options.get("ts"),
            "channel_id": CHANNEL,
            "is_ephemeral": False,
        },
        "channel": {"id": CHANNEL},
        "actions": [{"action_id": action, "value": str(candidate_id), "type": "button"}],
    }
    assert post(base, interaction_body(payload)).status_code == 200
    return str(name)


def submit(
    base: str, callback: str, view: dict[str, Any], values: dict[str, str], *, view_id: str = ""
) -> Any:
    """Submit a modal the app opened, with `values` typed in its text inputs (`view_id`: a
    second form of the same kind, not a replay)."""
    state = {
        block: {"value": {"type": "plain_text_input", "value": value}}
        for block, value in values.items()
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEAM"},
        "user": {"id": ADMIN},
        "trigger_id": "t-view",
        "api_app_id": "A0APP",
        "view": {
            "id": view_id or f"V-{callback}",
            "type": "modal",
            "hash": "h1",
            "callback_id": callback,
            "private_metadata": view["private_metadata"],
            "state": {"values": state},
        },
    }
    return post(base, interaction_body(payload))


# Found once each ----------------------------------------------------------------------------


def test_in_scope_news_become_candidates_once_each_across_restarts(
    runtime: Runtime, settings: Settings
) -> None:
    """Three candidates, one per substance and condition, each fact once: a third cycle and a
    restart on the same database add nothing. The out-of-scope, watched, ignored, old and
    generic news are not candidates."""
    polled(runtime)
    assert found(runtime) == FOUND
    runtime.poll()
    again = open_runtime(settings)
    try:
        again.poll()
        assert found(again) == FOUND
    finally:
        again.close()


def test_the_same_candidate_from_two_sources_is_one_candidate(runtime: Runtime) -> None:
    """EMA's opinion and the FDA's approval of lebrikizumab: one candidate, two pieces of
    evidence, and what is expected next (the EC decision within 67 days of the opinion, the
    Norwegian MA about 30 days after)."""
    polled(runtime)
    with runtime.sessions() as session:
        (view,) = read_candidates(session, [candidate(runtime, LEBRIKIZUMAB).id])
    assert {item.source for item in view.evidence} == {"ema_medicines", "openfda"}
    opinion = date.fromisoformat(next(e.date for e in view.evidence if e.kind == "ema_opinion"))
    decision, norway = view.expected
    assert (decision.kind, decision.by) == ("ec_decision", str(opinion + timedelta(days=67)))
    assert (norway.kind, norway.by) == ("mt_norway", str(opinion + timedelta(days=97)))


def test_weekly_message_proposes_each_candidate_once(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """One "Nye kandidater" in the channel, the candidates with their buttons in its thread;
    the next week (nothing new) posts nothing."""
    polled(runtime)
    head, replies = weekly(runtime, fake_slack)
    assert "Nye kandidater" in json.dumps(head.blocks) and "3 kandidater" in json.dumps(head.blocks)
    ids = {str(candidate(runtime, identity).id) for identity in FOUND}
    pressed = buttons(replies)
    for action in ("candidate_follow", "candidate_dismiss", "candidate_take"):
        assert {value for kind, value in pressed if kind == action} == ids
    text = json.dumps([reply.blocks for reply in replies])
    assert "EU-kommisjonens vedtak innen" in text and "ema.europa.eu" in text
    before = len(fake_slack.calls_to("chat.postMessage"))
    assert runtime.candidates() == 0
    runtime.deliverer.run()
    assert len(fake_slack.calls_to("chat.postMessage")) == before


def test_candidates_command_prints_to_the_console_without_a_token(
    world: CandidateWorld, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`metodevakt candidates` builds and delivers the week's message now, to the console."""
    settings = world.settings(database_url=database_url, watchlist_file=scoped_watchlist(tmp_path))
    for name, value in settings.model_dump().items():
        if value is not None and name not in {"slack_bot_token", "openfda_api_key"}:
            monkeypatch.setenv(name.upper(), str(value))
    runner = CliRunner()
    for _ in range(2):
        assert runner.invoke(cli, ["poll", "--once"]).exit_code == 0
    result = runner.invoke(cli, ["candidates"])
    assert result.exit_code == 0, result.output
    assert "Nye kandidater" in result.stdout and "lebrikizumab" in result.stdout
    assert "candidates: 3 proposed" in result.stderr
    assert "candidates: 0 proposed" in runner.invoke(cli, ["candidates"]).stderr


# Triage --------------------------------------------------------------------------------------


def test_take_is_stored_audited_shown_and_replay_safe(
    runtime: Runtime, base: str, fake_slack: FakeSlack
) -> None:
    """ "Ta saken": the clicker owns it, the message says so instead of showing its buttons
    to take it again; the same click replayed changes nothing."""
    polled(runtime)
    _head, replies = weekly(runtime, fake_slack)
    lebrikizumab = candidate(runtime, LEBRIKIZUMAB).id
    ts = buttons(replies)[("candidate_take", str(lebrikizumab))]
    name = click(base, fake_slack, "candidate_take", lebrikizumab, ts=ts)
    assert fake_slack.wait_until(lambda: len(fake_slack.responses(name)) == 2)
    click(base, fake_slack, "candidate_take", lebrikizumab, ts=ts)
    assert fake_slack.wait_until(lambda: len(fake_slack.responses(name)) == 3)
    rewritten, told, replayed = fake_slack.responses(name)
    assert rewritten["replace_original"] is True
    assert f"Saken er tatt av <@{USER}>" in json.dumps(rewritten["blocks"])
    assert "Du har tatt saken" in told["text"] and "allerede gjort" in replayed["text"]
    assert candidate(runtime, LEBRIKIZUMAB).owner == USER
    assert audits(runtime, "candidate_take") == 1


def test_not_relevant_hides_a_candidate_until_new_evidence(
    runtime: Runtime, base: str, fake_slack: FakeSlack, world: CandidateWorld
) -> None:
    """ "Ikke relevant" with a reason: audited, hidden from the list and from later weeks while
    nothing new arrives; the EC decision after it is new evidence, and it is proposed again."""
    polled(runtime)
    _head, replies = weekly(runtime, fake_slack)
    lebrikizumab = candidate(runtime, LEBRIKIZUMAB).id
    ts = buttons(replies)[("candidate_dismiss", str(lebrikizumab))]
    name = click(base, fake_slack, "candidate_dismiss", lebrikizumab, ts=ts)
    assert fake_slack.wait_until(lambda: bool(fake_slack.calls_to("views.open")))
    modal = fake_slack.calls_to("views.open")[-1]["view"]
    assert modal["callback_id"] == "candidate_dismiss"
    submit(base, "candidate_dismiss", modal, {"reason": "Ikke <!channel> vårt område"})
    assert fake_slack.wait_until(lambda: len(fake_slack.responses(name)) == 2)
    row = candidate(runtime, LEBRIKIZUMAB)
    assert (row.status, row.decided_by, row.reason) == (
        "dismissed",
        ADMIN,
        "Ikke <!channel> vårt område",
    )
    rewritten = json.dumps(fake_slack.responses(name)[0]["blocks"])
    assert "Ikke relevant (<@U0ADMIN>" in rewritten and "&lt;!channel&gt;" in rewritten
    listing = ask(base, fake_slack, "kandidater")
    assert "lebrikizumab" not in json.dumps(listing) and "abrocitinib" in json.dumps(listing)
    runtime.poll()
    assert runtime.candidates() == 0
    world.decide("EMEA/H/C/005894", days_ago=0)
    runtime.poll()
    assert candidate(runtime, LEBRIKIZUMAB).status == "open"
    assert audits(runtime, "candidate_reopen") == 1
    _head, again = weekly(runtime, fake_slack)
    assert {value for _, value in buttons(again)} == {str(lebrikizumab)}
    assert "EU-kommisjonens vedtak" in json.dumps([reply.blocks for reply in again])


def ask(base: str, slack: FakeSlack, text: str, *, user: str = USER) -> dict[str, Any]:
    """`/metode text`; the answer posted to its response_url."""
    name = f"ask-{len(slack.calls)}"
    body = command_body(text, response_url=slack.response_url(name), user=user)
    assert post(base, body).status_code == 200
    assert slack.wait_until(lambda: bool(slack.responses(name)))
    return slack.responses(name)[-1]


def test_follow_watches_the_method_from_a_silent_start(
    runtime: Runtime, base: str, fake_slack: FakeSlack
) -> None:
    """ "Følg" opens the add-method form filled in from the evidence; saving it watches the
    method (audited, once), marks the candidate followed, and its first poll alerts nothing."""
    polled(runtime)
    _head, replies = weekly(runtime, fake_slack)
    abrocitinib = candidate(runtime, ABROCITINIB).id
    ts = buttons(replies)[("candidate_follow", str(abrocitinib))]
    refused = click(base, fake_slack, "candidate_follow", abrocitinib, ts=ts, name="refused")
    assert fake_slack.wait_until(lambda: bool(fake_slack.responses(refused)))
    assert "bare administratorer" in fake_slack.responses(refused)[0]["text"]
    name = click(base, fake_slack, "candidate_follow", abrocitinib, ts=ts, user=ADMIN)
    assert fake_slack.wait_until(lambda: bool(fake_slack.calls_to("views.open")))
    modal = fake_slack.calls_to("views.open")[-1]["view"]
    typed = {
        block["block_id"]: block["element"]["initial_value"]
        for block in modal["blocks"]
        if block["element"].get("initial_value")
    }
    assert typed["substance"] == "abrocitinib" and typed["ema_products"] == "EMEA/H/C/005452"
    assert typed["trade_names"] == "Cibinqo" and typed["discover"] == "atopic dermatitis"
    assert submit(base, "candidate_follow", modal, typed).status_code == 200
    assert submit(base, "candidate_follow", modal, typed).status_code == 200
    other = submit(base, "candidate_follow", modal, typed, view_id="V-another-admin")
    assert other.status_code == 200
    assert "følges allerede som metode `abrocitinib`" in other.json()["errors"]["title"]
    with runtime.sessions() as session:
        method = session.get(MethodRow, "abrocitinib")
    assert method is not None and (method.origin, method.created_by) == ("slack", ADMIN)
    assert candidate(runtime, ABROCITINIB).status == "followed"
    assert audits(runtime, "add") == 1 and audits(runtime, "candidate_follow") == 1
    assert fake_slack.wait_until(lambda: len(fake_slack.responses(name)) == 2)
    rewritten, told = fake_slack.responses(name)
    assert "Følges som metode `abrocitinib`" in json.dumps(rewritten, ensure_ascii=False)
    assert "overvåkes nå som metode `abrocitinib`" in told["text"]
    assert "stille start" in told["text"]
    runtime.poll()
    with runtime.sessions() as session:
        alerts = session.scalar(
            select(func.count()).where(OutboxRow.method_id == "abrocitinib").select_from(OutboxRow)
        )
        cibinqo = session.get(Snapshot, ("ema_medicines", "EMEA/H/C/005452"))
    assert alerts == 0  # the silent baseline
    assert cibinqo is not None and cibinqo.method_ids == ["abrocitinib"]
    assert "abrocitinib" not in json.dumps(ask(base, fake_slack, "kandidater"))


def test_admins_change_the_scope_in_slack_and_it_wins_over_the_file(
    runtime: Runtime, base: str, fake_slack: FakeSlack, settings: Settings
) -> None:
    """Everyone sees the scope; an admin's change is audited once (a replay changes nothing),
    a non-admin's is refused, and after a restart Slack's copy still wins over the file."""
    shown = ask(base, fake_slack, "omfang")
    assert "ATC: D11" in shown["text"] and "Fra overvåkningslisten" in shown["text"]
    refused = ask(base, fake_slack, "omfang atc D11, L01")
    assert "bare administratorer" in refused["text"]
    body = command_body(
        "omfang atc D11, l01", response_url=fake_slack.response_url("scope"), user=ADMIN
    )
    for _ in range(2):
        assert post(base, body).status_code == 200
    assert fake_slack.wait_until(lambda: len(fake_slack.responses("scope")) == 2)
    changed, replayed = fake_slack.responses("scope")
    assert "ATC: D11, L01" in changed["text"] and f"<@{ADMIN}>" in changed["text"]
    assert "allerede gjort" in replayed["text"]
    assert audits(runtime, "scope") == 1
    again = open_runtime(settings)
    try:
        scope = again.scope()
        assert scope is not None and scope.atc == ["D11", "L01"]
    finally:
        again.close()
