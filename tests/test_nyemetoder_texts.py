"""Nye metoder in words: every event kind the rules emit, in bokmål and English (golden), source
text escaped, links to nyemetoder.no only, and the card, summary and App Home lines."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.overview.state import Item, Overview
from bot.sources.changes import Finding
from bot.sources.nyemetoder import changes
from bot.sources.nyemetoder.changes import (
    appear_decision,
    compare_decision,
    compare_page,
    page_subject,
)
from bot.sources.nyemetoder.decisions import read_decisions
from bot.sources.nyemetoder.pages import read_page
from bot.storage.tables import EventRow
from bot.texts.alerts import describe, render_alert
from bot.texts.blockkit import blocks_as_text
from bot.texts.catalogue import SOURCE_NAME, TEXT
from bot.texts.listing import home_blocks
from bot.texts.lookupcard import render_lookup
from bot.texts.mrkdwn import is_allowed_url
from bot.texts.nyemetoder import NYE_METODER_VALUES, card_line, home_phrase, section_lines
from bot.texts.statuscard import render_card
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden

HERE = FIXTURES / "nyemetoder"
PAGE_URL = "https://www.nyemetoder.no/metoder/id2019_015/"
DECISION_URL = "https://www.nyemetoder.no/innforing-av-nye-metoder/beslutning/"
METHOD = Method(
    id="dupilumab-ad-12-17",
    title="Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år",
    substance="dupilumab",
    nye_metoder=["ID2019_015", "ID2019_082"],
    nye_metoder_url=["https://nyemetoder.no/metoder/id2019_015"],
)
KINDS = sorted(k for k in vars(changes).values() if isinstance(k, str) and k.startswith("nyem"))
EMITTED = sorted(set(KINDS) - {changes.PAGES, changes.DECISIONS})


def page(name: str) -> dict[str, Any]:
    return read_page((HERE / f"{name}.html").read_bytes())


def decisions() -> dict[str, dict[str, Any]]:
    return read_decisions((HERE / "decisions.xlsx").read_bytes())


def event(finding: Finding, *, source: str, subject: str, url: str) -> EventRow:
    return EventRow(
        dedupe_key="k",
        method_id=METHOD.id,
        source=source,
        record_key="key",
        kind=finding.kind,
        importance=finding.importance,
        old=finding.old,
        new=finding.new,
        url=url,
        subject=subject,
        observed_at=datetime(2026, 11, 25, tzinfo=UTC),
    )


def every_kind() -> dict[str, EventRow]:
    """One event of each kind, from the rules applied to the fixtures (the seed timeline, an
    unknown badge, the workbook, a revised decision text)."""
    found: list[tuple[Finding, str]] = []
    steps = ["seed_0_proposed", "seed_1_ordered", "seed_2_finished", "seed_3_decided"]
    for before, after in itertools.pairwise(steps):
        found += [(f, changes.PAGES) for f in compare_page(page(before), page(after))]
    found += [
        (f, changes.PAGES)
        for f in compare_page(page("p1_dupilumab_indikasjon_vi"), page("unknown_badge"))
    ]
    row = next(fields for key, fields in decisions().items() if key.startswith("ID2019_015 "))
    found += [(f, changes.DECISIONS) for f in appear_decision(row)]
    revised = row | {"decision_short": "Innført med vilkår", "first_point": "Nytt første punkt."}
    found += [(f, changes.DECISIONS) for f in compare_decision(row, revised)]
    subject = page_subject("/metoder/id2019_015/", page("seed_3_decided"))
    events: dict[str, EventRow] = {}
    for finding, source in found:
        url = PAGE_URL if source == changes.PAGES else DECISION_URL
        events.setdefault(finding.kind, event(finding, source=source, subject=subject, url=url))
    return events


def test_every_kind_the_rules_emit_is_found_in_the_fixtures() -> None:
    """The fixtures exercise each event kind of the Nye metoder rules (so each is rendered)."""
    assert sorted(every_kind()) == EMITTED


def test_every_kind_has_a_sentence_and_values_in_both_languages() -> None:
    """Each kind has a catalogue entry in nb and en with the same placeholders, and values."""
    for kind in EMITTED:
        entry = TEXT[kind]
        assert set(entry) == {"nb", "en"}
        fields = [set(re.findall(r"{(\w+)}", entry[lang])) for lang in ("nb", "en")]
        assert fields[0] == fields[1], kind
        assert kind in NYE_METODER_VALUES
    assert {changes.PAGES, changes.DECISIONS} <= set(SOURCE_NAME)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_alert_sentences_match_golden(language: str) -> None:
    """Every kind's sentence, as posted, equals the reviewed golden text."""
    sentences = {kind: describe(e, language) for kind, e in every_kind().items()}  # type: ignore[arg-type]
    row = next(fields for key, fields in decisions().items() if key.startswith("ID2019_015 "))
    (finding,) = appear_decision(row)
    subject = "ID2019_015 (Dupilumab (Dupixent))"
    from_workbook = event(finding, source=changes.DECISIONS, subject=subject, url=DECISION_URL)
    sentences["nyemetoder_decision, from the workbook"] = describe(from_workbook, language)  # type: ignore[arg-type]
    assert_golden(sentences, HERE / f"alerts.{language}.expected.json")


def test_the_decision_alert_is_high_with_its_first_point_and_a_link_to_nyemetoder() -> None:
    """A Beslutningsforum decision is high importance, quotes the first point, links the site."""
    decision = every_kind()[changes.DECISION]
    assert decision.importance == "high"
    message = render_alert(decision, title=METHOD.title, language="nb")
    assert "kan innføres til behandling av alvorlig atopisk dermatitt" in message.text
    urls = re.findall(r"<(https?://[^|>]+)\|", str(message.blocks))
    assert urls and all(is_allowed_url(url) and "nyemetoder.no" in url for url in urls)


def test_text_from_the_site_is_escaped() -> None:
    """A mention or a link in an order text or a badge reaches Slack as harmless text."""
    hostile = "<!channel> <https://evil.example|se her> & co"
    order = Finding(
        changes.ORDER,
        "normal",
        None,
        {"forum": "Bestillerforum RHF", "date": "2019-09-23", "text": hostile, "case": None},
    )
    badge = Finding(changes.STATUS_NEW, "normal", {"status": None}, {"status": hostile})
    for finding in (order, badge):
        text = describe(
            event(finding, source=changes.PAGES, subject="ID2019_015", url=PAGE_URL), "nb"
        )  # type: ignore[arg-type]
        assert "<!channel>" not in text and "<https://evil" not in text
        assert "&lt;!channel&gt;" in text and "&amp; co" in text


# The card, the summary line and App Home


def overview(*pages: str, workbook: bool = False, method: Method = METHOD) -> Overview:
    items = [Item("/metoder/id2019_015/", page(name), PAGE_URL) for name in pages]
    rows = [
        Item(key, fields, DECISION_URL)
        for key, fields in decisions().items()
        if fields["id"] in method.nye_metoder
    ]
    return Overview(method=method, nye_pages=items, nye_decisions=rows if workbook else [])


@pytest.mark.parametrize(
    ("name", "next_step"),
    [
        ("seed_0_proposed", "Neste: Bestillerforum behandler forslaget"),
        ("seed_1_ordered", "Neste: metodevurderingen ferdigstilles"),
        ("seed_2_finished", "Neste: beslutning i Beslutningsforum"),
        ("seed_3_decided", None),
    ],
)
def test_what_comes_next_follows_how_far_the_page_has_come(
    name: str, next_step: str | None
) -> None:
    """Proposal: Bestillerforum; ordered: the assessment; finished: Beslutningsforum; decided:
    nothing more."""
    lines = section_lines(overview(name), "nb")
    found = [line for line in lines if line.startswith("Neste:")]
    assert found == ([next_step] if next_step else [])


def test_the_card_answers_the_outlook_and_the_nye_metoder_status_apart() -> None:
    """The status card keeps the MT outlook line and adds the Nye metoder line beneath it."""
    message = render_card(overview("seed_2_finished", workbook=True), language="nb")
    text = message.blocks[1]["text"]["text"]
    assert "*Tidsperspektiv MT i Norge:*" in text
    assert (
        "*Nye metoder:* Til beslutning · sist: Beslutning i Beslutningsforum (24.02.2020)"
        " · neste: beslutning i Beslutningsforum"
    ) in text


def test_app_home_and_the_card_say_when_nothing_is_read_yet() -> None:
    """Before any read: the card says "ingen data ennå", App Home adds nothing; a method
    without Nye metoder IDs gets no line at all."""
    empty = overview()
    assert card_line(empty, "nb") == "*Nye metoder:* ingen data ennå"
    assert home_phrase(empty, "nb") == ""
    assert home_phrase(overview("seed_3_decided"), "nb").startswith(
        " · Nye metoder: Beslutning foreligger"
    )
    bare = Method(id="x", title="X", substance="x")
    assert card_line(Overview(method=bare), "nb") is None


def test_app_home_lists_the_outlook_and_the_nye_metoder_status() -> None:
    """App Home's line for a method: its title, the MT outlook, then the Nye metoder status."""
    blocks = home_blocks([overview("seed_3_decided")], [], language="nb", zone=ZoneInfo("UTC"))
    lines = "\n".join(blocks_as_text(blocks)).splitlines()
    assert any(
        line.startswith(f"• {METHOD.title} · Nye metoder: Beslutning foreligger") for line in lines
    )
    assert "Uklart (1)" in lines  # under the method's outlook


def test_the_lookup_card_carries_the_section_within_slack_limits() -> None:
    """The /metode card has its Nye metoder section (one block) with links to nyemetoder.no only."""
    message = render_lookup(
        overview("seed_3_decided", workbook=True), language="en", zone=ZoneInfo("Europe/Oslo")
    )
    (block,) = [
        b for b in message.blocks if b.get("text", {}).get("text", "").startswith("*Nye metoder*")
    ]
    text = block["text"]["text"]
    assert len(text) <= 3000
    assert "Beslutningsforum decision: Dupilumab (Dupixent) kan innføres" in text
    assert all(is_allowed_url(u) for u in re.findall(r"<(https?://[^|>]+)\|", text))
