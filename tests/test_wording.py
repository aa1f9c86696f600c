"""Words a Norwegian reader would not correct: no English status words in Norwegian output, one
date style per line, counts that agree with their nouns."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.ops.status import status_lines
from bot.overview.state import Item, Overview
from bot.overview.summary import Busy, Summary
from bot.overview.upcoming import Due
from bot.slack.views import home_view
from bot.storage import db
from bot.storage.tables import EventRow, SourceState
from bot.texts.alerts import describe, render_alert
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language
from bot.texts.digest import due_line, render_digest
from bot.texts.lookupcard import as_terminal_text, render_list, render_lookup
from bot.texts.statuscard import render_card
from bot.watchlist import Method

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2025, 2, 17, 7, 0, tzinfo=UTC)
# Source vocabularies and health codes as the sources and the database hold them.
ENGLISH = re.compile(
    r"\b(Authorised|Opinion|Positive|Negative|Withdrawn|Refused|Suspended|Efficacy|EFFICACY|"
    r"Labeling|LABELING|SUPPL|ORIG|AP|TA|degraded|stale|pending|COMPLETED|RECRUITING|"
    r"ACTIVE_NOT_RECRUITING|PHASE3)\b"
)
PROSE_DATE = re.compile(
    r"\b\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|"
    r"september|oktober|november|desember) \d{4}\b"
)
TABLE_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
METHOD = Method(
    id="dupilumab-ad-12-17",
    title="Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år",
    substance="dupilumab",
    ema_products=["EMEA/H/C/004390"],
    trials=["NCT02612454"],
    kind="extension",
)
SUPPL = {
    "type": "SUPPL",
    "number": "15",
    "class_code": "EFFICACY",
    "class_description": "Efficacy",
    "status": "AP",
    "status_date": "2019-03-11",
}
PROCEDURE = {
    "procedure_status": "Opinion",
    "opinion_status": "Positive",
    "opinion_date": "2025-01-30",
}
# (kind, source, old, new): every event kind, with the sources' own English values.
CHANGES: list[tuple[str, str, Any, dict[str, Any]]] = [
    (
        "trial_status",
        "clinicaltrials",
        {"overall_status": "RECRUITING"},
        {"overall_status": "COMPLETED"},
    ),
    ("trial_new", "clinicaltrials", None, {"overall_status": "ACTIVE_NOT_RECRUITING"}),
    ("trial_results", "clinicaltrials", None, {"results_first_posted": "2019-07-23"}),
    (
        "trial_date",
        "clinicaltrials",
        {"primary_completion": {"date": "2024-12-20", "type": "ESTIMATED"}},
        {"primary_completion": {"date": "2025-06-30", "type": "ACTUAL"}},
    ),
    (
        "trial_enrollment",
        "clinicaltrials",
        {"enrollment": {"count": 800, "type": "ESTIMATED"}},
        {"enrollment": {"count": 765, "type": "ACTUAL"}},
    ),
    ("trial_phase", "clinicaltrials", {"phases": ["PHASE2"]}, {"phases": ["PHASE3"]}),
    ("fda_submission_new", "openfda", None, {"submission": SUPPL}),
    (
        "fda_submission_new",
        "openfda",
        None,
        {
            "submission": SUPPL
            | {"status": "TA", "class_code": "LABELING", "class_description": "Labeling"}
        },
    ),
    (
        "fda_submission_status",
        "openfda",
        {"submission": SUPPL | {"status": "TA"}},
        {"submission": SUPPL},
    ),
    (
        "ema_new_product",
        "ema_medicines",
        None,
        {"medicine_status": "Opinion", "opinion_status": "Positive"},
    ),
    (
        "ema_status",
        "ema_medicines",
        {"medicine_status": "Opinion"},
        {"medicine_status": "Authorised"},
    ),
    (
        "ema_opinion",
        "ema_medicines",
        {},
        {"opinion_adopted_date": "2025-01-30", "opinion_status": "Positive"},
    ),
    ("ema_decision", "ema_medicines", {}, {"ec_decision_date": "2025-03-27"}),
    ("ema_procedure_new", "ema_post_authorisation", None, PROCEDURE),
    (
        "ema_procedure_opinion",
        "ema_post_authorisation",
        PROCEDURE,
        PROCEDURE | {"procedure_status": "Authorised"},
    ),
]


def event(index: int, kind: str, source: str, old: Any, new: dict[str, Any]) -> EventRow:
    return EventRow(
        id=index,
        method_id=METHOD.id,
        source=source,
        record_key="EMEA/H/C/004390",
        kind=kind,
        importance="high",
        old=old,
        new=new,
        url="https://www.ema.europa.eu/en/medicines/human/EPAR/dupixent",
        subject="Dupixent (EMEA/H/C/004390)",
        observed_at=NOW - timedelta(days=index),
    )


EVENTS = [event(i + 1, *change) for i, change in enumerate(CHANGES)]


def overview() -> Overview:
    """Dupixent as the sources word it: Authorised, a procedure at Opinion, an efficacy SUPPL."""
    medicine = {
        "name": "Dupixent",
        "product_number": "EMEA/H/C/004390",
        "medicine_status": "Authorised",
        "opinion_adopted_date": "2017-07-20",
        "ec_decision_date": "2017-09-26",
    }
    other = {"name": "Example", "product_number": "EMEA/H/C/009990", "medicine_status": "Opinion"}
    return Overview(
        METHOD,
        trials=[
            Item(
                "NCT02612454",
                {"overall_status": "ACTIVE_NOT_RECRUITING", "phases": ["PHASE3"]},
                "https://clinicaltrials.gov/study/NCT02612454",
            )
        ],
        medicines=[
            Item(
                "EMEA/H/C/004390",
                medicine,
                "https://www.ema.europa.eu/en/medicines/human/EPAR/dupixent",
            ),
            Item("EMEA/H/C/009990", other, "https://www.ema.europa.eu/en/medicines/human/EPAR/x"),
        ],
        procedures=[
            Item(
                "EMEA/H/C/004390 2025-01-31",
                {"product_number": "EMEA/H/C/004390"} | PROCEDURE,
                "https://www.ema.europa.eu/",
            )
        ],
        applications=[
            Item(
                "BLA761055",
                {"brand_names": ["DUPIXENT"], "submissions": [SUPPL]},
                "https://www.accessdata.fda.gov/",
            )
        ],
        events=EVENTS[:5],
        today=date(2025, 2, 17),
    )


def surfaces(language: Language) -> dict[str, str]:
    """Every main surface's text: alerts, card, /metode, liste, App Home, the summary."""
    shown = overview()
    summary = Summary(
        NOW - timedelta(days=7), NOW, [Busy(shown, EVENTS)], [shown], 2, 1, len(EVENTS)
    )
    health = [
        (f"source{n}", state, NOW) for n, state in enumerate(("ok", "degraded", "down", "stale"))
    ]
    home = home_view([shown], health, language=language, zone=OSLO)
    messages: dict[str, Message] = {
        "card": render_card(shown, language=language),
        "lookup": render_lookup(shown, language=language, zone=OSLO),
        "list": render_list([shown], language=language),
        "digest": render_digest(summary, language=language, zone=OSLO),
    }
    texts = {
        name: as_terminal_text(message) + "\n" + message.text for name, message in messages.items()
    }
    texts["home"] = str(home)
    for found in EVENTS:
        texts[f"alert {found.kind} {found.id}"] = render_alert(
            found, title="T", language=language
        ).text
    return texts


def test_norwegian_output_has_no_english_status_words() -> None:
    """Statuses, submission types and classes, health words: all in Norwegian on every surface."""
    for name, text in surfaces("nb").items():
        assert not ENGLISH.findall(text), (name, ENGLISH.findall(text), text)


def test_one_date_style_per_line() -> None:
    """No line mixes 04.06.2018 with 4. juni 2018, in either kind of text."""
    for name, text in surfaces("nb").items():
        for line in text.splitlines():
            assert not (PROSE_DATE.search(line) and TABLE_DATE.search(line)), (name, line)


def test_fda_approval_says_what_first() -> None:
    """An approved efficacy supplement: who approved what, then when."""
    sentence = describe(EVENTS[6], "nb")
    assert sentence == (
        "Dupixent (EMEA/H/C/004390): FDA godkjente tilleggssøknad (ny indikasjon eller dosering) "
        "11. mars 2019"
    )
    assert describe(EVENTS[6], "nb", table=True).endswith(" 11.03.2019")


@pytest.mark.parametrize(
    ("language", "total", "events", "expected"),
    [
        ("nb", 1, 1, "0 av 1 metode har nye endringer (1 endring i alt)."),
        ("nb", 2, 3, "0 av 2 metoder har nye endringer (3 endringer i alt)."),
        ("en", 1, 1, "0 of 1 method changed (1 change in all)."),
        ("en", 2, 3, "0 of 2 methods changed (3 changes in all)."),
    ],
)
def test_counts_agree_with_their_nouns(
    language: Language, total: int, events: int, expected: str
) -> None:
    """The summary's fallback: 1 metode / 2 metoder, 1 endring / 3 endringer (and English)."""
    summary = Summary(None, NOW, [], [], total, 0, events)
    assert render_digest(summary, language=language, zone=OSLO).text.endswith(expected)


def test_status_command_speaks_the_configured_language(sessions: db.SessionFactory) -> None:
    """`metodevakt status` in Norwegian: source names and health words from the catalogue."""
    with db.transaction(sessions) as session:
        for source, health in (("openfda", "degraded"), ("ema_medicines", "stale")):
            session.add(SourceState(source=source, health=health, last_success_at=NOW))
    with sessions() as session:
        lines = status_lines(session, zone=OSLO, language="nb")
    assert lines[0].startswith("EMA (legemidler): utdaterte data · sist lest 17.02.2025")
    assert lines[1].startswith("FDA (Drugs@FDA): ustabil · sist lest")
    assert not ENGLISH.findall("\n".join(lines))


def test_due_lines_read_as_sentences() -> None:
    """The summary's milestones: the EC decision by its deadline, an overdue one, MT in Norway."""
    lines = {
        kind: due_line(Due(kind, "Dupixent", "2019-09-02", after="2019-06-27"), "nb")
        for kind in ("decision", "decision_overdue", "mt_norway")
    }
    assert lines["decision"] == (
        "Dupixent: EU-kommisjonens vedtak ventes senest 2. september 2019 "
        "(67 dager etter CHMP-uttalelsen 27. juni 2019)"
    )
    assert lines["decision_overdue"].startswith(
        "Dupixent: fristen for EU-kommisjonens vedtak gikk ut 2. september 2019"
    )
    assert lines["mt_norway"].startswith("Dupixent: MT i Norge ventes rundt 2. september 2019")
