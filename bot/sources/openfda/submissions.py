"""Drugs@FDA applications' parts read strictly: active ingredients and submissions."""

from __future__ import annotations

import re
from typing import Any

from bot.sources.base import JsonValue
from bot.sources.jsonfields import objects, opt

_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def ingredients(products: list[dict[str, Any]]) -> list[str]:
    """The active ingredients' names of every product, in order."""
    found = []
    for product in products:
        for ingredient in objects(product, "active_ingredients"):
            name = opt(ingredient, "name", str)
            if name:
                found.append(name)
    return found


def submissions(application: dict[str, Any]) -> list[JsonValue]:
    """The application's submissions, normalised, oldest first."""
    found = [submission(raw) for raw in objects(application, "submissions")]
    return sorted(found, key=_submission_order)


def submission(raw: dict[str, Any]) -> dict[str, JsonValue]:
    """One submission's fields (dates as ISO)."""
    return {
        "type": opt(raw, "submission_type", str),
        "number": opt(raw, "submission_number", str),
        "status": opt(raw, "submission_status", str),
        "status_date": iso_date(opt(raw, "submission_status_date", str)),
        "class_code": opt(raw, "submission_class_code", str),
        "class_description": opt(raw, "submission_class_code_description", str),
        "review_priority": opt(raw, "review_priority", str),
    }


def _submission_order(submission: dict[str, Any]) -> tuple[str, str, int, str]:
    number = submission["number"] or ""
    numeric = int(number) if number.isdigit() else 0
    return (submission["status_date"] or "", submission["type"] or "", numeric, number)


def iso_date(value: str | None) -> str | None:
    """YYYYMMDD as YYYY-MM-DD."""
    # Drugs@FDA dates are YYYYMMDD; anything else is kept as given rather than failing the batch.
    match = _DATE_RE.match(value or "")
    return "-".join(match.groups()) if match else value
