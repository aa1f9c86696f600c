"""Catch-up after downtime: the first cycle's alerts for a channel become one threaded message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.delivery import outbox
from bot.delivery.deliverer import Deliverer
from bot.delivery.outbox import CatchUp, catch_up_after
from bot.delivery.poster import SlackPoster
from bot.detection.detect import Change
from bot.polling.fetch import Fetcher, build_client
from bot.polling.poll import poll_source
from bot.sources.clinicaltrials import ClinicalTrials
from bot.sources.news import news_sources
from bot.storage import db, store
from bot.storage.tables import OutboxRow
from bot.watchlist import Method, load_watchlist
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import SEED, DupilumabWorld

# Slightly in the past: the fake Slack stamps messages with the real clock.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
HOUR = timedelta(hours=1)
CHANNEL, OTHER = "C0123ABCD", "C0OTHER01"
METHODS = {
    "dupi": Method(id="dupi", title="Dupilumab til ungdom", substance="dupilumab"),
    "lebri": Method(id="lebri", title="Lebrikizumab", substance="lebrikizumab", channel=OTHER),
}


@pytest.fixture
def sessions(sessions: db.SessionFactory) -> Iterator[db.SessionFactory]:
    factory = sessions
    with db.transaction(factory) as session:
        store.sync_file_methods(session, METHODS.values(), now=NOW)
    yield factory


def trial(method: str, n: int, *, importance: str = "normal") -> Change:
    nct = f"NCT0{5000000 + n}"
    new = {"overall_status": "RECRUITING", "phases": ["PHASE3"]}
    url = f"https://clinicaltrials.gov/study/{nct}"
    return Change(method, "clinicaltrials", nct, "trial_new", importance, None, new, url, nct)


def press(method: str, n: int) -> Change:
    new = {"title": f"Press release {n}", "publisher": "FDA"}
    url = f"https://www.fda.gov/news-events/press-announcements/{n}"
    return Change(method, "fda_rss", f"press-{n}", "news", "normal", None, new, url, new["title"])


def commit(sessions: db.SessionFactory, changes: list[Change], catch_up: CatchUp | None) -> int:
    """What one source's commit does: store its events and queue their alerts."""
    with db.transaction(sessions) as session:
        events = store.add_events(session, changes, now=NOW)
        return outbox.queue_alerts(
            session, events, METHODS, default_channel=CHANNEL, now=NOW, catch_up=catch_up
        )


def deliver(sessions: db.SessionFactory, slack: FakeSlack) -> None:
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    Deliverer(sessions, poster, "nb", min_interval=0.0, clock=lambda: NOW).run()


def test_catch_up_only_after_more_than_two_intervals() -> None:
    """No catch-up on a first run or after a short pause; after a long one, since its start."""
    assert catch_up_after(None, interval=HOUR, now=NOW) is None
    assert catch_up_after(NOW - 2 * HOUR, interval=HOUR, now=NOW) is None
    assert catch_up_after(NOW - 3 * HOUR, interval=HOUR, now=NOW) == CatchUp(NOW - 3 * HOUR)


def test_first_cycle_after_downtime_is_one_message_per_channel(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """Two sources' alerts share one catch-up message per channel; details in its thread."""
    since = CatchUp(NOW - 5 * HOUR)
    commit(sessions, [trial("dupi", 1), trial("dupi", 2), trial("lebri", 3)], since)
    commit(sessions, [press("dupi", 1), trial("dupi", 4, importance="low")], since)
    deliver(sessions, fake_slack)
    (head,) = fake_slack.messages(CHANNEL)
    assert head.text == "Mens Metodevakt var nede: 3 endringer. Detaljene står i tråden."
    replies = [str(reply.text) for reply in fake_slack.replies(CHANNEL, head.ts)]
    assert len(replies) == 3
    for detail in ("NCT05000001", "NCT05000002", "Press release 1"):
        assert sum(detail in reply for reply in replies) == 1
    (other,) = fake_slack.messages(OTHER)
    assert other.text == "Mens Metodevakt var nede: 1 endring. Detaljene står i tråden."
    assert len(fake_slack.replies(OTHER, other.ts)) == 1
    with sessions() as session:
        kinds = sorted(row.kind for row in session.scalars(select(OutboxRow)))
    assert kinds == ["alert"] * 4 + ["group"] * 2  # no status cards, the low one not queued


def test_catch_up_in_english(sessions: db.SessionFactory, fake_slack: FakeSlack) -> None:
    """The heading follows the bot's language."""
    commit(sessions, [trial("dupi", 1), trial("dupi", 2)], CatchUp(NOW - 5 * HOUR))
    poster = SlackPoster("xoxb-test", base_url=fake_slack.url)
    Deliverer(sessions, poster, "en", min_interval=0.0, clock=lambda: NOW).run()
    (head,) = fake_slack.messages(CHANNEL)
    assert head.text == "While Metodevakt was down: 2 changes. Details are in the thread."


def test_a_later_cycle_is_not_grouped(sessions: db.SessionFactory, fake_slack: FakeSlack) -> None:
    """Without a catch-up, a few alerts go to the method's thread as usual."""
    commit(sessions, [trial("dupi", 1), trial("dupi", 2)], None)
    deliver(sessions, fake_slack)
    (card,) = fake_slack.messages(CHANNEL)
    assert "Mens Metodevakt" not in str(card.text)
    assert len(fake_slack.replies(CHANNEL, card.ts)) == 2


def test_poller_groups_every_source_of_the_catch_up_cycle(
    replay: ReplayServer, sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """Through poll_source: a trial change and a press release after downtime, one message."""
    world = DupilumabWorld(replay)
    settings = world.settings()
    sources = [ClinicalTrials(settings.ctgov_api_url), *news_sources("", settings.fda_base_url)]
    fetcher = Fetcher(build_client(), max_tries=1)
    methods = load_watchlist(SEED)

    def cycle(catch_up: CatchUp | None) -> None:
        for source in sources[::2]:  # the trial registry and the FDA press releases
            poll_source(
                source,
                fetcher=fetcher,
                sessions=sessions,
                methods=methods,
                default_channel=CHANNEL,
                catch_up=catch_up,
                clock=lambda: NOW,
            )

    cycle(None)  # baseline
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-24")
    world.add_press_release("Dupixent approved for something new", guid="new-1")
    cycle(catch_up_after(NOW - 5 * HOUR, interval=HOUR, now=NOW))
    deliver(sessions, fake_slack)
    (head,) = fake_slack.messages(CHANNEL)
    assert head.text == "Mens Metodevakt var nede: 2 endringer. Detaljene står i tråden."
    assert len(fake_slack.replies(CHANNEL, head.ts)) == 2
