"""The message catalogue: everything a Slack user reads, in Norwegian bokmål and English."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

Language = Literal["nb", "en"]

# Trial statuses in the team's own words (glossary; "Avsluttet" as in the notice).
TRIAL_STATUS: dict[str, dict[Language, str]] = {
    "NOT_YET_RECRUITING": {"nb": "Ikke startet rekruttering", "en": "Not yet recruiting"},
    "RECRUITING": {"nb": "Rekrutterer", "en": "Recruiting"},
    "ENROLLING_BY_INVITATION": {
        "nb": "Rekrutterer etter invitasjon",
        "en": "Enrolling by invitation",
    },
    "ACTIVE_NOT_RECRUITING": {"nb": "Pågående, rekrutterer ikke", "en": "Active, not recruiting"},
    "COMPLETED": {"nb": "Avsluttet", "en": "Completed"},
    "SUSPENDED": {"nb": "Midlertidig stanset", "en": "Suspended"},
    "TERMINATED": {"nb": "Avbrutt", "en": "Terminated"},
    "WITHDRAWN": {"nb": "Trukket før oppstart", "en": "Withdrawn"},
    "UNKNOWN": {"nb": "Ukjent status", "en": "Unknown status"},
    "AVAILABLE": {"nb": "Tilgjengelig", "en": "Available"},
    "NO_LONGER_AVAILABLE": {"nb": "Ikke lenger tilgjengelig", "en": "No longer available"},
    "TEMPORARILY_NOT_AVAILABLE": {
        "nb": "Midlertidig ikke tilgjengelig",
        "en": "Temporarily not available",
    },
    "APPROVED_FOR_MARKETING": {"nb": "Godkjent for markedsføring", "en": "Approved for marketing"},
    "WITHHELD": {"nb": "Tilbakeholdt", "en": "Withheld"},
}

DATE_TYPE: dict[str, dict[Language, str]] = {
    "ESTIMATED": {"nb": "estimert", "en": "estimated"},
    "ACTUAL": {"nb": "faktisk", "en": "actual"},
}

PHASE: dict[str, dict[Language, str]] = {
    "EARLY_PHASE1": {"nb": "Tidlig fase 1", "en": "Early phase 1"},
    "PHASE1": {"nb": "Fase 1", "en": "Phase 1"},
    "PHASE2": {"nb": "Fase 2", "en": "Phase 2"},
    "PHASE3": {"nb": "Fase 3", "en": "Phase 3"},
    "PHASE4": {"nb": "Fase 4", "en": "Phase 4"},
    "NA": {"nb": "Ikke angitt", "en": "Not applicable"},
}

SOURCE_NAME: dict[str, dict[Language, str]] = {
    "clinicaltrials": {"nb": "ClinicalTrials.gov", "en": "ClinicalTrials.gov"},
    "openfda": {"nb": "FDA (Drugs@FDA)", "en": "FDA (Drugs@FDA)"},
    "ema_medicines": {"nb": "EMA (legemidler)", "en": "EMA (medicines)"},
    "ema_post_authorisation": {
        "nb": "EMA (prosedyrer etter godkjenning)",
        "en": "EMA (post-authorisation procedures)",
    },
    "ema_rss": {"nb": "EMA (nyheter)", "en": "EMA (news)"},
    "fda_rss": {"nb": "FDA (pressemeldinger)", "en": "FDA (press releases)"},
}

OUTLOOK: dict[str, dict[Language, str]] = {
    "now": {"nb": "Nå", "en": "Now"},
    "6m": {"nb": "Om 6 mnd", "en": "In 6 months"},
    "1y": {"nb": "Om 1 år", "en": "In 1 year"},
    "2y": {"nb": "Om 2 år", "en": "In 2 years"},
    "unclear": {"nb": "Uklart", "en": "Unclear"},
}

OUTLOOK_REASON: dict[str, dict[Language, str]] = {
    "opinion_pending_decision": {
        "nb": "CHMP-uttalelse foreligger, venter på EU-kommisjonens vedtak",
        "en": "CHMP opinion adopted, awaiting the European Commission's decision",
    },
    "under_evaluation": {"nb": "under vurdering hos EMA", "en": "under evaluation at the EMA"},
    "authorised": {"nb": "godkjent i EU", "en": "authorised in the EU"},
    "trials_running": {
        "nb": "bare pågående studier, ingen søknad hos EMA",
        "en": "only running trials, no application at the EMA",
    },
    "no_information": {"nb": "ingen opplysninger ennå", "en": "no information yet"},
}

MONTHS: dict[Language, tuple[str, ...]] = {
    "nb": (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

TEXT: dict[str, dict[Language, str]] = {
    "trial_status": {
        "nb": "{subject} har endret status: {old} → {new}",
        "en": "{subject} changed status: {old} → {new}",
    },
    "why_stopped": {"nb": "Begrunnelse: {reason}", "en": "Reason: {reason}"},
    "trial_results": {
        "nb": "{subject} har publisert resultater ({date})",
        "en": "{subject} posted results ({date})",
    },
    "trial_date": {
        "nb": "{subject}: {which} endret: {old} → {new}",
        "en": "{subject}: {which} changed: {old} → {new}",
    },
    "primary_completion": {"nb": "primært avsluttet", "en": "primary completion"},
    "completion": {"nb": "avsluttet", "en": "completion"},
    "trial_enrollment": {
        "nb": "{subject}: antall deltagere endret: {old} → {new}",
        "en": "{subject}: enrollment changed: {old} → {new}",
    },
    "trial_phase": {
        "nb": "{subject}: fase endret: {old} → {new}",
        "en": "{subject}: phase changed: {old} → {new}",
    },
    "trial_new": {
        "nb": "Ny studie registrert: {subject} ({status})",
        "en": "New trial registered: {subject} ({status})",
    },
    "fda_submission_new": {
        "nb": "{subject}: ny godkjent søknad hos FDA: {submission} ({date})",
        "en": "{subject}: new FDA approval: {submission} ({date})",
    },
    "fda_submission_other": {
        "nb": "{subject}: ny søknad registrert hos FDA: {submission}, status {status} ({date})",
        "en": "{subject}: new FDA submission: {submission}, status {status} ({date})",
    },
    "fda_application_new": {
        "nb": "Ny søknad hos FDA med virkestoffet: {subject} ({sponsor})",
        "en": "New FDA application with the substance: {subject} ({sponsor})",
    },
    "fda_submission_status": {
        "nb": "{subject}: {submission} har endret status hos FDA: {old} → {new}",
        "en": "{subject}: {submission} changed FDA status: {old} → {new}",
    },
    "ema_new_product": {
        "nb": "Nytt legemiddel hos EMA med virkestoffet: {subject} ({status})",
        "en": "New medicine at the EMA with the substance: {subject} ({status})",
    },
    "ema_status": {
        "nb": "{subject}: status hos EMA endret: {old} → {new}",
        "en": "{subject}: EMA status changed: {old} → {new}",
    },
    "ema_opinion": {
        "nb": "{subject}: CHMP-uttalelse vedtatt {date} ({status})",
        "en": "{subject}: CHMP opinion adopted {date} ({status})",
    },
    "ema_decision": {
        "nb": "{subject}: EU-kommisjonens vedtak {date}",
        "en": "{subject}: European Commission decision {date}",
    },
    "ema_indication": {
        "nb": "{subject}: godkjent indikasjon endret",
        "en": "{subject}: therapeutic indication changed",
    },
    "added": {"nb": "Lagt til", "en": "Added"},
    "removed": {"nb": "Fjernet", "en": "Removed"},
    "ema_revision": {
        "nb": "{subject}: produktinformasjonen er oppdatert (revisjon {new})",
        "en": "{subject}: product information updated (revision {new})",
    },
    "ema_procedure_new": {
        "nb": "{subject}: ny prosedyre etter godkjenning hos EMA ({status})",
        "en": "{subject}: new post-authorisation procedure at the EMA ({status})",
    },
    "ema_procedure_opinion": {
        "nb": "{subject}: prosedyre etter godkjenning endret: {old} → {new}",
        "en": "{subject}: post-authorisation procedure changed: {old} → {new}",
    },
    "news": {"nb": "Nyhet fra {publisher}: {title}", "en": "News from {publisher}: {title}"},
    "no_longer_listed": {
        "nb": "{subject} er ikke lenger oppført hos {source}",
        "en": "{subject} is no longer listed at {source}",
    },
    "source_line": {"nb": "Kilde: {source}", "en": "Source: {source}"},
    "open_link": {"nb": "Åpne hos kilden", "en": "Open at the source"},
    "storm": {
        "nb": "{count} endringer fra {source} i samme runde. Detaljene står i tråden.",
        "en": "{count} changes from {source} in one cycle. Details are in the thread.",
    },
    "card_waiting": {
        "nb": "Ingen endringer er meldt ennå. Varsler kommer i tråden under.",
        "en": "No changes reported yet. Alerts arrive in the thread below.",
    },
    "card_latest": {"nb": "Siste endring: {text}", "en": "Latest change: {text}"},
    "card_outlook": {
        "nb": "*Tidsperspektiv MT i Norge:* {label} ({reason})",
        "en": "*Expected MA in Norway:* {label} ({reason})",
    },
    "card_eu": {"nb": "*EU:* {text}", "en": "*EU:* {text}"},
    "card_us": {"nb": "*USA:* {text}", "en": "*US:* {text}"},
    "card_trials": {"nb": "*Studier:*", "en": "*Trials:*"},
    "card_no_ema": {"nb": "ingen data fra EMA ennå", "en": "no EMA data yet"},
    "card_no_fda": {"nb": "ingen data fra FDA ennå", "en": "no FDA data yet"},
    "card_opinion": {"nb": "CHMP-uttalelse {date}", "en": "CHMP opinion {date}"},
    "card_decision": {"nb": "EU-kommisjonens vedtak {date}", "en": "EC decision {date}"},
    "card_fda_latest": {
        "nb": "siste godkjente søknad {submission}, {date}",
        "en": "latest approved submission {submission}, {date}",
    },
    "card_trial_line": {
        "nb": "{nct} · {phase} · N={n} · {status} · primært avsluttet {primary}"
        " · resultater: {results}",
        "en": "{nct} · {phase} · N={n} · {status} · primary completion {primary}"
        " · results: {results}",
    },
    "admin_dead": {
        "nb": "Et varsel til {channel} kunne ikke leveres og er lagt til side: {reason}",
        "en": "An alert to {channel} could not be delivered and was set aside: {reason}",
    },
    "yes": {"nb": "ja", "en": "yes"},
    "no": {"nb": "nei", "en": "no"},
    # -- lookup (/metode) --
    # -- admin (watchlist editing) --
    # -- digest (summary) --
    # -- health (source health, status) --
    "none": {"nb": "ingen", "en": "none"},
    "unknown": {"nb": "ukjent", "en": "unknown"},
}


def text(language: Language, key: str, **values: object) -> str:
    """The catalogue entry `key` in `language`, with `values` filled in."""
    return TEXT[key][language].format(**values)


def term(table: dict[str, dict[Language, str]], value: str | None, language: Language) -> str:
    """A code (status, phase, source) in words; an unknown code is shown as it is."""
    if value is None:
        return TEXT["unknown"][language]
    return table.get(value, {}).get(language, value)


def table_date(iso: str | None, language: Language) -> str:
    """`2018-06-04` as `04.06.2018`, `2023-07` as `07.2023`; None as 'ukjent'."""
    if not iso:
        return TEXT["unknown"][language]
    parts = iso.split("-")
    return ".".join(reversed(parts))


def prose_date(iso: str | None, language: Language) -> str:
    """`2018-06-04` as `4. juni 2018` (nb) or `4 June 2018` (en); partial dates shortened."""
    if not iso:
        return TEXT["unknown"][language]
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[language][parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = f"{parts[2]}." if language == "nb" else str(parts[2])
    return f"{day} {month} {parts[0]}"


def local_time(moment: datetime, zone: ZoneInfo, language: Language) -> str:
    """A moment for people: `25.11.2026 kl. 09:00` in the configured zone."""
    local = moment.astimezone(zone)
    joiner = "kl." if language == "nb" else "at"
    return f"{local:%d.%m.%Y} {joiner} {local:%H:%M}"
