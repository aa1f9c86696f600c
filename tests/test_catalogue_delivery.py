"""The fault catalogue's delivery, crash, scheduler and storage scenarios (reliability.md §5.4).

Each test is named after its scenario ID and runs the bot's real code against the fake Slack and
the replay world; where a crash or a second process is the point, the bot runs as a subprocess.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select, text

from bench.chaos import run_chaos
from bot.delivery import outbox
from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import SlackPoster
from bot.detection.detect import Change
from bot.ops.schedule import JobSpec, build_scheduler, declare_jobs, job_options
from bot.ops.status import status_lines
from bot.ops.worker import Worker
from bot.runtime import Runtime, build_sources, open_runtime
from bot.settings import Settings
from bot.storage import admin, db, store
from bot.storage.tables import EventRow, MethodRow, Mute, OutboxRow
from bot.watchlist import Method
from tests.botprocess import (
    CHANNEL,
    ROOT,
    all_messages,
    bot_env,
    command,
    duplicated_keys,
    poll_once,
    start,
    stop,
)
from tests.fakeslack import FakeSlack
from tests.postgres import needs_postgres
from tests.replay import ReplayServer
from tests.scripted import (
    serve_discovered_trials,
    serve_fda_submission,
    serve_watched_status_in_discovery,
)
from tests.world import CTGOV, FEED, OPENFDA, DupilumabWorld

ADMIN, OTHER = "C0ADMIN01", "C0OTHER01"
TRIAL = "NCT02612454"  # ACTIVE_NOT_RECRUITING in the recorded answer
DUPI = Method(id="dupi", title="Dupilumab til ungdom", substance="dupilumab")
LEBRI = Method(id="lebri", title="Lebrikizumab", substance="lebrikizumab", channel=OTHER)
METHODS = {method.id: method for method in (DUPI, LEBRI)}
# Slightly in the past: the fake Slack stamps messages with the real clock.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
KILLED = -signal.SIGKILL


# Fixtures and helpers ---------------------------------------------------------------------------


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def runtime(world: DupilumabWorld, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    """The bot's composition root on the test database, posting to the fake Slack."""
    built = open_runtime(slack_settings(world, fake_slack, database_url))
    yield built
    built.close()


@pytest.fixture
def sessions(database_url: str) -> Iterator[db.SessionFactory]:
    """A migrated database watching two methods (one routed to its own channel)."""
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    factory = db.session_factory(engine)
    with db.transaction(factory) as session:
        store.sync_file_methods(session, METHODS.values(), now=NOW)
    yield factory
    engine.dispose()


def slack_settings(world: DupilumabWorld, slack: FakeSlack, database_url: str) -> Settings:
    return world.settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_api_url=slack.url,
        slack_alert_channel=CHANNEL,
        slack_admin_channel=ADMIN,
    )


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'bot.db'}"


def outbox_rows(database_url: str) -> list[tuple[str, str]]:
    """(kind, status) of every outbox row, oldest first."""
    engine = db.make_engine(database_url)
    try:
        with db.session_factory(engine)() as session:
            query = select(OutboxRow.kind, OutboxRow.status).order_by(OutboxRow.id)
            return [(kind, status) for kind, status in session.execute(query)]
    finally:
        engine.dispose()


def count_events(database_url: str, source: str) -> int:
    engine = db.make_engine(database_url)
    try:
        with db.session_factory(engine)() as session:
            query = select(func.count()).where(EventRow.source == source)
            return int(session.scalar(query) or 0)
    finally:
        engine.dispose()


def execute(database_url: str, statement: str) -> None:
    """One statement from outside the bot, as an operator (or a failing database) would."""
    engine = db.make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def trial(method: str, n: int) -> Change:
    nct = f"NCT0{5000000 + n}"
    new = {"overall_status": "RECRUITING", "phases": ["PHASE3"]}
    url = f"https://clinicaltrials.gov/study/{nct}"
    return Change(method, "clinicaltrials", nct, "trial_new", "normal", None, new, url, nct)


def news(method: str, source: str, n: int) -> Change:
    title = f"{source} item {n:02d}"
    site = "https://www.fda.gov/news/" if source == "fda_rss" else "https://www.ema.europa.eu/en/"
    new = {"title": title, "publisher": source}
    return Change(
        method, source, f"{source}-{n}", "news", "normal", None, new, site + str(n), title
    )


def commit(sessions: db.SessionFactory, changes: list[Change]) -> None:
    """What one source's commit does: store its events and queue their alerts."""
    with db.transaction(sessions) as session:
        events = store.add_events(session, changes, now=NOW)
        outbox.queue_alerts(session, events, METHODS, default_channel=CHANNEL, now=NOW)


def deliverer(sessions: db.SessionFactory, slack: FakeSlack, **options: Any) -> Deliverer:
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    values: dict[str, Any] = {"admin_channel": ADMIN, "min_interval": 0.0, "clock": lambda: NOW}
    return Deliverer(sessions, poster, "nb", **(values | options))


def statuses(sessions: db.SessionFactory) -> dict[str, list[str]]:
    with sessions() as session:
        found: dict[str, list[str]] = {}
        for row in session.scalars(select(OutboxRow).order_by(OutboxRow.id)):
            found.setdefault(row.kind, []).append(row.status)
        return found


def eventually(predicate: Callable[[], bool], *, timeout: float) -> bool:
    """Wait (bounded) until `predicate()` holds, checking every 50 ms."""
    deadline, tick = time.monotonic() + timeout, threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            return False
        tick.wait(0.05)
    return True


def posts(slack: FakeSlack) -> int:
    return len(slack.calls_to("chat.postMessage"))


# D1-D3: crashes and lost connections around a post ---------------------------------------------


@pytest.mark.parametrize("nth", [1, 2], ids=["card", "alert-reply"])
def test_d01_kill_after_outbox_commit_before_post_posts_once(
    world: DupilumabWorld, fake_slack: FakeSlack, tmp_path: Path, nth: int
) -> None:
    """Killed after the claim was committed and before the post: after restart, exactly once."""
    url = sqlite_url(tmp_path)
    env = bot_env(world, fake_slack, url, home=tmp_path)
    assert poll_once(env).returncode == 0
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    assert poll_once(env, crashpoint=f"before_post:{nth}").returncode == KILLED
    assert posts(fake_slack) == nth - 1
    assert [status for _, status in outbox_rows(url)].count("sending") == 1
    assert poll_once(env).returncode == 0
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert "Avsluttet" in str(reply.text)
    assert posts(fake_slack) == 2 and duplicated_keys(fake_slack) == []


def test_d02_kill_after_post_before_record_posts_once(
    world: DupilumabWorld, fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    """Killed after Slack took the 3rd post, before its ts was stored: found by key, not resent."""
    env = bot_env(world, fake_slack, database_url, home=tmp_path)
    assert poll_once(env).returncode == 0
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    world.add_press_release("Dupixent approved for a new use", guid="d02")
    assert poll_once(env, crashpoint="after_post:3").returncode == KILLED
    assert posts(fake_slack) == 3
    assert poll_once(env).returncode == 0
    assert posts(fake_slack) == 3  # the reply of unknown outcome was looked up, not sent again
    assert fake_slack.calls_to("conversations.replies")
    (card,) = fake_slack.messages(CHANNEL)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 2
    assert {status for _, status in outbox_rows(database_url)} == {"sent"}
    assert duplicated_keys(fake_slack) == []


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
def test_d03_dropped_connection_is_not_retried_and_reconciled_once(
    sessions: db.SessionFactory, fake_slack: FakeSlack, reset: bool
) -> None:
    """Slack stores the post, the connection dies: no client retry, `sending`, then found: one."""
    commit(sessions, [trial("dupi", 1)])
    deliverer(sessions, fake_slack).run()  # the status card and a first reply
    commit(sessions, [trial("dupi", 2)])
    fake_slack.drop_next("chat.postMessage", reset=reset)
    first = deliverer(sessions, fake_slack)
    first.run()
    assert posts(fake_slack) == 3  # one attempt: no retry handler re-sent it
    assert statuses(sessions)["alert"] == ["sent", "sending"]
    first.run()  # the same process soon after: it waits for Slack's history to show the post
    assert posts(fake_slack) == 3
    later = deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(minutes=1))
    later.run()
    assert posts(fake_slack) == 3
    assert statuses(sessions)["alert"] == ["sent", "sent"]
    (card,) = fake_slack.messages(CHANNEL)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 2
    assert duplicated_keys(fake_slack) == []


# D4-D5: bursts, rate limits and hopeless errors -------------------------------------------------


class VirtualTime:
    """Seconds that pass only when the code under test sleeps."""

    def __init__(self, start: float) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def burst_of_37(sessions: db.SessionFactory) -> dict[str, list[str]]:
    """37 alerts in two channels from three sources (none over the storm threshold); the
    subjects each channel's thread should show, in order."""
    dupi_trials = [trial("dupi", i) for i in range(15)]
    lebri_trials = [trial("lebri", 100 + i) for i in range(12)]
    fda = [news("dupi", "fda_rss", i) for i in range(5)]
    ema = [news("lebri", "ema_rss", i) for i in range(5)]
    commit(sessions, dupi_trials + lebri_trials)
    commit(sessions, fda)
    commit(sessions, ema)
    return {
        CHANNEL: [c.subject for c in dupi_trials + fda],
        OTHER: [c.subject for c in lebri_trials + ema],
    }


def test_d04_burst_of_37_with_one_429_is_delivered_once_in_order_and_paced(
    sessions: db.SessionFactory,
) -> None:
    """37 alerts, one 429 Retry-After: 5 mid-burst: each once, in order, ≤1 post/s per channel."""
    clock = VirtualTime(NOW.timestamp())
    expected = burst_of_37(sessions)
    with FakeSlack(clock=clock.monotonic) as slack:
        limited: list[int] = []
        nested: list[int] = []

        def sleep(seconds: float) -> None:
            clock.sleep(seconds)
            if seconds >= 5:  # meanwhile another job's delivery run starts in this process
                nested.append(posts(slack))
                nested.append(sending.run().sent)
                nested.append(posts(slack))
            if not limited and posts(slack) >= 10:
                slack.rate_limit_next("chat.postMessage", retry_after=5)
                limited.append(posts(slack))

        sending = deliverer(
            sessions,
            slack,
            min_interval=1.0,
            sleep=sleep,
            monotonic=clock.monotonic,
            clock=lambda: datetime.fromtimestamp(clock.now, UTC),
        )
        report = sending.run()
        assert report.sent == 37 and report.dead == 0
        assert posts(slack) == 2 + 37 + 1  # two status cards, 37 replies, the refused attempt
        assert 5 in clock.sleeps and nested == [nested[0], 0, nested[0]]  # nothing posted then
        for channel, subjects in expected.items():
            (card,) = slack.messages(channel)
            replies = slack.replies(channel, card.ts)
            assert [subject_in(str(r.text), subjects) for r in replies] == subjects
            stamps = [float(m.ts) for m in all_messages(slack) if m.channel == channel]
            assert min(b - a for a, b in itertools.pairwise(stamps)) >= 0.999
        assert duplicated_keys(slack) == []
    assert statuses(sessions) == {"card": ["sent"] * 2, "alert": ["sent"] * 37}


def subject_in(text: str, subjects: list[str]) -> str | None:
    return next((subject for subject in subjects if subject in text), None)


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "is_archived"])
def test_d05_hopeless_error_parks_the_row_and_tells_the_admins(
    sessions: db.SessionFactory,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    """not_in_channel / channel_not_found / is_archived: dead-lettered, logged, admins told."""
    commit(sessions, [trial("dupi", 1)])
    fake_slack.fail_next("chat.postMessage", error=error)
    with caplog.at_level(logging.ERROR, logger="bot.delivery.deliverer"):
        report = deliverer(sessions, fake_slack).run()
    assert report.dead == 2 and error in report.errors
    assert statuses(sessions) == {"alert": ["dead"], "card": ["dead"], "admin": ["pending"]}
    assert any(error in record.getMessage() for record in caplog.records)
    deliverer(sessions, fake_slack).run()
    (notice,) = fake_slack.messages(ADMIN)
    assert error in str(notice.text) and CHANNEL in str(notice.text)
    assert fake_slack.messages(CHANNEL) == []


def test_d05_revoked_token_parks_everything_and_says_so_in_the_log(
    sessions: db.SessionFactory, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """token_revoked: the admin notice cannot be posted either: rows kept as dead, log critical."""
    commit(sessions, [trial("dupi", 1), trial("dupi", 2)])
    fake_slack.fail_next("chat.postMessage", error="token_revoked", times=None)
    with caplog.at_level(logging.ERROR, logger="bot.delivery.deliverer"):
        for minutes in (0, 1, 2):  # the notice is tried in the next run; nothing after that
            deliverer(
                sessions, fake_slack, clock=lambda m=minutes: NOW + timedelta(minutes=m)
            ).run()
    assert statuses(sessions) == {"alert": ["dead", "dead"], "card": ["dead"], "admin": ["dead"]}
    assert posts(fake_slack) == 2  # the card, then the admin notice; no notice about the notice
    critical = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(critical) == 1 and "token_revoked" in critical[0].getMessage()
    with sessions() as session:
        assert "4 dead" in status_lines(session, zone=ZoneInfo("Europe/Oslo"))[-1]


# D6-D7: a second scheduler, and SIGTERM mid-cycle -----------------------------------------------


def test_d06_two_workers_poll_once_per_interval_and_alert_once(
    world: DupilumabWorld,
    replay: ReplayServer,
    fake_slack: FakeSlack,
    database_url: str,
    tmp_path: Path,
) -> None:
    """Two `metodevakt worker` on one database (deploy overlap): one polls, one alert is posted."""
    env = bot_env(world, fake_slack, database_url, home=tmp_path, POLL_INTERVAL_MINUTES="1")
    assert poll_once(env).returncode == 0
    before = replay.count(CTGOV)  # the baseline cycle's requests
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    workers = [start(env, "worker"), start(env, "worker")]
    try:
        # Both schedule ClinicalTrials.gov 5 s after their start; only the lease holder polls.
        assert fake_slack.wait_until(lambda: len(all_messages(fake_slack)) >= 2, timeout=40)
        assert all(worker.poll() is None for worker in workers)  # the standby is still running
    finally:
        logs = [stop(worker) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    assert sum("this worker is now the poller" in log for log in logs) == 1
    # One cycle in this interval, by one worker (the next is due a minute after the first): a
    # cycle after the baseline reads ClinicalTrials.gov's change feed, one request.
    later = [r for r in replay.requests if r.path == CTGOV]
    feeds = [r for r in later[before:] if "query.term" in r.params]
    assert replay.count(CTGOV) == before + 1 and len(feeds) == 1
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert "Avsluttet" in str(reply.text) and duplicated_keys(fake_slack) == []


def test_d07_two_sigterms_mid_cycle_abandon_the_fetch_and_keep_the_outbox(
    world: DupilumabWorld, replay: ReplayServer, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Two SIGTERMs mid-fetch and mid-backlog: the fetch abandoned, nothing partial, backlog kept.

    The drip outlasts the test, so the worker exits only by abandoning the fetch (the bounded
    wait measures nothing); the backlog at one post a second is cut short, not drained.
    """
    url = sqlite_url(tmp_path)
    env = bot_env(world, fake_slack, url, home=tmp_path)
    assert poll_once(env).returncode == 0
    read = replay.count(OPENFDA)  # the seed's own request, and its scope's (recent approvals)
    discovered = serve_discovered_trials(world, 25)  # a storm: its group, 25 replies at 1/s
    serve_fda_submission(world, 99)
    replay.fault(OPENFDA, "drip", times=None, interval=0.5, max_seconds=600)
    worker = start(env | {"SLACK_MIN_INTERVAL": "1"}, "worker")
    try:
        assert replay.wait_until(lambda: replay.count(OPENFDA) > read, timeout=40)
        worker.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=0.3)
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # platforms may send it more than once
        worker.wait(timeout=30)
    finally:
        log = stop(worker)
    assert worker.returncode == 0, log[-2000:]
    assert "openfda: poll abandoned, the process is stopping; nothing stored" in log
    sent_before = posts(fake_slack)
    assert 1 <= sent_before < 26
    rows = outbox_rows(url)
    assert {status for _, status in rows} <= {"sent", "pending"}
    assert [status for _, status in rows].count("pending") == 26 - sent_before
    assert count_events(url, "openfda") == 0  # the abandoned source committed nothing
    replay.clear_faults()
    assert poll_once(env).returncode == 0
    (group, card) = fake_slack.messages(CHANNEL)
    details = [str(reply.text) for reply in fake_slack.replies(CHANNEL, group.ts)]
    assert [sum(nct in d for d in details) for nct in discovered] == [1] * 25
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 1  # the FDA approval, once
    assert duplicated_keys(fake_slack) == []


# D8-D10: the same change twice, storms, a database failing mid-cycle ----------------------------


def test_d08_same_change_via_two_paths_and_two_cycles_is_one_alert(
    world: DupilumabWorld, runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """A trial change in the watched batch and the discovery search, seen twice: one alert."""
    runtime.poll()
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    serve_watched_status_in_discovery(world)
    for _ in range(2):
        runtime.poll()
        runtime.deliverer.run()
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert TRIAL in str(reply.text)
    with runtime.sessions() as session:
        query = select(func.count()).where(EventRow.record_key == TRIAL)
        assert session.scalar(query) == 1


def test_d08_two_pollers_queueing_one_change_queue_it_once(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """Two processes that both detected a change (deploy overlap): one event, one row, one post."""
    change = trial("dupi", 1)
    commit(sessions, [change])
    commit(sessions, [change])
    with db.transaction(sessions) as session:  # a poller that raced past the event check
        events = list(session.scalars(select(EventRow)))
        queued = outbox.queue_alerts(session, events, METHODS, default_channel=CHANNEL, now=NOW)
    assert queued == 0
    deliverer(sessions, fake_slack).run()
    (card,) = fake_slack.messages(CHANNEL)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 1
    assert statuses(sessions) == {"alert": ["sent"], "card": ["sent"]}


def test_d09_500_changes_in_one_cycle_are_one_message(
    world: DupilumabWorld, runtime: Runtime, fake_slack: FakeSlack
) -> None:
    """500 new trials in one cycle: the storm breaker posts one message, details in its thread."""
    runtime.poll()
    serve_discovered_trials(world, 500)
    (result, *_) = runtime.poll()
    assert result.events == 500
    report = runtime.deliverer.run()
    (group,) = fake_slack.messages(CHANNEL)
    assert "500 endringer fra ClinicalTrials.gov" in str(group.text)
    replies = fake_slack.replies(CHANNEL, group.ts)
    assert len(replies) == 500 and not any(reply.reply_broadcast for reply in replies)
    assert report.sent == 501 and duplicated_keys(fake_slack) == []


def test_d10_database_failing_mid_cycle_aborts_it_and_posts_nothing(
    world: DupilumabWorld,
    replay: ReplayServer,
    runtime: Runtime,
    fake_slack: FakeSlack,
    database_url: str,
) -> None:
    """The store fails between fetch and commit: nothing stored or posted; the next cycle alerts."""
    runtime.poll()  # the baseline; only ClinicalTrials.gov from here on
    source = build_sources(runtime.settings)[:1]
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    replay.fault(CTGOV, "hang", seconds=1.0, match_params=FEED)
    before = replay.count(CTGOV)

    def break_the_store() -> None:
        replay.wait_until(lambda: replay.count(CTGOV) > before, timeout=10)
        execute(database_url, "ALTER TABLE outbox RENAME TO outbox_away")

    breaker = threading.Thread(target=break_the_store)
    breaker.start()
    (failed,) = runtime.poll(source)
    breaker.join(timeout=10)
    execute(database_url, "ALTER TABLE outbox_away RENAME TO outbox")
    assert not failed.ok and "unexpected error" in str(failed.reason)
    runtime.deliverer.run()
    assert fake_slack.calls == [] and count_events(database_url, "clinicaltrials") == 0
    (recovered,) = runtime.poll(source)
    runtime.deliverer.run()
    assert recovered.ok and recovered.events == 1
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert "Avsluttet" in str(reply.text)


def test_d10_worker_that_cannot_renew_its_lease_stops_polling(
    world: DupilumabWorld,
    replay: ReplayServer,
    fake_slack: FakeSlack,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """SQLite lease row unreachable: the worker no longer counts itself the poller until renewed."""
    url = sqlite_url(tmp_path)
    runtime = open_runtime(slack_settings(world, fake_slack, url))
    try:
        worker = Worker(runtime)
        worker.keep_lease()
        assert worker.holding
        execute(url, "ALTER TABLE leases RENAME TO leases_away")
        with caplog.at_level(logging.ERROR, logger="bot.ops.worker"):
            worker.keep_lease()
        assert not worker.holding and "lease" in caplog.text
        worker.poll("clinicaltrials")
        assert replay.count(CTGOV) == 0
        execute(url, "ALTER TABLE leases_away RENAME TO leases")
        worker.keep_lease()
        assert worker.holding
        worker.lease.release()
    finally:
        runtime.close()


# D11: random kills, restarted ------------------------------------------------------------------


def test_d11_crash_chaos_short(tmp_path: Path) -> None:
    """Five seeded runs killed at random points and restarted: every alert exactly once."""
    failures: list[str] = []
    summary = run_chaos(5, seed=7, workdir=tmp_path, report=failures.append)
    assert failures == [] and summary.line() == "runs: 5, duplicates: 0, losses: 0"
    assert summary.killed >= 3  # the seed was chosen so that most runs really are killed


# C1-C6: the scheduler and the storage ------------------------------------------------------------


def test_c01_paused_scheduler_catches_up_with_one_run() -> None:
    """Resumed after a pause of hours (SIGSTOP): the missed polls coalesce into exactly one run."""
    calls: list[str] = []
    ran = threading.Event()

    def poll(source: str) -> None:
        calls.append(source)
        ran.set()

    # Hourly polls, paused 5 h 50 min: the newest missed run is 50 min late, the last of five.
    declared = declare_jobs(
        Settings(poll_interval_minutes=60),
        {"clinicaltrials": timedelta(minutes=60)},
        poll=poll,
        deliver=lambda: None,
        digest=lambda: None,
        housekeeping=lambda: None,
        keep_lease=lambda: None,
        now=datetime.now(UTC) - timedelta(hours=5, minutes=50),
    )
    (job,) = [spec for spec in declared if spec.id == "poll:clinicaltrials"]
    scheduler = build_scheduler([job])
    scheduler.start()
    try:
        assert ran.wait(5), "the catch-up run was dropped as missed"
        next_run = scheduler.get_job(job.id).next_run_time
    finally:
        scheduler.shutdown(wait=True)
    assert calls == ["clinicaltrials"]
    assert timedelta(minutes=9) < next_run - datetime.now(UTC) < timedelta(minutes=11)


def test_c01_worker_logs_a_pause_and_groups_the_first_cycle_after_downtime(
    world: DupilumabWorld,
    runtime: Runtime,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After 3 h down the first cycle is one catch-up message; a later 5 h pause is logged."""
    runtime.poll()
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    world.add_press_release("Dupixent approved for a new use", guid="c01")
    now = [datetime.now(UTC) + timedelta(hours=3)]
    worker = Worker(runtime, clock=lambda: now[0])
    worker.note_downtime()
    worker.keep_lease()
    worker.poll("clinicaltrials")
    worker.poll("fda_rss")
    (head,) = fake_slack.messages(CHANNEL)
    assert str(head.text).startswith("Mens Metodevakt var nede: 2 endringer")
    assert len(fake_slack.replies(CHANNEL, head.ts)) == 2
    now[0] += timedelta(hours=5)
    world.change_trial_status("NCT03054428", "TERMINATED", updated="2026-11-25")
    with caplog.at_level(logging.WARNING, logger="bot.ops.worker"):
        worker.poll("clinicaltrials")
    assert "poll:clinicaltrials: 5:00:00 since its previous run" in caplog.text
    (_, card) = fake_slack.messages(CHANNEL)  # no longer grouped: into the method's thread
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 1
    worker.lease.release()


def test_c02_cycle_longer_than_interval_is_skipped_with_a_warning_never_overlapped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A run still going when the next is due: that one is skipped and logged, never run beside."""
    started, release, lock = threading.Event(), threading.Event(), threading.Lock()
    running, peak, runs = [0], [0], [0]

    def cycle() -> None:
        with lock:
            running[0] += 1
            runs[0] += 1
            peak[0] = max(peak[0], running[0])
        started.set()
        release.wait(10)
        with lock:
            running[0] -= 1

    options = job_options(timedelta(seconds=1)) | {"next_run_time": datetime.now(UTC)}
    spec = JobSpec("poll:slow", cycle, IntervalTrigger(seconds=1, timezone=UTC), options)
    scheduler = build_scheduler([spec])
    with caplog.at_level(logging.WARNING, logger="bot.ops.schedule"):
        scheduler.start()
        try:
            assert started.wait(5)
            assert eventually(lambda: "job poll:slow skipped" in caplog.text, timeout=5)
            release.set()
            assert eventually(lambda: runs[0] >= 2, timeout=5)
        finally:
            release.set()
            scheduler.shutdown(wait=True)
    assert peak[0] == 1


def test_c03_admin_edit_during_poll_write_waits_instead_of_failing(
    world: DupilumabWorld, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """SQLite: a poll commits while an admin edit holds the write lock: it waits, both succeed."""
    runtime = open_runtime(slack_settings(world, fake_slack, sqlite_url(tmp_path)))
    try:
        runtime.poll()
        world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
        editing, hold = threading.Event(), threading.Event()
        method_id = "dupilumab-ad-12-17"

        def admin_edit() -> None:
            with db.transaction(runtime.sessions) as session:
                admin.mute_method(
                    session,
                    method_id,
                    OTHER,
                    actor="U0ADMIN",
                    request_id="trigger-c03",
                    now=datetime.now(UTC),
                )
                editing.set()
                hold.wait(0.5)  # the admin's transaction stays open meanwhile

        editor = threading.Thread(target=admin_edit)
        editor.start()
        assert editing.wait(5)
        results = runtime.poll()
        editor.join(timeout=10)
        assert all(result.ok for result in results), [r.reason for r in results]
        assert sum(result.events for result in results) == 1
        with runtime.sessions() as session:
            assert session.get(Mute, (method_id, OTHER)) is not None
            assert session.get(MethodRow, method_id) is not None
    finally:
        runtime.close()


def test_c03_processes_starting_together_on_a_fresh_sqlite_file_all_start(
    tmp_path: Path,
) -> None:
    """Three processes migrating one new SQLite file at once: none sees "database is locked"."""
    env = {"HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "DATABASE_URL": sqlite_url(tmp_path)}
    runs = [
        subprocess.Popen(
            command("db", "upgrade"),
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert not any("locked" in err for _, err in outputs)


def check_heroku_url_connects(database_url: str, tmp_path: Path) -> None:
    """`db upgrade` with the postgres:// form of `database_url` works."""
    heroku = "postgres://" + database_url.split("://", 1)[1]
    env = {"HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "DATABASE_URL": heroku}
    completed = subprocess.run(
        command("db", "upgrade"),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "database at revision" in completed.stdout


def test_c05_postgres_scheme_is_normalised() -> None:
    """DATABASE_URL=postgres://… (as Heroku gives it) is rewritten for psycopg."""
    url = Settings(database_url="postgres://u:p@db.example:5432/app").database_url
    assert url == "postgresql+psycopg://u:p@db.example:5432/app"


@needs_postgres
def test_c05_postgres_scheme_connects(postgres_url: str, tmp_path: Path) -> None:
    """The postgres:// form of a real PostgreSQL URL migrates and connects."""
    check_heroku_url_connects(postgres_url, tmp_path)


def fire_times(trigger: Any, start: datetime, count: int) -> list[datetime]:
    """The next `count` fire times of a trigger from `start`, as the scheduler would get them."""
    times = [trigger.get_next_fire_time(None, start)]
    while len(times) < count:
        times.append(trigger.get_next_fire_time(times[-1], times[-1] + timedelta(seconds=1)))
    return times


@pytest.mark.parametrize("change", ["2026-03-29", "2026-10-25"], ids=["spring", "autumn"])
def test_c06_polls_keep_their_interval_and_the_summary_fires_once_across_dst(
    change: str,
) -> None:
    """Around Oslo's DST changes: polls stay an interval apart in UTC; Monday 08:00 once a week."""
    oslo = ZoneInfo("Europe/Oslo")
    day = datetime.fromisoformat(change).replace(tzinfo=UTC)
    declared = declare_jobs(
        Settings(poll_interval_minutes=60),
        {"clinicaltrials": timedelta(minutes=60)},
        poll=lambda _s: None,
        deliver=lambda: None,
        digest=lambda: None,
        housekeeping=lambda: None,
        keep_lease=lambda: None,
        now=day - timedelta(hours=12),
    )
    jobs = {job.id: job for job in declared}
    poll = jobs["poll:clinicaltrials"].trigger
    assert str(poll.timezone) == "UTC"  # type: ignore[attr-defined]
    polls = fire_times(poll, day - timedelta(hours=12), 48)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(polls)]
    assert gaps == [3600.0] * 47
    digests = [
        t.astimezone(oslo) for t in fire_times(jobs["digest"].trigger, day - timedelta(days=21), 6)
    ]
    assert [(t.weekday(), t.hour, t.minute) for t in digests] == [(0, 8, 0)] * 6
    assert [(b.date() - a.date()).days for a, b in itertools.pairwise(digests)] == [7] * 5
    daily = [
        t.astimezone(oslo)
        for t in fire_times(jobs["housekeeping"].trigger, day - timedelta(days=3), 7)
    ]
    assert [(t.hour, t.minute) for t in daily] == [(3, 17)] * 7
    assert len({t.date() for t in daily}) == 7
