"""Whole messages fitted to Slack: split into a labelled thread, shortened in place, halved after
a refusal; and text shortened after escaping, never inside a link or an escape."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.texts.blockfit import SLACK, below, fit_message
from bot.texts.blockkit import Message, context, fits, section, size
from bot.texts.blockkit import section as text_section
from bot.texts.mrkdwn import clean, link
from tests import blocklimits

LINK = link("https://clinicaltrials.gov/study/NCT02612454?a=1&b=2", "NCT02612454 & co")


def well_formed(mrkdwn: str) -> bool:
    """No link, mention or escape is cut open."""
    outside = re.sub(r"<[^<>]*>", "", mrkdwn)
    return (
        "<" not in outside and ">" not in outside and not re.search(r"&(?!amp;|lt;|gt;)", outside)
    )


def accepted(message: Message) -> bool:
    try:
        blocklimits.check_message({"text": message.text, "blocks": message.blocks})
    except blocklimits.RefusedError:
        return False
    return True


def big(sections: int) -> Message:
    """A message of `sections` full sections (2,900 characters each, links inside)."""
    line = f"• {LINK} · {'x' * 40}"
    text = "\n".join([line] * (2900 // (len(line) + 1)))
    return Message("Oppsummering", [section(text) for _ in range(sections)])


def test_a_message_that_fits_is_left_alone() -> None:
    """Within Slack's limits, the message comes back as it is."""
    message = Message("kort", [section("hei")])
    assert fit_message(message, language="nb") == [message]


def test_a_message_too_big_becomes_a_labelled_parent_and_replies() -> None:
    """Twelve full sections: several messages, each accepted, the parent saying where the rest
    is and each reply which part it is; nothing lost, nothing repeated."""
    message = big(12)
    parts = fit_message(message, language="nb")
    assert len(parts) >= 3 and all(accepted(part) for part in parts)
    assert (
        parts[0].blocks[-1]["elements"][0]["text"]
        == f"Del 1 av {len(parts)}. Resten står i tråden."
    )
    labels = [part.blocks[0]["elements"][0]["text"] for part in parts[1:]]
    assert labels == [f"Del {n} av {len(parts)}" for n in range(2, len(parts) + 1)]
    kept = [b for part in parts for b in part.blocks if b["type"] == "section"]
    assert kept == message.blocks


def test_a_message_edited_in_place_is_shortened_with_a_count() -> None:
    """`single`: one message, its first blocks and "… og N til" for the blocks left out."""
    (only,) = fit_message(big(12), language="nb", single=True)
    assert accepted(only)
    hidden = 12 - sum(b["type"] == "section" for b in only.blocks)
    assert only.blocks[-1]["elements"][0]["text"] == f"… og {hidden} til"


def test_replies_in_a_thread_are_not_labelled() -> None:
    """Not `labelled` (an alert or a part, already in a thread): the pieces as they are."""
    parts = fit_message(big(12), language="nb", labelled=False)
    assert len(parts) >= 3 and all(b["type"] == "section" for p in parts for b in p.blocks)


def test_after_a_refusal_what_is_sent_holds_at_most_half() -> None:
    """`below` a refused message: half its blocks, weight, longest section and text at most."""
    refused = Message("t" * 3000, [section("y" * 2000), section("z" * 1000), context("c")])
    limits = below(refused)
    again = fit_message(refused, language="nb", limits=limits)
    for message in again:
        assert len(message.text) <= 1500
        assert size(message.blocks) <= size(refused.blocks) // 2
        assert all(len((b.get("text") or {}).get("text") or "") <= 1000 for b in message.blocks)
    assert again[0] != refused and limits != SLACK


def test_a_long_section_is_shortened_at_a_whole_link() -> None:
    """texts.blocks.section: past 3,000 characters the cut never opens a link or an escape."""
    text = " ".join([LINK] * 60)
    assert len(text) > 3000
    cut = text_section(text)["text"]["text"]
    assert len(cut) <= 3000 and well_formed(cut) and cut.endswith("…")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab &<>", max_size=400), st.integers(min_value=2, max_value=300))
def test_clean_keeps_its_limit_after_escaping(value: str, limit: int) -> None:
    """clean(): the limit holds for the text as sent (escapes counted), and no escape is cut."""
    shown = clean(value, limit=limit)
    assert len(shown) <= limit and well_formed(shown)


def test_fit_message_output_always_passes_the_fake_slack() -> None:
    """From one to 60 full sections: every message fitted is one Slack accepts."""
    for count in (1, 5, 30, 60):
        assert all(accepted(part) for part in fit_message(big(count), language="nb"))
    assert fits(fit_message(big(60), language="nb")[0].blocks)
