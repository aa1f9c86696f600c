"""What is due for a method in the next six months: trial completions and EC decisions (data)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from bot.overview.state import Overview, own, pending_decision

# "The next six months" (a calendar half-year is 181-184 days).
HORIZON = timedelta(days=183)
# The European Commission adopts its decision within 67 days of the CHMP opinion.
EC_DECISION_DAYS = timedelta(days=67)


@dataclass(frozen=True)
class Due:
    """One milestone due: a trial's estimated primary completion, or an awaited EC decision.

    `when` is an ISO date (a registry's may be partial, "2026-11"); for a decision it is the
    legal deadline (None when the opinion date is odd) and `opinion` the CHMP opinion's date.
    """

    kind: str  # "trial", "decision" or "decision_overdue"
    label: str
    when: str | None
    url: str | None = None
    opinion: str | None = None

    @property
    def order(self) -> str:
        """Sorts milestones by date."""
        return self.when or self.opinion or ""


def due(overview: Overview, *, today: date) -> list[Due]:
    """Estimated primary completions within six months and awaited EC decisions, by date."""
    found = list(completions_due(overview, today=today))
    if overview.outlook[0] == "6m":
        found += decisions_due(overview, today=today)
    return sorted(found, key=lambda item: (item.order, item.label))


def completions_due(overview: Overview, *, today: date) -> Iterator[Due]:
    """Each watched trial estimated to reach primary completion by the horizon."""
    end = today + HORIZON
    for trial in overview.trials:
        completion = trial.fields.get("primary_completion") or {}
        when = completion.get("date")
        # Registry dates may be partial ("2026-11"): compare them at their own precision.
        if completion.get("type") != "ESTIMATED" or not when:
            continue
        if today.isoformat()[: len(when)] <= when <= end.isoformat()[: len(when)]:
            yield Due("trial", trial.key, when, url=trial.url)


def decisions_due(overview: Overview, *, today: date) -> list[Due]:
    """Each awaited EC decision, due 67 days after its CHMP opinion."""
    found = []
    for name, opinion in awaiting_decision(overview):
        by = _decision_by(opinion)
        overdue = by is not None and by < today.isoformat()
        found.append(Due("decision_overdue" if overdue else "decision", name, by, opinion=opinion))
    return found


def _decision_by(opinion: str) -> str | None:
    try:
        return (date.fromisoformat(opinion) + EC_DECISION_DAYS).isoformat()
    except ValueError:
        return None  # a partial or odd date: the decision is still awaited, its date unknown


def awaiting_decision(overview: Overview) -> Iterator[tuple[str, str]]:
    """(name, CHMP opinion date) of each medicine or procedure still without an EC decision."""
    for item in own(overview.medicines, overview.method):
        fields = item.fields
        decided = fields.get("ec_decision_date") or fields.get("marketing_authorisation_date")
        if fields.get("opinion_adopted_date") and not decided:
            yield str(fields.get("name") or item.key), fields["opinion_adopted_date"]
    for item in own(overview.procedures, overview.method):
        if pending_decision(item.fields) and item.fields.get("opinion_date"):
            yield str(item.fields.get("name") or item.key), item.fields["opinion_date"]
