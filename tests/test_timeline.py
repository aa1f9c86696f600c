"""The bot's main job end to end: sources on a replay server, Slack on a fake Web API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, open_runtime
from bot.storage.tables import OutboxRow, Snapshot, SourceState
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import FDA_PRESS, MEDICINES, OPENFDA, DupilumabWorld

CHANNEL = "C0123ABCD"


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def runtime(world: DupilumabWorld, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    settings = world.settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_api_url=fake_slack.url,
        slack_alert_channel=CHANNEL,
    )
    runtime = open_runtime(settings)
    yield runtime
    runtime.close()


def cycle(runtime: Runtime) -> None:
    """One `poll --once`: every source, then delivery."""
    results = runtime.poll()
    runtime.deliverer.run()
    return results  # type: ignore[return-value]


def snapshot_of(runtime: Runtime, source: str) -> dict[str, str]:
    with runtime.sessions() as session:
        rows = session.scalars(select(Snapshot).where(Snapshot.source == source))
        return {row.key: row.content_hash for row in rows}


def test_baseline_is_silent(runtime: Runtime, fake_slack: FakeSlack) -> None:
    """The first cycle stores every source and posts nothing."""
    results = cycle(runtime)
    assert all(result.ok for result in results), results
    assert fake_slack.calls_to("chat.postMessage") == []
    assert snapshot_of(runtime, "clinicaltrials")


def test_status_change_is_one_reply_in_the_method_thread(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """A completed trial: status card, one broadcast reply, card updated; re-poll adds nothing."""
    cycle(runtime)
    world.change_trial_status("NCT02612454", "COMPLETED", updated="2026-11-24")
    cycle(runtime)
    (card,) = fake_slack.messages(CHANNEL)[:1]
    replies = fake_slack.replies(CHANNEL, card.ts)
    assert len(replies) == 1
    assert "NCT02612454" in replies[0].text
    assert "Pågående, rekrutterer ikke → Avsluttet" in replies[0].text
    assert replies[0].params.get("reply_broadcast") is True
    assert replies[0].params["metadata"]["event_payload"]["alert_key"]
    assert len(fake_slack.calls_to("chat.update")) == 1
    posts = len(fake_slack.calls_to("chat.postMessage"))

    cycle(runtime)
    assert len(fake_slack.calls_to("chat.postMessage")) == posts


@pytest.mark.parametrize(
    ("path", "mode", "source"),
    [
        (OPENFDA, "status", "openfda"),
        (MEDICINES, "html", "ema_medicines"),
        (FDA_PRESS, "truncate", "fda_rss"),
    ],
)
def test_failing_source_changes_nothing(
    runtime: Runtime,
    world: DupilumabWorld,
    fake_slack: FakeSlack,
    replay: ReplayServer,
    path: str,
    mode: str,
    source: str,
) -> None:
    """A 500, an HTML page for JSON, a truncated feed: no alert, snapshot kept, failure recorded."""
    cycle(runtime)
    before = snapshot_of(runtime, source)
    replay.fault(path, mode, times=None)
    world.add_press_release("Dupixent approved for something new", guid="new-1")
    results = {r.source: r for r in cycle(runtime)}
    assert not results[source].ok and results[source].reason
    assert snapshot_of(runtime, source) == before
    with runtime.sessions() as session:
        state = session.get(SourceState, source)
        assert state is not None and state.consecutive_failures == 1
    if source != "fda_rss":
        assert len(fake_slack.calls_to("chat.postMessage")) == 2  # card + the news item
    else:
        assert fake_slack.calls_to("chat.postMessage") == []


def test_rate_limit_delays_but_delivers_once(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """A 429 from chat.postMessage is waited out; the alert arrives exactly once."""
    cycle(runtime)
    world.change_trial_status("NCT02612454", "TERMINATED", updated="2026-11-24")
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    cycle(runtime)
    texts = [call["text"] for call in fake_slack.calls_to("chat.postMessage")]
    assert sum("Avbrutt" in text for text in texts) == 1
    with runtime.sessions() as session:
        statuses = {row.kind: row.status for row in session.scalars(select(OutboxRow))}
    assert statuses == {"card": "sent", "alert": "sent"}


def test_channel_mention_in_press_release_is_escaped(
    runtime: Runtime, world: DupilumabWorld, fake_slack: FakeSlack
) -> None:
    """`<!channel>` in a new FDA press release reaches Slack as harmless text."""
    cycle(runtime)
    world.add_press_release("Dupixent &lt;!channel&gt; &amp; &lt;!here&gt;", guid="mention-1")
    cycle(runtime)
    posted = fake_slack.calls_to("chat.postMessage")
    payload = json.dumps(posted)
    assert "&lt;!channel&gt;" in payload
    assert "<!channel>" not in payload and "<!here>" not in payload
    assert all(call.get("unfurl_links") is False for call in posted)
    assert all("link_names" not in call and "parse" not in call for call in posted)
