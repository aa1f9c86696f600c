"""Candidates at openFDA: recent original approvals and efficacy supplements in scope.

The bot's own queries ask only for watched applications and substances, so candidates take one
bounded query of their own per cycle: every application with a submission whose status date is
in the window (open.fda.gov "Dates and ranges": `[min+TO+max]`, inclusive). Drugs@FDA carries no
ATC code and no indication, so an approval is in scope only when its substance is one EMA's
medicines file put in scope (ScanContext.known): a US-first substance EMA has never listed is
missed. Generics (ANDA) are never candidates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.sources.base import ParseError
from bot.sources.evidence import Evidence, Term
from bot.sources.jsonfields import module, objects, opt, strings
from bot.sources.openfda.changes import EFFICACY_CLASSES, NAME
from bot.sources.openfda.submissions import ingredients, submission
from bot.sources.scanning import ScanContext, ScanQuery

STATUS_DATE = "submissions.submission_status_date"
APPROVED = "AP"


def recent_query(url: str, context: ScanContext, *, limit: str) -> ScanQuery:
    """Applications with a submission dated in the window (spaces go out as '+')."""
    window = f"[{context.since:%Y%m%d} TO {context.today:%Y%m%d}]"
    params = (("search", f"{STATUS_DATE}:{window}"), ("limit", limit))
    return ScanQuery(NAME, url, params, ok_statuses=frozenset({200, 404}))


def approval_evidence(results: list[Any], context: ScanContext, *, link: str) -> list[Evidence]:
    """Evidence from approved ORIG submissions and efficacy supplements in the window, for
    substances in scope and not watched. `link` is the application page, with `{}` for its
    number's digits."""
    found = []
    for application in results:
        if not isinstance(application, dict):
            raise ParseError("a result is not a JSON object")
        number = opt(application, "application_number", str) or ""
        names = _names(application)
        if number.startswith("ANDA") or not number or context.excluded(names):
            continue
        known = context.known_term(names)
        if known is None:
            continue
        url = link.format("".join(ch for ch in number if ch.isdigit()))
        for item in _approvals(application, context):
            found.append(_evidence(application, number, item, known, url=url))
    return found


def _names(application: dict[str, Any]) -> list[str]:
    products = objects(application, "products")
    generic = strings(module(application, "openfda"), "generic_name")
    brands = [opt(product, "brand_name", str) or "" for product in products]
    return [*generic, *ingredients(products), *brands]


def _approvals(application: dict[str, Any], context: ScanContext) -> Iterator[dict[str, Any]]:
    for raw in objects(application, "submissions"):
        item = submission(raw)
        efficacy = item["class_code"] in EFFICACY_CLASSES
        if item["status"] != APPROVED or not context.recent(item["status_date"]):
            continue
        if item["type"] == "ORIG" or efficacy:
            yield item


def _evidence(
    application: dict[str, Any],
    number: str,
    item: dict[str, Any],
    known: tuple[str, Term],
    *,
    url: str,
) -> Evidence:
    substance, term = known
    kind = "fda_original" if item["type"] == "ORIG" else "fda_efficacy"
    brands = sorted({opt(p, "brand_name", str) or "" for p in objects(application, "products")})
    facts = {
        "application": number,
        "brand_names": [brand for brand in brands if brand],
        "sponsor": opt(application, "sponsor_name", str),
        "submission": f"{item['type']} {item['number']}",
        "class_description": item["class_description"],
        "review_priority": item["review_priority"],
        "date": item["status_date"],
    }
    key = f"{number} {item['type']}-{item['number']}"
    return Evidence(NAME, key, kind, substance, term, item["status_date"], url, facts)
