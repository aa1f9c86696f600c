"""What counts as a change, per source: which fields matter and how much (high/normal/low)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Fields = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One change of one record, before it is tied to a method."""

    kind: str
    importance: str
    old: Fields | None
    new: Fields | None


Compare = Callable[[Fields, Fields], list[Finding]]
Appear = Callable[[Fields], list[Finding]]

STOPPING = {"COMPLETED", "TERMINATED", "SUSPENDED", "WITHDRAWN"}
# Drugs@FDA supplement classes: efficacy supplements usually carry a new indication.
EFFICACY_CLASSES = {"EFFICACY"}
MINOR_CLASSES = {"LABELING", "MANUF (CMC)", "REMS"}


def compare_trial(old: Fields, new: Fields) -> list[Finding]:
    """Status, results, key dates, enrollment and phase of a trial; never lastUpdatePostDate."""
    found = []
    if old.get("overall_status") != new.get("overall_status"):
        importance = "high" if new.get("overall_status") in STOPPING else "normal"
        found.append(
            Finding(
                "trial_status",
                importance,
                _pick(old, "overall_status"),
                _pick(new, "overall_status", "why_stopped"),
            )
        )
    if not old.get("results_first_posted") and new.get("results_first_posted"):
        found.append(Finding("trial_results", "high", None, _pick(new, "results_first_posted")))
    for field in ("primary_completion", "completion"):
        if (old.get(field) or {}) != (new.get(field) or {}):
            found.append(
                Finding("trial_date", "normal", {field: old.get(field)}, {field: new.get(field)})
            )
    for field, kind in (("enrollment", "trial_enrollment"), ("phases", "trial_phase")):
        if old.get(field) != new.get(field):
            found.append(Finding(kind, "normal", _pick(old, field), _pick(new, field)))
    return found


def appear_trial(new: Fields) -> list[Finding]:
    """A trial found by discovery that was not seen before."""
    return [Finding("trial_new", "normal", None, _pick(new, "overall_status", "phases"))]


def compare_fda(old: Fields, new: Fields) -> list[Finding]:
    """New submissions of an application, and status changes of known ones."""
    before = {_submission_id(s): s for s in old.get("submissions") or []}
    found = []
    for submission in new.get("submissions") or []:
        previous = before.get(_submission_id(submission))
        if previous is None:
            found.append(
                Finding(
                    "fda_submission_new",
                    _submission_importance(submission),
                    None,
                    {"submission": submission},
                )
            )
        elif previous.get("status") != submission.get("status"):
            importance = "high" if submission.get("status") == "AP" else "normal"
            found.append(
                Finding(
                    "fda_submission_status",
                    importance,
                    {"submission": previous},
                    {"submission": submission},
                )
            )
    return found


def appear_fda(new: Fields) -> list[Finding]:
    """A new application for a watched substance."""
    return [Finding("fda_application_new", "high", None, _pick(new, "brand_names", "sponsor_name"))]


def _submission_id(submission: Fields) -> tuple[Any, Any]:
    return submission.get("type"), submission.get("number")


def _submission_importance(submission: Fields) -> str:
    if submission.get("status") != "AP":
        return "normal"
    if submission.get("type") == "ORIG" or submission.get("class_code") in EFFICACY_CLASSES:
        return "high"
    return "low" if submission.get("class_code") in MINOR_CLASSES else "normal"


def compare_medicine(old: Fields, new: Fields) -> list[Finding]:
    """Status, CHMP opinion, EC decision and indication text of an EMA medicine."""
    found = []
    if old.get("medicine_status") != new.get("medicine_status"):
        found.append(
            Finding(
                "ema_status", "high", _pick(old, "medicine_status"), _pick(new, "medicine_status")
            )
        )
    if new.get("opinion_adopted_date") and old.get("opinion_adopted_date") != new.get(
        "opinion_adopted_date"
    ):
        found.append(
            Finding(
                "ema_opinion",
                "high",
                _pick(old, "opinion_adopted_date"),
                _pick(new, "opinion_adopted_date", "opinion_status"),
            )
        )
    if new.get("ec_decision_date") and old.get("ec_decision_date") != new.get("ec_decision_date"):
        found.append(
            Finding(
                "ema_decision",
                "high",
                _pick(old, "ec_decision_date"),
                _pick(new, "ec_decision_date"),
            )
        )
    if old.get("therapeutic_indication") != new.get("therapeutic_indication"):
        found.append(
            Finding(
                "ema_indication",
                "high",
                _pick(old, "therapeutic_indication"),
                _pick(new, "therapeutic_indication"),
            )
        )
    if not found and _differs(old, new, "revision_number", "last_updated_date"):
        found.append(
            Finding(
                "ema_revision",
                "low",
                _pick(old, "revision_number"),
                _pick(new, "revision_number", "last_updated_date"),
            )
        )
    return found


def appear_medicine(new: Fields) -> list[Finding]:
    """A medicine with a watched substance that was not on the list before."""
    return [
        Finding(
            "ema_new_product",
            "high",
            None,
            _pick(new, "medicine_status", "opinion_status", "holder"),
        )
    ]


def compare_procedure(old: Fields, new: Fields) -> list[Finding]:
    """The status and opinion of a post-authorisation procedure."""
    watched = ("procedure_status", "opinion_status", "opinion_date")
    if not _differs(old, new, *watched):
        return []
    return [Finding("ema_procedure_opinion", "high", _pick(old, *watched), _pick(new, *watched))]


def appear_procedure(new: Fields) -> list[Finding]:
    """A new post-authorisation procedure (e.g. an extension of indication)."""
    return [
        Finding(
            "ema_procedure_new",
            "high",
            None,
            _pick(new, "procedure_status", "opinion_status", "opinion_date"),
        )
    ]


def appear_news(new: Fields) -> list[Finding]:
    """A news item that names a watched substance or trade name."""
    return [Finding("news", "normal", None, _pick(new, "title", "publisher", "published"))]


def never(_old: Fields, _new: Fields) -> list[Finding]:
    """News items do not change; a re-published item is not news again."""
    return []


def _pick(fields: Fields, *names: str) -> Fields:
    return {name: fields.get(name) for name in names}


def _differs(old: Fields, new: Fields, *names: str) -> bool:
    return any(old.get(name) != new.get(name) for name in names)


@dataclass(frozen=True)
class SourceRules:
    """How one source's records are compared, when a new key alerts, and its version marker."""

    compare: Compare
    appear: Appear
    alert_on_unexpected: bool
    marker: str | None


RULES: dict[str, SourceRules] = {
    "clinicaltrials": SourceRules(compare_trial, appear_trial, True, "last_update_posted"),
    "openfda": SourceRules(compare_fda, appear_fda, True, None),
    "ema_medicines": SourceRules(compare_medicine, appear_medicine, True, "last_updated_date"),
    "ema_post_authorisation": SourceRules(
        compare_procedure, appear_procedure, True, "last_updated_date"
    ),
    "ema_rss": SourceRules(never, appear_news, True, None),
    "fda_rss": SourceRules(never, appear_news, True, None),
}
