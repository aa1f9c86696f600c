"""Posting: Slack's refusals of a payload past its limits are told apart from other errors."""

from __future__ import annotations

from typing import Any

import pytest

from bot.delivery.poster import DeliveryError, Outgoing, SlackPoster
from tests import fakeslack
from tests.fakeslack import FakeSlack

fake_slack = pytest.fixture(fakeslack.fake_slack)

Block = dict[str, Any]


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def poster(slack: FakeSlack) -> SlackPoster:
    return SlackPoster("xoxb-test", base_url=slack.url)


def outgoing(blocks: list[Block], text: str = "varsel") -> Outgoing:
    return Outgoing(channel="C1", text=text, blocks=blocks, key="k1")


REFUSED = [
    ("invalid_blocks", [section("x")] * 51, "varsel"),
    ("msg_blocks_too_long", [section("x" * 2900)] * 5, "varsel"),
    ("msg_too_long", [section("x")], "x" * 4001),
]


@pytest.mark.parametrize(("error", "blocks", "text"), REFUSED)
def test_a_refused_payload_is_payload_refused_and_never_retried_as_is(
    fake_slack: FakeSlack, error: str, blocks: list[Block], text: str
) -> None:
    """Slack's answer to a payload past its limits marks the error payload_refused and permanent."""
    with pytest.raises(DeliveryError) as caught:
        poster(fake_slack).post(outgoing(blocks, text))
    assert (caught.value.reason, caught.value.payload_refused) == (error, True)
    assert caught.value.permanent
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_an_update_past_the_limits_is_payload_refused(fake_slack: FakeSlack) -> None:
    """chat.update of the status card with too many blocks is a refused payload too."""
    slack_poster = poster(fake_slack)
    ts = slack_poster.post(outgoing([section("kort")]))
    with pytest.raises(DeliveryError) as caught:
        slack_poster.update("C1", ts, text="kort", blocks=[section("x")] * 51)
    assert caught.value.payload_refused


@pytest.mark.parametrize("error", ["channel_not_found", "internal_error"])
def test_other_errors_are_not_payload_refused(fake_slack: FakeSlack, error: str) -> None:
    """A missing channel or a Slack hiccup says nothing about the payload."""
    fake_slack.fail_next("chat.postMessage", error=error)
    with pytest.raises(DeliveryError) as caught:
        poster(fake_slack).post(outgoing([section("kort")]))
    assert caught.value.reason == error
    assert not caught.value.payload_refused
