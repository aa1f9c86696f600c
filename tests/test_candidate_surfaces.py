"""Every candidates surface at 1, 300 and 2,000 open candidates, against the fake Slack that
refuses what Slack refuses: the weekly message and its thread, `/metode kandidater`, a card, the
summary, App Home.

The candidates are built (tests/fixtures/README.md): long names with `&`, `<!channel>` and
`<@U…>` in them, two or three pieces of evidence each, so every text is measured as sent.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.runtime import Runtime, open_runtime
from bot.slack.app import build_app
from bot.slack.web import wsgi_app
from bot.sources.evidence import ATC, CONDITION, Evidence, Term
from bot.storage import db
from bot.storage.candidates import add_evidence
from bot.storage.tables import Candidate, OutboxRow
from bot.texts.candidates.listing import PAGE
from bot.texts.catalogue import number
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.slackhttp import SECRET, command_body, interaction_body, post, serve, signed_headers
from tests.world import DupilumabWorld

SIZES = [1, 300, 2000]  # open candidates: one, an ordinary year's, the edge we design for
CHANNEL = "C0123ABCD"
SOURCES = ("ema_medicines", "ema_post_authorisation", "openfda", "clinicaltrials")
KINDS = {
    "ema_medicines": "ema_opinion",
    "ema_post_authorisation": "ema_procedure_opinion",
    "openfda": "fda_efficacy",
    "clinicaltrials": "trial_phase3",
}
LINKS = {
    "ema_medicines": "https://www.ema.europa.eu/en/medicines/human/EPAR/example-{n}",
    "ema_post_authorisation": "https://www.ema.europa.eu/en/medicines/human/variation/example-{n}",
    "openfda": "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?ApplNo=7{n:05d}",
    "clinicaltrials": "https://clinicaltrials.gov/study/NCT0{n:07d}",
}


def evidence(n: int, source: str) -> Evidence:
    """One long, unfriendly piece of evidence for candidate `n` from `source`."""
    today = datetime.now(UTC).date()
    term = Term(CONDITION, "atopic dermatitis") if n % 3 else Term(ATC, "D11")
    name = f"Examplumab & <!channel> {n:03d} Long Brand Name for the Weekly Message <@U0EVIL>"
    facts = {
        "name": name,
        "product_number": f"EMEA/H/C/9{n:05d}",
        "holder": "Example Pharmaceuticals & Biologics International Holding GmbH <script>",
        "opinion_status": "Positive",
        "indication": "moderate-to-severe atopic dermatitis " * 10,
        "application": f"BLA7{n:05d}",
        "brand_names": [name.upper()],
        "submission": "SUPPL 12",
        "sponsor": "EXAMPLE & CO <b>",
        "title": "A Randomized, Double-blind Study of " + name * 2,
        "status": "RECRUITING",
    }
    return Evidence(
        source,
        f"{source}-{n}",
        KINDS[source],
        f"examplumab-{n:03d} <@U0EVIL> & co",
        term,
        (today - timedelta(days=n % 25)).isoformat(),
        LINKS[source].format(n=n),
        facts,
    )


@pytest.fixture(params=SIZES, ids=[f"{n}-open" for n in SIZES])
def open_count(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def taken_of(count: int) -> int:
    """How many the fixture gave an owner: every fourth candidate."""
    return count // 4


@pytest.fixture
def runtime(
    replay: ReplayServer, fake_slack: FakeSlack, database_url: str, open_count: int
) -> Iterator[Runtime]:
    settings = DupilumabWorld(replay).settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.url,
        slack_alert_channel=CHANNEL,
    )
    runtime = open_runtime(settings)
    found = [
        evidence(n, source)
        for n in range(open_count)
        for source in SOURCES[: 2 + n % 2] + (SOURCES[3],) * (n % 5 == 0)
    ]
    with db.transaction(runtime.sessions) as session:
        add_evidence(session, found, now=datetime.now(UTC))
        for row in session.scalars(select(Candidate).where(Candidate.id % 4 == 0)):
            row.owner = f"U0OWNER{row.id % 7}"
    yield runtime
    runtime.close()


@pytest.fixture
def base(runtime: Runtime) -> Iterator[str]:
    with serve(wsgi_app(runtime, build_app(runtime))) as url:
        yield url


def delivered(runtime: Runtime) -> None:
    report = runtime.deliverer.run()
    assert report.dead == 0 and report.waiting == 0, report.errors
    with runtime.sessions() as session:
        statuses = set(session.scalars(select(OutboxRow.status)))
    assert statuses == {"sent"}


def test_the_weekly_message_holds_every_candidate_in_its_thread(
    runtime: Runtime, fake_slack: FakeSlack, open_count: int
) -> None:
    """One head in the channel; every candidate's three buttons exactly once in its thread;
    every message accepted; what sources and users wrote is escaped."""
    assert runtime.candidates() == open_count
    delivered(runtime)
    (head,) = fake_slack.messages(CHANNEL)
    replies = fake_slack.replies(CHANNEL, head.ts)
    pressed = [
        (element["action_id"], element["value"])
        for reply in replies
        for block in reply.blocks or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert len(pressed) == len(set(pressed)) == 3 * open_count
    text = json.dumps([head.blocks, *(reply.blocks for reply in replies)])
    assert "<!channel>" not in text and "<@U0EVIL>" not in text and "<script>" not in text
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    assert len(replies) <= max(1, open_count // 4)  # grouped, not a message each
    with runtime.sessions() as session:  # each planned message fits as it is: none split
        kinds = set(session.scalars(select(OutboxRow.kind)))
    assert kinds == {"candidates", "candidates_part"}


def test_candidates_taken_after_the_week_was_planned_still_fit(
    runtime: Runtime, fake_slack: FakeSlack, open_count: int
) -> None:
    """Every candidate taken between queueing and sending (each gains a triage line): every
    planned message is still accepted as it is, none split, every button kept."""
    assert runtime.candidates() == open_count
    with db.transaction(runtime.sessions) as session:
        for row in session.scalars(select(Candidate)):
            row.owner = "U0TAKER"
    delivered(runtime)
    (head,) = fake_slack.messages(CHANNEL)
    replies = fake_slack.replies(CHANNEL, head.ts)
    assert all(len(reply.blocks or []) <= 50 for reply in replies)
    pressed = [b for reply in replies for b in reply.blocks or [] if b["type"] == "actions"]
    assert len(pressed) == open_count
    with runtime.sessions() as session:
        kinds = set(session.scalars(select(OutboxRow.kind)))
    assert kinds == {"candidates", "candidates_part"}


def test_the_list_pages_through_the_open_candidates(
    runtime: Runtime, base: str, fake_slack: FakeSlack, open_count: int
) -> None:
    """`/metode kandidater` answers in pages of 20, each accepted, each candidate on one page
    (at 2,000 the first, second and last of 100 pages are asked for)."""
    pages = -(-open_count // PAGE)
    asked = range(1, pages + 1) if pages <= 15 else [1, 2, pages]
    seen: list[str] = []
    for page in asked:
        name = f"page-{page}"
        body = command_body(f"kandidater side {page}", response_url=fake_slack.response_url(name))
        assert post(base, body).status_code == 200
        assert fake_slack.wait_until(lambda n=name: bool(fake_slack.responses(n)))
        (answer,) = fake_slack.responses(name)
        seen += [b["accessory"]["value"] for b in answer["blocks"] if "accessory" in b]
    expected = open_count if pages <= 15 else 2 * PAGE + open_count - (pages - 1) * PAGE
    assert len(seen) == len(set(seen)) == expected
    if pages > 1:
        assert f"Side {pages} av {pages}." in json.dumps(answer, ensure_ascii=False)
    count, taken = number(open_count, "nb"), number(taken_of(open_count), "nb")
    assert f"Åpne kandidater ({count}, {taken} tatt)" in json.dumps(
        fake_slack.responses("page-1")[0], ensure_ascii=False
    )


def test_a_candidates_card_is_accepted(runtime: Runtime, base: str, fake_slack: FakeSlack) -> None:
    """ "Vis" on the list: the card with every piece of evidence and the buttons, accepted."""
    with runtime.sessions() as session:
        first = session.scalar(select(Candidate.id).order_by(Candidate.id))
    click = {
        "type": "block_actions",
        "team": {"id": "T0TEAM"},
        "user": {"id": "U0USER"},
        "trigger_id": "t-show",
        "response_url": fake_slack.response_url("card"),
        "container": {"type": "message", "is_ephemeral": True},
        "actions": [{"action_id": "candidate_show", "value": str(first)}],
    }
    assert post(base, interaction_body(click)).status_code == 200
    assert fake_slack.wait_until(lambda: bool(fake_slack.responses("card")))
    card = fake_slack.responses("card")[0]
    assert card["blocks"][-1]["type"] == "actions" and "examplumab-000" in card["text"]


def test_the_summary_lists_open_candidates_and_who_owns_what(
    runtime: Runtime, fake_slack: FakeSlack, open_count: int
) -> None:
    """The summary ends with the open candidates by owner, within what Slack accepts."""
    assert runtime.digest() >= 1
    delivered(runtime)
    posted = [m for m in fake_slack.messages(CHANNEL)]
    thread = [reply for message in posted for reply in fake_slack.replies(CHANNEL, message.ts)]
    text = json.dumps([m.blocks for m in [*posted, *thread]], ensure_ascii=False)
    taken = taken_of(open_count)
    count = number(open_count, "nb")
    assert f"*Kandidater*: {count} åpne, {number(taken, 'nb')} tatt" in text
    assert ("<@U0OWNER4>: " in text) == (taken > 0) and "Ingen har tatt saken: " in text
    unowned = re.search(r"Ingen har tatt saken: (.*?)(?:\\n|\")", text)
    assert unowned is not None
    shown = unowned.group(1).split(" … og ")[0].count("examplumab-")
    left = re.search(r"… og ([\d\s\u00a0\u202f]+) til", unowned.group(1))  # "1 476"
    hidden = int(re.sub(r"\D", "", left.group(1))) if left else 0
    assert shown + hidden == open_count - taken


def test_app_home_counts_the_candidates(
    runtime: Runtime, base: str, fake_slack: FakeSlack, open_count: int
) -> None:
    """App Home says how many are open, taken, followed and not relevant; Slack accepts it."""
    event = {
        "type": "event_callback",
        "team_id": "T0TEAM",
        "api_app_id": "A0APP",
        "event": {"type": "app_home_opened", "user": "U0USER", "tab": "home"},
        "event_id": "Ev1",
        "event_time": int(time.time()),
    }
    body = json.dumps(event)
    headers: dict[str, Any] = {**signed_headers(body), "Content-Type": "application/json"}
    response = httpx.post(f"{base}/slack/events", content=body.encode(), headers=headers)
    assert response.status_code == 200
    assert fake_slack.wait_until(lambda: bool(fake_slack.views))
    (view,) = fake_slack.views.values()
    count, taken = number(open_count, "nb"), number(taken_of(open_count), "nb")
    assert f"*Kandidater*: {count} åpne ({taken} tatt), 0 fulgt, 0 ikke relevante" in json.dumps(
        view, ensure_ascii=False
    )
