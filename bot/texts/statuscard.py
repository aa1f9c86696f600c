"""The status card of a method: its state now, kept current as the parent of its alert thread."""

from __future__ import annotations

from typing import Any

from bot.overview.outlook import outlook_of
from bot.overview.state import Item, Overview
from bot.texts.alerts import describe, submission_words
from bot.texts.blockkit import Block, Message, context, section
from bot.texts.catalogue import (
    EMA_STATUS,
    PHASE,
    TRIAL_STATUS,
    Language,
    folded_term,
    number,
    table_date,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link
from bot.texts.nyemetoder import card_line
from bot.texts.outlook import outlook_line

TRIALS_SHOWN = 10  # on the card; the rest are counted (the lookup card lists them all)
SHOWN = 3  # EMA medicines and FDA applications on one line; the rest are counted


def render_card(overview: Overview, *, language: Language) -> Message:
    """Title, outlook, EU and US status, trials and the latest change, with a plain fallback."""
    method = overview.method
    lines = [
        outlook_line(outlook_of(overview), language),
        t(language, "card_eu", text=eu_line(overview, language)),
        t(language, "card_us", text=us_line(overview, language)),
    ]
    # The outlook (EMA) and the Nye metoder status are two questions: the card answers both.
    nye_metoder = card_line(overview, language)
    lines += [nye_metoder] if nye_metoder else []
    blocks: list[Block] = [section(f"*{clean(method.title)}*"), section("\n".join(lines))]
    if overview.trials:
        trials = [trial_line(item, language) for item in overview.trials[:TRIALS_SHOWN]]
        trials += _left_out(len(overview.trials) - TRIALS_SHOWN, language)
        blocks.append(section("\n".join([t(language, "card_trials"), *trials])))
    latest = (
        t(language, "card_latest", text=describe(overview.events[0], language, table=True))
        if overview.events
        else t(language, "card_waiting")
    )
    blocks.append(context(latest))
    return Message(f"{clean(method.title, limit=150)}: {lines[0]}".replace("*", ""), blocks)


def eu_line(overview: Overview, language: Language) -> str:
    """Each EMA medicine of the method: status, CHMP opinion and EC decision dates."""
    if not overview.medicines:
        return t(language, "card_no_ema")
    shown = [_medicine(item, language) for item in overview.medicines[:SHOWN]]
    return "; ".join(shown + _left_out(len(overview.medicines) - SHOWN, language))


def _left_out(hidden: int, language: Language) -> list[str]:
    """ "… og 3 til" when items were left out, else nothing."""
    return [t(language, "more_left_out", count=number(hidden, language))] if hidden > 0 else []


def _medicine(item: Item, language: Language) -> str:
    fields = item.fields
    parts = [link(item.url, f"{fields.get('name') or item.key} ({item.key})")]
    parts.append(folded_term(EMA_STATUS, fields.get("medicine_status"), language))
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
    shown = [_application(item, language) for item in overview.applications[:SHOWN]]
    return "; ".join(shown + _left_out(len(overview.applications) - SHOWN, language))


def _application(item: Item, language: Language) -> str:
    brands = ", ".join(item.fields.get("brand_names") or [])
    name = link(item.url, f"{item.key} ({brands})" if brands else item.key)
    latest = latest_approval(item.fields)
    if latest is None:
        return name
    date = table_date(latest.get("status_date"), language)
    words = submission_words(latest, language)
    return f"{name} · " + t(language, "card_fda_latest", submission=words, date=date)


def latest_approval(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The approved submission with the newest status date."""
    approved = [s for s in fields.get("submissions") or [] if s.get("status") == "AP"]
    return max(approved, key=lambda s: s.get("status_date") or "", default=None)


def trial_line(item: Item, language: Language) -> str:
    """`NCT… · Fase 3 · N=251 · Avsluttet · primær sluttdato 04.06.2018 · resultater: ja`."""
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
