"""What is due for a method in the next six months: trial completions, the outlook's EC decision
and MT in Norway (data)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.overview.outlook import outlook_of
from bot.overview.state import Overview

# "The next six months" (a calendar half-year is 181-184 days).
HORIZON = timedelta(days=183)


@dataclass(frozen=True)
class Due:
    """One milestone due: a trial's estimated primary completion, an awaited EC decision (by its
    legal deadline, counted from the CHMP opinion `after`), or MT in Norway (about 30 days after
    the EC decision `after`).

    `when` is an ISO date (a registry's may be partial, "2026-11").
    """

    kind: str  # "trial", "decision", "decision_overdue" or "mt_norway"
    label: str
    when: str
    url: str | None = None
    after: str | None = None

    @property
    def order(self) -> str:
        """Sorts milestones by date."""
        return self.when


def due(overview: Overview, *, today: date, since: date | None = None) -> list[Due]:
    """Estimated primary completions within six months and the outlook's milestones, by date."""
    found = [*completions_due(overview, today=today)]
    found += milestones_due(overview, today=today, since=since)
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


def milestones_due(overview: Overview, *, today: date, since: date | None) -> Iterator[Due]:
    """The outlook's expected EC decision or MT in Norway within six months; an EC decision past
    its deadline once, in the summary whose period saw the deadline pass (from `since`)."""
    outlook = outlook_of(replace(overview, today=today))
    name = outlook.fact.subject if outlook.fact else overview.method.title
    end = (today + HORIZON).isoformat()
    for milestone in outlook.expected:
        if milestone.overdue:
            if since is None or milestone.by >= since.isoformat():
                yield Due("decision_overdue", name, milestone.by, after=milestone.after)
        elif milestone.by <= end:
            kind = "decision" if milestone.kind == "ec_decision" else "mt_norway"
            yield Due(kind, name, milestone.by, after=milestone.after)
