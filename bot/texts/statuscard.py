"""The status card of a method: its state now, kept current as the parent of its alert thread."""

from __future__ import annotations

from typing import Any

from bot.overview.state import Item, Overview
from bot.texts.alerts import describe
from bot.texts.blocks import Block, Message, context, section
from bot.texts.catalogue import (
    OUTLOOK,
    OUTLOOK_REASON,
    PHASE,
    TRIAL_STATUS,
    Language,
    table_date,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link
from bot.texts.nyemetoder import card_line


def render_card(overview: Overview, *, language: Language) -> Message:
    """Title, outlook, EU and US status, trials and the latest change, with a plain fallback."""
    method = overview.method
    label, reason = overview.outlook
    lines = [
        t(
            language,
            "card_outlook",
            label=term(OUTLOOK, label, language),
            reason=term(OUTLOOK_REASON, reason, language),
        ),
        t(language, "card_eu", text=eu_line(overview, language)),
        t(language, "card_us", text=us_line(overview, language)),
    ]
    # The outlook (EMA) and the Nye metoder status are two questions: the card answers both.
    nye_metoder = card_line(overview, language)
    lines += [nye_metoder] if nye_metoder else []
    blocks: list[Block] = [section(f"*{clean(method.title)}*"), section("\n".join(lines))]
    if overview.trials:
        trials = [trial_line(item, language) for item in overview.trials[:10]]
        blocks.append(section("\n".join([t(language, "card_trials"), *trials])))
    latest = (
        t(language, "card_latest", text=describe(overview.events[0], language))
        if overview.events
        else t(language, "card_waiting")
    )
    blocks.append(context(latest))
    return Message(f"{clean(method.title, limit=150)}: {lines[0]}".replace("*", ""), blocks)


def eu_line(overview: Overview, language: Language) -> str:
    """Each EMA medicine of the method: status, CHMP opinion and EC decision dates."""
    if not overview.medicines:
        return t(language, "card_no_ema")
    return "; ".join(_medicine(item, language) for item in overview.medicines[:3])


def _medicine(item: Item, language: Language) -> str:
    fields = item.fields
    parts = [link(item.url, f"{fields.get('name') or item.key} ({item.key})")]
    parts.append(clean(str(fields.get("medicine_status") or t(language, "unknown"))))
    if fields.get("opinion_adopted_date"):
        date = table_date(fields["opinion_adopted_date"], language)
        parts.append(t(language, "card_opinion", date=date))
    decided = fields.get("ec_decision_date") or fields.get("marketing_authorisation_date")
    if decided:
        parts.append(t(language, "card_decision", date=table_date(decided, language)))
    return " · ".join(parts)


def us_line(overview: Overview, language: Language) -> str:
    """Each FDA application: its latest approved submission and date."""
    if not overview.applications:
        return t(language, "card_no_fda")
    return "; ".join(_application(item, language) for item in overview.applications[:3])


def _application(item: Item, language: Language) -> str:
    brands = ", ".join(item.fields.get("brand_names") or [])
    name = link(item.url, f"{item.key} ({brands})" if brands else item.key)
    latest = latest_approval(item.fields)
    if latest is None:
        return name
    label = f"{latest.get('type') or ''} {latest.get('number') or ''}".strip()
    if latest.get("class_description"):
        label += f" ({latest['class_description']})"
    date = table_date(latest.get("status_date"), language)
    return f"{name} · " + t(language, "card_fda_latest", submission=clean(label), date=date)


def latest_approval(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The approved submission with the newest status date."""
    approved = [s for s in fields.get("submissions") or [] if s.get("status") == "AP"]
    return max(approved, key=lambda s: s.get("status_date") or "", default=None)


def trial_line(item: Item, language: Language) -> str:
    """`NCT… · Fase 3 · N=251 · Avsluttet · primært avsluttet 04.06.2018 · resultater: ja`."""
    fields = item.fields
    phases = "/".join(term(PHASE, p, language) for p in fields.get("phases") or []) or "–"
    count = (fields.get("enrollment") or {}).get("count")
    primary = (fields.get("primary_completion") or {}).get("date")
    return t(
        language,
        "card_trial_line",
        nct=link(item.url, item.key),
        phase=phases,
        n=count if count is not None else "?",
        status=term(TRIAL_STATUS, fields.get("overall_status"), language),
        primary=table_date(primary, language),
        results=t(language, "yes" if fields.get("has_results") else "no"),
    )
