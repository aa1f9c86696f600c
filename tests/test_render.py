"""Alert texts: Norwegian by default, English on request, outside text escaped, safe links."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.storage.tables import EventRow
from bot.texts.alerts import render_alert
from bot.texts.mrkdwn import escape, link

TITLE = "Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år"


def event(kind: str, old: Any, new: Any, **values: Any) -> EventRow:
    defaults: dict[str, Any] = {
        "dedupe_key": "k",
        "method_id": "m",
        "source": "clinicaltrials",
        "record_key": "NCT03054428",
        "kind": kind,
        "importance": "high",
        "old": old,
        "new": new,
        "url": "https://clinicaltrials.gov/study/NCT03054428",
        "subject": "NCT03054428 (LIBERTY AD ADOL)",
        "observed_at": datetime(2026, 11, 25, tzinfo=UTC),
    }
    return EventRow(**(defaults | values))


def test_status_change_in_norwegian() -> None:
    """The trial status alert uses the team's words, old → new, with source and link."""
    message = render_alert(
        event(
            "trial_status",
            {"overall_status": "ACTIVE_NOT_RECRUITING"},
            {"overall_status": "COMPLETED", "why_stopped": None},
        ),
        title=TITLE,
        language="nb",
    )
    assert message.text == (
        f"{TITLE}: NCT03054428 (LIBERTY AD ADOL) har endret status: "
        "Pågående, rekrutterer ikke → Avsluttet"
    )
    (origin,) = [b for b in message.blocks if b["type"] == "context"]
    assert origin["elements"][0]["text"] == (
        "Kilde: ClinicalTrials.gov · <https://clinicaltrials.gov/study/NCT03054428|Åpne hos kilden>"
    )


def test_status_change_in_english_with_reason() -> None:
    """LANGUAGE=en gives English; whyStopped is shown."""
    message = render_alert(
        event(
            "trial_status",
            {"overall_status": "RECRUITING"},
            {"overall_status": "TERMINATED", "why_stopped": "Sponsor decision"},
        ),
        title="Dupilumab",
        language="en",
    )
    assert message.text == (
        "Dupilumab: NCT03054428 (LIBERTY AD ADOL) changed status: Recruiting → Terminated"
    )
    assert message.blocks[1]["text"]["text"] == "Reason: Sponsor decision"


def test_dates_are_written_for_people() -> None:
    """ISO dates become '4. juni 2018'; ESTIMATED/ACTUAL become estimert/faktisk."""
    message = render_alert(
        event(
            "trial_date",
            {"primary_completion": {"date": "2018-06", "type": "ESTIMATED"}},
            {"primary_completion": {"date": "2018-06-04", "type": "ACTUAL"}},
            importance="normal",
        ),
        title="T",
        language="nb",
    )
    assert message.text == (
        "T: NCT03054428 (LIBERTY AD ADOL): primær sluttdato endret: "
        "juni 2018 (estimert) → 4. juni 2018 (faktisk)"
    )


def test_press_release_mentions_are_escaped_everywhere() -> None:
    """`<!channel>` and `<@U1>` from a feed reach Slack as text in fallback and blocks."""
    message = render_alert(
        event(
            "news",
            None,
            {"title": "Recall <!channel> & <@U123> <https://evil.example|x>", "publisher": "FDA"},
            source="fda_rss",
            url="javascript:alert(1)",
            subject="Recall <!channel>",
        ),
        title="<!here> method",
        language="nb",
    )
    payload = json.dumps({"text": message.text, "blocks": message.blocks})
    assert "<!" not in payload
    assert "<@" not in payload
    assert "<https://evil" not in payload
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in message.text
    assert "javascript:" not in payload


def test_indication_change_shows_added_and_removed() -> None:
    """An indication change lists what was added and what was removed."""
    message = render_alert(
        event(
            "ema_indication",
            {"therapeutic_indication": "Adults.\nOld text."},
            {"therapeutic_indication": "Adults.\nAdolescents 12 years and older."},
            source="ema_medicines",
            subject="Dupixent (EMEA/H/C/004390)",
            url="https://www.ema.europa.eu/en/medicines/human/EPAR/dupixent",
        ),
        title="T",
        language="nb",
    )
    assert message.blocks[1]["text"]["text"] == (
        "*Lagt til:* Adolescents 12 years and older\n*Fjernet:* Old text"
    )


def test_alert_carries_show_and_mute_buttons() -> None:
    """Every alert offers "Vis metode" and "Demp i 30 dager" for its method."""
    message = render_alert(
        event("trial_results", None, {"results_first_posted": "2019-05-01"}),
        title="T",
        language="nb",
    )
    (actions,) = [b for b in message.blocks if b["type"] == "actions"]
    assert [(e["action_id"], e["value"], e["text"]["text"]) for e in actions["elements"]] == [
        ("show_method", "m", "Vis metode"),
        ("mute_method", "m", "Demp i 30 dager"),
    ]


def test_escape_only_three_characters() -> None:
    """Exactly &, < and > are escaped; other characters are left alone."""
    assert escape("a & b <c> \"d\" 'e' æøå") == "a &amp; b &lt;c&gt; \"d\" 'e' æøå"


def test_links_only_to_source_hosts() -> None:
    """Allowed https hosts become links; anything else is escaped label text."""
    assert (
        link("https://www.fda.gov/news?a=1&b=2", "FDA")
        == "<https://www.fda.gov/news?a=1&amp;b=2|FDA>"
    )
    assert link("http://www.fda.gov/", "FDA") == "FDA"
    assert link("https://evil.example/", "<b>") == "&lt;b&gt;"
    assert link("https://fda.gov.evil.example/", "x") == "x"


def test_odd_codes_and_dates_from_a_source_are_escaped_not_fatal() -> None:
    """An unknown status `<!here>` or a date like `01/05/2024` is shown escaped, never raised."""
    message = render_alert(
        event(
            "trial_status",
            {"overall_status": "RECRUITING"},
            {"overall_status": "<!here>", "why_stopped": None},
        ),
        title="T",
        language="nb",
    )
    assert "&lt;!here&gt;" in message.text and "<!here>" not in json.dumps(message.blocks)
    dated = render_alert(
        event("trial_results", None, {"results_first_posted": "01/05/2024"}),
        title="T",
        language="nb",
    )
    assert "(01/05/2024)" in dated.text
