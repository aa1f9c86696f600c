"""What counts as a change of a Drugs@FDA application, how much it matters, how it is named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.sources.changes import Fields, Finding, SourceRules, pick

NAME = "openfda"

# Drugs@FDA supplement classes: efficacy supplements usually carry a new indication.
EFFICACY_CLASSES = {"EFFICACY"}
MINOR_CLASSES = {"LABELING", "MANUF (CMC)", "REMS"}


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
    return [Finding("fda_application_new", "high", None, pick(new, "brand_names", "sponsor_name"))]


def _submission_id(submission: Fields) -> tuple[Any, Any]:
    return submission.get("type"), submission.get("number")


def _submission_importance(submission: Fields) -> str:
    if submission.get("status") != "AP":
        return "normal"
    if submission.get("type") == "ORIG" or submission.get("class_code") in EFFICACY_CLASSES:
        return "high"
    return "low" if submission.get("class_code") in MINOR_CLASSES else "normal"


def application_subject(key: str, fields: Mapping[str, Any]) -> str:
    """`BLA761055 (DUPIXENT)`: the application number and its brand names."""
    brands = fields.get("brand_names") or []
    return f"{key} ({', '.join(brands)})" if brands else key


RULES = SourceRules(NAME, compare_fda, appear_fda, subject=application_subject)
