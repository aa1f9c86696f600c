"""Catalogue §5.3, source faults F1-F14: the real poll and delivery against a misbehaving source.

Each test runs the bot's own pipeline (open_runtime, Runtime.poll or poll_source, the deliverer)
against the replay server's fault modes and the fake Slack, and is named after its scenario in
the fault catalogue (reliability.md §5.3). Retry waits go through an injected sleep, so no test
sleeps for real beyond a fault's own short interval.
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from typing import Any

import pytest
from sqlalchemy import select

from bot import __version__
from bot.detection.detect import implausible_loss
from bot.polling import poll as poll_module
from bot.polling.fetch import USER_AGENT, Fetcher, build_client
from bot.polling.poll import PollResult, poll_source
from bot.runtime import Runtime, build_sources, open_runtime, seed_methods
from bot.sources.base import Source
from bot.sources.clinicaltrials import ClinicalTrials
from bot.storage.tables import EventRow, Snapshot, SourceState
from bot.watchlist import Method
from tests.fakeslack import FakeSlack
from tests.faketime import FakeTime
from tests.replay import ReplayServer
from tests.world import (
    CTGOV,
    EMA_NEWS,
    FDA_PRESS,
    FEED,
    MEDICINES,
    NYE_DECISIONS,
    OPENFDA,
    RSS,
    DupilumabWorld,
    fixture_bytes,
    fixture_json,
    seed_without_scope,
)

CHANNEL, ADMIN = "C0123ABCD", "C0ADMIN01"
CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b"<body>Checking your browser before accessing www.ema.europa.eu.</body></html>"
)


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


def _settings(world: DupilumabWorld, fake_slack: FakeSlack, database_url: str) -> Any:
    # Without the seed's scope: these tests count each source's own requests (the request for
    # candidates is tested in tests/test_candidates_world.py).
    return world.settings(
        watchlist_file=seed_without_scope(),
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_api_url=fake_slack.url,
        slack_alert_channel=CHANNEL,
        slack_admin_channel=ADMIN,
    )


@pytest.fixture
def runtime(world: DupilumabWorld, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    runtime = open_runtime(_settings(world, fake_slack, database_url))
    yield runtime
    runtime.close()


# The pipeline ---------------------------------------------------------------------------------


def cycle(runtime: Runtime) -> dict[str, PollResult]:
    """One `poll --once`: every source with the runtime's own fetcher, then delivery."""
    results = {result.source: result for result in runtime.poll()}
    runtime.deliverer.run()
    return results


def quick_fetcher(fake: FakeTime | None = None, **options: Any) -> Fetcher:
    """The production fetcher on a fake clock: retries and Retry-After cost no real time."""
    fake = fake or FakeTime()
    client = build_client(timeout_seconds=5)
    return Fetcher(client, sleep=fake.sleep, clock=fake.clock, rng=random.Random(7), **options)


def poll_with(
    runtime: Runtime,
    name: str,
    fetcher: Fetcher,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> PollResult:
    """What Runtime.poll does for one source, with a fetcher (and clock) the test controls."""
    source: Source = next(s for s in build_sources(runtime.settings) if s.name == name)
    return poll_source(
        source,
        fetcher=fetcher,
        sessions=runtime.sessions,
        methods=runtime.methods(),
        default_channel=runtime.alert_channel,
        admin_channel=runtime.admin_channel,
        language=runtime.settings.language,
        clock=clock,
    )


# What the bot stored and sent ------------------------------------------------------------------


def snapshot(runtime: Runtime, source: str) -> dict[str, tuple[str, int]]:
    """Each key's content hash and missing count."""
    with runtime.sessions() as session:
        rows = session.scalars(select(Snapshot).where(Snapshot.source == source))
        return {row.key: (row.content_hash, row.missing_count) for row in rows}


def fields_of(runtime: Runtime, source: str, key: str) -> dict[str, Any]:
    with runtime.sessions() as session:
        row = session.get(Snapshot, (source, key))
        assert row is not None
        return dict(row.fields)


def state(runtime: Runtime, source: str) -> SourceState:
    with runtime.sessions() as session:
        found = session.get(SourceState, source)
        assert found is not None
        return found


def events(runtime: Runtime) -> list[tuple[str, str, str]]:
    with runtime.sessions() as session:
        rows = session.scalars(select(EventRow).order_by(EventRow.id))
        return [(row.kind, row.record_key, row.importance) for row in rows]


def team_posts(slack: FakeSlack) -> list[dict[str, Any]]:
    """Every chat.postMessage to the team's channel (cards and alerts)."""
    return [call for call in slack.calls_to("chat.postMessage") if call.get("channel") == CHANNEL]


def alert_texts(slack: FakeSlack) -> list[str]:
    """The alerts: replies under the status cards in the team's channel."""
    cards = slack.messages(CHANNEL)
    return [str(reply.text) for card in cards for reply in slack.replies(CHANNEL, card.ts)]


def admin_texts(slack: FakeSlack) -> list[str]:
    return [str(message.text) for message in slack.messages(ADMIN)]


# Scripted source content -------------------------------------------------------------------


def openfda_with_new_supplement() -> bytes:
    """The Dupixent application with one more approved efficacy supplement."""
    document = fixture_json("openfda/dupilumab_bla761055.json")
    document["results"][0]["submissions"].append(
        {
            "submission_type": "SUPPL",
            "submission_number": "99",
            "submission_status": "AP",
            "submission_status_date": "20261120",
            "review_priority": "STANDARD",
            "submission_class_code": "EFFICACY",
            "submission_class_code_description": "Efficacy",
        }
    )
    return json.dumps(document).encode()


def ema_medicines(stamp: datetime, *, status: str | None = None) -> bytes:
    """The medicines file generated at `stamp`, with Dupixent's status replaced if given."""
    document = fixture_json("ema/medicines_dupilumab.json")
    document["meta"]["timestamp"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if status is not None:
        for row in document["data"]:
            if row["ema_product_number"] == ["EMEA/H/C/004390"]:
                row["medicine_status"] = [status]
    return json.dumps(document).encode()


def studies_like(template: dict[str, Any], ids: list[str]) -> list[dict[str, Any]]:
    """Copies of a recorded study under other NCT IDs."""
    studies = []
    for nct in ids:
        study = copy.deepcopy(template)
        study["protocolSection"]["identificationModule"]["nctId"] = nct
        study["protocolSection"]["identificationModule"]["briefTitle"] = f"Study {nct}"
        studies.append(study)
    return studies


# F1 ----------------------------------------------------------------------------------------


def test_f01_repeated_500s_make_one_down_and_one_recovered_notice(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """openFDA 500s: 3 jittered tries a cycle, no alert, one "down" notice, one "back" notice."""
    cycle(runtime)
    before = snapshot(runtime, "openfda")
    replay.route(OPENFDA, openfda_with_new_supplement())  # a change waiting behind the outage
    replay.fault(OPENFDA, "status", status=500, times=None)
    fake = FakeTime()
    fetcher = quick_fetcher(fake)
    for failures in range(1, 6):
        result = poll_with(runtime, "openfda", fetcher)
        assert (result.ok, result.reason) == (False, "HTTP 500")
        assert state(runtime, "openfda").consecutive_failures == failures
        assert state(runtime, "openfda").health == ("degraded" if failures < 3 else "down")
        runtime.deliverer.run()
    assert replay.count(OPENFDA) == 1 + 5 * 3
    first, second = fake.sleeps[0::2], fake.sleeps[1::2]
    assert len(fake.sleeps) == 10 and len(set(first)) > 1  # jittered: not the same every time
    assert all(0.5 <= wait <= 1.5 for wait in first) and all(1.0 <= wait <= 3.0 for wait in second)
    assert snapshot(runtime, "openfda") == before
    assert team_posts(fake_slack) == []
    (down,) = admin_texts(fake_slack)
    assert down.startswith("FDA (Drugs@FDA) er nede: 3 mislykkede runder på rad.")
    assert "Siste feil: HTTP 500." in down

    replay.clear_faults()
    assert poll_with(runtime, "openfda", fetcher).ok
    assert poll_with(runtime, "openfda", fetcher).ok
    runtime.deliverer.run()
    assert admin_texts(fake_slack)[1:] == [
        "FDA (Drugs@FDA) svarer igjen. Endringer der blir oppdaget som før."
    ]
    assert len(alert_texts(fake_slack)) == 1  # the waiting change, once


# F2 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_f02_retry_after_is_waited_out_once(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack, form: str
) -> None:
    """A 429 with Retry-After (30 s, or an HTTP-date 45 s ahead) is slept once, then read."""
    cycle(runtime)
    before = snapshot(runtime, "openfda")
    # An HTTP-date is measured against the server's own Date header, which has whole seconds.
    value, low, high = ("30", 30.0, 30.0)
    if form == "http-date":
        value, low, high = formatdate(time.time() + 45, usegmt=True), 44.0, 45.0
    replay.fault(OPENFDA, "status", status=429, headers={"Retry-After": value})
    fake = FakeTime()
    result = poll_with(runtime, "openfda", quick_fetcher(fake))
    assert result.ok and result.not_modified == 1  # the retry's conditional GET: unchanged
    assert len(fake.sleeps) == 1 and low <= fake.sleeps[0] <= high
    assert replay.count(OPENFDA) == 1 + 2
    runtime.deliverer.run()
    assert snapshot(runtime, "openfda") == before
    assert team_posts(fake_slack) == [] and admin_texts(fake_slack) == []


def test_f02_retry_after_past_the_cap_aborts_the_poll_cleanly(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A Retry-After over the cap is not slept: one request, a clean failure, nothing changed."""
    cycle(runtime)
    before = snapshot(runtime, "openfda")
    replay.route(OPENFDA, openfda_with_new_supplement())
    replay.fault(OPENFDA, "status", status=429, headers={"Retry-After": "3600"}, times=None)
    fake = FakeTime()
    result = poll_with(runtime, "openfda", quick_fetcher(fake, max_retry_after=120))
    assert (result.ok, result.reason) == (False, "HTTP 429 (retry after 3600 s)")
    assert fake.sleeps == [] and replay.count(OPENFDA) == 2
    runtime.deliverer.run()
    assert snapshot(runtime, "openfda") == before
    assert state(runtime, "openfda").health == "degraded"
    assert team_posts(fake_slack) == []


def test_f02_persistent_429_is_no_tight_loop(runtime: Runtime, replay: ReplayServer) -> None:
    """A source answering 429 every time is tried max_tries times, each after the asked wait."""
    cycle(runtime)
    replay.fault(OPENFDA, "status", status=429, headers={"Retry-After": "1"}, times=None)
    fake = FakeTime()
    result = poll_with(runtime, "openfda", quick_fetcher(fake, max_tries=3))
    assert (result.ok, result.reason) == (False, "HTTP 429 (retry after 1 s)")
    assert fake.sleeps == [1.0, 1.0] and replay.count(OPENFDA) == 1 + 3


# F3 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("served_as", "reason"),
    [
        ("text/html", "HTML page instead of a feed"),
        ("rss", "invalid answer: not a feed (no RSS or Atom version)"),
    ],
)
def test_f03_html_page_with_200_is_refused(
    runtime: Runtime,
    world: DupilumabWorld,
    replay: ReplayServer,
    fake_slack: FakeSlack,
    served_as: str,
    reason: str,
) -> None:
    """A maintenance page with 200 (as HTML, or labelled RSS) fails the gates; nothing changes."""
    cycle(runtime)
    before = snapshot(runtime, "fda_rss")
    world.add_press_release("Dupixent approved for a new use", guid="f03-new")
    if served_as == "text/html":
        replay.fault(FDA_PRESS, "html", times=None)
    else:  # no doctype, so only the parser gate (feed version '') can tell
        replay.route(FDA_PRESS, b"<body><h1>Down for maintenance</h1></body>", content_type=RSS)
    for failures in (1, 2):
        result = cycle(runtime)["fda_rss"]
        assert (result.ok, result.reason) == (False, reason)
        assert state(runtime, "fda_rss").consecutive_failures == failures
    assert snapshot(runtime, "fda_rss") == before
    assert events(runtime) == [] and team_posts(fake_slack) == []

    replay.clear_faults()
    world.serve_press()
    assert cycle(runtime)["fda_rss"].ok
    (alert,) = alert_texts(fake_slack)
    assert "Dupixent approved for a new use" in alert


# F4 ----------------------------------------------------------------------------------------

FORTY = [f"NCT07{n:06d}" for n in range(40)]


@pytest.fixture
def forty_trials(
    world: DupilumabWorld, fake_slack: FakeSlack, database_url: str
) -> Iterator[Runtime]:
    """A watchlist of one method watching 40 trials, all in one filter.ids batch."""
    runtime = open_runtime(_settings(world, fake_slack, database_url), seed_watchlist=False)
    method = Method(id="forty", title="Førti studier", substance="fortimab", trials=FORTY)
    seed_methods(runtime, [method])
    yield runtime
    runtime.close()


def serve_forty(replay: ReplayServer, ids: list[str]) -> None:
    template = fixture_json("clinicaltrials/dupilumab_watched.json")["studies"][1]
    body = json.dumps({"studies": studies_like(template, ids)}).encode()
    replay.route(CTGOV, body, match_params={"filter.ids": ",".join(FORTY)})


def test_f04_empty_answer_after_forty_records_counts_no_absences(
    forty_trials: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """40 watched trials, then 0: suspicious, no absence counted; losing 1 of 40 still counts."""
    runtime = forty_trials
    # A full read (the only answer authoritative for absence) in every cycle.
    trials = [ClinicalTrials(runtime.settings.ctgov_api_url, full_read_every=timedelta(0))]
    serve_forty(replay, FORTY)
    assert runtime.poll(trials)[0].ok
    serve_forty(replay, [])
    for _ in range(4):  # more than the three absences that would make a removal
        (result,) = runtime.poll(trials)
        assert result.ok
        assert result.warnings == ["40 watched records missing at once; absences not counted"]
    stored = snapshot(runtime, "clinicaltrials")
    assert len(stored) == 40 and {missing for _, missing in stored.values()} == {0}
    assert events(runtime) == []

    serve_forty(replay, FORTY[1:])  # one trial really gone: judged key by key, as before
    (result,) = runtime.poll(trials)
    assert result.ok and result.warnings == []
    assert snapshot(runtime, "clinicaltrials")[FORTY[0]][1] == 1
    runtime.deliverer.run()
    assert team_posts(fake_slack) == []


@pytest.mark.parametrize(
    ("listed", "seen", "suspicious"),
    [
        (40, 0, True),  # all of many
        (10, 7, True),  # 3 of 10: over a fifth
        (20, 17, False),  # 3 of 20: a fifth is not over a fifth
        (2, 0, False),  # all of two: judged key by key
        (1, 0, False),  # the one watched application gone (F7)
    ],
)
def test_f04_plausibility_threshold(listed: int, seen: int, suspicious: bool) -> None:
    """Three or more keys lost at once, and over a fifth of those listed, make a suspect answer."""
    keys = {f"K{n}" for n in range(listed)}
    lost = implausible_loss(keys, set(sorted(keys)[:seen]))
    assert bool(lost) is suspicious and (not lost or len(lost) == listed - seen)


def test_f04_empty_ema_file_is_refused(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """An EMA data file with no rows is a failed export: refused, the watched product not absent."""
    cycle(runtime)
    before = snapshot(runtime, "ema_medicines")
    document = json.loads(ema_medicines(datetime.now(UTC)))
    document["data"], document["meta"]["total_records"] = [], 0
    replay.route(MEDICINES, json.dumps(document).encode())
    for _ in range(3):
        result = cycle(runtime)["ema_medicines"]
        assert (result.ok, result.reason) == (False, "invalid answer: `data` holds no rows")
    assert snapshot(runtime, "ema_medicines") == before
    assert events(runtime) == [] and team_posts(fake_slack) == []
    (down,) = admin_texts(fake_slack)
    assert "Siste feil: invalid answer: `data` holds no rows." in down


def test_f04_emptied_feed_removes_nothing(
    runtime: Runtime, world: DupilumabWorld, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A feed listing no items where it had many is not authoritative for absence: no change."""
    cycle(runtime)
    before = snapshot(runtime, "fda_rss")
    empty = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        b"<title>Press Releases</title><link>https://www.fda.gov/</link>"
        b"<description>FDA</description></channel></rss>"
    )
    replay.route(FDA_PRESS, empty, content_type=RSS)
    for _ in range(3):
        assert cycle(runtime)["fda_rss"].ok
    world.serve_press()  # the items come back: they are not new
    assert cycle(runtime)["fda_rss"].ok
    assert snapshot(runtime, "fda_rss") == before
    assert events(runtime) == [] and team_posts(fake_slack) == []


# F5 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cut", "reason"),
    [
        ("connection", "network error (RemoteProtocolError)"),
        ("body", "invalid answer: malformed feed"),
    ],
)
def test_f05_truncated_feed_commits_nothing(
    runtime: Runtime,
    world: DupilumabWorld,
    replay: ReplayServer,
    fake_slack: FakeSlack,
    cut: str,
    reason: str,
) -> None:
    """A feed cut mid-body (the connection closed early, or served cut) commits nothing."""
    cycle(runtime)
    before = snapshot(runtime, "fda_rss")
    world.add_press_release("Dupixent news cut short", guid="f05-new")
    if cut == "connection":
        replay.fault(FDA_PRESS, "truncate", times=None)
    else:  # bozo, with a partial last entry
        replay.route(FDA_PRESS, fixture_bytes("rss/truncated.xml"), content_type=RSS)
    result = poll_with(runtime, "fda_rss", quick_fetcher())
    assert not result.ok and str(result.reason).startswith(reason)
    runtime.deliverer.run()
    assert snapshot(runtime, "fda_rss") == before
    assert events(runtime) == [] and team_posts(fake_slack) == []

    replay.clear_faults()
    world.serve_press()
    assert cycle(runtime)["fda_rss"].ok
    (alert,) = alert_texts(fake_slack)
    assert "Dupixent news cut short" in alert


def test_f05_a_database_error_after_a_flushed_part_commits_nothing(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large read is flushed in parts within its one transaction; an error after a part was
    flushed (here the events' insert) still leaves the snapshots as they were, and the change
    is alerted once the next cycle commits."""
    cycle(runtime)
    before = snapshot(runtime, "clinicaltrials")
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-24")
    monkeypatch.setattr(poll_module, "FLUSH_EVERY", 1)
    flushed: list[str | None] = []

    def failing_add_events(session: Any, changes: Any, *, now: datetime) -> list[Any]:
        with session.no_autoflush:  # what the database holds, not what the session would flush
            query = select(Snapshot.content_hash).where(Snapshot.key == "NCT02612454")
            flushed.append(session.scalar(query))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(poll_module.store, "add_events", failing_add_events)
    result = poll_with(runtime, "clinicaltrials", quick_fetcher())
    assert not result.ok and result.reason == "unexpected error: RuntimeError"
    assert flushed and flushed[0] != before["NCT02612454"][0]  # the part was written, then undone
    assert snapshot(runtime, "clinicaltrials") == before
    assert events(runtime) == []

    monkeypatch.undo()
    assert cycle(runtime)["clinicaltrials"].ok
    (alert,) = alert_texts(fake_slack)
    assert "NCT02612454" in alert


# F6 ----------------------------------------------------------------------------------------


def test_f06_unknown_status_value_is_drift_not_an_alert(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """A status outside the API's enum is drift: no alert, the last known status kept for later."""
    cycle(runtime)
    world.change_trial_status("NCT02612454", "AWAITING_REVIEW", updated="2026-11-24")
    result = cycle(runtime)["clinicaltrials"]
    assert result.ok
    assert result.warnings == [
        "schema drift in 1 records, e.g. NCT02612454: overall_status 'AWAITING_REVIEW' is not a "
        "known value; not alerted"
    ]
    stored = fields_of(runtime, "clinicaltrials", "NCT02612454")
    assert stored["overall_status"] == "ACTIVE_NOT_RECRUITING"
    assert stored["last_update_posted"] == "2026-11-24"
    assert events(runtime) == [] and team_posts(fake_slack) == []

    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-25")
    assert cycle(runtime)["clinicaltrials"].warnings == []
    (alert,) = alert_texts(fake_slack)
    assert "Pågående, rekrutterer ikke → Avsluttet" in alert


def test_f06_lowercase_status_is_no_change(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """Statuses spelled "completed" or "Active, not recruiting" are the known ones: no alert."""
    cycle(runtime)
    world.change_trial_status("NCT03054428", "completed", updated="2019-07-23")
    world.change_trial_status("NCT02612454", "Active, not recruiting", updated="2025-01-14")
    result = cycle(runtime)["clinicaltrials"]
    assert result.ok and result.warnings == [] and result.records == 3  # the change feed's
    assert fields_of(runtime, "clinicaltrials", "NCT03054428")["overall_status"] == "COMPLETED"
    assert events(runtime) == [] and team_posts(fake_slack) == []


def test_f06_renamed_status_field_is_drift_not_a_storm(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """overallStatus renamed in every study: no "status → none" alerts, one drift warning."""
    cycle(runtime)
    renamed = copy.deepcopy(world.studies)
    for study in renamed["studies"]:
        module = study["protocolSection"]["statusModule"]
        module["overallStatusCode"] = module.pop("overallStatus")
    world.studies = renamed
    world.serve_studies()
    result = cycle(runtime)["clinicaltrials"]
    assert result.ok and len(result.warnings) == 1
    assert result.warnings[0].startswith("schema drift in 2 records")
    assert fields_of(runtime, "clinicaltrials", "NCT03054428")["overall_status"] == "COMPLETED"
    assert events(runtime) == [] and team_posts(fake_slack) == []


def test_f06_renamed_ema_key_fails_the_source(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """An EMA file whose rows lost `ema_product_number` (renamed) is refused whole: no alerts."""
    cycle(runtime)
    before = snapshot(runtime, "ema_medicines")
    document = json.loads(ema_medicines(datetime.now(UTC)))
    for row in document["data"]:
        row["product_number"] = row.pop("ema_product_number")
    replay.route(MEDICINES, json.dumps(document).encode())
    result = cycle(runtime)["ema_medicines"]
    assert (result.ok, result.reason) == (False, "invalid answer: row 0 lacks ema_product_number")
    assert snapshot(runtime, "ema_medicines") == before
    assert events(runtime) == [] and team_posts(fake_slack) == []


# F7 ----------------------------------------------------------------------------------------


def test_f07_not_found_after_records_is_a_removal_only_when_confirmed(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """openFDA NOT_FOUND for a watched application: a low "no longer listed" only at the third."""
    cycle(runtime)
    replay.route(OPENFDA, fixture_bytes("openfda/not_found_404.json"), status=404)
    for absences in (1, 2):
        assert cycle(runtime)["openfda"].ok
        assert snapshot(runtime, "openfda")["BLA761055"][1] == absences
        assert events(runtime) == []
    assert cycle(runtime)["openfda"].ok
    assert events(runtime) == [("no_longer_listed", "BLA761055", "low")]
    assert state(runtime, "openfda").health == "ok"
    assert team_posts(fake_slack) == []  # low importance waits for the summary


def test_f07_html_not_found_is_a_source_error(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A 404 HTML page (a CDN's, not openFDA's) is a failure, never an absence."""
    cycle(runtime)
    page = fixture_bytes("openfda/not_found_404.html")
    replay.fault(OPENFDA, "status", status=404, body=page, content_type="text/html", times=None)
    for _ in range(3):
        result = cycle(runtime)["openfda"]
        assert (result.ok, result.reason) == (False, "HTML page instead of JSON")
    assert snapshot(runtime, "openfda")["BLA761055"][1] == 0
    assert state(runtime, "openfda").health == "down"
    assert events(runtime) == [] and team_posts(fake_slack) == []
    (down,) = admin_texts(fake_slack)
    assert "HTML page instead of JSON" in down


# F8 ----------------------------------------------------------------------------------------


def serve_feed_pages(replay: ReplayServer, pages: list[list[dict[str, Any]]]) -> None:
    """The change feed as numbered pages chained by nextPageToken p2, p3, ..."""
    for number, studies in enumerate(pages, start=1):
        document: dict[str, Any] = {"studies": studies}
        if number < len(pages):
            document["nextPageToken"] = f"p{number + 1}"
        match = FEED if number == 1 else {**FEED, "pageToken": f"p{number}"}
        replay.route(CTGOV, json.dumps(document).encode(), match_params=match)


def test_f08_failed_third_page_aborts_the_whole_cycle(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """Page 3 of 5 of the change feed fails: nothing stored or alerted, the watermark stays; the
    next cycle reads all five from the same day and alerts once per new trial."""
    cycle(runtime)
    before, cursor = snapshot(runtime, "clinicaltrials"), watermark(runtime)
    recorded = fixture_json("clinicaltrials/dupilumab_discovery.json")["studies"]
    new = [f"NCT08{n:06d}" for n in range(7)]
    studies = recorded + studies_like(recorded[0], new)
    serve_feed_pages(replay, [studies[i : i + 2] for i in range(0, 10, 2)])
    replay.fault(CTGOV, "status", status=500, match_params={"pageToken": "p3"}, times=None)
    sent = replay.count()
    later = datetime.now(UTC) + timedelta(days=1)
    result = poll_with(runtime, "clinicaltrials", quick_fetcher(), clock=lambda: later)
    assert (result.ok, result.reason) == (False, "HTTP 500")
    tokens = [r.params.get("pageToken") for r in replay.requests[sent:]]
    assert tokens == [None, None, "p2", "p3", "p3", "p3"]  # the day's full read, feed pages 1-3
    runtime.deliverer.run()
    assert snapshot(runtime, "clinicaltrials") == before
    assert watermark(runtime) == cursor
    assert events(runtime) == [] and team_posts(fake_slack) == []

    replay.clear_faults()
    sent = replay.count()
    assert cycle(runtime)["clinicaltrials"].ok
    requests = [r for r in replay.requests[sent:] if r.path == CTGOV]
    assert [r.params.get("pageToken") for r in requests] == [None, "p2", "p3", "p4", "p5"]
    assert sorted(key for kind, key, _ in events(runtime) if kind == "trial_new") == new
    assert cycle(runtime)["clinicaltrials"].events == 0
    alerts = alert_texts(fake_slack)
    assert len(alerts) == 7 and all(sum(nct in text for text in alerts) == 1 for nct in new)


def watermark(runtime: Runtime) -> Any:
    """The day ClinicalTrials.gov's last committed read began."""
    return state(runtime, "clinicaltrials").feed_watermark


# F9 ----------------------------------------------------------------------------------------


def test_f09_slow_drip_is_cut_at_the_deadline(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A dripping body is cut at the fetch deadline, not retried; the next poll reads the source.

    On the fetcher's fake clock every reading costs 50 ms, so the 0.5 s deadline falls a few
    chunks into the drip; the server gives up after 3 s, which only a fetcher that never
    checked its deadline mid-body would wait for (and then fail differently).
    """
    cycle(runtime)
    before = snapshot(runtime, "openfda")
    replay.route(OPENFDA, openfda_with_new_supplement())
    replay.fault(OPENFDA, "drip", interval=0.02, max_seconds=3.0)
    result = poll_with(runtime, "openfda", quick_fetcher(FakeTime(tick=0.05), deadline_seconds=0.5))
    assert (result.ok, result.reason) == (False, "deadline of 0.5 s exceeded")
    assert replay.count(OPENFDA) == 2
    assert snapshot(runtime, "openfda") == before

    assert poll_with(runtime, "openfda", quick_fetcher(deadline_seconds=0.5)).ok
    runtime.deliverer.run()
    assert len(alert_texts(fake_slack)) == 1


# F10 ---------------------------------------------------------------------------------------


def test_f10_silent_server_times_out_within_the_deadline(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A server silent for longer than the deadline fails the poll by then; the next runs.

    The deadline (0.4 s on the fetcher's fake clock) shortens the client's 5 s read timeout: a
    server that answers only after 3 s is a timeout, not a late success. Every retry's backoff
    (0.5 s or more) is longer than the deadline, so none is made.
    """
    cycle(runtime)
    before = snapshot(runtime, "openfda")
    replay.fault(OPENFDA, "hang", seconds=3.0, answer=True)
    fetcher = quick_fetcher(deadline_seconds=0.4)
    result = poll_with(runtime, "openfda", fetcher)
    assert (result.ok, result.reason) == (False, "timeout")
    assert replay.count(OPENFDA) == 2  # no time left in the deadline to retry
    assert snapshot(runtime, "openfda") == before
    assert poll_with(runtime, "openfda", fetcher).ok
    runtime.deliverer.run()
    assert team_posts(fake_slack) == []


# F11 ---------------------------------------------------------------------------------------


def test_f11_same_host_redirect_is_followed(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A 301 to another path on the same host is followed and its answer read as usual."""
    cycle(runtime)
    moved = "/drug/drugsfda-moved.json"
    replay.route(moved, openfda_with_new_supplement())
    replay.fault(OPENFDA, "redirect", location=moved, times=None)
    sent = replay.count()
    assert cycle(runtime)["openfda"].ok
    paths = [r.path for r in replay.requests[sent:] if r.path in (OPENFDA, moved)]
    assert paths == [OPENFDA, moved]
    assert len(alert_texts(fake_slack)) == 1


def test_f11_redirect_loop_is_bounded(runtime: Runtime, replay: ReplayServer) -> None:
    """A redirect to itself stops after five hops, a failure that is not retried."""
    cycle(runtime)
    replay.fault(OPENFDA, "redirect", location=OPENFDA, status=302, times=None)
    result = cycle(runtime)["openfda"]
    assert (result.ok, result.reason) == (False, "more than 5 redirects")
    assert replay.count(OPENFDA) == 1 + 6


def test_f11_cross_host_redirect_is_refused(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A 301 to another host is not followed: a failure naming the host, nothing changed."""
    cycle(runtime)
    before = snapshot(runtime, "openfda")
    elsewhere = replay.url.replace("127.0.0.1", "localhost") + OPENFDA
    replay.fault(OPENFDA, "redirect", location=elsewhere, times=None)
    result = cycle(runtime)["openfda"]
    assert (result.ok, result.reason) == (False, "redirect to another host (localhost)")
    assert replay.count(OPENFDA) == 2  # the redirect itself, never its target
    assert snapshot(runtime, "openfda") == before
    assert state(runtime, "openfda").health == "degraded"
    assert team_posts(fake_slack) == []


def test_f11_not_modified_is_unchanged(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """Every source's 304 to the ETag it sent is "unchanged": no error, no diff, no alert (the
    change feed too, once it has been read for the day)."""
    first = cycle(runtime)
    cycle(runtime)  # ClinicalTrials.gov's first read of its change feed
    before = {name: snapshot(runtime, name) for name in first}
    sent = replay.count()
    second = cycle(runtime)
    # Nye metoder's decision page is read whole every cycle: it names the (unchanged) workbook.
    whole = {"nyemetoder_decisions": 1}
    assert all(
        r.ok and r.requests - whole.get(r.source, 0) == r.not_modified > 0 for r in second.values()
    ), second
    conditional = [r for r in replay.requests[sent:] if r.path != NYE_DECISIONS]
    assert all(r.headers.get("if-none-match") for r in conditional)
    assert {name: snapshot(runtime, name) for name in second} == before
    assert all(state(runtime, name).consecutive_failures == 0 for name in second)
    assert team_posts(fake_slack) == [] and admin_texts(fake_slack) == []


# F12 ---------------------------------------------------------------------------------------


def test_f12_user_agent_block_names_the_status_and_our_agent(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A 403 challenge: no diff, down after 3 cycles, one notice naming 403 and our User-Agent."""
    cycle(runtime)
    before = snapshot(runtime, "ema_rss")
    replay.fault(
        EMA_NEWS, "status", status=403, body=CHALLENGE, content_type="text/html", times=None
    )
    reason = f"HTTP 403 (refused; our User-Agent is Metodevakt/{__version__})"
    for _ in range(3):
        result = cycle(runtime)["ema_rss"]
        assert (result.ok, result.reason) == (False, reason)
    assert {r.headers["user-agent"] for r in replay.requests} == {USER_AGENT}
    assert snapshot(runtime, "ema_rss") == before
    assert state(runtime, "ema_rss").health == "down"
    assert team_posts(fake_slack) == []
    (down,) = admin_texts(fake_slack)
    assert f"Siste feil: {reason}." in down


def test_f12_challenge_page_with_200_is_a_source_error(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A CDN challenge page served with 200 in place of the feed is a failure, not a feed."""
    cycle(runtime)
    before = snapshot(runtime, "ema_rss")
    replay.fault(EMA_NEWS, "html", body=CHALLENGE, times=None)
    result = cycle(runtime)["ema_rss"]
    assert (result.ok, result.reason) == (False, "HTML page instead of a feed")
    assert snapshot(runtime, "ema_rss") == before
    assert state(runtime, "ema_rss").health == "degraded"
    assert team_posts(fake_slack) == []


# F13 ---------------------------------------------------------------------------------------


def test_f13_unmoving_ema_timestamp_warns_admins_once(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """EMA's file keeps its own timestamp while 70 h pass: one staleness notice, no alert."""
    now = datetime.now(UTC)
    replay.route(MEDICINES, ema_medicines(now - timedelta(hours=75)))
    fetcher = quick_fetcher()
    earlier = poll_with(runtime, "ema_medicines", fetcher, clock=lambda: now - timedelta(hours=70))
    assert earlier.ok and state(runtime, "ema_medicines").health == "ok"  # 5 h old then
    for _ in range(3):
        result = poll_with(runtime, "ema_medicines", fetcher)
        assert result.ok and result.not_modified == 1
    assert state(runtime, "ema_medicines").health == "stale"
    runtime.deliverer.run()
    (notice,) = admin_texts(fake_slack)
    assert notice.startswith("EMA (legemidler) har ikke hatt nye data på 3 døgn")
    assert team_posts(fake_slack) == []


def test_f13_older_replica_is_refused_not_diffed(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A file older than the one already read is refused: no reverse alert, the change kept."""
    now = datetime.now(UTC)
    earlier = ema_medicines(now - timedelta(hours=2))
    replay.route(MEDICINES, earlier)
    cycle(runtime)
    replay.route(MEDICINES, ema_medicines(now - timedelta(hours=1), status="Withdrawn"))
    assert cycle(runtime)["ema_medicines"].ok
    assert [kind for kind, _, _ in events(runtime)] == ["ema_status"]

    replay.route(MEDICINES, earlier)
    result = cycle(runtime)["ema_medicines"]
    assert not result.ok and "older than the data already read" in str(result.reason)
    fields = fields_of(runtime, "ema_medicines", "EMEA/H/C/004390")
    assert fields["medicine_status"] == "Withdrawn"
    assert [kind for kind, _, _ in events(runtime)] == ["ema_status"]
    assert len(alert_texts(fake_slack)) == 1


# F14 ---------------------------------------------------------------------------------------


def test_f14_encoding_override_feed_is_accepted_and_alerts(
    runtime: Runtime, replay: ReplayServer, fake_slack: FakeSlack
) -> None:
    """A UTF-8-declared Windows-1252 feed is accepted and its new item alerted, accents intact."""
    cycle(runtime)
    body = fixture_bytes("rss/encoding_override.xml").replace(b"60417", b"70417")
    replay.route(EMA_NEWS, body, content_type=RSS)
    assert cycle(runtime)["ema_rss"].ok
    assert cycle(runtime)["ema_rss"].events == 0
    (alert,) = alert_texts(fake_slack)
    assert "Dupixént: CHMP opinion for patients aged 12–17 years" in alert
