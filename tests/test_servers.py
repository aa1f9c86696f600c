"""The loopback test servers themselves: the fake Slack Web API and the source replay server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from tests import fakeslack
from tests import replay as replay_module
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer

fake_slack = pytest.fixture(fakeslack.fake_slack)
replay = pytest.fixture(replay_module.replay)

ALERT_METADATA = {"event_type": "metodevakt_alert", "event_payload": {"alert_key": "k1"}}
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Ny status*"}}]


class Ticks:
    """A clock for message timestamps that moves one second per reading."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1
        return self.now


def client(slack: FakeSlack, **options: object) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url, **options)  # type: ignore[arg-type]


@pytest.fixture
def ticking_slack() -> Iterator[FakeSlack]:
    with FakeSlack(clock=Ticks()) as slack:
        yield slack


# Fake Slack ---------------------------------------------------------------------------------


def test_post_message_then_history_shows_metadata_only_when_asked(fake_slack: FakeSlack) -> None:
    """conversations.history returns the post, with metadata only for include_all_metadata."""
    web = client(fake_slack)
    posted = web.chat_postMessage(channel="C1", text="hei", blocks=BLOCKS, metadata=ALERT_METADATA)

    plain = web.conversations_history(channel="C1")["messages"]
    full = web.conversations_history(channel="C1", include_all_metadata=True)["messages"]

    assert [m["ts"] for m in plain] == [posted["ts"]]
    assert "metadata" not in plain[0]
    assert full[0]["metadata"] == ALERT_METADATA
    assert full[0]["blocks"] == BLOCKS


def test_post_message_records_json_body_fields(fake_slack: FakeSlack) -> None:
    """chat.postMessage arrives as JSON: blocks, metadata and unfurl flags keep their types."""
    client(fake_slack).chat_postMessage(
        channel="C1", text="hei", blocks=BLOCKS, unfurl_links=False, unfurl_media=False
    )

    (params,) = fake_slack.calls_to("chat.postMessage")
    assert params["blocks"] == BLOCKS and params["unfurl_links"] is False
    (message,) = fake_slack.messages("C1")
    assert (message.text, message.unfurl_links, message.unfurl_media) == ("hei", False, False)


def test_form_encoded_post_is_accepted_and_json_fields_decoded(fake_slack: FakeSlack) -> None:
    """A form body works too; blocks and metadata sent as JSON text are decoded."""
    response = httpx.post(
        fake_slack.url + "chat.postMessage",
        headers={"Authorization": "Bearer xoxb-form"},
        data={"channel": "C1", "text": "hei", "metadata": '{"event_type": "x"}', "blocks": "[]"},
    )

    assert response.json()["ok"] is True
    (message,) = fake_slack.messages("C1")
    assert (message.metadata, message.blocks) == ({"event_type": "x"}, [])


def test_bad_or_missing_token_is_refused(fake_slack: FakeSlack) -> None:
    """A token that is not xoxb- gets invalid_auth; no token at all gets not_authed."""
    bad = WebClient(token="xoxp-user", base_url=fake_slack.url)
    with pytest.raises(SlackApiError) as refused:
        bad.chat_postMessage(channel="C1", text="hei")
    missing = httpx.post(fake_slack.url + "auth.test").json()

    assert refused.value.response["error"] == "invalid_auth"
    assert missing == {"ok": False, "error": "not_authed"}
    assert fake_slack.messages("C1") == []


def test_auth_test_names_the_bot(fake_slack: FakeSlack) -> None:
    """auth.test answers ok with the bot's user and team ids."""
    answer = client(fake_slack).auth_test()

    assert (answer["user_id"], answer["team_id"]) == ("U0BOT", "T0FAKE")


def test_history_honours_oldest_limit_and_cursor(ticking_slack: FakeSlack) -> None:
    """history is newest first, excludes `oldest` itself, and pages with limit and cursor."""
    web = client(ticking_slack)
    ts = [web.chat_postMessage(channel="C1", text=str(n))["ts"] for n in range(4)]

    newer = web.conversations_history(channel="C1", oldest=ts[1])
    first = web.conversations_history(channel="C1", limit=3)
    rest = web.conversations_history(
        channel="C1", limit=3, cursor=first["response_metadata"]["next_cursor"]
    )

    assert [m["ts"] for m in newer["messages"]] == [ts[3], ts[2]]
    assert [m["ts"] for m in first["messages"]] == ts[:0:-1] and first["has_more"] is True
    assert [m["ts"] for m in rest["messages"]] == [ts[0]] and rest["has_more"] is False


def test_message_ts_is_increasing_and_follows_the_clock(ticking_slack: FakeSlack) -> None:
    """Each post gets a later ts, formatted like Slack's, from the injected clock."""
    web = client(ticking_slack)
    first, second = (web.chat_postMessage(channel="C1", text="x")["ts"] for _ in range(2))

    assert (first, second) == ("1700000001.000000", "1700000002.000000")


def test_replies_return_parent_then_thread_and_broadcasts_reach_history(
    fake_slack: FakeSlack,
) -> None:
    """conversations.replies gives parent + replies; only broadcast replies join history."""
    web = client(fake_slack)
    parent = web.chat_postMessage(channel="C1", text="kort")["ts"]
    quiet = web.chat_postMessage(channel="C1", text="a", thread_ts=parent, metadata=ALERT_METADATA)
    loud = web.chat_postMessage(channel="C1", text="b", thread_ts=parent, reply_broadcast=True)

    thread = web.conversations_replies(channel="C1", ts=parent, include_all_metadata=True)
    history = web.conversations_history(channel="C1")["messages"]

    assert [m["ts"] for m in thread["messages"]] == [parent, quiet["ts"], loud["ts"]]
    assert thread["messages"][1]["metadata"] == ALERT_METADATA
    assert thread["messages"][0]["reply_count"] == 2
    assert [m["ts"] for m in history] == [loud["ts"], parent]
    assert [m.text for m in fake_slack.replies("C1", parent)] == ["a", "b"]


def test_update_edits_and_delete_removes(fake_slack: FakeSlack) -> None:
    """chat.update changes the stored text, chat.delete removes it, unknown ts is refused."""
    web = client(fake_slack)
    ts = web.chat_postMessage(channel="C1", text="før")["ts"]

    web.chat_update(channel="C1", ts=ts, text="etter")
    edited = fake_slack.messages("C1")
    web.chat_delete(channel="C1", ts=ts)
    with pytest.raises(SlackApiError) as unknown:
        web.chat_update(channel="C1", ts=ts, text="igjen")

    assert (edited[0].text, edited[0].edits) == ("etter", 1)
    assert fake_slack.messages("C1") == []
    assert unknown.value.response["error"] == "message_not_found"


def test_unknown_channel_is_refused_when_channels_are_declared() -> None:
    """With a declared channel list, posting elsewhere answers channel_not_found."""
    with FakeSlack(channels=["C1"]) as slack, pytest.raises(SlackApiError) as refused:
        client(slack).chat_postMessage(channel="C404", text="hei")

    assert refused.value.response["error"] == "channel_not_found"


def test_ephemeral_and_views_are_recorded(fake_slack: FakeSlack) -> None:
    """postEphemeral is kept per channel; views.open/publish/update return and keep a view id."""
    web = client(fake_slack)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Metode"}, "blocks": []}

    web.chat_postEphemeral(channel="C1", user="U1", text="bare deg")
    opened = web.views_open(trigger_id="t1", view=view)["view"]["id"]
    web.views_update(view_id=opened, view=view | {"blocks": BLOCKS})
    home = web.views_publish(user_id="U1", view={"type": "home", "blocks": []})["view"]["id"]

    assert [e["text"] for e in fake_slack.ephemerals("C1")] == ["bare deg"]
    assert fake_slack.views[opened]["blocks"] == BLOCKS
    assert fake_slack.views[home]["type"] == "home"


def test_response_url_records_json_replies(fake_slack: FakeSlack) -> None:
    """A POST to response_url(name) is kept under that name."""
    url = fake_slack.response_url("cmd-1")

    WebhookClient(url).send(text="Slår opp …", response_type="ephemeral")

    assert fake_slack.responses("cmd-1") == [{"text": "Slår opp …", "response_type": "ephemeral"}]
    assert fake_slack.calls[-1].method == "response_url"


def test_rate_limited_once_then_ok(fake_slack: FakeSlack) -> None:
    """rate_limit_next answers one 429 with Retry-After; the next call goes through."""
    fake_slack.rate_limit_next("chat.postMessage", retry_after=7)
    web = client(fake_slack, retry_handlers=[])

    with pytest.raises(SlackApiError) as limited:
        web.chat_postMessage(channel="C1", text="1")
    web.chat_postMessage(channel="C1", text="2")

    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.response["error"] == "ratelimited"
    assert [m.text for m in fake_slack.messages("C1")] == ["2"]


def test_fail_next_persistent_until_cleared(fake_slack: FakeSlack) -> None:
    """fail_next(times=None) answers ok:false every time until clear_faults()."""
    fake_slack.fail_next("chat.postMessage", "is_archived", times=None)
    web = client(fake_slack)

    errors = []
    for _ in range(2):
        with pytest.raises(SlackApiError) as failed:
            web.chat_postMessage(channel="C1", text="x")
        errors.append(failed.value.response["error"])
    fake_slack.clear_faults()
    web.chat_postMessage(channel="C1", text="x")

    assert errors == ["is_archived", "is_archived"]
    assert len(fake_slack.messages("C1")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 3


def test_drop_next_stores_the_message_but_the_client_sees_a_dead_connection(
    fake_slack: FakeSlack,
) -> None:
    """drop_next: Slack 'accepted' the post, yet the caller gets a connection error."""
    fake_slack.drop_next("chat.postMessage")

    with pytest.raises(OSError):
        client(fake_slack, retry_handlers=[]).chat_postMessage(channel="C1", text="én gang")

    assert [m.text for m in fake_slack.messages("C1")] == ["én gang"]


def test_drop_next_with_reset_sends_rst(fake_slack: FakeSlack) -> None:
    """drop_next(reset=True) also stores the message; the client sees a reset connection."""
    fake_slack.drop_next("chat.postMessage", reset=True)

    with pytest.raises(OSError):
        client(fake_slack, retry_handlers=[]).chat_postMessage(channel="C1", text="x")

    assert len(fake_slack.messages("C1")) == 1


def test_slack_sdk_default_connection_retry_duplicates_a_dropped_post(
    fake_slack: FakeSlack,
) -> None:
    """slack_sdk's default retry on a dropped connection posts twice (why posting disables it)."""
    fake_slack.drop_next("chat.postMessage")
    retry = ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0))

    client(fake_slack, retry_handlers=[retry]).chat_postMessage(channel="C1", text="x")

    assert len(fake_slack.messages("C1")) == 2


def test_status_next_answers_500_and_stores_nothing(fake_slack: FakeSlack) -> None:
    """status_next answers an HTTP error status once; nothing is posted."""
    fake_slack.status_next("chat.postMessage", 503)

    with pytest.raises(SlackApiError) as failed:
        client(fake_slack, retry_handlers=[]).chat_postMessage(channel="C1", text="x")

    assert failed.value.response.status_code == 503
    assert fake_slack.messages("C1") == []


def test_hang_next_outlasts_the_client_timeout_but_the_post_lands(fake_slack: FakeSlack) -> None:
    """hang_next delays the answer past the client's timeout; the message is stored anyway."""
    fake_slack.hang_next("chat.postMessage", 2)
    web = client(fake_slack, retry_handlers=[], timeout=0.1)

    with pytest.raises(OSError):  # the client gave up: the answer had not come
        web.chat_postMessage(channel="C1", text="sent")

    assert [m.text for m in fake_slack.messages("C1")] == ["sent"]


def test_wait_until_returns_when_a_call_arrives(fake_slack: FakeSlack) -> None:
    """wait_until wakes on the request that makes the condition true, without polling sleeps."""
    poster = threading.Timer(
        0.05, lambda: client(fake_slack).chat_postMessage(channel="C1", text="x")
    )
    poster.start()

    arrived = fake_slack.wait_until(lambda: len(fake_slack.messages("C1")) == 1, timeout=2)
    poster.join()

    assert arrived
    assert not fake_slack.wait_until(lambda: len(fake_slack.messages("C1")) == 2, timeout=0.05)


# Replay server ------------------------------------------------------------------------------


def test_etag_round_trip_answers_304_without_body(replay: ReplayServer) -> None:
    """A GET with the route's ETag in If-None-Match gets 304, the ETag and no body."""
    replay.route("/api/v2/studies", b'{"studies": []}')
    url = replay.url + "/api/v2/studies"

    first = httpx.get(url)
    second = httpx.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and first.content == b'{"studies": []}'
    assert second.status_code == 304 and second.content == b""
    assert second.headers["ETag"] == first.headers["ETag"]
    assert replay.bytes_sent == len(b'{"studies": []}')


def test_if_modified_since_answers_304(replay: ReplayServer) -> None:
    """If-Modified-Since at or after the route's Last-Modified gets 304."""
    stamp = "Tue, 04 Mar 2025 06:00:00 GMT"
    replay.route("/news.xml", b"<rss/>", content_type="application/rss+xml", last_modified=stamp)

    answer = httpx.get(replay.url + "/news.xml", headers={"If-Modified-Since": stamp})

    assert answer.status_code == 304
    assert answer.headers["Last-Modified"] == stamp


def test_replacing_a_route_changes_body_and_etag(replay: ReplayServer) -> None:
    """Routing the same path again is a world change: new body, new ETag, old ETag gets 200."""
    old = replay.route("/drug.json", b'{"v": 1}')
    new = replay.route("/drug.json", b'{"v": 2}')

    answer = httpx.get(replay.url + "/drug.json", headers={"If-None-Match": str(old)})

    assert old != new
    assert (answer.status_code, answer.content, answer.headers["ETag"]) == (200, b'{"v": 2}', new)


def test_match_params_picks_the_most_specific_route(replay: ReplayServer) -> None:
    """Routes differ by query subset; the one matching most parameters wins."""
    replay.route("/studies", b"page1", match_params={"filter.ids": "NCT1,NCT2"})
    replay.route("/studies", b"page2", match_params={"filter.ids": "NCT1,NCT2", "pageToken": "abc"})
    base = replay.url + "/studies"

    first = httpx.get(base, params={"filter.ids": "NCT1,NCT2", "pageSize": "100"})
    second = httpx.get(base, params={"filter.ids": "NCT1,NCT2", "pageToken": "abc"})
    other = httpx.get(base, params={"filter.ids": "NCT9"})

    assert (first.content, second.content) == (b"page1", b"page2")
    assert (other.status_code, other.json()) == (404, {"error": "no route"})
    assert [r.params for r in replay.unmatched] == [{"filter.ids": "NCT9"}]


def test_requests_are_recorded_with_params_and_headers(replay: ReplayServer) -> None:
    """Every request is kept as (method, path, params, lower-cased headers) and counted."""
    replay.route("/a", b"{}")

    httpx.get(replay.url + "/a", params={"q": "1"}, headers={"User-Agent": "Metodevakt/test"})
    httpx.get(replay.url + "/b")

    method, path, params, headers = replay.requests[0]
    assert (method, path, params) == ("GET", "/a", {"q": "1"})
    assert headers["user-agent"] == "Metodevakt/test"
    assert (replay.count(), replay.count("/a"), replay.count("/b")) == (2, 1, 1)


def test_status_fault_once_with_retry_after(replay: ReplayServer) -> None:
    """A one-shot status fault answers 503 with its headers; the next request is normal."""
    replay.route("/a", b"{}")
    replay.fault("/a", "status", status=503, headers={"Retry-After": "30"})

    failed, ok = httpx.get(replay.url + "/a"), httpx.get(replay.url + "/a")

    assert (failed.status_code, failed.headers["Retry-After"]) == (503, "30")
    assert ok.status_code == 200


def test_persistent_fault_repeats_until_cleared(replay: ReplayServer) -> None:
    """A fault with times=None applies to every request until clear_faults()."""
    replay.route("/a", b"{}")
    replay.fault("/a", "status", times=None, status=500)

    statuses = [httpx.get(replay.url + "/a").status_code for _ in range(3)]
    replay.clear_faults()

    assert statuses == [500, 500, 500]
    assert httpx.get(replay.url + "/a").status_code == 200


def test_fault_limited_by_match_params(replay: ReplayServer) -> None:
    """A fault with match_params hits only the requests carrying those parameters."""
    replay.route("/studies", b"{}")
    replay.fault("/studies", "status", match_params={"pageToken": "p3"}, status=500)

    page1 = httpx.get(replay.url + "/studies")
    page3 = httpx.get(replay.url + "/studies", params={"pageToken": "p3"})

    assert (page1.status_code, page3.status_code) == (200, 500)


def test_html_fault_serves_a_maintenance_page(replay: ReplayServer) -> None:
    """The html fault answers 200 text/html in place of the recorded body."""
    replay.route("/feed.xml", b"<rss/>", content_type="application/rss+xml")
    replay.fault("/feed.xml", "html")

    answer = httpx.get(replay.url + "/feed.xml")

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.content.startswith(b"<!DOCTYPE html>")


def test_truncate_fault_cuts_the_body(replay: ReplayServer) -> None:
    """truncate promises the full Content-Length, sends half, closes: httpx raises."""
    replay.route("/big.json", b'{"results": [' + b"1," * 500 + b"1]}")
    replay.fault("/big.json", "truncate")

    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(replay.url + "/big.json")


def test_drip_fault_trips_a_short_read_timeout(replay: ReplayServer) -> None:
    """drip sends headers then a byte per interval: a short read timeout fires."""
    replay.route("/slow.json", b'{"slow": true}')
    replay.fault("/slow.json", "drip", interval=0.3, max_seconds=1)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(replay.url + "/slow.json", timeout=httpx.Timeout(1, read=0.05))


def test_drip_fault_delivers_the_body_slowly(replay: ReplayServer) -> None:
    """With a patient client, drip delivers the whole body one byte at a time."""
    replay.route("/slow.json", b"{}")
    replay.fault("/slow.json", "drip", interval=0.01)

    assert httpx.get(replay.url + "/slow.json").content == b"{}"


def test_hang_fault_times_out_the_client(replay: ReplayServer) -> None:
    """hang says nothing for `seconds`: the client's read timeout fires first."""
    replay.route("/a", b"{}")
    replay.fault("/a", "hang", seconds=2)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(replay.url + "/a", timeout=httpx.Timeout(1, read=0.05))


def test_hang_fault_then_answers_as_latency(replay: ReplayServer) -> None:
    """A hang followed by the normal answer acts as added latency: too long for an impatient
    client, then the ordinary answer for a patient one."""
    replay.route("/a", b"{}")
    replay.fault("/a", "hang", times=2, seconds=0.2)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(replay.url + "/a", timeout=httpx.Timeout(1, read=0.01))
    answer = httpx.get(replay.url + "/a", timeout=5)

    assert (answer.status_code, answer.content) == (200, b"{}")
    assert replay.count("/a") == 2


def test_content_type_fault_relabels_the_body(replay: ReplayServer) -> None:
    """content_type serves the recorded body under another Content-Type."""
    replay.route("/a.json", b"{}")
    replay.fault("/a.json", "content_type", content_type="text/plain")

    answer = httpx.get(replay.url + "/a.json")

    assert (answer.headers["Content-Type"], answer.content) == ("text/plain", b"{}")


def test_redirect_fault_points_elsewhere(replay: ReplayServer) -> None:
    """redirect answers 301 with Location, relative (same host) or absolute (another host)."""
    replay.route("/new", b"moved here")
    replay.fault("/old", "redirect", location="/new")
    replay.fault("/old", "redirect", location="https://elsewhere.example/x", status=302)

    same = httpx.get(replay.url + "/old")
    other = httpx.get(replay.url + "/old")
    followed = httpx.get(replay.url + "/new")

    assert (same.status_code, same.headers["Location"]) == (301, "/new")
    assert (other.status_code, other.headers["Location"]) == (302, "https://elsewhere.example/x")
    assert followed.content == b"moved here"


def test_fault_rejects_unknown_modes_and_options(replay: ReplayServer) -> None:
    """A misspelt mode or option fails at once instead of silently doing nothing."""
    with pytest.raises(ValueError, match="unknown fault mode"):
        replay.fault("/a", "timeout")
    with pytest.raises(TypeError, match="intervall"):
        replay.fault("/a", "drip", intervall=1)
    with pytest.raises(ValueError, match="location"):
        replay.fault("/a", "redirect")


def test_other_methods_are_recorded_and_refused(replay: ReplayServer) -> None:
    """A POST is recorded and answered 405; sources are only ever read."""
    answer = httpx.post(replay.url + "/a", content=b"x")

    assert answer.status_code == 405
    assert [(r.method, r.path) for r in replay.requests] == [("POST", "/a")]


def test_slack_sdk_sends_post_message_as_json_and_history_as_form(replay: ReplayServer) -> None:
    """Pins what the fake Slack parses: slack_sdk POSTs JSON for postMessage, forms for reads."""
    web = WebClient(token="xoxb-test", base_url=replay.url + "/api/", retry_handlers=[])

    with pytest.raises(SlackApiError):
        web.chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError):
        web.conversations_history(channel="C1", include_all_metadata=True)

    kinds = [(r.method, r.path, r.headers["content-type"]) for r in replay.requests]
    assert kinds == [
        ("POST", "/api/chat.postMessage", "application/json;charset=utf-8"),
        ("POST", "/api/conversations.history", "application/x-www-form-urlencoded"),
    ]
    assert replay.requests[0].headers["authorization"] == "Bearer xoxb-test"


def test_close_wakes_a_drip_mid_flight() -> None:
    """Shutting down wakes a dripping handler instead of waiting for it to finish."""
    server = ReplayServer().start()
    server.route("/slow", b"x" * 100)
    server.fault("/slow", "drip", interval=1, max_seconds=600)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            httpx.get(server.url + "/slow", timeout=5)
        except httpx.HTTPError as error:
            outcome.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    assert server.wait_until(lambda: server.count("/slow") == 1, timeout=2)

    # The drip would take 100 s: a close that waited for it would still be running below.
    closer = threading.Thread(target=server.close)
    closer.start()
    closer.join(timeout=10)
    reader.join(timeout=10)

    assert not closer.is_alive() and not reader.is_alive()
    assert isinstance(outcome[0], httpx.RemoteProtocolError)
