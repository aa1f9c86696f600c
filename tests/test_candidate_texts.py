"""A candidate in words, in both languages: evidence, links, what is expected, triage, escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.overview.candidates import CandidateView, EvidenceView, expected
from bot.texts.blockkit import fits
from bot.texts.candidates.lines import candidate_blocks, candidate_text, mention
from bot.texts.candidates.listing import joined
from bot.texts.candidates.weekly import plan_parts, render_part
from bot.texts.catalogue import Language

OPINION = EvidenceView(
    source="ema_medicines",
    key="EMEA/H/C/005894",
    kind="ema_opinion",
    date="2026-11-25",
    url="https://www.ema.europa.eu/en/medicines/human/EPAR/ebglyss",
    facts={
        "name": "Ebglyss",
        "product_number": "EMEA/H/C/005894",
        "holder": "Almirall & Co",
        "opinion_status": "Positive",
    },
    new=True,
)
APPROVAL = EvidenceView(
    source="openfda",
    key="BLA761306 ORIG-1",
    kind="fda_original",
    date="2026-11-15",
    url="https://evil.example.com/<!channel>",
    facts={
        "application": "BLA761306",
        "submission": "ORIG 1",
        "brand_names": ["EBGLYSS <!here>"],
        "sponsor": "LILLY",
    },
    new=True,
)


def view(**changes: object) -> CandidateView:
    evidence = (OPINION, APPROVAL)
    base = CandidateView(
        id=7,
        substance="lebrikizumab",
        term_kind="condition",
        term="atopic dermatitis",
        status="open",
        owner=None,
        decided_by=None,
        decided_at=None,
        reason=None,
        method_id=None,
        reopened=False,
        evidence=evidence,
        expected=expected(evidence),
    )
    return CandidateView(**{**base.__dict__, **changes})  # type: ignore[arg-type]


LINK = "<https://www.ema.europa.eu/en/medicines/human/EPAR/ebglyss|Ebglyss (EMEA/H/C/005894)>"
BRAND = "EBGLYSS &lt;!here&gt; (BLA761306 ORIG 1) (LILLY)"


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "nb",
            [
                "*lebrikizumab*: atopic dermatitis",
                f"• EMA: positiv CHMP-uttalelse 25.11.2026: {LINK} (Almirall &amp; Co)",
                f"• FDA: opprinnelig søknad godkjent 15.11.2026: {BRAND}",
                "Forventet: EU-kommisjonens vedtak innen 31.01.2027; MT i Norge omkring 02.03.2027",
            ],
        ),
        (
            "en",
            [
                "*lebrikizumab*: atopic dermatitis",
                f"• EMA: positive CHMP opinion of 25.11.2026: {LINK} (Almirall &amp; Co)",
                f"• FDA: original application approved 15.11.2026: {BRAND}",
                "Expected: European Commission decision by 31.01.2027; "
                "MA in Norway around 02.03.2027",
            ],
        ),
    ],
)
def test_a_candidate_reads_as_its_evidence_and_timeline(
    language: Language, lines: list[str]
) -> None:
    """Newest evidence first, each linked only to a source's own host, source text escaped,
    the EC decision 67 days after the opinion and MT in Norway 30 days later."""
    assert candidate_text(view(), language).split("\n") == lines


def test_triage_replaces_the_buttons_with_who_and_how() -> None:
    """Open: three buttons carrying the id; taken: who has it; not relevant: who, when, why
    (escaped), and no buttons; followed: the method."""
    open_blocks = candidate_blocks(view(), "nb")
    assert [e["action_id"] for e in open_blocks[-1]["elements"]] == [
        "candidate_follow",
        "candidate_dismiss",
        "candidate_take",
    ]
    assert {e["value"] for e in open_blocks[-1]["elements"]} == {"7"}
    taken = json.dumps(candidate_blocks(view(owner="U0ANNE"), "nb"), ensure_ascii=False)
    assert "Saken er tatt av <@U0ANNE>" in taken
    decided = datetime(2026, 12, 1, 10, tzinfo=UTC)
    dismissed = candidate_blocks(
        view(status="dismissed", decided_by="U0BOB", decided_at=decided, reason="<!channel> nei"),
        "nb",
    )
    assert dismissed[-1]["type"] == "context"
    assert dismissed[-1]["elements"][0]["text"] == (
        "Ikke relevant (<@U0BOB>, 01.12.2026): &lt;!channel&gt; nei"
    )
    followed = candidate_blocks(
        view(status="followed", decided_by="U0BOB", decided_at=decided, method_id="lebrikizumab"),
        "en",
    )
    assert followed[-1]["elements"][0]["text"].startswith("Followed as method `lebrikizumab`")


def test_only_slack_user_ids_become_mentions() -> None:
    """A user ID is a mention; anything else (the bot's own name, a forged value) is text."""
    assert mention("U0ANNE") == "<@U0ANNE>"
    assert mention("metodevakt") == "metodevakt"
    assert mention("<!channel>") == "&lt;!channel&gt;"


def test_a_negative_opinion_expects_no_decision() -> None:
    """Only a positive (or unstated) opinion expects an EC decision; a decision expects MT."""
    negative = EvidenceView(**{**OPINION.__dict__, "facts": {"opinion_status": "Negative"}})
    assert expected((negative,)) == ()
    decision = EvidenceView(**{**OPINION.__dict__, "kind": "ema_decision", "date": "2026-12-01"})
    (norway,) = expected((decision, OPINION))
    assert (norway.kind, norway.by) == ("mt_norway", "2026-12-31")


def test_a_planned_part_still_fits_when_every_candidate_in_it_is_taken() -> None:
    """Short candidates pack a part by its blocks; taking each (a triage line more) between
    planning and sending must not carry a part past Slack's 50 blocks."""
    views = [view(id=n, substance=f"s{n}", evidence=(OPINION,), expected=()) for n in range(1, 61)]
    parts = plan_parts(views, "nb")
    assert len(parts) > 1
    by_id = {v.id: v for v in views}
    for part in parts:
        taken = [view(**{**by_id[i].__dict__, "owner": "U0TAKER"}) for i in part.ids]
        sent = render_part(part.source, taken, continued=part.continued, language="nb")
        assert fits(sent.blocks), len(sent.blocks)


def test_a_cut_list_says_how_many_it_left_out() -> None:
    """Whole names while they fit, then how many more; a short list is left whole."""
    names = [f"name{n:02d}" for n in range(40)]
    assert joined(names[:3], 100, "nb") == "name00, name01, name02"
    cut = joined(names, 100, "nb")
    shown = cut.split(" … og ")[0].split(", ")
    assert shown == names[: len(shown)] and len(cut) < 120
    assert cut.endswith(f"… og {40 - len(shown)} til")
    assert joined(names, 100, "en").endswith(f"… and {40 - len(shown)} more")
