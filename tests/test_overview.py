"""Tidsperspektiv MT i Norge: derived from the EMA state of the method's own products."""

from __future__ import annotations

from typing import Any

from bot.overview.state import Item, Overview, outlook_of
from bot.watchlist import Method

METHOD = Method(
    id="dupi", title="Dupilumab", substance="dupilumab", ema_products=["EMEA/H/C/004390"]
)


def medicine(number: str, **fields: Any) -> Item:
    return Item(number, {"product_number": number} | fields, "https://www.ema.europa.eu/")


def procedure(status: str) -> Item:
    fields = {"product_number": "EMEA/H/C/004390", "procedure_status": status}
    return Item("EMEA/H/C/004390 2024-12-12", fields, "https://www.ema.europa.eu/")


def test_authorised_with_nothing_pending_is_now() -> None:
    """Authorised and no procedure waiting: Nå."""
    overview = Overview(
        METHOD, medicines=[medicine("EMEA/H/C/004390", medicine_status="Authorised")]
    )
    assert outlook_of(overview) == ("now", "authorised")


def test_extension_with_opinion_waits_for_the_commission() -> None:
    """A post-authorisation procedure at 'Opinion' (extension of indication): Om 6 mnd."""
    overview = Overview(
        METHOD,
        medicines=[medicine("EMEA/H/C/004390", medicine_status="Authorised")],
        procedures=[procedure("Opinion")],
    )
    assert outlook_of(overview) == ("6m", "opinion_pending_decision")


def test_another_product_with_the_substance_does_not_decide() -> None:
    """A different product's pending opinion is news, not this method's outlook."""
    other = medicine(
        "EMEA/H/C/009990", medicine_status="Opinion", opinion_adopted_date="2025-01-30"
    )
    overview = Overview(
        METHOD, medicines=[medicine("EMEA/H/C/004390", medicine_status="Authorised"), other]
    )
    assert outlook_of(overview) == ("now", "authorised")


def test_only_running_trials_or_nothing() -> None:
    """No EMA product: running trials mean Om 2 år; nothing known means Uklart."""
    trial = Item("NCT1", {"overall_status": "RECRUITING"}, "https://clinicaltrials.gov/")
    assert outlook_of(Overview(METHOD, trials=[trial])) == ("2y", "trials_running")
    assert outlook_of(Overview(METHOD)) == ("unclear", "no_information")
