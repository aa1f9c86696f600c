"""What counts as a change of an EMA medicine or procedure, how much it matters, its name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.sources.changes import Fields, Finding, SourceRules, differs, pick

MEDICINES = "ema_medicines"
POST_AUTHORISATION = "ema_post_authorisation"


def compare_medicine(old: Fields, new: Fields) -> list[Finding]:
    """Status, CHMP opinion, EC decision and indication text of an EMA medicine."""
    found = []
    if old.get("medicine_status") != new.get("medicine_status"):
        found.append(
            Finding(
                "ema_status", "high", pick(old, "medicine_status"), pick(new, "medicine_status")
            )
        )
    if new.get("opinion_adopted_date") and old.get("opinion_adopted_date") != new.get(
        "opinion_adopted_date"
    ):
        found.append(
            Finding(
                "ema_opinion",
                "high",
                pick(old, "opinion_adopted_date"),
                pick(new, "opinion_adopted_date", "opinion_status"),
            )
        )
    if new.get("ec_decision_date") and old.get("ec_decision_date") != new.get("ec_decision_date"):
        found.append(
            Finding(
                "ema_decision",
                "high",
                pick(old, "ec_decision_date"),
                pick(new, "ec_decision_date"),
            )
        )
    if old.get("therapeutic_indication") != new.get("therapeutic_indication"):
        found.append(
            Finding(
                "ema_indication",
                "high",
                pick(old, "therapeutic_indication"),
                pick(new, "therapeutic_indication"),
            )
        )
    if not found and differs(old, new, "revision_number", "last_updated_date"):
        found.append(
            Finding(
                "ema_revision",
                "low",
                pick(old, "revision_number"),
                pick(new, "revision_number", "last_updated_date"),
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
            pick(new, "medicine_status", "opinion_status", "holder"),
        )
    ]


def compare_procedure(old: Fields, new: Fields) -> list[Finding]:
    """The status and opinion of a post-authorisation procedure."""
    watched = ("procedure_status", "opinion_status", "opinion_date")
    if not differs(old, new, *watched):
        return []
    return [Finding("ema_procedure_opinion", "high", pick(old, *watched), pick(new, *watched))]


def appear_procedure(new: Fields) -> list[Finding]:
    """A new post-authorisation procedure (e.g. an extension of indication)."""
    return [
        Finding(
            "ema_procedure_new",
            "high",
            None,
            pick(new, "procedure_status", "opinion_status", "opinion_date"),
        )
    ]


def product_subject(key: str, fields: Mapping[str, Any]) -> str:
    """`Dupixent (EMEA/H/C/004390)`: the medicine's name and product number."""
    name = fields.get("name")
    return f"{name} ({fields.get('product_number') or key})" if name else key


MEDICINE_RULES = SourceRules(
    MEDICINES,
    compare_medicine,
    appear_medicine,
    marker="last_updated_date",
    subject=product_subject,
)
PROCEDURE_RULES = SourceRules(
    POST_AUTHORISATION,
    compare_procedure,
    appear_procedure,
    marker="last_updated_date",
    subject=product_subject,
)
