"""Detection rules: baseline, absence, importance per source, deterministic dedupe keys."""

from __future__ import annotations

from typing import Any

from bot.detection.detect import Known, detect
from bot.sources import clinicaltrials, ema, openfda
from bot.sources.base import Record
from bot.sources.changes import SourceRules
from bot.sources.news.changes import FDA_NEWS, news_rules

RULES: dict[str, SourceRules] = {
    clinicaltrials.NAME: clinicaltrials.RULES,
    openfda.NAME: openfda.RULES,
    ema.MEDICINES: ema.MEDICINE_RULES,
    FDA_NEWS: news_rules(FDA_NEWS),
}

M = "dupilumab-ad-12-17"
BASELINED = frozenset({M})


def trial(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "acronym": "LIBERTY AD ADOL",
        "brief_title": "Dupilumab in adolescents",
        "overall_status": "ACTIVE_NOT_RECRUITING",
        "why_stopped": None,
        "phases": ["PHASE3"],
        "enrollment": {"count": 251, "type": "ESTIMATED"},
        "primary_completion": {"date": "2018-06", "type": "ESTIMATED"},
        "completion": {"date": "2018-06", "type": "ESTIMATED"},
        "results_first_posted": None,
        "has_results": False,
        "last_update_posted": "2018-01-02",
    }
    return fields | changes


def rec(key: str, fields: dict[str, Any], source: str = "clinicaltrials") -> Record:
    return Record(source, key, fields, f"https://clinicaltrials.gov/study/{key}", (M,))


def known(fields: dict[str, Any], missing: int = 0) -> Known:
    return Known(fields, "https://clinicaltrials.gov/study/NCT03054428", (M,), missing)


def run(
    previous: dict[str, Known],
    records: list[Record],
    *,
    source: str = "clinicaltrials",
    expected: frozenset[str] = frozenset({"NCT03054428"}),
    baselined: frozenset[str] = BASELINED,
):
    return detect(RULES[source], previous, records, expected_keys=expected, baselined=baselined)


def kinds(outcome: Any) -> list[tuple[str, str]]:
    return [(c.kind, c.importance) for c in outcome.changes]


def test_first_poll_is_a_silent_baseline() -> None:
    """With no baseline for the method, records are stored and nothing is alerted."""
    outcome = run({}, [rec("NCT03054428", trial())], baselined=frozenset())
    assert outcome.changes == [] and [r.key for r in outcome.present] == ["NCT03054428"]


def test_newly_watched_trial_is_silent() -> None:
    """A watched trial seen for the first time (method added later) is its own baseline."""
    assert run({}, [rec("NCT03054428", trial())]).changes == []


def test_status_change_to_completed_is_high_and_says_old_and_new() -> None:
    """ACTIVE_NOT_RECRUITING → COMPLETED is one high-importance change with old and new."""
    outcome = run(
        {"NCT03054428": known(trial())}, [rec("NCT03054428", trial(overall_status="COMPLETED"))]
    )
    (change,) = outcome.changes
    assert (change.kind, change.importance) == ("trial_status", "high")
    assert change.old == {"overall_status": "ACTIVE_NOT_RECRUITING"}
    assert change.new == {"overall_status": "COMPLETED", "why_stopped": None}
    assert change.subject == "NCT03054428 (LIBERTY AD ADOL)"


def test_recruiting_change_is_normal() -> None:
    """A status change that does not stop the trial is normal importance."""
    outcome = run(
        {"NCT03054428": known(trial(overall_status="NOT_YET_RECRUITING"))},
        [rec("NCT03054428", trial(overall_status="RECRUITING"))],
    )
    assert kinds(outcome) == [("trial_status", "normal")]


def test_last_update_alone_is_never_an_alert() -> None:
    """Only lastUpdatePostDate moved: nothing to tell."""
    outcome = run(
        {"NCT03054428": known(trial())},
        [rec("NCT03054428", trial(last_update_posted="2019-01-01"))],
    )
    assert outcome.changes == []


def test_results_dates_enrollment_phase() -> None:
    """Results posted is high; ESTIMATED → ACTUAL, enrollment and phase are normal."""
    new = trial(
        results_first_posted="2019-05-01",
        has_results=True,
        primary_completion={"date": "2018-06-04", "type": "ACTUAL"},
        enrollment={"count": 251, "type": "ACTUAL"},
        phases=["PHASE2", "PHASE3"],
    )
    outcome = run({"NCT03054428": known(trial())}, [rec("NCT03054428", new)])
    assert kinds(outcome) == [
        ("trial_results", "high"),
        ("trial_date", "normal"),
        ("trial_enrollment", "normal"),
        ("trial_phase", "normal"),
    ]


def test_absence_needs_three_authoritative_misses() -> None:
    """Missing once or twice only counts; the third miss in a row is a low 'no longer listed'."""
    count = 0
    for miss in (1, 2):  # the promise is three (reliability.md), not whatever the constant says
        outcome = run({"NCT03054428": known(trial(), missing=count)}, [])
        assert outcome.changes == [] and outcome.missing == {"NCT03054428": miss}
        count = outcome.missing["NCT03054428"]
    third = run({"NCT03054428": known(trial(), missing=count)}, [])
    assert third.missing == {"NCT03054428": 3}
    assert kinds(third) == [("no_longer_listed", "low")]
    fourth = run({"NCT03054428": known(trial(), missing=3)}, [])
    assert fourth.changes == []  # told once, not again on every later miss


def test_absence_from_a_non_authoritative_answer_counts_nothing() -> None:
    """A key the answer was not authoritative for (search, feed) is never missing."""
    outcome = run({"NCT09999999": known(trial())}, [], expected=frozenset())
    assert outcome.missing == {} and outcome.changes == []


def test_discovered_trial_is_new() -> None:
    """A trial found by discovery that was never seen before is a normal 'new trial'."""
    outcome = run({}, [rec("NCT05000000", trial(overall_status="RECRUITING"))])
    assert kinds(outcome) == [("trial_new", "normal")]


def test_same_change_same_key_and_marker_separates_repeats() -> None:
    """Re-detecting a change gives the same key; the same flip at a later version does not."""
    previous = {"NCT03054428": known(trial())}
    records = [rec("NCT03054428", trial(overall_status="COMPLETED"))]
    first, again = run(previous, records), run(previous, records)
    later = run(
        previous,
        [rec("NCT03054428", trial(overall_status="COMPLETED", last_update_posted="2020-01-01"))],
    )
    assert first.changes[0].dedupe_key == again.changes[0].dedupe_key
    assert first.changes[0].dedupe_key != later.changes[0].dedupe_key


def test_duplicate_records_merge_methods() -> None:
    """A trial from a watched batch and from discovery is one record for both methods."""
    a = Record("clinicaltrials", "NCT03054428", trial(), "u", ("a",))
    b = Record("clinicaltrials", "NCT03054428", trial(), "u", ("b",))
    outcome = run({}, [a, b])
    assert [r.method_ids for r in outcome.present] == [("a", "b")]


def submission(**values: Any) -> dict[str, Any]:
    return {
        "type": "SUPPL",
        "number": "15",
        "status": "AP",
        "status_date": "2019-03-11",
        "class_code": "EFFICACY",
        "class_description": "Efficacy",
        "review_priority": "PRIORITY",
    } | values


def test_fda_efficacy_supplement_is_high_labeling_is_low() -> None:
    """A new approved efficacy supplement is high; a labeling supplement waits (low)."""
    old = {"brand_names": ["DUPIXENT"], "submissions": [submission(type="ORIG", number="1")]}
    new = old | {
        "submissions": [
            *old["submissions"],
            submission(),
            submission(number="16", class_code="LABELING"),
        ]
    }
    records = [Record("openfda", "BLA761055", new, "u", (M,))]
    outcome = run(
        {"BLA761055": Known(old, "u", (M,))},
        records,
        source="openfda",
        expected=frozenset({"BLA761055"}),
    )
    assert kinds(outcome) == [("fda_submission_new", "high"), ("fda_submission_new", "low")]
    assert outcome.changes[0].subject == "BLA761055 (DUPIXENT)"


def medicine(**values: Any) -> dict[str, Any]:
    return {
        "name": "Dupixent",
        "product_number": "EMEA/H/C/004390",
        "medicine_status": "Authorised",
        "opinion_adopted_date": "2017-07-20",
        "ec_decision_date": "2017-09-26",
        "therapeutic_indication": "Adults.",
        "revision_number": "10",
        "last_updated_date": "2020-01-01",
    } | values


def test_ema_indication_change_is_high() -> None:
    """A changed indication text is high, carrying old and new text."""
    new = medicine(therapeutic_indication="Adults.\nAdolescents 12 years and older.")
    records = [Record("ema_medicines", "EMEA/H/C/004390", new, "u", (M,))]
    outcome = run(
        {"EMEA/H/C/004390": Known(medicine(), "u", (M,))},
        records,
        source="ema_medicines",
        expected=frozenset({"EMEA/H/C/004390"}),
    )
    assert kinds(outcome) == [("ema_indication", "high")]
    assert outcome.changes[0].subject == "Dupixent (EMEA/H/C/004390)"


def test_ema_revision_alone_is_low_and_new_product_high() -> None:
    """A revision bump alone is low; an unknown product with the substance is high."""
    bumped = [
        Record("ema_medicines", "EMEA/H/C/004390", medicine(revision_number="11"), "u", (M,)),
        Record("ema_medicines", "EMEA/H/C/009999", medicine(name="Dupi"), "u", (M,)),
    ]
    outcome = run(
        {"EMEA/H/C/004390": Known(medicine(), "u", (M,))},
        bumped,
        source="ema_medicines",
        expected=frozenset({"EMEA/H/C/004390"}),
    )
    assert kinds(outcome) == [("ema_revision", "low"), ("ema_new_product", "high")]


def test_news_item_is_new_once() -> None:
    """A feed item naming the drug alerts once; seen again it is nothing."""
    item = Record(
        "fda_rss", "guid-1", {"title": "FDA approves Dupixent", "publisher": "FDA"}, "u", (M,)
    )
    first = run({}, [item], source="fda_rss", expected=frozenset())
    again = run(
        {"guid-1": Known(item.fields, "u", (M,))}, [item], source="fda_rss", expected=frozenset()
    )
    assert kinds(first) == [("news", "normal")] and again.changes == []
