"""The periodic summary: its text (golden, nb and en), what it covers, and its delivery."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.delivery import outbox
from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import SlackPoster
from bot.detection.detect import Change
from bot.ops.summary import queue_digest
from bot.overview.summary import read_summary
from bot.sources import clinicaltrials, ema, openfda
from bot.sources.base import Record
from bot.storage import db, store
from bot.storage.tables import EventRow, OutboxRow
from bot.texts.alerts import describe
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language
from bot.texts.digest import render_digest
from bot.watchlist import Method, load_watchlist
from tests.fakeslack import FakeSlack
from tests.golden import FIXTURES, assert_golden_text
from tests.world import SEED, fixture_json

NOW = datetime(2025, 2, 17, 7, 0, tzinfo=UTC)  # Monday 08:00 in Oslo
WEEK_AGO = NOW - timedelta(days=7)
OSLO = ZoneInfo("Europe/Oslo")
CHANNEL, OTHER = "C0123ABCD", "C0OTHER01"
DUPILUMAB = load_watchlist(SEED)[0]
QUIET = Method(
    id="tralokinumab-ad",
    title="Tralokinumab (Adtralza) til behandling av atopisk eksem hos voksne",
    substance="tralokinumab",
)
ELSEWHERE = Method(
    id="lebrikizumab-ad",
    title="Lebrikizumab (Ebglyss) til behandling av atopisk eksem",
    substance="lebrikizumab",
    channel=OTHER,
)
METHODS = [DUPILUMAB, QUIET, ELSEWHERE]
RECORDED = [
    "clinicaltrials/dupilumab_watched.expected.json",
    "ema/medicines_dupilumab.expected.json",
    "ema/post_authorisation_dupilumab.expected.json",
    "openfda/dupilumab_bla761055.expected.json",
]
LABELING = {
    "type": "SUPPL",
    "number": "13",
    "class_code": "LABELING",
    "class_description": "Labeling",
    "status": "AP",
    "status_date": "2025-02-12",
}


@pytest.fixture
def sessions(sessions: db.SessionFactory) -> Iterator[db.SessionFactory]:
    """The recorded dupilumab records as snapshots, and the three methods."""
    factory = sessions
    with db.transaction(factory) as session:
        store.sync_file_methods(session, METHODS, now=WEEK_AGO)
        for record in recorded_records():
            store.save_record(session, record, now=WEEK_AGO)
    yield factory


def recorded_records() -> Iterator[Record]:
    for name in RECORDED:
        for item in fixture_json(name)["records"]:
            fields = item["fields"]
            if item["key"] == "NCT02612454":  # moved into the next six months for this story
                fields["primary_completion"] = {"date": "2025-06-30", "type": "ESTIMATED"}
            yield Record(
                item["source"], item["key"], fields, item["url"], tuple(item["method_ids"])
            )


SUBJECTS = {
    rules.source: rules.subject
    for rules in (clinicaltrials.RULES, openfda.RULES, ema.MEDICINE_RULES, ema.PROCEDURE_RULES)
}


def change(method: str, source: str, key: str, kind: str, importance: str, **sides: Any) -> Change:
    fields = {"name": sides.pop("name", None), "product_number": key, "brand_names": ["DUPIXENT"]}
    subject = sides.pop("subject", None) or SUBJECTS[source](key, fields)
    url = sides.pop("url", f"https://www.ema.europa.eu/en/{key}")
    return Change(
        method, source, key, kind, importance, sides.get("old"), sides["new"], url, subject
    )


WEEK = [
    (
        "2025-02-11T09:00:00+00:00",
        change(
            DUPILUMAB.id,
            "clinicaltrials",
            "NCT02612454",
            "trial_date",
            "normal",
            subject="NCT02612454",
            url="https://clinicaltrials.gov/study/NCT02612454",
            old={"primary_completion": {"date": "2024-12-20", "type": "ESTIMATED"}},
            new={"primary_completion": {"date": "2025-06-30", "type": "ESTIMATED"}},
        ),
    ),
    (
        "2025-02-12T06:00:00+00:00",
        change(
            DUPILUMAB.id,
            "ema_medicines",
            "EMEA/H/C/009990",
            "ema_opinion",
            "high",
            name="Dupilumab Example",
            old={"opinion_adopted_date": None},
            new={"opinion_adopted_date": "2025-01-30", "opinion_status": "Positive"},
        ),
    ),
    (
        "2025-02-13T22:00:00+00:00",
        change(
            DUPILUMAB.id,
            "openfda",
            "BLA761055",
            "fda_submission_new",
            "low",
            url="https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?ApplNo=761055",
            new={"submission": LABELING},
        ),
    ),
    (
        "2025-02-14T06:00:00+00:00",
        change(
            DUPILUMAB.id,
            "ema_medicines",
            "EMEA/H/C/004390",
            "ema_revision",
            "low",
            name="Dupixent",
            old={"revision_number": "30"},
            new={"revision_number": "31", "last_updated_date": "2025-02-13"},
        ),
    ),
    (
        "2025-02-15T12:00:00+00:00",
        change(
            ELSEWHERE.id,
            "ema_rss",
            "ebglyss-news",
            "news",
            "normal",
            subject="EMA: new safety information for Ebglyss",
            new={"title": "New safety information for Ebglyss", "publisher": "EMA"},
        ),
    ),
]


def observe(sessions: db.SessionFactory, changes: list[tuple[str, Change]]) -> list[EventRow]:
    """Store each change as observed at its time, and queue its alert as a poll would."""
    stored = []
    with db.transaction(sessions) as session:
        for when, found in changes:
            events = store.add_events(session, [found], now=datetime.fromisoformat(when))
            outbox.queue_alerts(
                session, events, {m.id: m for m in METHODS}, default_channel=CHANNEL, now=NOW
            )
            stored += events
    return stored


def digest(sessions: db.SessionFactory, *, now: datetime = NOW, **options: Any) -> int:
    with db.transaction(sessions) as session:
        return queue_digest(
            session,
            methods=METHODS,
            default_channel=CHANNEL,
            language="nb",
            zone=OSLO,
            now=now,
            **options,
        )


def digest_rows(sessions: db.SessionFactory) -> dict[str, list[dict[str, Any]]]:
    with sessions() as session:
        rows = session.scalars(
            select(OutboxRow).where(OutboxRow.kind == "digest").order_by(OutboxRow.id)
        )
        found: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            found.setdefault(row.channel, []).append(row.payload or {})
        return found


def render(sessions: db.SessionFactory, payload: dict[str, Any], language: Language) -> Message:
    with sessions() as session:
        return render_digest(read_summary(session, payload), language=language, zone=OSLO)


def as_text(message: Message) -> str:
    """The fallback, then each block's mrkdwn as Slack receives it."""
    parts = [message.text]
    for block in message.blocks:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        else:
            parts.append(" ".join(e["text"] for e in block["elements"]))
    return "\n\n".join(parts) + "\n"


def deliverer(sessions: db.SessionFactory, slack: FakeSlack) -> Deliverer:
    poster = SlackPoster("xoxb-test", base_url=slack.url)
    return Deliverer(sessions, poster, "nb", admin_channel=CHANNEL, min_interval=0.0)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_summary_matches_golden_text(sessions: db.SessionFactory, language: Language) -> None:
    """A week of events, summarised per method with status, outlook and what is due."""
    observe(sessions, WEEK)
    assert digest(sessions, since=WEEK_AGO) == 2
    (payload,) = digest_rows(sessions)[CHANNEL]
    message = render(sessions, payload, language)
    assert_golden_text(as_text(message), FIXTURES / "digest" / f"week.{language}.txt")


def test_low_importance_events_appear_only_in_the_summary(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """Low-importance changes are never posted as alerts, and are listed in the summary."""
    events = observe(sessions, WEEK)
    deliverer(sessions, fake_slack).run()
    (card,) = fake_slack.messages(CHANNEL)
    alerts = [str(reply.text) for reply in fake_slack.replies(CHANNEL, card.ts)]
    low = [describe(e, "nb", table=True) for e in events if e.importance == "low"]
    assert len(alerts) == 2 and len(low) == 2
    assert not any(text in alert for text in low for alert in alerts)
    with sessions() as session:
        alerted = set(session.scalars(select(OutboxRow.event_id)))
    assert not alerted & {e.id for e in events if e.importance == "low"}
    digest(sessions)
    deliverer(sessions, fake_slack).run()
    summary = fake_slack.messages(CHANNEL)[-1]
    assert all(text in json.dumps(summary.blocks, ensure_ascii=False) for text in low)


def test_second_summary_covers_only_newer_events(sessions: db.SessionFactory) -> None:
    """Events in one summary are marked; the next one lists only what came after it."""
    first = observe(sessions, WEEK[:2])
    digest(sessions)
    later = observe(sessions, WEEK[2:3])
    digest(sessions, now=NOW + timedelta(days=7))
    with sessions() as session:
        marked = {e.id: e.digested_at for e in session.scalars(select(EventRow))}
    assert {marked[e.id] for e in first} == {NOW}
    assert marked[later[0].id] == NOW + timedelta(days=7)
    one, two = digest_rows(sessions)[CHANNEL]
    assert one["event_ids"] == [e.id for e in first]
    assert (two["event_ids"], two["since"]) == ([later[0].id], NOW.isoformat())
    assert "Oppsummering fra Metodevakt, 17.02.2025–24.02.2025" in render(sessions, two, "nb").text


def test_quiet_methods_take_one_line_each(sessions: db.SessionFactory) -> None:
    """With nothing new, each method is one line with its outlook, under one heading."""
    digest(sessions)
    (payload,) = digest_rows(sessions)[CHANNEL]
    message = render(sessions, payload, "nb")
    assert message.text.endswith("0 av 2 metoder har nye endringer (0 endringer i alt).")
    quiet = message.blocks[1]["text"]["text"].split("\n")
    assert quiet[0] == "*Ingen nye endringer:*"
    assert quiet[1].startswith(
        "• Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter"
    )
    assert quiet[1].endswith(
        " · tidsperspektiv MT i Norge: Nå (indikasjonen i EU omfattet pasientgruppen da "
        "overvåkingen startet)"
    )
    assert quiet[2].endswith(" · tidsperspektiv MT i Norge: Uklart")


def test_summary_is_one_message_per_channel(
    sessions: db.SessionFactory, fake_slack: FakeSlack
) -> None:
    """Through the Deliverer: one top-level message in each channel, posted once."""
    observe(sessions, WEEK)
    with db.transaction(sessions) as session:  # only the summary is under test here
        for row in session.scalars(select(OutboxRow)):
            row.status = "sent"
    assert digest(sessions) == 2
    assert digest(sessions) == 0  # the same period again: already queued
    report = deliverer(sessions, fake_slack).run()
    assert report.sent == 2
    (team,) = fake_slack.messages(CHANNEL)
    (other,) = fake_slack.messages(OTHER)
    assert str(team.text).startswith("Oppsummering fra Metodevakt, fram til 17.02.2025: 1 av 2")
    assert "Nyhet fra EMA: New safety information for Ebglyss" in json.dumps(other.blocks)
    assert team.params.get("thread_ts") is None and other.params.get("thread_ts") is None
