"""Messages in parts: a summary too big for one post goes out as a parent and replies in its
thread, each part once; a payload Slack refused is sent again split or shortened, never as it was.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bench.surfaceworld import World, seed
from bot.delivery.deliverer import Deliverer
from bot.delivery.parts import MAX_REFUSALS, PART
from bot.delivery.poster import SlackPoster
from bot.ops.summary import queue_digest
from bot.storage import db, store
from bot.storage.tables import OutboxRow
from tests import blocklimits
from tests.fakeslack import FakeSlack, Message

# Slightly in the past: the fake Slack stamps messages with the real clock.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
CHANNEL, ADMIN = "C0123ABCD", "C0ADMIN01"
REFUSALS = ["msg_blocks_too_long", "invalid_blocks", "msg_too_long"]


@pytest.fixture
def world(sessions: db.SessionFactory) -> Iterator[World]:
    """60 methods, 37 of them changed (a summary of three messages); their alerts counted as
    delivered already."""
    found = seed(sessions, methods=60, now=NOW, channel=CHANNEL)
    with db.transaction(sessions) as session:
        for row in session.scalars(select(OutboxRow)):
            row.status = "sent"
    yield found


def deliverer(sessions: db.SessionFactory, slack: FakeSlack, **options: Any) -> Deliverer:
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    values: dict[str, Any] = {"admin_channel": ADMIN, "min_interval": 0.0, "clock": lambda: NOW}
    return Deliverer(sessions, poster, "nb", **(values | options))


def queue_summary(sessions: db.SessionFactory, world: World) -> None:
    with db.transaction(sessions) as session:
        queue_digest(
            session,
            methods=world.methods,
            default_channel=CHANNEL,
            language="nb",
            zone=ZoneInfo("Europe/Oslo"),
            now=NOW,
        )


def rows(sessions: db.SessionFactory, *kinds: str) -> list[OutboxRow]:
    with sessions() as session:
        query = select(OutboxRow).where(OutboxRow.kind.in_(kinds)).order_by(OutboxRow.id)
        return list(session.scalars(query))


def thread(slack: FakeSlack) -> tuple[Message, list[Message]]:
    """The one top-level message in the channel and its replies."""
    (parent,) = slack.messages(CHANNEL)
    return parent, slack.replies(CHANNEL, parent.ts)


def labels(replies: list[Message]) -> list[str]:
    """The label each reply opens with ("Del 2 av 3"), or "" when it has none."""
    first = [reply.blocks[0] for reply in replies]
    return [b["elements"][0]["text"] if b["type"] == "context" else "" for b in first]


def accepted(message: Message) -> bool:
    try:
        blocklimits.check_message({"text": message.text, "blocks": message.blocks})
    except blocklimits.RefusedError:
        return False
    return True


# A summary in parts -------------------------------------------------------------------------


def test_a_long_summary_is_one_parent_and_its_parts_in_the_thread(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World
) -> None:
    """37 methods with news: part 1 at the top level, the rest in order in its thread."""
    queue_summary(sessions, world)
    report = deliverer(sessions, fake_slack).run()
    parent, replies = thread(fake_slack)
    total = len(replies) + 1
    assert total >= 2 and report.sent == total and report.waiting == 0
    assert "Del 1 av" in json.dumps(parent.blocks, ensure_ascii=False)
    assert labels(replies) == [f"Del {n} av {total}" for n in range(2, total + 1)]
    assert all(accepted(message) for message in [parent, *replies])
    assert [r.status for r in rows(sessions, "digest", PART)] == ["sent"] * total


def test_every_method_with_news_is_in_the_summary_once(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World
) -> None:
    """Split across messages, each changed method's title appears in exactly one part."""
    queue_summary(sessions, world)
    deliverer(sessions, fake_slack).run()
    parent, replies = thread(fake_slack)
    text = json.dumps([m.blocks for m in [parent, *replies]], ensure_ascii=False)
    changed = {description.split()[0] for description in world.changed}
    titles = [m.title.replace("&", "&amp;") for m in world.methods if m.id in changed]
    assert len(titles) == 37
    assert all(text.count(f"*{title}*") == 1 for title in titles)


def test_a_part_waits_for_the_one_before_it(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World
) -> None:
    """Slack fails part 2: part 3 is not posted before it; the next run posts both, in order."""
    queue_summary(sessions, world)
    fake_slack.hang_next("chat.postMessage", 0)  # the parent goes through
    fake_slack.fail_next("chat.postMessage", error="internal_error")  # part 2 fails
    deliverer(sessions, fake_slack).run()
    assert thread(fake_slack)[1] == []
    deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(hours=1)).run()
    _parent, replies = thread(fake_slack)
    total = len(replies) + 1
    assert total >= 3
    assert labels(replies) == [f"Del {n} av {total}" for n in range(2, total + 1)]


def test_a_dropped_part_is_found_in_the_thread_not_posted_again(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World
) -> None:
    """Slack took part 2 but the answer was lost: the next run finds it by its key in the
    thread, and posts only the parts after it."""
    queue_summary(sessions, world)
    fake_slack.hang_next("chat.postMessage", 0)  # the parent goes through
    fake_slack.drop_next("chat.postMessage")  # part 2: taken, answer lost
    deliverer(sessions, fake_slack).run()
    assert len(thread(fake_slack)[1]) == 1
    later = deliverer(sessions, fake_slack, clock=lambda: NOW + timedelta(minutes=1))
    later.run()
    _parent, replies = thread(fake_slack)
    total = len(replies) + 1
    assert labels(replies) == [f"Del {n} av {total}" for n in range(2, total + 1)]
    assert len(fake_slack.calls_to("chat.postMessage")) == total


# Payloads Slack refuses ---------------------------------------------------------------------


def queue_alert(sessions: db.SessionFactory, world: World) -> None:
    """One more alert for the first method (its status card and the alert are due)."""
    with sessions() as session:
        event = session.scalars(select(OutboxRow).where(OutboxRow.kind == "alert")).first()
        assert event is not None and event.event_id is not None
        event_id, method_id = event.event_id, event.method_id
    with db.transaction(sessions) as session:
        row = {
            "alert_key": store.alert_key("again", event_id),
            "event_id": event_id,
            "method_id": method_id,
            "channel": CHANNEL,
            "kind": "alert",
        }
        store.enqueue(session, [row], now=NOW)


@pytest.mark.parametrize("error", REFUSALS)
def test_a_refused_summary_is_sent_split_not_as_it_was(
    sessions: db.SessionFactory,
    fake_slack: FakeSlack,
    world: World,
    error: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack refuses part 1: it is posted again within half of what was refused, and logged."""
    queue_summary(sessions, world)
    fake_slack.fail_next("chat.postMessage", error=error)
    with caplog.at_level(logging.ERROR, logger="bot.delivery.parts"):
        report = deliverer(sessions, fake_slack).run()
    refused, posted = fake_slack.calls_to("chat.postMessage")[:2]
    assert posted != refused
    assert len(posted["blocks"]) <= len(refused["blocks"]) // 2
    assert len(posted["text"]) <= max(100, len(refused["text"]) // 2)
    assert any(error in record.getMessage() for record in caplog.records)
    assert report.dead == 0 and all(r.status == "sent" for r in rows(sessions, "digest", PART))
    _parent, replies = thread(fake_slack)
    assert labels(replies)[-1] == f"Del {len(replies) + 1} av {len(replies) + 1}"


@pytest.mark.parametrize("error", REFUSALS)
def test_a_refused_alert_and_card_go_out_shortened(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World, error: str
) -> None:
    """The status card is shortened to one message; the alert is split; neither is parked."""
    queue_alert(sessions, world)
    fake_slack.fail_next("chat.postMessage", error=error, times=2)  # the card, then its retry
    report = deliverer(sessions, fake_slack).run()
    assert report.dead == 0
    (card,) = fake_slack.messages(CHANNEL)
    calls = fake_slack.calls_to("chat.postMessage")
    assert [len(c["blocks"]) for c in calls[:3]] == [4, 2, 2]  # refused, refused, taken
    assert fake_slack.replies(CHANNEL, card.ts)
    (card_row,) = rows(sessions, "card")
    assert card_row.status == "sent" and (card_row.payload or {})["refused"] == 2


def test_a_payload_refused_every_time_is_parked_after_the_last_halving(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World
) -> None:
    """Refused again and again: each try smaller than the last; parked, its parts with it, and
    the admins told."""
    queue_summary(sessions, world)
    fake_slack.fail_next("chat.postMessage", error="invalid_blocks", times=MAX_REFUSALS + 1)
    report = deliverer(sessions, fake_slack).run()
    tries = fake_slack.calls_to("chat.postMessage")
    assert len(tries) == MAX_REFUSALS + 1 and report.dead == 1
    weights = [blocklimits.blocks_size(c["blocks"]) for c in tries]
    assert all(later < earlier for earlier, later in itertools.pairwise(weights))
    (digest,) = rows(sessions, "digest")
    assert digest.status == "dead" and "invalid_blocks" in (digest.last_error or "")
    deliverer(sessions, fake_slack).run()
    assert {r.status for r in rows(sessions, PART)} == {"dead"}
    (notice,) = fake_slack.messages(ADMIN)
    assert "invalid_blocks" in notice.text
    assert fake_slack.messages(CHANNEL) == []


def test_a_refused_part_is_split_in_place_keeping_the_order(
    sessions: db.SessionFactory, fake_slack: FakeSlack, world: World
) -> None:
    """Part 2 refused: its pieces go between part 1 and part 3, in order, each once."""
    queue_summary(sessions, world)
    fake_slack.hang_next("chat.postMessage", 0)  # the parent goes through
    fake_slack.fail_next("chat.postMessage", error="msg_blocks_too_long")  # part 2 refused
    report = deliverer(sessions, fake_slack).run()
    assert report.dead == 0
    _parent, replies = thread(fake_slack)
    chain = _chain(sessions)
    assert [r.slack_ts for r in chain[1:]] == [reply.ts for reply in replies]
    shown = [text for text in labels(replies) if text.startswith("Del ")]
    assert len(replies) > len(shown)  # part 2 went out as more than one message
    assert shown == [f"Del {n} av {len(shown) + 1}" for n in range(2, len(shown) + 2)]


def _chain(sessions: db.SessionFactory) -> list[OutboxRow]:
    """The summary's rows in posting order: each part's group_key is the row before it."""
    (digest,) = rows(sessions, "digest")
    after = {r.group_key: r for r in rows(sessions, PART)}
    chain = [digest]
    while chain[-1].alert_key in after:
        chain.append(after[chain[-1].alert_key])
    assert len(chain) == len(after) + 1
    return chain
