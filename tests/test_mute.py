"""Muting a method in a channel, end to end: silent there for 30 days, in the summary, then over.

The bot's own clock seams carry the 30 days: the poll's `clock`, the mute's and the summary's
`now`, the Deliverer's `clock`. Sources are the replay world; Slack is the fake on loopback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import SlackPoster
from bot.ops.summary import queue_digest
from bot.polling.fetch import Fetcher, build_client
from bot.polling.poll import PollResult, poll_source
from bot.sources.base import Source
from bot.sources.clinicaltrials import ClinicalTrials
from bot.sources.news.feeds import news_sources
from bot.storage import admin, db, store
from bot.storage.tables import EventRow
from bot.texts.alerts import describe
from bot.watchlist import load_watchlist
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import SEED, DupilumabWorld

# Slightly in the past: the fake Slack stamps messages with the real clock.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
DAY = timedelta(days=1)
CHANNEL, OTHER = "C0123ABCD", "C0OTHER01"
METHODS = load_watchlist(SEED)
METHOD = METHODS[0].id
TRIAL = "NCT02612454"  # ACTIVE_NOT_RECRUITING in the recorded answer


class Bot:
    """The bot's poll, mute, summary and delivery steps, all on one settable clock."""

    def __init__(self, world: DupilumabWorld, sessions: db.SessionFactory, slack: FakeSlack):
        self.sessions, self.now = sessions, START
        with db.transaction(sessions) as session:
            store.sync_file_methods(session, METHODS, now=START)
        settings = world.settings()
        press = [s for s in news_sources("", settings.fda_base_url) if s.name == "fda_rss"]
        self.sources: list[Source] = [ClinicalTrials(settings.ctgov_api_url), *press]
        self.fetcher = Fetcher(build_client(), max_tries=1)
        poster = SlackPoster("xoxb-test", base_url=slack.url)
        self.deliverer = Deliverer(sessions, poster, "nb", min_interval=0.0, clock=self.clock)

    def clock(self) -> datetime:
        return self.now

    def poll(self) -> list[PollResult]:
        """One cycle of both sources at the current time, then delivery."""
        results = [
            poll_source(
                source,
                fetcher=self.fetcher,
                sessions=self.sessions,
                methods=METHODS,
                default_channel=CHANNEL,
                clock=self.clock,
            )
            for source in self.sources
        ]
        assert all(result.ok for result in results), [r.reason for r in results]
        self.deliverer.run()
        return results

    def mute(self, channel: str) -> datetime | None:
        with db.transaction(self.sessions) as session:
            return admin.mute_method(
                session,
                METHOD,
                channel,
                actor="U0ADMIN",
                request_id=f"mute-{channel}",
                now=self.now,
            )

    def summary(self) -> None:
        with db.transaction(self.sessions) as session:
            queue_digest(
                session,
                methods=METHODS,
                default_channel=CHANNEL,
                language="nb",
                zone=ZoneInfo("Europe/Oslo"),
                now=self.now,
            )
        self.deliverer.run()


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def bot(world: DupilumabWorld, sessions: db.SessionFactory, fake_slack: FakeSlack) -> Iterator[Bot]:
    """The bot after its baseline poll on day 0 (which posts nothing)."""
    built = Bot(world, sessions, fake_slack)
    built.poll()
    assert fake_slack.calls_to("chat.postMessage") == []
    yield built


def posts(slack: FakeSlack) -> list[str]:
    """The text of every message posted, top level and replies, in order."""
    return [str(call.get("text")) for call in slack.calls_to("chat.postMessage")]


def stored_events(bot: Bot, predicate: Callable[[EventRow], bool]) -> list[str]:
    with bot.sessions() as session:
        return [describe(e, "nb") for e in session.scalars(select(EventRow)) if predicate(e)]


def test_muted_method_posts_nothing_in_that_channel_for_30_days(
    bot: Bot, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """Muted at day 0: a trial change on day 1 and a press release on day 29 post nothing."""
    assert bot.mute(CHANNEL) == START + timedelta(days=30)
    bot.now = START + DAY
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    assert [r.events for r in bot.poll()] == [1, 0]
    bot.now = START + 29 * DAY
    world.add_press_release("Dupixent approved for a new indication", guid="day-29")
    assert [r.events for r in bot.poll()] == [0, 1]
    assert posts(fake_slack) == []
    assert len(stored_events(bot, lambda e: True)) == 2  # observed and kept for the summary


def test_summary_still_lists_what_the_mute_silenced(
    bot: Bot, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """The weekly summary in the muted channel lists the muted method's changes."""
    bot.mute(CHANNEL)
    bot.now = START + DAY
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    bot.poll()
    bot.now = START + 7 * DAY
    bot.summary()
    (summary,) = fake_slack.messages(CHANNEL)
    assert str(summary.text).startswith("Oppsummering fra Metodevakt")
    (change,) = stored_events(bot, lambda e: e.record_key == TRIAL)
    assert "Avsluttet" in change
    assert change in json.dumps(summary.blocks, ensure_ascii=False)


def test_alerts_come_again_when_the_30_days_are_over(
    bot: Bot, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """After 30 days the mute is over: the next change is posted, the muted ones never are."""
    bot.mute(CHANNEL)
    bot.now = START + DAY
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    bot.poll()
    bot.now = START + 30 * DAY + timedelta(hours=1)
    world.add_press_release("Dupixent approved for a new indication", guid="day-30")
    bot.poll()
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert "Dupixent approved for a new indication" in str(reply.text)
    assert not any("Avsluttet" in text for text in posts(fake_slack)[1:])


def test_a_mute_in_another_channel_does_not_silence_this_one(
    bot: Bot, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """The mute is per channel: muted elsewhere, the method's alert still reaches its channel."""
    bot.mute(OTHER)
    bot.now = START + DAY
    world.change_trial_status(TRIAL, "COMPLETED", updated="2026-11-24")
    bot.poll()
    (card,) = fake_slack.messages(CHANNEL)
    (reply,) = fake_slack.replies(CHANNEL, card.ts)
    assert "Avsluttet" in str(reply.text)
    with bot.sessions() as session:
        assert store.muted(session, now=bot.now) == {(METHOD, OTHER)}
