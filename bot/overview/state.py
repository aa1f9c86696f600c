"""A method's current state (its records from every source) and what it means: the outlook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.watchlist import Method

Fields = dict[str, Any]
RUNNING = {"NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING"}


class Event(Protocol):
    """A detected change as the overview and the texts see it (bot.storage's EventRow is one)."""

    @property
    def method_id(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def old(self) -> dict[str, Any] | None: ...
    @property
    def new(self) -> dict[str, Any] | None: ...
    @property
    def url(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def importance(self) -> str: ...
    @property
    def observed_at(self) -> datetime: ...


@dataclass(frozen=True)
class Item:
    """One stored record of a source: its key, fields and link."""

    key: str
    fields: Fields
    url: str


@dataclass
class Overview:
    """Everything known about a method now, from the local database."""

    method: Method
    trials: list[Item] = field(default_factory=list)
    medicines: list[Item] = field(default_factory=list)
    procedures: list[Item] = field(default_factory=list)
    applications: list[Item] = field(default_factory=list)
    nye_pages: list[Item] = field(default_factory=list)  # Nye metoder method pages
    nye_decisions: list[Item] = field(default_factory=list)  # Beslutningsforum's, from the workbook
    events: Sequence[Event] = field(default_factory=list)  # the latest, newest first
    last_read: dict[str, datetime | None] = field(default_factory=dict)

    @property
    def outlook(self) -> tuple[str, str]:
        """*Tidsperspektiv MT i Norge* as (code, reason code); see `outlook_of`."""
        return outlook_of(self)


def outlook_of(overview: Overview) -> tuple[str, str]:
    """When a marketing authorisation in Norway can be expected, and why.

    Norway follows the EU's centralised procedure, so the EMA state decides: a pending EC decision
    after a CHMP opinion means about six months, a procedure under evaluation about a year, only
    running trials about two years; authorised with nothing pending means now.
    """
    procedures = [p.fields for p in own(overview.procedures, overview.method)]
    medicines = [m.fields for m in own(overview.medicines, overview.method)]
    pending = [p for p in procedures if pending_decision(p)]
    if pending or any(_opinion_without_decision(m) for m in medicines):
        return "6m", "opinion_pending_decision"
    if any(_under_evaluation(p) for p in procedures) or any(
        m.get("start_of_evaluation_date") and not m.get("opinion_adopted_date") for m in medicines
    ):
        return "1y", "under_evaluation"
    if any(fold_status(m.get("medicine_status")) == "authorised" for m in medicines):
        return "now", "authorised"
    if any(t.fields.get("overall_status") in RUNNING for t in overview.trials):
        return "2y", "trials_running"
    return "unclear", "no_information"


def own(items: list[Item], method: Method) -> list[Item]:
    """The EMA items of the method's own products, when it names any (a new product with the
    same substance is news, but it does not decide when this method's MA comes)."""
    if not method.ema_products:
        return items
    return [item for item in items if item.fields.get("product_number") in method.ema_products]


def fold_status(value: Any) -> str:
    """A free-text EMA status compared without case or surrounding space."""
    return str(value or "").strip().casefold()


def _opinion_without_decision(fields: Fields) -> bool:
    decided = fields.get("ec_decision_date") or fields.get("marketing_authorisation_date")
    return bool(fields.get("opinion_adopted_date")) and not decided


def pending_decision(fields: Fields) -> bool:
    # A procedure at "Opinion" has its CHMP opinion and waits for the Commission's decision
    # (earlier procedures of the same product read "Authorised" once decided).
    status = fold_status(fields.get("procedure_status"))
    return status == "opinion" or ("pending" in status and "decision" in status)


def _under_evaluation(fields: Fields) -> bool:
    status = fold_status(fields.get("procedure_status"))
    return "evaluation" in status or ("ongoing" in status and not fields.get("opinion_date"))
