"""A `/metode` answer Slack refuses at its response_url is logged and sent once more, shortened."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.runtime import Runtime
from tests.apphost import ask, open_app_runtime, serving
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import DupilumabWorld


@pytest.fixture
def base(replay: ReplayServer, fake_slack: FakeSlack, database_url: str) -> Iterator[str]:
    runtime: Runtime = open_app_runtime(DupilumabWorld(replay), fake_slack, database_url)
    runtime.poll()
    with serving(runtime) as url:
        yield url
    runtime.close()


def test_a_refused_answer_is_sent_again_shortened(
    base: str, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """The card refused with `invalid_blocks` (HTTP 400): an ERROR is logged and a card of at
    most half its blocks, with a count of the rest, reaches the user."""
    fake_slack.status_next("response_url", 400, body=b"invalid_blocks")
    with caplog.at_level(logging.ERROR, logger="bot.slack.handlers"):
        shown = ask(base, fake_slack, "dupilumab", "r1")
    refused, posted = [call.params for call in fake_slack.calls if call.method == "response_url"]
    assert len(posted["blocks"]) <= len(refused["blocks"]) // 2 + 1
    assert posted["blocks"][-1]["elements"][0]["text"].startswith("… og ")
    assert shown == posted and shown["response_type"] == "ephemeral"
    assert any("invalid_blocks" in record.getMessage() for record in caplog.records)
