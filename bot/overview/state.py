"""A method's current state: its records from every source, its EMA history, its day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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
    def record_key(self) -> str: ...
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


def today_utc() -> date:
    """Today's date (UTC): the default day an overview describes."""
    return datetime.now(UTC).date()


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
    news: list[Item] = field(default_factory=list)  # EMA news items naming the method
    nye_pages: list[Item] = field(default_factory=list)  # Nye metoder method pages
    nye_decisions: list[Item] = field(default_factory=list)  # Beslutningsforum's, from the workbook
    events: Sequence[Event] = field(default_factory=list)  # the latest, newest first
    # The method's changes at the EMA since it was first watched, oldest first (evidence).
    history: Sequence[Event] = field(default_factory=list)
    last_read: dict[str, datetime | None] = field(default_factory=dict)
    today: date = field(default_factory=today_utc)  # the day the outlook is decided for


def own(items: list[Item], method: Method) -> list[Item]:
    """The EMA items of the method's own products, when it names any (a new product with the
    same substance is news, but it does not decide when this method's MA comes)."""
    if not method.ema_products:
        return items
    return [item for item in items if item.fields.get("product_number") in method.ema_products]


def fold_status(value: Any) -> str:
    """A free-text EMA status compared without case or surrounding space."""
    return str(value or "").strip().casefold()
