"""What is due for a method in the next six months: trial completions and EC decisions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from bot.overview.state import Overview, own, pending_decision
from bot.texts.catalogue import Language, prose_date
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link

# "The next six months" (a calendar half-year is 181-184 days).
HORIZON = timedelta(days=183)
# The European Commission adopts its decision within 67 days of the CHMP opinion.
EC_DECISION_DAYS = timedelta(days=67)


def due(overview: Overview, *, today: date, language: Language) -> list[str]:
    """Estimated primary completions within six months and awaited EC decisions, by date."""
    found = list(completions_due(overview, today=today, language=language))
    if overview.outlook[0] == "6m":
        found += decisions_due(overview, today=today, language=language)
    return [line for _, line in sorted(found)]


def completions_due(
    overview: Overview, *, today: date, language: Language
) -> Iterator[tuple[str, str]]:
    """(date, line) of each watched trial estimated to reach primary completion by the horizon."""
    end = today + HORIZON
    for trial in overview.trials:
        completion = trial.fields.get("primary_completion") or {}
        when = completion.get("date")
        # Registry dates may be partial ("2026-11"): compare them at their own precision.
        if completion.get("type") != "ESTIMATED" or not when:
            continue
        if today.isoformat()[: len(when)] <= when <= end.isoformat()[: len(when)]:
            nct = link(trial.url, trial.key)
            yield when, t(language, "digest_due_trial", nct=nct, date=prose_date(when, language))


def decisions_due(overview: Overview, *, today: date, language: Language) -> list[tuple[str, str]]:
    """(date, line) of each awaited EC decision, dated 67 days after its CHMP opinion."""
    found = []
    for name, opinion in awaiting_decision(overview):
        by = _decision_by(opinion)
        overdue = by is not None and by < today.isoformat()
        line = t(
            language,
            "digest_due_decision_overdue" if overdue else "digest_due_decision",
            name=clean(name),
            date=prose_date(by, language),
            opinion=prose_date(opinion, language),
        )
        found.append((by or opinion, line))
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
