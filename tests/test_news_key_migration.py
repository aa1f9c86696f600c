"""Revision 0003: news keys stored by older versions are rewritten, so no item is alerted twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, insert, select

from bot.polling.fetch import Fetcher, build_client
from bot.polling.planstate import fingerprint
from bot.polling.poll import poll_source
from bot.sources.news.feeds import NewsFeed
from bot.storage import db
from bot.storage.tables import EventRow, OutboxRow, Snapshot, SourceState
from bot.watchlist import Method
from tests.golden import FIXTURES
from tests.replay import ReplayServer

NOW = datetime(2026, 12, 5, 8, tzinfo=UTC)
FEED_PATH = "/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
REAL_FEED = FIXTURES / "rss/real/fda_press_releases_rss_capture_from_code_idx67655592673.xml"
PAGE = "www.fda.gov/news-events/press-announcements/fda-warns-compounded-semaglutide"
# What versions before 0003 stored for the real feed's semaglutide item: the guid as written,
# and the site root as its link (an http link was not trusted).
OLD_KEY = f"http://{PAGE}"
SEMAGLUTIDE = Method(id="semaglutide", title="Semaglutid", substance="semaglutide")
SIMPARICA = Method(id="simparica", title="Simparica Trio", substance="x", trade_names=["Simparica"])
METHODS = [SEMAGLUTIDE, SIMPARICA]


@pytest.fixture
def engine_at_0002(database_url: str) -> Iterator[Engine]:
    """A database migrated to 0002 only, as a deployment of the previous version left it."""
    engine = db.make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    yield engine
    engine.dispose()


def store_old_item(engine: Engine, *, key: str = OLD_KEY) -> None:
    """The semaglutide item as the old code stored it, with both methods' baselines taken."""
    fields = {"title": "FDA Warns…", "link": f"http://{PAGE}", "publisher": "FDA"}
    with db.transaction(db.session_factory(engine)) as session:
        # Only the columns revision 0002 has (later revisions add some to source_state).
        baselines = sorted(map(fingerprint, METHODS))
        session.execute(insert(SourceState).values(source="fda_rss", baseline_keys=baselines))
        session.add(
            Snapshot(
                source="fda_rss",
                key=key,
                fields=fields,
                content_hash="0" * 64,
                url="https://www.fda.gov/",
                method_ids=["semaglutide"],
                first_seen=NOW,
                last_seen=NOW,
            )
        )
        session.add(news_event(key))


def news_event(key: str) -> EventRow:
    return EventRow(
        dedupe_key=key[-64:].rjust(64, "0"),
        method_id="semaglutide",
        source="fda_rss",
        record_key=key,
        kind="news",
        importance="normal",
        new={"title": "FDA Warns…"},
        url="https://www.fda.gov/",
        observed_at=NOW,
    )


def poll_https_feed(engine: Engine, replay: ReplayServer) -> int:
    """Poll the real feed, now served with https links; the number of new events."""
    body = REAL_FEED.read_bytes().replace(b"http://www.fda.gov/", b"https://www.fda.gov/")
    replay.route(FEED_PATH, body, content_type="application/rss+xml")
    source = NewsFeed("fda_rss", [replay.url + FEED_PATH], publisher="FDA")
    result = poll_source(
        source,
        fetcher=Fetcher(build_client(timeout_seconds=5), max_tries=1),
        sessions=db.session_factory(engine),
        methods=METHODS,
        default_channel="C0ALERTS",
        clock=lambda: NOW,
    )
    assert result.ok, result.reason
    return result.events


def test_an_item_stored_with_an_http_key_is_not_alerted_again_after_upgrade(
    engine_at_0002: Engine, replay: ReplayServer
) -> None:
    """After 0003 the https item is the stored one; only the item never seen before alerts."""
    store_old_item(engine_at_0002)
    db.upgrade(engine_at_0002)
    assert poll_https_feed(engine_at_0002, replay) == 1
    with db.session_factory(engine_at_0002)() as session:
        events = session.scalars(select(EventRow).order_by(EventRow.id)).all()
        queued = session.scalars(select(OutboxRow.method_id)).all()
    assert [(e.method_id, e.record_key) for e in events] == [
        ("semaglutide", f"https://{PAGE}"),
        (
            "simparica",
            "https://www.fda.gov/news-events/press-announcements/fda-issues-eua-screwworm-dogs",
        ),
    ]
    assert queued == ["simparica"]


def test_the_upgrade_points_the_stored_item_at_its_own_page(engine_at_0002: Engine) -> None:
    """The snapshot gets the normalised key and its https page instead of the site root."""
    store_old_item(engine_at_0002)
    db.upgrade(engine_at_0002)
    with db.session_factory(engine_at_0002)() as session:
        (row,) = session.scalars(select(Snapshot)).all()
    assert (row.key, row.url) == (f"https://{PAGE}", f"https://{PAGE}")


def test_two_spellings_of_one_item_become_one_snapshot(engine_at_0002: Engine) -> None:
    """An http and an https/trailing-slash key of the same item keep the one first seen."""
    store_old_item(engine_at_0002)
    with db.transaction(db.session_factory(engine_at_0002)) as session:
        later = Snapshot(
            source="fda_rss",
            key="https://WWW.FDA.GOV" + PAGE.removeprefix("www.fda.gov") + "/",
            fields={},
            content_hash="1" * 64,
            url="https://www.fda.gov/",
            method_ids=["semaglutide"],
            first_seen=NOW.replace(hour=9),
            last_seen=NOW.replace(hour=9),
        )
        session.add(later)
    db.upgrade(engine_at_0002)
    with db.session_factory(engine_at_0002)() as session:
        rows = session.scalars(select(Snapshot)).all()
    assert [(r.key, r.content_hash) for r in rows] == [(f"https://{PAGE}", "0" * 64)]


def test_other_sources_and_plain_guids_are_left_alone(engine_at_0002: Engine) -> None:
    """Only news keys holding a URL change; a trial key or a plain guid stays as it was."""
    store_old_item(engine_at_0002, key="fda-dupixent-copd-2024")
    with db.transaction(db.session_factory(engine_at_0002)) as session:
        trial = news_event("http://clinicaltrials.gov/study/NCT03054428/")
        trial.source, trial.dedupe_key = "clinicaltrials", "1" * 64
        session.add(trial)
    db.upgrade(engine_at_0002)
    with db.session_factory(engine_at_0002)() as session:
        keys = sorted(session.scalars(select(EventRow.record_key)).all())
    assert keys == ["fda-dupixent-copd-2024", "http://clinicaltrials.gov/study/NCT03054428/"]
