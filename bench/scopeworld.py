"""What a team's scope finds in the synthetic registries: the scope, and the recent news in it.

The watchlist's `scope:` names an ATC prefix and three conditions that part of the registries fall
in: the EMA rows copy the recorded rows in rotation (3 of their 26 under L01, 5 with asthma as
their MeSH area, melanoma in 2), the trials use 20 real condition names (3 in the scope). News is
recent by the registry's clock: one unwatched EMA medicine in 40 has an event of the last four
weeks (start of evaluation, CHMP opinion or EC decision, in rotation) and one unwatched procedure
in 50 a recent opinion; one other study in 23 is newly registered (first posted the day of its
update); openFDA's recent approvals are in bench/applications.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

SCOPE = {"atc": ["L01"], "conditions": ["asthma", "melanoma", "multiple myeloma"]}
MEDICINE_EVENTS = (
    "start_of_evaluation_date",
    "opinion_adopted_date",
    "european_commission_decision_date",
)


def _ema_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def recent_medicine(row: int, record: dict[str, Any], *, today: date) -> None:
    """Give one unwatched medicine in 40 an event of the last four weeks (in place)."""
    if row % 40 != 7:
        return
    field = MEDICINE_EVENTS[row // 40 % len(MEDICINE_EVENTS)]
    record[field] = _ema_day(today - timedelta(days=row % 28))


def recent_procedure(row: int, record: dict[str, Any], *, today: date) -> None:
    """Give one unwatched post-authorisation procedure in 50 a recent opinion (in place)."""
    if row % 50 == 11:
        record["post_authorisation_opinion_date"] = _ema_day(today - timedelta(days=row % 25))
        record["post_authorisation_opinion_status"] = "Positive"


def first_posted(serial: int, *, updated: str) -> str:
    """When another study was first posted: the day of its update for one in 23 (newly
    registered), else years ago."""
    return updated if serial % 23 == 0 else f"{2012 + serial % 10}-{1 + serial % 12:02d}-03"


PHASES = (
    ["PHASE3"],
    ["PHASE2"],
    ["PHASE1"],
    ["NA"],
    ["PHASE2", "PHASE3"],
    ["PHASE4"],
    ["PHASE1", "PHASE2"],
)
INTERVENTION_TYPES = ("DRUG", "BIOLOGICAL", "DRUG", "DEVICE", "DRUG", "BEHAVIORAL", "DRUG")
