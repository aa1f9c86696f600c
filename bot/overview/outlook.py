"""*Tidsperspektiv MT i Norge*: the one decision every surface shows, with its deciding fact.

Norway follows the EU's centralised procedure through the EEA agreement, so the road is the EU's:
trials running (Om 2 år) → application under evaluation (Om 1 år) → CHMP opinion, awaiting the
European Commission's decision (Om 6 mnd) → EC decision, Norway following within about 30 days
(Nå) → authorised in Norway (Nå). The most advanced state the evidence shows wins; among facts
of one state the more telling, then the later one (`evidence.Fact.rank`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.overview.evidence import Fact, extension_facts, method_kind, product_facts, trial_facts
from bot.overview.state import Overview

LABEL = {
    "unclear": "unclear",
    "trials": "2y",
    "evaluation": "1y",
    "opinion": "6m",
    "decision": "now",
    "authorised": "now",
}
# Regulation (EC) No 726/2004, art. 10(1): the Commission prepares its decision within 15 days of
# the CHMP opinion and adopts it within 67 days of receiving it (the legal deadline used here).
EC_DECISION_DAYS = timedelta(days=67)
# The EEA agreement: the Norwegian Medicines Agency grants the same MA about 30 days after the
# Commission's decision.
NORWAY_DAYS = timedelta(days=30)


@dataclass(frozen=True)
class Milestone:
    """An expected date and the rule it follows: `kind` "ec_decision" (67 days after the CHMP
    opinion) or "mt_norway" (about 30 days after the EC decision), counted from `after`."""

    kind: str
    by: str  # ISO date
    after: str  # ISO date of the fact it is counted from
    overdue: bool = False


@dataclass(frozen=True)
class Outlook:
    """Where a method stands on the road to an MA in Norway, why, and what is expected when."""

    kind: str  # "extension" or "new_product"
    state: str  # one of evidence.STATES
    fact: Fact | None = None  # the fact that decided it
    expected: tuple[Milestone, ...] = ()

    @property
    def overdue(self) -> Milestone | None:
        """The EC decision, when its legal deadline passed without one being recorded."""
        return next((m for m in self.expected if m.overdue), None)

    @property
    def label(self) -> str:
        """Nå, Om 6 mnd, Om 1 år, Om 2 år or Uklart, as a code (an overdue decision: Uklart)."""
        return "unclear" if self.overdue else LABEL[self.state]

    @property
    def reason(self) -> str:
        """Why, as a code: the state, or `overdue` for an EC decision past its deadline."""
        return "overdue" if self.overdue else self.state


def outlook_of(overview: Overview) -> Outlook:
    """The outlook of a method on `overview.today`, from every source's evidence."""
    kind = method_kind(overview)
    facts = [*trial_facts(overview)]
    facts += extension_facts(overview) if kind == "extension" else product_facts(overview)
    fact = max(facts, key=lambda found: found.rank, default=None)
    if fact is None:
        return Outlook(kind, "unclear")
    return _dated(kind, fact, today=overview.today)


def _dated(kind: str, fact: Fact, *, today: date) -> Outlook:
    """The outlook of the deciding fact, with the dates that follow from it."""
    when = _day(fact.date)
    if fact.state == "opinion" and when is not None:
        by = when + EC_DECISION_DAYS
        expected = Milestone("ec_decision", by.isoformat(), when.isoformat(), overdue=by < today)
        return Outlook(kind, "opinion", fact, (expected,))
    if fact.state == "decision" and when is not None:
        by = when + NORWAY_DAYS
        if by < today:
            return Outlook(kind, "authorised", fact)
        return Outlook(
            kind, "decision", fact, (Milestone("mt_norway", by.isoformat(), fact.date or ""),)
        )
    return Outlook(kind, fact.state, fact)


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None  # a partial or odd date: the state stands, its dates are unknown
