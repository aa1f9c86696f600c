"""Delivery against a fake Slack Web API: grouping, dead letters, lost connections, pacing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.delivery import outbox
from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import Outgoing, SlackPoster
from bot.delivery.rows import Rows
from bot.detection.detect import Change
from bot.storage import db, store
from bot.storage.tables import OutboxRow
from bot.watchlist import Method
from tests.fakeslack import FakeSlack

# Slightly in the past: the fake Slack stamps messages with the real clock.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
CHANNEL, ADMIN = "C0123ABCD", "C0ADMIN01"
METHOD = Method(id="dupi", title="Dupilumab til ungdom", substance="dupilumab")


@pytest.fixture
def sessions(sessions: db.SessionFactory) -> Iterator[db.SessionFactory]:
    factory = sessions
    with db.transaction(factory) as session:
        store.sync_file_methods(session, [METHOD], now=NOW)
    yield factory


def deliverer(sessions: db.SessionFactory, slack: FakeSlack, **options: object) -> Deliverer:
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    values: dict[str, object] = {"admin_channel": ADMIN, "min_interval": 0.0, "clock": lambda: NOW}
    values |= options
    return Deliverer(sessions, poster, "nb", **values)  # type: ignore[arg-type]


def queue(sessions: db.SessionFactory, count: int, *, source: str = "clinicaltrials") -> None:
    changes = [
        Change(
            "dupi",
            source,
            f"NCT0{5000000 + i}",
            "trial_new",
            "normal",
            None,
            {"overall_status": "RECRUITING", "phases": ["PHASE3"]},
            f"https://clinicaltrials.gov/study/NCT0{5000000 + i}",
            f"NCT0{5000000 + i}",
        )
        for i in range(count)
    ]
    with db.transaction(sessions) as session:
        events = store.add_events(session, changes, now=NOW)
        outbox.queue_alerts(session, events, {"dupi": METHOD}, default_channel=CHANNEL, now=NOW)


def statuses(sessions: db.SessionFactory) -> dict[str, list[str]]:
    with sessions() as session:
        rows = session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row.kind, []).append(row.status)
        return found


def test_storm_becomes_one_message_with_details_in_its_thread(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """21 alerts from one source in one cycle: one group message, the 21 in its thread."""
    queue(sessions, 21)
    deliverer(sessions, fake_slack).run()
    (group,) = fake_slack.messages(CHANNEL)
    assert "21 endringer fra ClinicalTrials.gov" in group.text
    assert len(fake_slack.replies(CHANNEL, group.ts)) == 21
    assert statuses(sessions) == {"group": ["sent"], "alert": ["sent"] * 21}


def test_twenty_alerts_are_not_grouped(sessions: db.SessionFactory, fake_slack: FakeSlack) -> None:
    """At the threshold, alerts go to the method's thread under its status card."""
    queue(sessions, 20)
    deliverer(sessions, fake_slack).run()
    (card,) = fake_slack.messages(CHANNEL)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 20


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_permanent_error_parks_the_row_and_tells_admins(
    sessions: db.SessionFactory, fake_slack: FakeSlack, error: str
) -> None:
    """A hopeless Slack error parks the row as dead and queues a notice to the admin channel."""
    queue(sessions, 1)
    fake_slack.fail_next("chat.postMessage", error=error)
    report = deliverer(sessions, fake_slack).run()
    assert (report.dead, report.waiting) == (2, 0) and error in report.errors
    assert statuses(sessions) == {"alert": ["dead"], "card": ["dead"], "admin": ["pending"]}
    deliverer(sessions, fake_slack).run()
    (notice,) = fake_slack.messages(ADMIN)
    assert error in notice.text and CHANNEL in notice.text


def test_transient_errors_retry_then_park(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """A transient error backs off without losing the row; it is parked only after 5 tries."""
    queue(sessions, 1)
    fake_slack.fail_next("chat.postMessage", error="internal_error", times=None)
    clock = [NOW]
    for _ in range(5):
        deliverer(sessions, fake_slack, clock=lambda: clock[0]).run()
        clock[0] = clock[0].replace(year=clock[0].year + 1)  # well past any backoff
    assert statuses(sessions)["card"] == ["dead"]
    posts = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == CHANNEL]
    assert len(posts) == 5


def test_dropped_connection_is_reconciled_not_reposted(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """Slack took the post but the connection dropped: no client retry, found by key later."""
    queue(sessions, 1)
    fake_slack.drop_next("chat.postMessage")
    first = deliverer(sessions, fake_slack)
    first.run()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert statuses(sessions)["card"] == ["sending"]
    later = deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(minutes=1))
    later.run()  # a later process: finds the card by its key, then posts the alert
    (card,) = fake_slack.messages(CHANNEL)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    assert statuses(sessions) == {"alert": ["sent"], "card": ["sent"]}


def test_posts_to_one_channel_are_paced(sessions: db.SessionFactory, fake_slack: FakeSlack) -> None:
    """At most one post per second per channel: the deliverer waits between posts."""
    queue(sessions, 3)
    waits: list[float] = []
    ticks = iter(range(1000))
    deliverer(
        sessions,
        fake_slack,
        min_interval=1.0,
        sleep=waits.append,
        monotonic=lambda: next(ticks) * 0.1,
    ).run()
    assert len(fake_slack.calls_to("chat.postMessage")) == 4
    assert len(waits) == 3 and all(0 < wait <= 1.0 for wait in waits)


def test_channel_recovers_after_a_dead_status_card(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """A card that died (bot not invited) does not silence the method for good."""
    queue(sessions, 1)
    fake_slack.fail_next("chat.postMessage", error="not_in_channel")
    deliverer(sessions, fake_slack).run()
    assert statuses(sessions)["alert"] == ["dead"]
    queue_more = [
        Change(
            "dupi",
            "clinicaltrials",
            "NCT09000001",
            "trial_new",
            "normal",
            None,
            {"overall_status": "RECRUITING"},
            "https://clinicaltrials.gov/",
            "x",
        )
    ]
    with db.transaction(sessions) as session:
        events = store.add_events(session, queue_more, now=NOW)
        outbox.queue_alerts(session, events, {"dupi": METHOD}, default_channel=CHANNEL, now=NOW)
    later = deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(minutes=5))
    later.run()
    (card,) = fake_slack.messages(CHANNEL)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 1


def test_dead_group_message_parks_its_members(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """If a storm's group message cannot be posted, its alerts are parked, not left pending."""
    queue(sessions, 21)
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    report = deliverer(sessions, fake_slack).run()
    found = statuses(sessions)
    assert found["group"] == ["dead"] and found["alert"] == ["dead"] * 21
    assert report.waiting == 0


def test_row_that_cannot_be_written_does_not_block_the_rest(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """An outbox row whose event is gone is parked; the next rows are still delivered."""
    with db.transaction(sessions) as session:
        store.enqueue(
            session,
            [
                {
                    "alert_key": "broken",
                    "channel": CHANNEL,
                    "kind": "alert",
                    "method_id": "dupi",
                    "event_id": None,
                }
            ],
            now=NOW,
        )
    queue(sessions, 1)
    report = deliverer(sessions, fake_slack).run()
    with sessions() as session:
        broken = session.scalar(select(OutboxRow).where(OutboxRow.alert_key == "broken"))
    assert broken is not None and broken.status == "dead"
    assert report.sent == 1


def test_unreconcilable_post_is_parked_and_admins_told(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """A post of unknown outcome that Slack will not let us check is parked, with a notice."""
    queue(sessions, 1)
    fake_slack.drop_next("chat.postMessage")
    deliverer(sessions, fake_slack).run()
    fake_slack.fail_next("conversations.history", error="missing_scope")
    later = deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(minutes=1))
    later.run()
    assert statuses(sessions)["card"] == ["dead", "sent"]  # parked, then a new card was posted
    deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(minutes=2)).run()
    assert any("missing_scope" in m.text for m in fake_slack.messages(ADMIN))


def test_claim_is_compare_and_set(sessions: db.SessionFactory) -> None:
    """Two deliverers claiming one row: exactly one wins."""
    queue(sessions, 1)
    rows = Rows(sessions)
    (row_id,) = rows.due(NOW)
    assert [rows.claim(row_id, thread_ts=None, now=NOW) for _ in range(2)] == [True, False]


def test_long_rate_limit_holds_the_whole_channel(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """A Retry-After longer than we wait stops all posts to that channel for this run."""
    queue(sessions, 3)
    fake_slack.rate_limit_next("chat.postMessage", retry_after=120)
    report = deliverer(sessions, fake_slack, max_wait=5.0).run()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert report.sent == 0 and report.waiting == 3


def test_find_reads_past_the_first_page_of_a_thread(fake_slack: FakeSlack) -> None:
    """Looking for an unconfirmed reply pages through threads longer than 200 replies."""
    poster = SlackPoster("xoxb-test", base_url=fake_slack.url)
    parent = poster.post(Outgoing(CHANNEL, "parent", [], "parent-key"))
    for i in range(230):
        poster.post(Outgoing(CHANNEL, f"reply {i}", [], f"key-{i}", thread_ts=parent))
    found = poster.find(CHANNEL, "key-229", oldest=NOW, thread_ts=parent)
    assert found == fake_slack.replies(CHANNEL, parent)[-1].ts
