"""Nye metoder change rules: the seed method's Norwegian timeline, badges, orders, documents,
decisions from both sources as one identity, and how records are named."""

from __future__ import annotations

import copy
from typing import Any

from bot.sources.changes import Finding
from bot.sources.nyemetoder import changes
from bot.sources.nyemetoder.changes import (
    compare_decision,
    compare_page,
    decision_identity,
    decision_subject,
    page_subject,
)
from bot.sources.nyemetoder.decisions import read_decisions
from bot.sources.nyemetoder.pages import read_page
from tests.golden import FIXTURES

HERE = FIXTURES / "nyemetoder"


def page(name: str) -> dict[str, Any]:
    return read_page((HERE / f"{name}.html").read_bytes())


def decision(nye_id: str) -> dict[str, Any]:
    decisions = read_decisions((HERE / "decisions.xlsx").read_bytes()).values()
    return next(fields for fields in decisions if fields["id"] == nye_id)


def kinds(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.kind, f.importance) for f in findings]


# The seed method's Norwegian timeline


def test_assessment_ordered_to_finished_is_three_normal_steps_and_a_document() -> None:
    """Ordered → finished: new badge, assessment started and finished, the report published."""
    found = compare_page(page("seed_1_ordered"), page("seed_2_finished"))
    assert kinds(found) == [
        ("nyemetoder_status", "normal"),
        ("nyemetoder_assessment_started", "normal"),
        ("nyemetoder_assessment_finished", "normal"),
        ("nyemetoder_document", "normal"),
    ]
    finished = found[2]
    assert finished.old == {"finished": None}
    assert finished.new == {
        "finished": "2020-01-28",
        "cleared": "2020-02-04",
        "type": "Hurtig metodevurdering",
    }
    assert found[3].new == {"title": "Metodevurdering", "date": "2020-02-04", "label": "publisert"}


def test_beslutningsforum_decision_is_high_and_carries_the_first_point() -> None:
    """Finished → decided: the badge and the decision of 24.02.2020 with its first point."""
    found = compare_page(page("seed_2_finished"), page("seed_3_decided"))
    assert kinds(found) == [("nyemetoder_status", "normal"), ("nyemetoder_decision", "high")]
    assert found[1].old == {"decision_date": None}
    assert found[1].new == {
        "decision_date": "2020-02-24",
        "ids": ["ID2019_015"],
        "first_point": "Dupilumab (Dupixent) kan innføres til behandling av alvorlig atopisk "
        "dermatitt hos pasienter i alder 12 til og med 17 år der systemisk behandling er indisert.",
        "responsible": "Beslutningsforum for nye metoder",
    }


def test_an_assessment_ordered_is_told_with_its_type_and_assessor() -> None:
    """A page without 'Oppdrag gitt' that gains it is an assessment ordered."""
    before = page("seed_1_ordered")
    before["assessment"] = dict.fromkeys(before["assessment"])
    (found,) = [f for f in compare_page(before, page("seed_1_ordered")) if "assessment" in f.kind]
    assert (found.kind, found.new) == (
        "nyemetoder_assessment_ordered",
        {
            "ordered": "2019-09-23",
            "type": "Hurtig metodevurdering",
            "assessor": "Statens legemiddelverk",
        },
    )


def test_the_same_page_twice_is_no_change() -> None:
    """Reading an unchanged page again finds nothing."""
    for name in ("p1_dupilumab_indikasjon_vi", "p2_dupilumab_dupixent", "seed_3_decided"):
        assert compare_page(page(name), page(name)) == []


# Badges, orders, documents


def test_an_unseen_badge_is_a_new_status_stored_verbatim() -> None:
    """A badge outside the known ones is still alerted, as a new status, word for word."""
    (found,) = compare_page(page("p1_dupilumab_indikasjon_vi"), page("unknown_badge"))[:1]
    assert (found.kind, found.importance) == ("nyemetoder_status_new", "normal")
    assert (found.old, found.new) == (
        {"status": "Beslutning foreligger"},
        {"status": "Under revurdering"},
    )


def test_a_badge_that_disappears_is_not_a_status_change() -> None:
    """No badge (an older layout) is no news; only a new badge is."""
    without = page("p1_dupilumab_indikasjon_vi") | {"status": None}
    assert [f.kind for f in compare_page(page("p1_dupilumab_indikasjon_vi"), without)] == []


def test_a_new_bestillerforum_decision_is_one_finding_with_its_case() -> None:
    """An order not on the page before, by forum and date, is told with text and case number."""
    before = page("p1_dupilumab_indikasjon_vi") | {"orders": []}
    (found,) = compare_page(before, page("p1_dupilumab_indikasjon_vi"))
    assert (found.kind, found.importance, found.old) == ("nyemetoder_order", "normal", None)
    assert (found.new or {})["case"] == "197-21"


def test_only_documents_not_listed_before_are_new() -> None:
    """Documents are known by title and date; a newly listed one is one finding."""
    after = page("vii_dupilumab_indikasjon_vii")
    before = copy.deepcopy(after)
    before["documents"] = after["documents"][:-1]
    found = compare_page(before, after)
    assert [(f.kind, (f.new or {})["title"]) for f in found] == [
        ("nyemetoder_document", "Prisnotat")
    ]


def test_an_older_page_is_finished_when_its_report_is_cleared() -> None:
    """Without 'Ferdigstilt', the day Bestillerforum cleared the report ends the assessment."""
    after = page("p2_dupilumab_dupixent")
    before = copy.deepcopy(after)
    before["assessment"]["cleared"] = None
    (found,) = compare_page(before, after)
    assert (found.kind, (found.new or {})["cleared"]) == (
        "nyemetoder_assessment_finished",
        "2020-02-04",
    )


# Decisions from the workbook, and one identity for both sources


def test_a_new_workbook_decision_is_high() -> None:
    """A watched ID's row not seen before is a Beslutningsforum decision."""
    (found,) = changes.appear_decision(decision("ID2019_015"))
    assert (found.kind, found.importance, found.old) == ("nyemetoder_decision", "high", None)
    assert (found.new or {})["decision_short"] == "Innført"


def test_a_new_decision_date_in_the_workbook_is_a_new_decision() -> None:
    """The row of an ID and indication with a later date is a new decision (high)."""
    old = decision("ID2019_015") | {"decision_date": "2019-01-28"}
    (found,) = compare_decision(old, decision("ID2019_015"))
    assert (found.kind, found.importance, found.old) == (
        "nyemetoder_decision",
        "high",
        {"decision_date": "2019-01-28"},
    )


def test_new_wording_on_the_same_date_is_a_low_revision() -> None:
    """A changed short or full text without a new date is a revision, for the summary."""
    old = decision("ID2019_015") | {"decision_short": "Innført med vilkår"}
    (found,) = compare_decision(old, decision("ID2019_015"))
    assert (found.kind, found.importance) == ("nyemetoder_decision_revised", "low")
    assert compare_decision(decision("ID2019_015"), decision("ID2019_015")) == []


def test_a_decision_from_the_page_and_the_workbook_shares_one_identity() -> None:
    """The page's and the workbook's finding for 24.02.2020 are one decision for one method."""
    (from_page,) = [
        f
        for f in compare_page(page("seed_2_finished"), page("seed_3_decided"))
        if f.kind == "nyemetoder_decision"
    ]
    (from_workbook,) = changes.appear_decision(decision("ID2019_015"))
    assert from_page.kind == from_workbook.kind
    assert decision_identity(from_page.new or {}) == decision_identity(from_workbook.new or {})
    assert decision_identity(from_page.new or {}) == "beslutningsforum 2020-02-24"
    other = changes.appear_decision(decision("ID2021_121"))[0]
    assert decision_identity(other.new or {}) != decision_identity(from_page.new or {})


def test_rules_say_pages_are_watched_and_decision_rows_discovered() -> None:
    """Pages never alert on first sight (expected keys); a new decision row does."""
    assert changes.PAGE_RULES.alert_on_unexpected is False
    assert changes.PAGE_RULES.appear(page("p1_dupilumab_indikasjon_vi")) == []
    assert changes.DECISION_RULES.alert_on_unexpected is True


# Subjects


def test_records_are_named_by_their_ids_and_names() -> None:
    """'ID2019_015 (Dupilumab (Dupixent))' for a page and for a workbook decision."""
    assert page_subject("/metoder/x/", page("seed_3_decided")) == (
        "ID2019_015 (Dupilumab (Dupixent))"
    )
    assert page_subject("/metoder/dupilumab-dupixent/", page("p2_dupilumab_dupixent")) == (
        "ID2017_055, ID2018_113, ID2019_082 (Dupilumab (Dupixent))"
    )
    assert decision_subject("k", decision("ID2019_015")) == ("ID2019_015 (Dupilumab (Dupixent))")
    assert decision_subject("k", decision("ID2016_004A")) == "ID2016_004A"
