"""The fetcher at the wire: conditional GET, retries, redirects, gates, deadline, pacing, auth."""

from __future__ import annotations

import base64
import logging
import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bot import __version__
from bot.polling.fetch import USER_AGENT, Answer, Fetcher, FetchError, Validators, build_client
from bot.sources.base import Query
from tests.faketime import FakeTime

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]

CTGOV = Query(
    source="clinicaltrials",
    url="https://clinicaltrials.gov/api/v2/studies",
    params=(("filter.ids", "NCT03054428,NCT02612454"), ("pageSize", "100")),
)
FEED = Query(source="ema-news", url="https://www.ema.europa.eu/en/news.xml", expect="feed")
OPENFDA = Query(
    source="openfda",
    url="https://api.fda.gov/drug/drugsfda.json",
    ok_statuses=frozenset({200, 404}),  # openFDA answers "no matches" with a JSON 404
)


class Wire:
    """A fake source behind httpx.MockTransport: replays replies in order, records requests."""

    def __init__(self, *replies: Reply, repeat: bool = False) -> None:
        self.replies = list(replies)
        self.repeat = repeat
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies[0] if self.repeat else self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply if isinstance(reply, httpx.Response) else reply(request)


class Drip(httpx.SyncByteStream):
    """A body that never ends: one byte per chunk, each arriving `seconds` later."""

    def __init__(self, time: FakeTime, seconds: float) -> None:
        self.time = time
        self.seconds = seconds

    def __iter__(self) -> Iterator[bytes]:
        while True:
            self.time.now += self.seconds
            yield b" "


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def make_fetcher(wire: Wire, time: FakeTime, **options: Any) -> Fetcher:
    client = build_client(transport=httpx.MockTransport(wire))
    return Fetcher(client, sleep=time.sleep, clock=time.clock, rng=random.Random(7), **options)


def json_reply(
    status: int = 200, body: bytes = b'{"studies": []}', *, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status, headers={"content-type": "application/json", **(headers or {})}, content=body
    )


def redirect(location: str, status: int = 301) -> httpx.Response:
    return httpx.Response(status, headers={"location": location})


def fetch_error(fetcher: Fetcher, query: Query = CTGOV) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(query)
    return caught.value


# Conditional GET


def test_not_modified_round_trip_sends_validators_and_returns_empty_answer(time: FakeTime) -> None:
    """A 304 to a conditional GET is an empty "unchanged" answer, not an exception."""
    wire = Wire(httpx.Response(304))
    stored = Validators(etag='W/"abc"', last_modified="Tue, 01 Sep 2026 06:00:00 GMT")
    answer = make_fetcher(wire, time).fetch(CTGOV, stored)
    assert wire.requests[0].headers["if-none-match"] == 'W/"abc"'
    assert wire.requests[0].headers["if-modified-since"] == "Tue, 01 Sep 2026 06:00:00 GMT"
    assert answer.not_modified
    assert (answer.status, answer.body, answer.validators) == (304, b"", stored)


def test_not_modified_keeps_renewed_etag(time: FakeTime) -> None:
    """A 304 that carries a new ETag hands that ETag back for the next cycle."""
    wire = Wire(httpx.Response(304, headers={"etag": '"v2"'}))
    answer = make_fetcher(wire, time).fetch(CTGOV, Validators(etag='"v1"'))
    assert answer.validators == Validators(etag='"v2"')


def test_not_modified_without_validators_is_an_error(time: FakeTime) -> None:
    """A 304 to an unconditional GET has no cached copy behind it, so it is a failure."""
    error = fetch_error(make_fetcher(Wire(httpx.Response(304)), time))
    assert error.reason == "HTTP 304 without a cached copy"


def test_ok_answer_carries_body_new_validators_and_url(time: FakeTime) -> None:
    """A 200 returns the body, the response's ETag and Last-Modified, and the URL with params."""
    reply = json_reply(headers={"etag": '"e1"', "last-modified": "Wed, 02 Sep 2026 06:00:00 GMT"})
    wire = Wire(reply)
    answer = make_fetcher(wire, time).fetch(CTGOV)
    assert answer == Answer(
        status=200,
        body=b'{"studies": []}',
        validators=Validators(etag='"e1"', last_modified="Wed, 02 Sep 2026 06:00:00 GMT"),
        url=str(wire.requests[0].url),
    )
    assert wire.requests[0].url.params["filter.ids"] == "NCT03054428,NCT02612454"
    assert "if-none-match" not in wire.requests[0].headers


# Retries


def test_retries_server_error_then_succeeds_after_jittered_backoff(time: FakeTime) -> None:
    """A 500 is retried after a backoff of 1 s jittered into [0.5, 1.5] s."""
    wire = Wire(json_reply(500), json_reply())
    answer = make_fetcher(wire, time).fetch(CTGOV)
    assert answer.status == 200
    assert len(wire.requests) == 2
    assert len(time.sleeps) == 1
    assert 0.5 <= time.sleeps[0] <= 1.5


def test_gives_up_after_max_tries_with_the_reason(time: FakeTime) -> None:
    """Three 500s in a row end in FetchError("HTTP 500") after two growing backoffs."""
    wire = Wire(json_reply(500), json_reply(500), json_reply(500))
    error = fetch_error(make_fetcher(wire, time, max_tries=3))
    assert (error.reason, error.retryable) == ("HTTP 500", True)
    assert len(wire.requests) == 3
    assert 0.5 <= time.sleeps[0] <= 1.5
    assert 1.0 <= time.sleeps[1] <= 3.0


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(time: FakeTime, status: int) -> None:
    """429 and 503 with Retry-After: 30 wait exactly 30 s before the next try."""
    wire = Wire(json_reply(status, headers={"retry-after": "30"}), json_reply())
    assert make_fetcher(wire, time).fetch(CTGOV).status == 200
    assert time.sleeps == [30.0]


def test_retry_after_http_date_is_honoured(time: FakeTime) -> None:
    """A Retry-After HTTP-date is measured against the response's Date header."""
    dates = {
        "date": "Wed, 21 Oct 2026 07:28:00 GMT",
        "retry-after": "Wed, 21 Oct 2026 07:28:45 GMT",
    }
    reply = json_reply(429, headers=dates)
    wire = Wire(reply, json_reply())
    assert make_fetcher(wire, time).fetch(CTGOV).status == 200
    assert time.sleeps == [45.0]


def test_retry_after_over_the_cap_gives_up_without_waiting(time: FakeTime) -> None:
    """A Retry-After longer than max_retry_after fails at once instead of sleeping it out."""
    wire = Wire(json_reply(429, headers={"retry-after": "600"}))
    error = fetch_error(make_fetcher(wire, time, max_retry_after=120))
    assert error.reason == "HTTP 429 (retry after 600 s)"
    assert time.sleeps == []
    assert len(wire.requests) == 1


def test_retry_wait_past_the_deadline_gives_up(time: FakeTime) -> None:
    """A wait that would end after the fetch deadline is not taken."""
    wire = Wire(json_reply(503, headers={"retry-after": "30"}))
    error = fetch_error(make_fetcher(wire, time, deadline_seconds=10))
    assert error.reason == "HTTP 503 (retry after 30 s)"
    assert time.sleeps == []


def test_not_found_is_not_retried_nor_accepted_by_default(time: FakeTime) -> None:
    """A 404 outside ok_statuses fails at once with "HTTP 404"."""
    wire = Wire(json_reply(404))
    error = fetch_error(make_fetcher(wire, time))
    assert (error.reason, error.retryable) == ("HTTP 404", False)
    assert len(wire.requests) == 1


def test_not_found_is_an_answer_when_the_query_accepts_it(time: FakeTime) -> None:
    """openFDA's JSON 404 ("No matches found!") is returned when ok_statuses lists 404."""
    body = b'{"error": {"code": "NOT_FOUND", "message": "No matches found!"}}'
    answer = make_fetcher(Wire(json_reply(404, body)), time).fetch(OPENFDA)
    assert (answer.status, answer.body) == (404, body)


def test_html_not_found_is_an_error_even_when_accepted(time: FakeTime) -> None:
    """An accepted 404 still passes the body gate: a CDN's HTML 404 page is a failure."""
    page = httpx.Response(404, headers={"content-type": "text/html"}, content=b"<html>404</html>")
    assert (
        fetch_error(make_fetcher(Wire(page), time), OPENFDA).reason == "HTML page instead of JSON"
    )


def test_connection_error_is_retried(time: FakeTime) -> None:
    """A refused connection is transient: the next try gets the answer."""
    wire = Wire(httpx.ConnectError("connection refused"), json_reply())
    assert make_fetcher(wire, time).fetch(CTGOV).status == 200
    assert len(wire.requests) == 2


def test_truncated_body_is_retried(time: FakeTime) -> None:
    """A connection cut mid-body (RemoteProtocolError) is retried, not returned half-read."""

    def cut() -> Iterator[bytes]:
        yield b'{"stud'
        raise httpx.RemoteProtocolError("peer closed connection")

    truncated = httpx.Response(200, headers={"content-type": "application/json"}, content=cut())
    answer = make_fetcher(Wire(truncated, json_reply()), time).fetch(CTGOV)
    assert answer.body == b'{"studies": []}'


def test_timeouts_are_retried_then_reported(time: FakeTime) -> None:
    """Read timeouts are retried up to max_tries and reported as "timeout"."""
    wire = Wire(httpx.ReadTimeout("slow"), repeat=True)
    error = fetch_error(make_fetcher(wire, time, max_tries=2))
    assert error.reason == "timeout"
    assert len(wire.requests) == 2


# Body gates


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("text/html; charset=utf-8", b"<html>Maintenance</html>", "HTML page instead of JSON"),
        ("application/json", b"  <!DOCTYPE html><html></html>", "HTML page instead of JSON"),
        ("text/plain", b"{}", "unexpected content type text/plain"),
        ("", b"{}", "unexpected content type (none)"),
    ],
)
def test_json_gate_refuses_html_and_other_types(
    time: FakeTime, content_type: str, body: bytes, reason: str
) -> None:
    """A JSON query refuses an HTML page (by type or by a body starting "<") and non-JSON types."""
    headers = {"content-type": content_type} if content_type else {}
    wire = Wire(httpx.Response(200, headers=headers, content=body))
    assert fetch_error(make_fetcher(wire, time)).reason == reason
    assert len(wire.requests) == 1


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/rss+xml; charset=utf-8", b"<?xml version='1.0'?><rss version='2.0'/>"),
        ("application/atom+xml", b"<feed xmlns='http://www.w3.org/2005/Atom'/>"),
        ("text/xml", b"<rss version='2.0'/>"),
        ("application/xml", b"\xef\xbb\xbf<?xml version='1.0'?><rss/>"),
        ("text/plain", b"<?xml version='1.0'?><rss/>"),
        ("text/plain", b"<rss version='2.0'/>"),
    ],
)
def test_feed_gate_accepts_feed_types(time: FakeTime, content_type: str, body: bytes) -> None:
    """XML, RSS and Atom types pass, and text/plain passes when the body opens like a feed."""
    wire = Wire(httpx.Response(200, headers={"content-type": content_type}, content=body))
    assert make_fetcher(wire, time).fetch(FEED).body == body


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("text/html", b"<html><body>Access denied</body></html>", "HTML page instead of a feed"),
        ("application/xml", b"<!DOCTYPE html><html></html>", "HTML page instead of a feed"),
        ("text/plain", b"Service unavailable", "unexpected content type text/plain"),
        ("application/json", b"{}", "unexpected content type application/json"),
    ],
)
def test_feed_gate_refuses_html_and_other_types(
    time: FakeTime, content_type: str, body: bytes, reason: str
) -> None:
    """A feed query refuses an HTML page (by type or by its doctype) and non-feed types."""
    wire = Wire(httpx.Response(200, headers={"content-type": content_type}, content=body))
    assert fetch_error(make_fetcher(wire, time), FEED).reason == reason


# Redirects


def test_same_host_redirect_is_followed(time: FakeTime) -> None:
    """A relative 301 on the same host is followed; the answer names the final URL."""
    wire = Wire(redirect("/api/v2/studies-moved?x=1"), json_reply())
    answer = make_fetcher(wire, time).fetch(CTGOV)
    assert answer.url == "https://clinicaltrials.gov/api/v2/studies-moved?x=1"
    assert [r.url.path for r in wire.requests] == ["/api/v2/studies", "/api/v2/studies-moved"]


def test_redirect_from_http_to_https_on_the_same_host_is_followed(time: FakeTime) -> None:
    """An upgrade to https on the same host is fine."""
    query = Query(source="fda-rss", url="http://www.fda.gov/rss.xml", expect="feed")
    feed = httpx.Response(200, headers={"content-type": "application/rss+xml"}, content=b"<rss/>")
    wire = Wire(redirect("https://www.fda.gov/rss.xml", 308), feed)
    assert make_fetcher(wire, time).fetch(query).url == "https://www.fda.gov/rss.xml"


def test_redirect_to_another_host_is_refused(time: FakeTime) -> None:
    """A redirect off the configured host is a failure naming the host, not followed."""
    wire = Wire(redirect("https://login.example.org/challenge", 302))
    error = fetch_error(make_fetcher(wire, time))
    assert error.reason == "redirect to another host (login.example.org)"
    assert len(wire.requests) == 1


def test_redirect_from_https_to_http_is_refused(time: FakeTime) -> None:
    """A downgrade to plain http is refused even on the same host."""
    wire = Wire(redirect("http://clinicaltrials.gov/api/v2/studies"))
    assert fetch_error(make_fetcher(wire, time)).reason == "redirect from https to http"


def test_redirect_loop_is_bounded(time: FakeTime) -> None:
    """A redirect loop stops after max_redirects hops, without retrying."""
    wire = Wire(lambda request: redirect(str(request.url), 302), repeat=True)
    error = fetch_error(make_fetcher(wire, time, max_redirects=5))
    assert error.reason == "more than 5 redirects"
    assert len(wire.requests) == 6


# Deadline and size


def test_slow_drip_body_is_cut_at_the_deadline(time: FakeTime) -> None:
    """A server dripping a byte every 5 s is abandoned at the 60 s deadline, not retried."""
    start = time.now
    drip = httpx.Response(200, headers={"content-type": "application/json"}, stream=Drip(time, 5))
    wire = Wire(drip)
    error = fetch_error(make_fetcher(wire, time, deadline_seconds=60))
    assert (error.reason, error.retryable) == ("deadline of 60 s exceeded", False)
    assert time.now - start <= 60 + 5
    assert len(wire.requests) == 1


def test_declared_body_over_the_cap_is_refused(time: FakeTime) -> None:
    """A Content-Length above max_body_bytes fails before the body is read."""
    wire = Wire(json_reply(body=b"[" + b"0," * 1000 + b"0]"))
    error = fetch_error(make_fetcher(wire, time, max_body_bytes=1000))
    assert error.reason == "body larger than 1000 bytes"


def test_streamed_body_over_the_cap_is_refused(time: FakeTime) -> None:
    """A chunked body without Content-Length is cut as soon as it passes max_body_bytes."""
    chunks = iter([b"[" + b"0," * 150] * 100)
    reply = httpx.Response(200, headers={"content-type": "application/json"}, content=chunks)
    error = fetch_error(make_fetcher(Wire(reply), time, max_body_bytes=1000))
    assert error.reason == "body larger than 1000 bytes"
    assert len(list(chunks)) > 90  # the rest of the body was never pulled


# Politeness


def test_second_request_to_a_host_waits_for_the_interval(time: FakeTime) -> None:
    """Two fetches to one host start min_interval apart; the second sleeps the remainder."""
    fetcher = make_fetcher(
        Wire(json_reply(), json_reply()), time, min_interval={"clinicaltrials.gov": 2.0}
    )
    fetcher.fetch(CTGOV)
    time.now += 0.5
    fetcher.fetch(CTGOV)
    assert time.sleeps == [1.5]


def test_requests_to_different_hosts_do_not_wait(time: FakeTime) -> None:
    """The interval is per host: a fetch to another host starts at once."""
    other = Query(source="openfda", url="https://api.fda.gov/drug/drugsfda.json")
    intervals = {"clinicaltrials.gov": 2.0, "api.fda.gov": 2.0}
    fetcher = make_fetcher(Wire(json_reply(), json_reply()), time, min_interval=intervals)
    fetcher.fetch(CTGOV)
    fetcher.fetch(other)
    assert time.sleeps == []


def test_retries_also_respect_the_interval(time: FakeTime) -> None:
    """A retry after a short backoff still waits until the host's interval has passed."""
    wire = Wire(json_reply(500), json_reply())
    make_fetcher(wire, time, min_interval={"clinicaltrials.gov": 5.0}).fetch(CTGOV)
    backoff, pacing = time.sleeps
    assert backoff + pacing == pytest.approx(5.0)


def test_pacing_holds_across_threads(time: FakeTime) -> None:
    """Concurrent fetches to one host from several threads still start min_interval apart."""
    wire = Wire(lambda request: json_reply(), repeat=True)
    fetcher = make_fetcher(wire, time, min_interval={"clinicaltrials.gov": 2.0})
    threads = [threading.Thread(target=fetcher.fetch, args=(CTGOV,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert len(wire.requests) == 4
    assert time.sleeps == [2.0, 2.0, 2.0]


# Auth, identity, logs


def test_basic_auth_is_sent_and_the_key_never_appears_in_errors_or_logs(
    time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    """openFDA's key goes as the Basic-auth username and shows up in no error text or log line."""
    caplog.set_level(logging.DEBUG)
    key = "s3cr3t-openfda-key"
    wire = Wire(json_reply(500), json_reply(500), json_reply(500))
    fetcher = make_fetcher(wire, time, auth={"api.fda.gov": (key, "")})
    error = fetch_error(fetcher, OPENFDA)
    token = base64.b64encode(f"{key}:".encode()).decode()
    assert {r.headers["authorization"] for r in wire.requests} == {f"Basic {token}"}
    assert key not in str(error) and token not in str(error)
    assert key not in caplog.text and token not in caplog.text


def test_basic_auth_is_not_sent_to_other_hosts_or_over_http(time: FakeTime) -> None:
    """Credentials go only to their own host, and only over https."""
    feed = httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<rss/>")
    wire = Wire(json_reply(), feed)
    fetcher = make_fetcher(wire, time, auth={"api.fda.gov": ("key", "")})
    fetcher.fetch(CTGOV)
    fetcher.fetch(Query(source="x", url="http://api.fda.gov/feed.xml", expect="feed"))
    assert all("authorization" not in r.headers for r in wire.requests)


def test_user_agent_names_the_project_and_version(time: FakeTime) -> None:
    """Every request carries "Metodevakt/<version>" with a contact URL; redirects stay manual."""
    wire = Wire(json_reply())
    make_fetcher(wire, time).fetch(CTGOV)
    expected = f"Metodevakt/{__version__} (+https://github.com/metodevakt)"
    assert wire.requests[0].headers["user-agent"] == expected == USER_AGENT
    client = build_client(timeout_seconds=20)
    assert client.follow_redirects is False
    assert (client.timeout.connect, client.timeout.read) == (10.0, 20.0)


def test_one_info_line_per_request_without_the_query_string(
    time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    """Each request logs host, path, parameter count, status and size; a retry logs a warning."""
    caplog.set_level(logging.INFO, logger="bot.polling.fetch")
    # A streamed body, as from a real socket: httpx counts the bytes it downloads.
    body = iter([b'{"studies": []}'])
    streamed = httpx.Response(200, headers={"content-type": "application/json"}, content=body)
    make_fetcher(Wire(json_reply(502), streamed), time).fetch(CTGOV)
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.polling.fetch"]
    assert [level for level, _ in lines] == [logging.INFO, logging.WARNING, logging.INFO]
    assert lines[0][1].startswith("GET clinicaltrials.gov/api/v2/studies (2 params) -> 502")
    assert "after: HTTP 502" in lines[1][1]
    assert "-> 200, 15 bytes" in lines[2][1]
    assert not any("NCT03054428" in message for _, message in lines)


def test_query_string_is_sent_as_planned(time: FakeTime) -> None:
    """Commas, colons and parentheses go out unescaped, so the planned length is the sent one."""
    wire = Wire(json_reply())
    query = Query(
        "clinicaltrials",
        "https://clinicaltrials.gov/api/v2/studies",
        params=(
            ("filter.ids", "NCT03054428,NCT02612454"),
            ("search", 'application_number:(BLA761055 OR "a b")'),
        ),
    )
    make_fetcher(wire, time).fetch(query)
    sent = str(wire.requests[0].url)
    assert sent == query.full_url
    assert "filter.ids=NCT03054428,NCT02612454" in sent
    assert "search=application_number:(BLA761055+OR+%22a+b%22)" in sent
