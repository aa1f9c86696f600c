"""Catalogue §5.1, security (S1-S13): the real app over HTTP, sources replayed, Slack faked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.runtime import Runtime, build_sources
from bot.storage.tables import Base, OutboxRow, Snapshot, SourceState
from bot.texts.mrkdwn import ALLOWED_HOSTS
from bot.watchlist import WatchlistError, load_watchlist
from tests.apphost import (
    ADMIN,
    METHOD,
    TEAM,
    ask,
    audit_rows,
    command,
    db_state,
    everything_at_debug,
    method_row,
    open_app_runtime,
    serving,
)
from tests.fakeslack import FakeSlack
from tests.golden import FIXTURES
from tests.replay import ReplayServer
from tests.slackhttp import SECRET, interaction_body, post, signed_headers
from tests.world import EMA_NEWS, OPENFDA, RSS, DupilumabWorld

ROUTE = "kanal dupilumab <#C0999ZZZ|hud>"


@pytest.fixture
def runtime(replay: ReplayServer, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    runtime = open_app_runtime(DupilumabWorld(replay), fake_slack, database_url)
    yield runtime
    runtime.close()


@pytest.fixture
def base(runtime: Runtime) -> Iterator[str]:
    with serving(runtime) as url:
        yield url


def send(base: str, body: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{base}/slack/events", content=body.encode(), headers=headers, timeout=10)


def click(slack: FakeSlack, name: str, *, user: str = ADMIN, team: str = TEAM) -> str:
    """The body of a click on "Ja, fjern" under the remove question."""
    payload = {
        "type": "block_actions",
        "team": {"id": team},
        "user": {"id": user},
        "trigger_id": f"t-{name}",
        "api_app_id": "A0APP",
        "response_url": slack.response_url(name),
        "actions": [{"action_id": "confirm_remove", "value": METHOD}],
    }
    return interaction_body(payload)


# S1-S4: signatures


def test_s01_forged_signature_runs_nothing(
    base: str,
    runtime: Runtime,
    fake_slack: FakeSlack,
    replay: ReplayServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A wrong-secret request: 401, no handler, no write, no call out, no body in any log."""
    everything_at_debug(caplog)
    before = db_state(runtime)
    body = command("fjern dupilumab S1-distinctive-words", fake_slack, "s1", user_id=ADMIN)
    response = post(base, body, secret="forged-secret")
    assert response.status_code == 401
    assert fake_slack.calls == [] and replay.requests == []
    assert db_state(runtime) == before and method_row(runtime).active
    assert "refused a Slack request without a valid signature" in caplog.text
    for secret_part in ("S1-distinctive-words", "response_url", "%2Fresponse%2F", "token=", "v0="):
        assert secret_part not in caplog.text


@pytest.mark.parametrize(
    ("offset", "status"),
    [(-301, 401), (-360, 401), (240, 200), (330, 401)],
    ids=["past-301s", "past-360s", "future-240s", "future-330s"],
)
def test_s02_timestamp_window_is_five_minutes_both_ways(
    base: str, fake_slack: FakeSlack, offset: int, status: int
) -> None:
    """Older than 300 s is refused; the window is symmetric, so +240 s is (pinned) accepted."""
    response = post(
        base, command("dupilumab", fake_slack, "s2"), timestamp=int(time.time()) + offset
    )
    assert response.status_code == status
    if status == 200:
        assert fake_slack.wait_until(lambda: bool(fake_slack.responses("s2")))
    else:
        assert fake_slack.calls == []


def signature(body: str, stamp: str) -> str:
    """A v0 signature over `body` with any timestamp text, well-formed or not."""
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


@pytest.mark.parametrize(
    ("timestamp", "signed_over"),
    [(None, None), (None, "now"), ("now", None), ("abc", "abc"), ("-5", "-5"), ("1e9", "1e9")],
    ids=["no-headers", "no-timestamp", "no-signature", "abc", "negative", "exponent"],
)
def test_s03_missing_or_malformed_headers_are_401(
    base: str,
    runtime: Runtime,
    fake_slack: FakeSlack,
    timestamp: str | None,
    signed_over: str | None,
) -> None:
    """A missing header or non-numeric timestamp: 401 (Bolt alone answers 500 for `abc`)."""
    now = str(int(time.time()))
    body = command(ROUTE, fake_slack, "s3", user_id=ADMIN)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = now if timestamp == "now" else timestamp
    if signed_over is not None:
        headers["X-Slack-Signature"] = signature(body, now if signed_over == "now" else signed_over)
    before = db_state(runtime)
    response = send(base, body, headers)
    assert response.status_code == 401
    assert fake_slack.calls == [] and db_state(runtime) == before


def test_s04_body_altered_after_signing_is_refused(
    base: str, runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """`text=dupilumab` signed, `text=fjern dupilumab` sent: 401, and the method stays watched."""
    signed_body = command("dupilumab", fake_slack, "s4", user_id=ADMIN)
    altered = command("fjern dupilumab", fake_slack, "s4", user_id=ADMIN)
    assert altered != signed_body
    response = send(base, altered, signed_headers(signed_body))
    assert response.status_code == 401
    assert fake_slack.calls == [] and method_row(runtime).active and audit_rows(runtime) == 0


# S5-S7: what a valid signature does not prove


def test_s05_replayed_admin_command_changes_once(
    base: str, runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """The same signed `kanal` request twice: one change, the second answered 'already done'."""
    body = command(ROUTE, fake_slack, "s5", user_id=ADMIN, trigger_id="trigger-s5")
    headers = signed_headers(body)
    assert send(base, body, headers).status_code == 200
    assert fake_slack.wait_until(lambda: len(fake_slack.responses("s5")) == 1)
    assert send(base, body, headers).status_code == 200
    assert fake_slack.wait_until(lambda: len(fake_slack.responses("s5")) == 2)
    first, second = (r["text"] for r in fake_slack.responses("s5"))
    assert "<#C0999ZZZ>" in first and "allerede gjort" in second
    assert method_row(runtime).definition["channel"] == "C0999ZZZ"
    assert audit_rows(runtime) == 1


def test_s05_replayed_remove_confirmation_changes_once(
    base: str, runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """The same signed "Ja, fjern" click replayed: removed once, then 'already done'."""
    body = click(fake_slack, "s5c")
    headers = signed_headers(body)
    assert send(base, body, headers).status_code == 200
    assert send(base, body, headers).status_code == 200
    assert fake_slack.wait_until(lambda: len(fake_slack.responses("s5c")) == 2)
    texts = sorted(r["text"] for r in fake_slack.responses("s5c"))
    assert any("allerede gjort" in text for text in texts)
    assert any("overvåkes ikke lenger" in text for text in texts)
    assert not method_row(runtime).active and audit_rows(runtime) == 1


@pytest.fixture
def team_runtime(
    replay: ReplayServer, fake_slack: FakeSlack, database_url: str
) -> Iterator[Runtime]:
    runtime = open_app_runtime(DupilumabWorld(replay), fake_slack, database_url, slack_team_id=TEAM)
    yield runtime
    runtime.close()


def test_s06_foreign_workspace_is_refused_politely(
    team_runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """With SLACK_TEAM_ID set, another workspace's command gets a refusal and nothing runs."""
    before = db_state(team_runtime)
    with serving(team_runtime) as base:
        body = command("fjern dupilumab", fake_slack, "s6", user_id=ADMIN, team_id="T0OTHER")
        response = post(base, body)
        assert response.status_code == 200
        assert response.json() == {
            "response_type": "ephemeral",
            "text": "Denne appen svarer bare i sitt eget arbeidsområde.",
        }
        assert post(base, click(fake_slack, "s6c", team="T0OTHER")).status_code == 200
        assert fake_slack.calls == [] and db_state(team_runtime) == before
        ours = ask(base, fake_slack, "dupilumab", "s6ours")
    assert "Dupilumab (Dupixent)" in ours["text"]
    refusals = [r for r in caplog.records if "another workspace (T0OTHER)" in r.getMessage()]
    assert len(refusals) == 2 and all(r.levelname == "WARNING" for r in refusals)


def test_s07_non_admin_is_refused_and_logged_by_user_id(
    base: str, runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A non-admin named like the admin is refused (logged); the renamed admin still may act."""
    answer = ask(base, fake_slack, "fjern dupilumab", "s7", user_id="U0MALLORY", user_name="admin")
    assert "bare administratorer" in answer["text"]
    assert post(base, click(fake_slack, "s7c", user="U0MALLORY")).status_code == 200
    assert fake_slack.wait_until(lambda: bool(fake_slack.responses("s7c")))
    assert "bare administratorer" in fake_slack.responses("s7c")[0]["text"]
    assert method_row(runtime).active and audit_rows(runtime) == 0
    refusals = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("bot.slack") and r.levelname == "WARNING"
    ]
    assert refusals == [
        "refused admin action remove from user U0MALLORY",
        "refused admin action remove from user U0MALLORY",
    ]

    renamed = ask(base, fake_slack, ROUTE, "s7a", user_id=ADMIN, user_name="someone-else")
    assert "<#C0999ZZZ>" in renamed["text"] and audit_rows(runtime) == 1


# S8-S11: what the sources publish


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def poller(world: DupilumabWorld, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    """A runtime whose first cycle (the silent baseline) has run."""
    runtime = open_app_runtime(world, fake_slack, database_url)
    cycle(runtime)
    yield runtime
    runtime.close()


def cycle(runtime: Runtime) -> list[Any]:
    results = runtime.poll()
    runtime.deliverer.run()
    return results


def press_item(title: str, *, guid: str, link: str, description: str = "Dupixent news.") -> bytes:
    """An RSS item; `title`, `link` and `description` are XML text (escape them yourself)."""
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<description>{description}</description>"
        f"<pubDate>Tue, 24 Nov 2026 10:00:00 EST</pubDate><guid>{guid}</guid></item>"
    ).encode()


def publish(world: DupilumabWorld, *items: bytes) -> None:
    """New items at the top of the FDA press-release feed."""
    world.press = world.press.replace(b"<item>", b"".join(items) + b"<item>", 1)
    world.serve_press()


def everything_posted(slack: FakeSlack) -> str:
    """Every parameter the bot sent to Slack (posts, updates, response_url answers) as JSON."""
    return json.dumps([call.params for call in slack.calls], ensure_ascii=False)


def test_s08_mentions_in_a_feed_title_are_escaped_everywhere(
    poller: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """`<!channel>`, `<!here>`, `<!subteam^S1>`, `<@U1>` reach Slack only as escaped text."""
    mentions = "&lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S1&gt; &lt;@U1&gt; &lt;#C1&gt;"
    publish(world, press_item(f"Dupixent {mentions}", guid="s8", link="https://www.fda.gov/s8"))
    cycle(poller)
    poller.digest()
    poller.deliverer.run()
    with serving(poller) as base:
        ask(base, fake_slack, "dupixent", "s8")
    posts = fake_slack.calls_to("chat.postMessage")
    assert any("&lt;!subteam^S1&gt;" in call["text"] for call in posts)
    payload = everything_posted(fake_slack)
    for escaped in ("&lt;!channel&gt;", "&lt;!here&gt;", "&lt;@U1&gt;", "&lt;#C1&gt;"):
        assert escaped in payload
    assert not re.search(r"<[!@#]", payload)
    for call in fake_slack.calls:
        assert "link_names" not in call.params and "parse" not in call.params
    assert all(call["unfurl_links"] is False and call["unfurl_media"] is False for call in posts)


def test_s09_links_only_to_the_sources_own_sites(
    poller: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """`javascript:`, a `url|label` disguise and foreign hosts never become `<url|label>`."""
    publish(
        world,
        press_item("Dupixent script", guid="s9a", link="javascript:alert(1)"),
        press_item("Dupixent label", guid="s9b", link="https://evil.example|EMA official"),
        press_item("Dupixent own", guid="s9c", link="https://www.fda.gov/s9|EMA official"),
        press_item("Dupixent foreign", guid="s9d", link="https://evil.example/dupixent"),
        press_item("Dupixent lookalike", guid="s9e", link="https://fda.gov.evil.example/x"),
        press_item("Dupixent fine", guid="s9f", link="https://www.fda.gov/news/s9f"),
    )
    cycle(poller)
    payload = everything_posted(fake_slack)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1 + 6  # the card, one reply per item
    targets = re.findall(r"<([^<>|]*)\|", payload)
    assert "https://www.fda.gov/news/s9f" in targets
    for target in targets:
        host = urlsplit(target).hostname or ""
        assert target.startswith("https://"), target
        assert any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS), target
    for word in ("javascript", "evil.example", "EMA official"):
        assert word not in payload


def atom_feed(*entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>FDA</title><id>urn:fda</id>'
        "<updated>2026-11-24T10:00:00Z</updated>" + "".join(entries) + "</feed>"
    ).encode()


def atom_entry(n: int, title: str, summary: str, *, kinds: tuple[str, str]) -> str:
    return (
        f'<entry><title type="{kinds[0]}">{title}</title><id>urn:s10:{n}</id>'
        f'<link href="https://www.fda.gov/s10/{n}"/><updated>2026-11-24T10:00:00Z</updated>'
        f'<summary type="{kinds[1]}">{summary}</summary></entry>'
    )


def test_s10_markup_in_titles_and_summaries_never_leaks(
    poller: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """HTML loses its tags (scripts and all); text/plain keeps `<b>` as escaped text."""
    world.press = atom_feed(
        atom_entry(
            1,
            "&lt;b&gt;Dupixent&lt;/b&gt; html title",
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;dupilumab",
            kinds=("html", "html"),
        ),
        atom_entry(
            2,
            "&lt;b&gt;Dupixent&lt;/b&gt; plain title",
            "Plain: &lt;b&gt;dupilumab&lt;/b&gt; as written",
            kinds=("text", "text"),
        ),
    )
    world.serve_press()
    cycle(poller)
    posts = fake_slack.calls_to("chat.postMessage")
    (html,) = [call["text"] for call in posts if "html title" in call["text"]]
    (plain,) = [call["text"] for call in posts if "plain title" in call["text"]]
    assert "Dupixent html title" in html and "&lt;b&gt;" not in html
    assert "&lt;b&gt;Dupixent&lt;/b&gt; plain title" in plain
    payload = everything_posted(fake_slack)
    for markup in ("<b>", "<script", "<img", "onerror", "alert("):
        assert markup not in payload
    with poller.sessions() as session:
        stored = {row.key: row.fields for row in session.scalars(select(Snapshot))}
    assert stored["urn:s10:1"]["summary"] == "dupilumab"
    assert stored["urn:s10:2"]["summary"] == "Plain: <b>dupilumab</b> as written"


def everything_stored(runtime: Runtime) -> str:
    """Every row of every table, as text."""
    with runtime.sessions() as session:
        rows = [session.execute(select(table)).all() for table in Base.metadata.sorted_tables]
    return repr(rows)


def test_s11_entity_bombs_and_xxe_are_refused_without_alerts(
    poller: Runtime,
    world: DupilumabWorld,
    replay: ReplayServer,
    fake_slack: FakeSlack,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Billion laughs and an XXE on a local file: quick refusal, a failed source, no alerts."""
    everything_at_debug(caplog)
    secret_file = tmp_path / "hostname"
    secret_file.write_text("S11-LOCAL-FILE-CONTENT\n")
    xxe = (
        (FIXTURES / "rss" / "xxe.xml")
        .read_bytes()
        .replace(b"file:///etc/passwd", secret_file.as_uri().encode())
    )
    world.press = (FIXTURES / "rss" / "billion_laughs.xml").read_bytes()
    world.serve_press()
    replay.route(EMA_NEWS, xxe, content_type=RSS)
    posts = len(fake_slack.calls_to("chat.postMessage"))
    news = [s for s in build_sources(poller.settings) if s.name in ("fda_rss", "ema_rss")]

    tracemalloc.start()
    try:
        results = {r.source: r for r in poller.poll(news)}
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    poller.deliverer.run()

    assert peak < 5_000_000  # nothing was expanded (the time it takes: bench/guards.py)
    for name in ("fda_rss", "ema_rss"):
        assert not results[name].ok and "declares XML entities" in str(results[name].reason)
        with poller.sessions() as session:
            state = session.get(SourceState, name)
            assert state is not None and state.consecutive_failures == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == posts
    for place in (caplog.text, everything_posted(fake_slack), everything_stored(poller)):
        assert "S11-LOCAL-FILE-CONTENT" not in place and "lollol" not in place


# S12: secrets


KEY = "openfda-KEY-s12-7f3a9"
TOKEN = "xoxb-BOT-s12-9c1e4"
SIGNING = "SIGNING-s12-4b2d8"


@pytest.fixture
def secret_runtime(
    world: DupilumabWorld, fake_slack: FakeSlack, database_url: str
) -> Iterator[Runtime]:
    runtime = open_app_runtime(
        world,
        fake_slack,
        database_url,
        openfda_api_key=KEY,
        slack_bot_token=TOKEN,
        slack_signing_secret=SIGNING,
        slack_admin_channel="C0ADMIN00",
    )
    yield runtime
    runtime.close()


def test_s12_failures_never_reveal_tokens_or_the_openfda_key(
    secret_runtime: Runtime,
    replay: ReplayServer,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """openFDA and Slack failures: no secret in logs, tracebacks, admin notices or poll reasons.

    The key goes as Basic auth and only over https; this replay server speaks http, so here it
    must travel neither in clear (no Authorization header) nor in any URL.
    """
    everything_at_debug(caplog)
    openfda = [s for s in build_sources(secret_runtime.settings) if s.name == "openfda"]
    forbidden = {"status": 403, "content_type": "application/json"}
    replay.fault(OPENFDA, "status", body=b'{"error": {"code": "API_KEY_INVALID"}}', **forbidden)
    replay.fault(
        OPENFDA, "status", status=200, body=b'{"results": [', content_type="application/json"
    )
    replay.fault(OPENFDA, "status", body=b"{}", **forbidden)
    reasons = [str(secret_runtime.poll(openfda)[0].reason) for _ in range(3)]
    fake_slack.status_next("chat.postMessage", 500, body=b"upstream failure")
    secret_runtime.deliverer.run()
    fake_slack.fail_next("views.open", "invalid_auth")
    with serving(secret_runtime) as base:
        body = command("legg til", fake_slack, "s12", user_id=ADMIN)
        assert post(base, body, secret=SIGNING).status_code == 200
        assert fake_slack.wait_until(lambda: bool(fake_slack.responses("s12")))

    assert reasons[0].startswith("HTTP 403") and reasons[1].startswith("invalid answer")
    (notice,) = fake_slack.calls_to("chat.postMessage")
    assert notice["channel"] == "C0ADMIN00" and "HTTP 403" in notice["text"]
    assert "could not open the add-method form: invalid_auth" in caplog.text
    assert "Klarte ikke å åpne skjemaet" in fake_slack.responses("s12")[0]["text"]
    encoded = base64.b64encode(f"{KEY}:".encode()).decode()
    for place in (caplog.text, everything_posted(fake_slack), "\n".join(reasons)):
        for secret in (KEY, TOKEN, SIGNING, encoded, "9c1e4"):
            assert secret not in place
    with secret_runtime.sessions() as session:
        assert KEY not in repr(session.scalars(select(OutboxRow.payload)).all())
    sent = [r for r in replay.requests if r.path == OPENFDA]
    assert len(sent) == 3
    for request in sent:
        assert "authorization" not in request.headers
        assert "api_key" not in request.params and KEY not in json.dumps(request.params)


# S13: the watchlist file


def test_s13_python_tag_in_the_watchlist_is_refused_and_never_run(tmp_path: Path) -> None:
    """`!!python/object/new:os.system` is refused naming its line; the command never runs."""
    marker = tmp_path / "ran"
    path = tmp_path / "watchlist.yaml"
    path.write_text(
        "methods:\n"
        "  - id: x\n"
        "    title: X\n"
        f"    substance: !!python/object/new:os.system ['touch {marker}']\n"
    )
    with pytest.raises(WatchlistError) as caught:
        load_watchlist(path)
    assert str(caught.value) == (
        f"{path}:4: methods[0].substance: "
        "tag 'tag:yaml.org,2002:python/object/new:os.system' is not allowed"
    )
    result = CliRunner().invoke(cli, ["watchlist", "check", str(path)])
    assert result.exit_code == 1 and "is not allowed" in result.output
    assert not marker.exists()
