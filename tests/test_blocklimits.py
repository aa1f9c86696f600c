"""The fake Slack refuses what Slack refuses (Block Kit limits), answering as Slack does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests import blocklimits, fakeslack
from tests.blocklimits import BLOCK_COST, BLOCKS_SIZE
from tests.fakeslack import FakeSlack

fake_slack = pytest.fixture(fakeslack.fake_slack)

Block = dict[str, Any]


def client(slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.url, retry_handlers=[])


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def fields(*texts: str) -> Block:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": t} for t in texts]}


def button(*, text: str = "Vis", value: str = "m1", action_id: str = "show") -> Block:
    element = {"type": "button", "text": {"type": "plain_text", "text": text}}
    return {"type": "actions", "elements": [element | {"value": value, "action_id": action_id}]}


def refusal(slack: FakeSlack, blocks: list[Block], text: str = "fallback") -> dict[str, Any]:
    """Slack's answer to chat.postMessage with these blocks (the test fails if it is accepted)."""
    with pytest.raises(SlackApiError) as caught:
        client(slack).chat_postMessage(channel="C1", text=text, blocks=blocks)
    assert slack.messages("C1") == []
    return dict(caught.value.response.data)


# One case per limit: (blocks at the limit, blocks one past it, the complaint Slack makes).
AT_AND_PAST: list[tuple[str, list[Block], list[Block], str]] = [
    ("blocks", [section("x")] * 50, [section("x")] * 51, "no more than 50 items allowed"),
    ("section", [section("x" * 3000)], [section("x" * 3001)], "must be less than 3001"),
    ("fields", [fields(*["x"] * 10)], [fields(*["x"] * 11)], "no more than 10 items"),
    ("field", [fields("x" * 2000)], [fields("x" * 2001)], "must be less than 2001"),
    (
        "header",
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 150}}],
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        "must be less than 151",
    ),
    (
        "context",
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 10}],
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}],
        "no more than 10 items",
    ),
    ("button text", [button(text="x" * 75)], [button(text="x" * 76)], "must be less than 76"),
    ("value", [button(value="x" * 2000)], [button(value="x" * 2001)], "must be less than 2001"),
    ("action_id", [button(action_id="x" * 255)], [button(action_id="x" * 256)], "less than 256"),
]


@pytest.mark.parametrize(("name", "fits", "past", "complaint"), AT_AND_PAST)
def test_each_block_limit_is_accepted_at_and_refused_past_it(
    fake_slack: FakeSlack, name: str, fits: list[Block], past: list[Block], complaint: str
) -> None:
    """At a Block Kit limit the post goes through; one past it Slack answers invalid_blocks."""
    client(fake_slack).chat_postMessage(channel="C2", text="ok", blocks=fits)
    answer = refusal(fake_slack, past)
    assert answer["error"] == "invalid_blocks"
    assert any(complaint in error for error in answer["errors"]), answer
    assert answer["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_a_refusal_names_where_the_problem_is(fake_slack: FakeSlack) -> None:
    """Slack's complaint carries a JSON pointer to the offending piece, as Slack's does."""
    answer = refusal(fake_slack, [section("ok"), section("x" * 3001)])
    pointer = "[json-pointer:/blocks/1/text/text]"
    assert answer["errors"] == [f"must be less than 3001 characters {pointer}"]


def test_length_is_counted_after_escaping(fake_slack: FakeSlack) -> None:
    """`&amp;` is five characters to Slack: 600 escaped ampersands are 3,000, 601 too many."""
    client(fake_slack).chat_postMessage(channel="C2", text="ok", blocks=[section("&amp;" * 600)])
    answer = refusal(fake_slack, [section("&amp;" * 600 + "x")])
    assert answer["error"] == "invalid_blocks"


def test_too_long_fallback_text_is_msg_too_long(fake_slack: FakeSlack) -> None:
    """A top-level `text` over 4,000 characters is refused with msg_too_long."""
    client(fake_slack).chat_postMessage(channel="C1", text="x" * 4000)
    with pytest.raises(SlackApiError) as caught:
        client(fake_slack).chat_postMessage(channel="C1", text="x" * 4001)
    assert caught.value.response.data == {"ok": False, "error": "msg_too_long"}


def sized(total: int, *, blocks: int) -> list[Block]:
    """`blocks` sections whose text and block cost add up to exactly `total`."""
    text = total - BLOCK_COST * blocks
    share, extra = divmod(text, blocks)
    return [section("x" * (share + (1 if i < extra else 0))) for i in range(blocks)]


def test_total_block_size_past_the_threshold_is_msg_blocks_too_long(fake_slack: FakeSlack) -> None:
    """Block text plus 125 per block up to 12,000 goes through; one more is msg_blocks_too_long."""
    at_limit = sized(BLOCKS_SIZE, blocks=5)
    assert blocklimits.blocks_size(at_limit) == BLOCKS_SIZE
    client(fake_slack).chat_postMessage(channel="C2", text="ok", blocks=at_limit)
    answer = refusal(fake_slack, sized(BLOCKS_SIZE + 1, blocks=5))
    assert answer == {"ok": False, "error": "msg_blocks_too_long"}


def test_block_cost_makes_many_small_blocks_too_long(fake_slack: FakeSlack) -> None:
    """50 sections of 120 characters (6,000 of text) still weigh 12,250: refused."""
    answer = refusal(fake_slack, [section("x" * 120)] * 50)
    assert answer["error"] == "msg_blocks_too_long"


def test_update_and_ephemeral_are_checked_like_a_post(fake_slack: FakeSlack) -> None:
    """chat.update and chat.postEphemeral refuse the same blocks, and leave nothing changed."""
    web = client(fake_slack)
    ts = web.chat_postMessage(channel="C1", text="first", blocks=[section("first")])["ts"]
    too_many = [section("x")] * 51
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        web.chat_update(channel="C1", ts=ts, text="second", blocks=too_many)
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        web.chat_postEphemeral(channel="C1", user="U1", text="e", blocks=too_many)
    assert fake_slack.messages("C1")[0].text == "first"
    assert fake_slack.ephemerals("C1") == []


def test_views_take_100_blocks_and_answer_invalid_arguments_past_that(
    fake_slack: FakeSlack,
) -> None:
    """A Home tab holds 100 blocks; 101 is invalid_arguments with Slack's two messages."""
    web = client(fake_slack)
    web.views_publish(user_id="U1", view={"type": "home", "blocks": [section("x")] * 100})
    with pytest.raises(SlackApiError) as caught:
        web.views_publish(user_id="U1", view={"type": "home", "blocks": [section("x")] * 101})
    answer = caught.value.response.data
    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] failed to match all allowed schemas [json-pointer:/view]",
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]",
    ]
    (view,) = fake_slack.views.values()
    assert len(view["blocks"]) == 100


def test_views_check_each_block_too(fake_slack: FakeSlack) -> None:
    """A view's section over 3,000 characters is refused by views.open and views.update."""
    web = client(fake_slack)
    bad = {"type": "modal", "blocks": [section("x" * 3001)]}
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        web.views_open(trigger_id="T1", view=bad)
    opened = web.views_open(trigger_id="T1", view={"type": "modal", "blocks": []})["view"]["id"]
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        web.views_update(view_id=opened, view=bad)


def test_views_have_no_cumulative_size_limit(fake_slack: FakeSlack) -> None:
    """No cumulative limit is known for views: 100 full sections are published."""
    view = {"type": "home", "blocks": [section("x" * 3000)] * 100}
    client(fake_slack).views_publish(user_id="U1", view=view)
    assert len(fake_slack.views) == 1


def test_response_url_refuses_invalid_blocks_with_400_plain_text(fake_slack: FakeSlack) -> None:
    """A response_url body past a block limit is answered 400 `invalid_blocks` and not kept."""
    url = fake_slack.response_url("cmd")
    answer = httpx.post(url, json={"text": "t", "blocks": [section("x")] * 51})
    assert (answer.status_code, answer.text) == (400, "invalid_blocks")
    assert answer.headers["content-type"].startswith("text/plain")
    assert fake_slack.responses("cmd") == []
    assert fake_slack.calls_to("response_url") != []


def test_response_url_refuses_too_long_text(fake_slack: FakeSlack) -> None:
    """A response_url body with `text` over 4,000 characters is answered 400 `msg_too_long`."""
    answer = httpx.post(fake_slack.response_url("cmd"), json={"text": "x" * 4001})
    assert (answer.status_code, answer.text) == (400, "msg_too_long")


def test_response_url_has_no_cumulative_size_limit(fake_slack: FakeSlack) -> None:
    """Blocks chat.postMessage refuses as too long go through response_url (bolt-js#2867)."""
    blocks = sized(BLOCKS_SIZE + 500, blocks=5)
    answer = httpx.post(fake_slack.response_url("cmd"), json={"text": "t", "blocks": blocks})
    assert answer.status_code == 200
    assert len(fake_slack.responses("cmd")) == 1


def test_text_size_counts_every_text_string() -> None:
    """Section text, fields, context elements and button labels all count toward the size."""
    blocks = [
        section("abc"),
        fields("de", "f"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "gh"}]},
        button(text="ijkl", value="not text"),
    ]
    assert blocklimits.text_size(blocks) == 3 + 3 + 2 + 4
    assert blocklimits.blocks_size(blocks) == 12 + 4 * BLOCK_COST
