"""Source health: transitions, one notice each to the admin channel, and `metodevakt status`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import SlackPoster
from bot.ops.status import status_lines
from bot.polling import health
from bot.polling.fetch import Fetcher, build_client
from bot.polling.health import Transition, record_outcome
from bot.polling.poll import poll_source
from bot.sources.base import Source
from bot.sources.ema import EmaMedicines
from bot.sources.openfda import OpenFda
from bot.storage import db, store
from bot.storage.tables import OutboxRow, SourceState
from bot.texts.notices import render_admin, render_notice
from bot.watchlist import load_watchlist
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import MEDICINES, OPENFDA, SEED, DupilumabWorld, fixture_bytes

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")
CHANNEL, ADMIN = "C0123ABCD", "C0ADMIN01"


def outcome(
    sessions: db.SessionFactory,
    source: str,
    *,
    ok: bool,
    at: datetime = NOW,
    reason: str | None = None,
    stamp: str | None = None,
) -> Transition | None:
    with db.transaction(sessions) as session:
        return record_outcome(session, source, ok=ok, reason=reason, data_timestamp=stamp, now=at)


def state_of(sessions: db.SessionFactory, source: str) -> SourceState:
    with sessions() as session:
        state = session.get(SourceState, source)
        assert state is not None
        return state


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_three_failed_cycles_make_one_down_notice(sessions: db.SessionFactory) -> None:
    """Failures go ok → degraded → degraded → down; only reaching down is announced, once."""
    found = [
        outcome(sessions, "openfda", ok=False, reason="HTTP 503", at=NOW + timedelta(hours=i))
        for i in range(5)
    ]
    assert found[:2] == [None, None] and found[3:] == [None, None]
    assert found[2] == Transition("openfda", "down", reason="HTTP 503", failures=3)
    state = state_of(sessions, "openfda")
    assert (state.health, state.consecutive_failures, state.last_error) == ("down", 5, "HTTP 503")


def test_recovery_is_announced_once(sessions: db.SessionFactory) -> None:
    """The first success after being down is one "back up" notice; the next success is quiet."""
    for _ in range(3):
        outcome(sessions, "openfda", ok=False, reason="HTTP 503")
    assert outcome(sessions, "openfda", ok=True) == Transition("openfda", "recovered")
    assert outcome(sessions, "openfda", ok=True) is None
    state = state_of(sessions, "openfda")
    assert (state.health, state.consecutive_failures, state.last_error) == ("ok", 0, None)
    assert state.last_success_at == NOW


def test_a_blip_is_not_announced(sessions: db.SessionFactory) -> None:
    """One or two failed cycles and a success: degraded and back, no notice at all."""
    assert outcome(sessions, "clinicaltrials", ok=False, reason="deadline of 60 s exceeded") is None
    assert state_of(sessions, "clinicaltrials").health == "degraded"
    assert outcome(sessions, "clinicaltrials", ok=True) is None
    assert state_of(sessions, "clinicaltrials").health == "ok"


def test_old_ema_file_is_stale_once(sessions: db.SessionFactory) -> None:
    """An EMA file generated more than 72 h ago is stale: one notice, then quiet until fresh."""
    old = iso(NOW - timedelta(hours=80))
    stale = outcome(sessions, "ema_medicines", ok=True, stamp=old)
    assert stale == Transition("ema_medicines", "stale", data_age=timedelta(hours=80))
    assert outcome(sessions, "ema_medicines", ok=True, stamp=old) is None
    assert outcome(sessions, "ema_medicines", ok=False, reason="HTTP 502") is None  # still stale
    assert outcome(sessions, "ema_medicines", ok=True, stamp=old) is None
    fresh = outcome(sessions, "ema_medicines", ok=True, stamp=iso(NOW - timedelta(hours=2)))
    assert fresh == Transition("ema_medicines", "fresh")


def test_unchanged_file_ages_into_stale(sessions: db.SessionFactory) -> None:
    """A 304 carries no timestamp: the last one read keeps ageing until it is too old."""
    stamp = iso(NOW - timedelta(hours=10))
    assert outcome(sessions, "ema_medicines", ok=True, stamp=stamp) is None
    assert outcome(sessions, "ema_medicines", ok=True, at=NOW + timedelta(hours=60)) is None
    later = outcome(sessions, "ema_medicines", ok=True, at=NOW + timedelta(hours=63))
    assert later is not None and later.kind == "stale"
    assert state_of(sessions, "ema_medicines").data_timestamp == stamp


# --- through the poller, to a fake Slack ---


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


def poll(sessions: db.SessionFactory, source: Source) -> bool:
    # One try per request, no waits: each poll is one failed or good cycle, quickly.
    fetcher = Fetcher(build_client(), max_tries=1, sleep=lambda _seconds: None)
    result = poll_source(
        source,
        fetcher=fetcher,
        sessions=sessions,
        methods=load_watchlist(SEED),
        default_channel=CHANNEL,
        admin_channel=ADMIN,
        language="nb",
    )
    return result.ok


def deliver(sessions: db.SessionFactory, slack: FakeSlack) -> None:
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    Deliverer(sessions, poster, "nb", admin_channel=ADMIN, min_interval=0.0).run()


def test_down_and_back_reach_the_admin_channel_once_each(
    world: DupilumabWorld,
    replay: ReplayServer,
    sessions: db.SessionFactory,
    fake_slack: FakeSlack,
) -> None:
    """Five failed polls of openFDA and a good one: two messages to admins, none to the team."""
    openfda = OpenFda(world.settings().openfda_api_url)
    assert poll(sessions, openfda)
    replay.fault(OPENFDA, "status", status=503, times=None)
    assert not any([poll(sessions, openfda) for _ in range(5)])
    deliver(sessions, fake_slack)
    (down,) = fake_slack.messages(ADMIN)
    assert str(down.text).startswith("FDA (Drugs@FDA) er nede: 3 mislykkede runder på rad.")
    assert "Siste feil: HTTP 503." in str(down.text)
    replay.clear_faults()
    assert poll(sessions, openfda)
    deliver(sessions, fake_slack)
    assert [m.text for m in fake_slack.messages(ADMIN)][1:] == [
        "FDA (Drugs@FDA) svarer igjen. Endringer der blir oppdaget som før."
    ]
    assert fake_slack.messages(CHANNEL) == []


def test_stale_ema_file_is_one_notice_even_when_unchanged(
    world: DupilumabWorld,
    replay: ReplayServer,
    sessions: db.SessionFactory,
    fake_slack: FakeSlack,
) -> None:
    """The recorded EMA file (February 2025) is stale: one notice; the next 304 adds none."""
    recorded = fixture_bytes("ema/medicines_dupilumab.json")
    replay.route(MEDICINES, recorded)
    medicines = EmaMedicines(world.settings().ema_base_url)
    assert poll(sessions, medicines) and poll(sessions, medicines)
    assert replay.count(MEDICINES) == 2  # the second answer was a 304 without a body
    deliver(sessions, fake_slack)
    (notice,) = fake_slack.messages(ADMIN)
    assert str(notice.text).startswith("EMA (legemidler) har ikke hatt nye data på ")
    assert state_of(sessions, "ema_medicines").data_timestamp == "2025-02-14T05:00:12Z"


def test_notices_carry_no_urls_or_keys(sessions: db.SessionFactory) -> None:
    """A URL with a key in a reason is never posted; the fetcher's own reasons pass unchanged."""
    leaky = "HTTP 403 from https://api.fda.gov/drug/drugsfda.json?api_key=s3cr3t&limit=1"
    transition = Transition("openfda", "down", reason=leaky, failures=3)
    with db.transaction(sessions) as session:
        health.queue_health_notice(session, transition, admin_channel=ADMIN, language="en", now=NOW)
    with sessions() as session:
        row = session.scalars(select(OutboxRow)).one()
    text = render_notice(row.payload or {}, language="nb").text
    for shown in (text, json.dumps(row.payload)):
        assert "s3cr3t" not in shown and "api_key" not in shown and "://" not in shown
    assert "HTTP 403 from [url]" in text
    for reason in ("HTTP 503", "deadline of 60 s exceeded", "HTML page instead of JSON"):
        assert health.scrub(reason) == reason


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", ["Nye metoder", "finnes ikke", "Sjekk nye_metoder_url i overvåkingslisten"]),
        ("en", ["Nye metoder", "does not exist", "Check nye_metoder_url in the watchlist"]),
    ],
)
def test_a_page_not_found_is_told_once_and_escaped(
    sessions: db.SessionFactory, language: str, words: list[str]
) -> None:
    """One notice per missing page, ever (queued again, it is the same row); the page as written
    by a watchlist or a site is escaped."""
    notices = health.Notices("C0ADMIN01", language)  # type: ignore[arg-type]
    page = "/metoder/<!channel>&x/"
    with sessions.begin() as session:
        queued = health.queue_not_found_notices(
            session, "nyemetoder_pages", {page}, notices=notices, now=NOW
        )
        again = health.queue_not_found_notices(
            session, "nyemetoder_pages", {page}, notices=notices, now=NOW + timedelta(hours=6)
        )
    assert (queued, again) == (1, 0)
    with sessions() as session:
        (row,) = session.scalars(select(OutboxRow))
    assert (row.channel, row.kind) == ("C0ADMIN01", "admin")
    text = render_admin(row.payload or {}, language=language).text  # type: ignore[arg-type]
    assert "/metoder/&lt;!channel&gt;&amp;x/" in text and "<!channel>" not in text
    assert all(word in text for word in words), text


def test_status_lines(sessions: db.SessionFactory) -> None:
    """Each source's health, last good read in local time, failures and last error; the outbox."""
    outcome(sessions, "clinicaltrials", ok=True)
    outcome(sessions, "ema_medicines", ok=True, stamp="2026-11-24T05:00:12Z")
    outcome(sessions, "openfda", ok=True, at=NOW - timedelta(days=1))
    for _ in range(3):
        outcome(sessions, "openfda", ok=False, reason="HTTP 503")
    with db.transaction(sessions) as session:
        rows = [{"alert_key": k, "channel": CHANNEL, "kind": "card"} for k in "abcd"]
        store.enqueue(session, rows, now=NOW)
        session.flush()
        found = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))
        found[0].status, found[1].status, found[2].status = "sending", "dead", "dead"
    with sessions() as session:
        english = status_lines(session, zone=OSLO)
        norsk = status_lines(session, zone=OSLO, language="nb")
    assert english == [
        "ClinicalTrials.gov: ok · last read 24.11.2026 at 09:00 · 0 failures in a row",
        "EMA (medicines): ok · last read 24.11.2026 at 09:00 · 0 failures in a row"
        " · data from 24.11.2026 at 06:00",
        "FDA (Drugs@FDA): down · last read 23.11.2026 at 09:00 · 3 failures in a row"
        " · last error: HTTP 503",
        "outbox: 1 pending, 1 sending, 2 dead",
    ]
    assert norsk[2] == (
        "FDA (Drugs@FDA): nede · sist lest 23.11.2026 kl. 09:00 · 3 feil på rad"
        " · siste feil: HTTP 503"
    )
    assert norsk[3] == "utboks: 1 venter, 1 under sending, 2 lagt til side"


def test_status_before_any_poll(sessions: db.SessionFactory) -> None:
    """A fresh database says no source has been read, and an empty outbox."""
    with sessions() as session:
        lines = status_lines(session, zone=OSLO)
    assert lines == ["no source has been read yet", "outbox: 0 pending, 0 sending, 0 dead"]


def test_last_success_is_the_newest_good_read(sessions: db.SessionFactory) -> None:
    """The catch-up decision starts from the last time any source was read successfully."""
    with sessions() as session:
        assert health.last_success(session) is None
    outcome(sessions, "clinicaltrials", ok=True, at=NOW - timedelta(hours=5))
    outcome(sessions, "openfda", ok=True, at=NOW - timedelta(hours=3))
    outcome(sessions, "openfda", ok=False, at=NOW, reason="HTTP 503")
    with sessions() as session:
        assert health.last_success(session) == NOW - timedelta(hours=3)
