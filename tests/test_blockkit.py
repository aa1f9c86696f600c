"""Block Kit within Slack's limits: measuring, shortening, packing, splitting, counted tails."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient

from bot.texts import blockkit
from bot.texts.blockfit import fit_block, fit_lines, more, split
from bot.texts.blockkit import (
    MESSAGE,
    VIEW,
    Budget,
    fallback,
    fits,
    pack,
    section,
    sections,
    shorten,
)
from bot.texts.catalogue import number
from tests import blocklimits, fakeslack
from tests.fakeslack import FakeSlack

fake_slack = pytest.fixture(fakeslack.fake_slack)

Block = dict[str, Any]
NBSP = "\u00a0"
LINK = "<https://clinicaltrials.gov/study/NCT02612454?tab=results&amp;x=1|NCT02612454 &amp; mer>"


def accepted(blocks: list[Block], text: str = "fallback") -> bool:
    """True when the fake Slack's checks accept these blocks as one message."""
    try:
        blocklimits.check_message({"text": text, "blocks": blocks})
    except blocklimits.RefusedError:
        return False
    return True


def well_formed(mrkdwn: str) -> bool:
    """No link, mention or escape is cut open."""
    outside = re.sub(r"<[^<>]*>", "", mrkdwn)
    return (
        "<" not in outside and ">" not in outside and not re.search(r"&(?!amp;|lt;|gt;)", outside)
    )


# Numbers and the counted tail -------------------------------------------------------------


def test_norwegian_counts_group_thousands_with_a_no_break_space() -> None:
    """1742 reads `1 742` (no-break space) in Norwegian and `1,742` in English."""
    assert number(1742, "nb") == f"1{NBSP}742"
    assert number(1_234_567, "nb") == f"1{NBSP}234{NBSP}567"
    assert number(999, "nb") == "999"
    assert number(1742, "en") == "1,742"


def test_the_counted_tail_says_how_many_were_left_out() -> None:
    """The tail is a context line from the catalogue: "… og 1 742 til" / "… and 1,742 more"."""
    assert more(1742, "nb")["elements"][0]["text"] == f"… og 1{NBSP}742 til"
    assert more(1742, "en")["elements"][0]["text"] == "… and 1,742 more"


# Measuring --------------------------------------------------------------------------------


def test_size_counts_text_after_escaping_plus_a_cost_per_block() -> None:
    """`&amp;` weighs five characters, and every block costs BLOCK_COST more."""
    blocks = [section("&amp;"), {"type": "divider"}]
    assert blockkit.size(blocks) == 5 + 2 * blockkit.BLOCK_COST


def test_fits_agrees_with_the_fake_slack_at_each_limit() -> None:
    """fits() accepts what the fake Slack accepts and refuses what it refuses, limit by limit."""
    cases = [
        [section("x" * 3000)],
        [section("x" * 3001)],
        [section("x")] * 50,
        [section("x")] * 51,
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "x" * 2001}]}],
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}],
        [section("x" * 2300)] * 5,
        [section("x" * 2375)] * 5,
    ]
    for blocks in cases:
        assert fits(blocks) == accepted(blocks), blocks[0]


def test_views_hold_100_blocks_and_no_size_limit() -> None:
    """The view budget allows 100 full sections and refuses 101."""
    assert fits([section("x" * 3000)] * 100, VIEW)
    assert not fits([section("x")] * 101, VIEW)


# Shortening -------------------------------------------------------------------------------


def test_short_text_is_left_alone() -> None:
    """Text within the limit comes back unchanged, without an ellipsis."""
    assert shorten("kort", 10) == "kort"


def test_long_text_is_cut_with_an_ellipsis_within_the_limit() -> None:
    """A cut text ends in an ellipsis and is at most `limit` characters."""
    cut = shorten("abcdefghij klm", 8)
    assert cut == "abcdefg…"
    assert len(cut) <= 8


def test_a_cut_never_splits_an_escape() -> None:
    """An `&amp;` that does not fit whole is left out, never cut to `&am`."""
    assert shorten("ab&amp;cdef", 6) == "ab…"


def test_a_link_that_does_not_fit_gives_way_to_its_label() -> None:
    """A link too long to keep becomes as much of its label as fits, never `<https://…`."""
    cut = shorten(f"Se {LINK} nå", 22)
    assert cut == "Se NCT02612454 &amp;…"
    assert well_formed(cut)


def test_a_link_that_fits_is_kept_whole() -> None:
    """When the link fits, it stays a link and the cut falls after it."""
    cut = shorten(f"{LINK} og så mye mer tekst etterpå", len(LINK) + 4)
    assert cut.startswith(LINK)
    assert cut.endswith("…")


# Packing ----------------------------------------------------------------------------------


def test_pack_cuts_only_between_lines() -> None:
    """Lines are joined into texts within the limit; every line survives whole and in order."""
    lines = [f"• metode {i} " + "x" * (i % 40) for i in range(300)]
    texts = pack(lines, limit=500)
    assert all(len(text) <= 500 for text in texts)
    assert "\n".join(texts).split("\n") == lines


def test_pack_shortens_a_line_longer_than_the_limit() -> None:
    """One over-long line is shortened safely on its own; its neighbours are untouched."""
    texts = pack(["før", f"{LINK} " * 100, "etter"], limit=3000)
    assert all(len(text) <= 3000 for text in texts)
    assert texts[0].startswith("før\n") and texts[-1].endswith("\netter")
    assert all(well_formed(text) for text in texts)


def test_pack_drops_blank_texts() -> None:
    """Slack refuses an empty section, so blank lines alone make no text."""
    assert pack(["", "  "]) == []


def test_fallback_text_is_kept_within_slacks_limit() -> None:
    """The top-level `text` is shortened to 4,000 characters, which the fake accepts."""
    text = fallback("ord " * 2000)
    assert len(text) == blockkit.MESSAGE_TEXT
    assert accepted([section("x")], text)


# Fitting one block ------------------------------------------------------------------------


def test_a_long_section_becomes_several_cut_between_lines() -> None:
    """A 9,000-character section is split at line breaks; only the first keeps the accessory."""
    lines = [f"linje {i:04d} " + "y" * 80 for i in range(100)]
    raw = {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}
    block = raw | {"block_id": "b1", "accessory": {"type": "button"}}
    parts = fit_block(block)
    assert len(parts) == 4
    assert "\n".join(p["text"]["text"] for p in parts).split("\n") == lines
    assert [("accessory" in p, "block_id" in p) for p in parts] == [(True, True)] + [
        (False, False)
    ] * 3


def test_crowded_and_long_fields_are_grouped_and_shortened() -> None:
    """23 fields become sections of at most 10; a 2,500-character field is shortened."""
    texts = ["x" * 2500] + [f"felt {i}" for i in range(22)]
    block = {"type": "section", "fields": [{"type": "mrkdwn", "text": t} for t in texts]}
    parts = fit_block(block)
    assert [len(p["fields"]) for p in parts] == [10, 10, 3]
    assert len(parts[0]["fields"][0]["text"]) == blockkit.FIELD_TEXT
    assert accepted(parts)


def test_long_header_and_crowded_context_are_fitted() -> None:
    """A header is shortened to 150 characters; a context of 12 elements becomes two."""
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 200}}
    context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 12}
    parts = fit_block(header) + fit_block(context)
    assert len(parts[0]["text"]["text"]) == 150
    assert [len(p["elements"]) for p in parts[1:]] == [10, 2]
    assert accepted(parts)


# Splitting messages -----------------------------------------------------------------------


def test_split_keeps_everything_in_order_and_the_heading_first() -> None:
    """120 sections of 1,000 characters go out in order, the heading opening the first."""
    heading = [{"type": "header", "text": {"type": "plain_text", "text": "Oppsummering"}}]
    blocks = [section(f"{i:03d}" + "z" * 997) for i in range(120)]
    messages = split(blocks, heading=heading)
    assert messages[0][0] == heading[0]
    assert [b for m in messages for b in m] == heading + blocks
    assert all(accepted(message) for message in messages)
    assert len(messages) == 12  # 10 sections of 1,125 fit under 12,000; an 11th does not


def test_split_respects_the_block_count_when_blocks_are_small() -> None:
    """120 tiny blocks go 50, 50, 20 in a view-like budget without a size limit."""
    messages = split([section("x")] * 120, budget=Budget(50, None))
    assert [len(m) for m in messages] == [50, 50, 20]


def test_split_posts_through_the_fake_slack_at_2000_methods(fake_slack: FakeSlack) -> None:
    """A 2,000-line list split into messages is accepted by the fake Slack, message by message."""
    lines = [
        f"• <https://clinicaltrials.gov/study/NCT{i:08d}|Metode {i}> &amp; mer" for i in range(2000)
    ]
    web = WebClient(token="xoxb-test", base_url=fake_slack.url, retry_handlers=[])
    for message in split(sections(lines)):
        web.chat_postMessage(channel="C1", text=fallback("Oppsummering"), blocks=message)
    posted = [
        line
        for m in fake_slack.messages("C1")
        for b in m.blocks or []
        for line in b["text"]["text"].split("\n")
    ]
    assert posted == lines


# Cutting a list with a counted tail -------------------------------------------------------


def test_fit_lines_without_a_cut_has_no_tail() -> None:
    """A list that fits is returned whole, with no "… og N til"."""
    blocks = fit_lines(["a", "b"], language="nb")
    assert blocks == [section("a\nb")]


def test_fit_lines_cuts_a_long_list_and_counts_the_rest() -> None:
    """2,000 lines in one message: as many as fit, then "… og N til" with the exact rest."""
    lines = [f"• Metode nummer {i}" for i in range(2000)]
    blocks = fit_lines(lines, language="nb")
    assert accepted(blocks)
    shown = [line for b in blocks[:-1] for line in b["text"]["text"].split("\n")]
    assert shown == lines[: len(shown)]
    hidden = number(2000 - len(shown), "nb")
    assert blocks[-1]["elements"][0]["text"] == f"… og {hidden} til"
    one_more = [*sections(lines[: len(shown) + 1]), more(2000 - len(shown) - 1, "nb")]
    assert not accepted(one_more)


def test_fit_lines_fills_a_home_tab_to_100_blocks() -> None:
    """In a view the heading, the sections and the tail stay within 100 blocks."""
    heading = [{"type": "header", "text": {"type": "plain_text", "text": "Metodevakt"}}]
    lines = ["x" * 2999] * 150
    blocks = fit_lines(lines, language="en", heading=heading, budget=VIEW)
    assert len(blocks) == 100
    assert blocks[0] == heading[0]
    assert blocks[-1]["elements"][0]["text"] == "… and 52 more"


def test_fit_lines_refuses_a_heading_that_leaves_no_room() -> None:
    """A heading that alone fills the budget is a bug in the caller: ValueError."""
    with pytest.raises(ValueError, match="heading"):
        fit_lines(["a"] * 60, language="nb", heading=[section("h")] * 50)


# Properties: whatever the lines, every message passes the fake Slack ------------------------

line_pieces = st.one_of(
    st.text(alphabet="abcæøå ", min_size=0, max_size=400),
    st.just("&amp;"),
    st.just("&lt;"),
    st.just(LINK),
    st.just("<@U0123ABC>"),
)
lines_strategy = st.lists(
    st.lists(line_pieces, min_size=0, max_size=30).map("".join), min_size=0, max_size=400
)


@settings(max_examples=60, deadline=None)
@given(lines=lines_strategy)
def test_every_split_message_passes_the_fake_slack(lines: list[str]) -> None:
    """Random line lengths and links: every message split() makes is one Slack accepts."""
    for message in split(sections(lines), heading=[section("*Oppsummering*")]):
        assert accepted(message)
        assert all(well_formed(b["text"]["text"]) for b in message)


@settings(max_examples=60, deadline=None)
@given(lines=lines_strategy, language=st.sampled_from(["nb", "en"]))
def test_every_fitted_list_passes_the_fake_slack(lines: list[str], language: Any) -> None:
    """Random lists cut by fit_lines() are accepted as a message, and as a view."""
    assert accepted(fit_lines(lines, language=language, budget=MESSAGE))
    view = {"type": "home", "blocks": fit_lines(lines, language=language, budget=VIEW)}
    blocklimits.check_view({"view": view})


@settings(max_examples=200, deadline=None)
@given(line=st.lists(line_pieces, max_size=40).map("".join), limit=st.integers(1, 600))
def test_shorten_is_within_the_limit_and_well_formed(line: str, limit: int) -> None:
    """Any cut is at most `limit` characters and leaves no link or escape open."""
    cut = shorten(line, limit)
    assert len(cut) <= limit
    assert well_formed(cut) or not well_formed(line)
    assert cut == line or cut.endswith("…")
