"""What counts as a change of a ClinicalTrials.gov study, how much it matters, how it is named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.sources.changes import Fields, Finding, SourceRules, pick
from bot.sources.plaintext import truncate

NAME = "clinicaltrials"

# The API's overallStatus enum (spec 2.0.5, `Status`; reference/sources.md §1). A value outside it
# is schema drift, which detection keeps out of alerts (RULES.vocabularies).
OVERALL_STATUSES = frozenset(
    {
        "ACTIVE_NOT_RECRUITING",
        "COMPLETED",
        "ENROLLING_BY_INVITATION",
        "NOT_YET_RECRUITING",
        "RECRUITING",
        "SUSPENDED",
        "TERMINATED",
        "WITHDRAWN",
        "AVAILABLE",
        "NO_LONGER_AVAILABLE",
        "TEMPORARILY_NOT_AVAILABLE",
        "APPROVED_FOR_MARKETING",
        "WITHHELD",
        "UNKNOWN",
    }
)

# A trial that stops is high importance: its results (or their absence) decide an assessment.
STOPPING = {"COMPLETED", "TERMINATED", "SUSPENDED", "WITHDRAWN"}


def compare_trial(old: Fields, new: Fields) -> list[Finding]:
    """Status, results, key dates, enrollment and phase of a trial; never lastUpdatePostDate."""
    found = []
    if old.get("overall_status") != new.get("overall_status"):
        importance = "high" if new.get("overall_status") in STOPPING else "normal"
        found.append(
            Finding(
                "trial_status",
                importance,
                pick(old, "overall_status"),
                pick(new, "overall_status", "why_stopped"),
            )
        )
    if not old.get("results_first_posted") and new.get("results_first_posted"):
        found.append(Finding("trial_results", "high", None, pick(new, "results_first_posted")))
    for name in ("primary_completion", "completion"):
        if (old.get(name) or {}) != (new.get(name) or {}):
            found.append(
                Finding("trial_date", "normal", {name: old.get(name)}, {name: new.get(name)})
            )
    for name, kind in (("enrollment", "trial_enrollment"), ("phases", "trial_phase")):
        if old.get(name) != new.get(name):
            found.append(Finding(kind, "normal", pick(old, name), pick(new, name)))
    return found


def appear_trial(new: Fields) -> list[Finding]:
    """A trial found by discovery that was not seen before."""
    return [Finding("trial_new", "normal", None, pick(new, "overall_status", "phases"))]


def trial_subject(key: str, fields: Mapping[str, Any]) -> str:
    """`NCT03054428 (LIBERTY AD ADOL)`: the acronym, else the start of the brief title."""
    label = fields.get("acronym") or truncate(str(fields.get("brief_title") or ""), 60)
    return f"{key} ({label})" if label else key


RULES = SourceRules(
    NAME,
    compare_trial,
    appear_trial,
    marker="last_update_posted",
    # A status outside the API's enum is schema drift, kept out of alerts.
    vocabularies={"overall_status": OVERALL_STATUSES},
    subject=trial_subject,
)
