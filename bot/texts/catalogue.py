"""The message catalogue: everything a Slack user reads, in Norwegian bokmål and English."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.texts.mrkdwn import escape

Language = Literal["nb", "en"]
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

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
    "nyemetoder_pages": {"nb": "Nye metoder (metodesider)", "en": "Nye metoder (method pages)"},
    "nyemetoder_decisions": {
        "nb": "Nye metoder (beslutninger)",
        "en": "Nye metoder (decisions)",
    },
}

OUTLOOK: dict[str, dict[Language, str]] = {
    "now": {"nb": "Nå", "en": "Now"},
    "6m": {"nb": "Om 6 mnd", "en": "In 6 months"},
    "1y": {"nb": "Om 1 år", "en": "In 1 year"},
    "2y": {"nb": "Om 2 år", "en": "In 2 years"},
    "unclear": {"nb": "Uklart", "en": "Unclear"},
}

# Why, by the outlook's state (bot/overview/outlook.py), "overdue" for a late EC decision.
OUTLOOK_REASON: dict[str, dict[Language, str]] = {
    "trials": {
        "nb": "studier pågår; ingen søknad hos EMA er kjent",
        "en": "trials running; no application at the EMA known",
    },
    "evaluation": {
        "nb": "søknaden er under vurdering hos EMA",
        "en": "the application is under evaluation at the EMA",
    },
    "opinion": {
        "nb": "CHMP-uttalelse foreligger, venter på EU-kommisjonens vedtak",
        "en": "CHMP opinion adopted, awaiting the European Commission's decision",
    },
    "overdue": {
        "nb": "EU-kommisjonens vedtak skulle ha kommet, men er ikke registrert",
        "en": "the European Commission's decision is overdue and not recorded",
    },
    "decision": {
        "nb": "godkjent i EU; Norge følger etter gjennom EØS-avtalen",
        "en": "authorised in the EU; Norway follows through the EEA agreement",
    },
    "authorised": {
        "nb": "godkjent i EU, og gjennom EØS-avtalen i Norge",
        "en": "authorised in the EU, and through the EEA agreement in Norway",
    },
    "unclear": {"nb": "ingen opplysninger ennå", "en": "no information yet"},
}

# The sources' own words in the team's words (glossary). Keys are compared folded (casefold).
EMA_STATUS: dict[str, dict[Language, str]] = {
    "authorised": {"nb": "Godkjent", "en": "Authorised"},
    "withdrawn": {"nb": "Trukket", "en": "Withdrawn"},
    "refused": {"nb": "Avslått", "en": "Refused"},
    "suspended": {"nb": "Suspendert", "en": "Suspended"},
    "opinion": {
        "nb": "Venter på EU-kommisjonens vedtak",
        "en": "Awaiting the European Commission's decision",
    },
}
# A post-authorisation procedure's status (the values are illustrative in the fixtures).
PROCEDURE_STATUS: dict[str, dict[Language, str]] = {
    "opinion": {
        "nb": "venter på EU-kommisjonens vedtak",
        "en": "awaiting the European Commission's decision",
    },
    "authorised": {"nb": "godkjent", "en": "authorised"},
    "withdrawn": {"nb": "trukket", "en": "withdrawn"},
    "under evaluation": {"nb": "under vurdering", "en": "under evaluation"},
}
OPINION: dict[str, dict[Language, str]] = {
    "positive": {"nb": "positiv", "en": "positive"},
    "negative": {"nb": "negativ", "en": "negative"},
}
FDA_SUBMISSION_TYPE: dict[str, dict[Language, str]] = {
    "ORIG": {"nb": "opprinnelig søknad", "en": "original application"},
    "SUPPL": {"nb": "tilleggssøknad", "en": "supplement"},
}
FDA_STATUS: dict[str, dict[Language, str]] = {
    "AP": {"nb": "godkjent", "en": "approved"},
    "TA": {"nb": "foreløpig godkjent", "en": "tentatively approved"},
}
# Drugs@FDA `submission_class_code` (chemical types 1-10 as FDA defines them).
FDA_CLASS: dict[str, dict[Language, str]] = {
    "EFFICACY": {"nb": "ny indikasjon eller dosering", "en": "new indication or dosing"},
    "LABELING": {"nb": "endret merking", "en": "labeling"},
    "MANUF (CMC)": {"nb": "endret produksjon", "en": "manufacturing"},
    "REMS": {"nb": "risikostyringsplan (REMS)", "en": "risk management (REMS)"},
    "BIOEQUIV": {"nb": "bioekvivalens", "en": "bioequivalence"},
    "TYPE 1": {"nb": "nytt virkestoff", "en": "new molecular entity"},
    "TYPE 2": {"nb": "ny aktiv ingrediens", "en": "new active ingredient"},
    "TYPE 3": {"nb": "ny legemiddelform", "en": "new dosage form"},
    "TYPE 4": {"nb": "ny kombinasjon", "en": "new combination"},
    "TYPE 5": {
        "nb": "ny formulering eller ny produsent",
        "en": "new formulation or new manufacturer",
    },
    "TYPE 6": {"nb": "ny indikasjon", "en": "new indication"},
    "TYPE 7": {
        "nb": "markedsført fra før uten godkjent søknad",
        "en": "marketed before without an approved application",
    },
    "TYPE 8": {"nb": "reseptfritt salg", "en": "prescription to over-the-counter"},
    "TYPE 9": {"nb": "ny indikasjon, egen søknad", "en": "new indication, separate application"},
    "TYPE 10": {"nb": "ny indikasjon, egen søknad", "en": "new indication, separate application"},
}
# Nouns with a count: (one, several).
NOUNS: dict[str, dict[Language, tuple[str, str]]] = {
    "method": {"nb": ("metode", "metoder"), "en": ("method", "methods")},
    "change": {"nb": ("endring", "endringer"), "en": ("change", "changes")},
    "problem": {"nb": ("problem", "problemer"), "en": ("problem", "problems")},
    "record": {"nb": ("oppføring", "oppføringer"), "en": ("record", "records")},
}
# Where a fact of the outlook comes from, as the card names it: "(EMA)".
PUBLISHER: dict[str, str] = {
    "clinicaltrials": "ClinicalTrials.gov",
    "ema_medicines": "EMA",
    "ema_post_authorisation": "EMA",
    "ema_rss": "EMA",
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

# Digit grouping: Norwegian groups thousands with a (no-break) space, "1 742" (Språkrådet);
# English with a comma.
THOUSANDS_SEPARATOR: dict[Language, str] = {"nb": "\u00a0", "en": ","}

# Nye metoder: its alerts (bot/texts/nyemetoder.py fills in their values) and its card section.
# Badges, forum names and decision texts are the site's own Norwegian words, shown as they are.
NYE_METODER_TEXT: dict[str, dict[Language, str]] = {
    "nyemetoder_status": {
        "nb": "{subject}: status i Nye metoder endret: {old} → {new}",
        "en": "{subject}: status in Nye metoder changed: {old} → {new}",
    },
    "nyemetoder_status_new": {
        "nb": "{subject}: ny status i Nye metoder: «{new}» (før: {old})",
        "en": "{subject}: new status in Nye metoder: “{new}” (before: {old})",
    },
    "nyemetoder_order": {
        "nb": "{subject}: ny beslutning i {forum} {date}: {text}",
        "en": "{subject}: new decision by {forum} on {date}: {text}",
    },
    "nyemetoder_assessment_ordered": {
        "nb": "{subject}: metodevurdering bestilt {date}{details}",
        "en": "{subject}: assessment ordered on {date}{details}",
    },
    "nyemetoder_assessment_started": {
        "nb": "{subject}: metodevurderingen er påbegynt {date}{details}",
        "en": "{subject}: the assessment started on {date}{details}",
    },
    "nyemetoder_assessment_finished": {
        "nb": "{subject}: metodevurderingen er ferdigstilt {date}{details}",
        "en": "{subject}: the assessment was finished on {date}{details}",
    },
    "nyemetoder_document": {
        "nb": "{subject}: nytt dokument i Nye metoder: {title} ({date})",
        "en": "{subject}: new document in Nye metoder: {title} ({date})",
    },
    "nyemetoder_decision": {
        "nb": "{subject}: beslutning i Beslutningsforum {date}{short}: {point}",
        "en": "{subject}: Beslutningsforum decision on {date}{short}: {point}",
    },
    "nyemetoder_decision_revised": {
        "nb": "{subject}: Beslutningsforums beslutning er endret: {old} → {new}",
        "en": "{subject}: Beslutningsforum's decision was revised: {old} → {new}",
    },
    "nyemetoder_case": {"nb": "sak {case}", "en": "case {case}"},
    "nyemetoder_heading": {"nb": "*Nye metoder*", "en": "*Nye metoder*"},
    "nyemetoder_page": {"nb": "{page} · status: {status}", "en": "{page} · status: {status}"},
    "nyemetoder_no_status": {"nb": "ikke oppgitt", "en": "not shown"},
    "nyemetoder_step_proposal": {"nb": "Forslag sendt inn", "en": "Proposal submitted"},
    "nyemetoder_step_order": {"nb": "{forum}: {text}", "en": "{forum}: {text}"},
    "nyemetoder_step_ordered": {"nb": "Oppdrag gitt", "en": "Assessment ordered"},
    "nyemetoder_step_started": {"nb": "Påbegynt", "en": "Started"},
    "nyemetoder_step_finished": {"nb": "Ferdigstilt", "en": "Finished"},
    "nyemetoder_step_cleared": {
        "nb": "Rapporten klarert i Bestillerforum",
        "en": "Report cleared by Bestillerforum",
    },
    "nyemetoder_step_document": {"nb": "Dokument: {title}", "en": "Document: {title}"},
    "nyemetoder_step_decision": {
        "nb": "Beslutning i Beslutningsforum: {point}",
        "en": "Beslutningsforum decision: {point}",
    },
    "nyemetoder_step_decision_short": {
        "nb": "Beslutning i Beslutningsforum",
        "en": "Beslutningsforum decision",
    },
    "nyemetoder_next": {"nb": "Neste: {step}", "en": "Next: {step}"},
    "nyemetoder_next_bestillerforum": {
        "nb": "Bestillerforum behandler forslaget",
        "en": "Bestillerforum considers the proposal",
    },
    "nyemetoder_next_assessment": {
        "nb": "metodevurderingen ferdigstilles",
        "en": "the assessment is finished",
    },
    "nyemetoder_next_decision": {
        "nb": "beslutning i Beslutningsforum",
        "en": "a decision by Beslutningsforum",
    },
    "nyemetoder_decisions": {
        "nb": "Gjeldende beslutninger i Beslutningsforum:",
        "en": "Current decisions of Beslutningsforum:",
    },
    "nyemetoder_decision_line": {
        "nb": "{date} · {nye_id} ({indication}): {short}",
        "en": "{date} · {nye_id} ({indication}): {short}",
    },
    "nyemetoder_card": {"nb": "*Nye metoder:* {text}", "en": "*Nye metoder:* {text}"},
    "nyemetoder_card_latest": {"nb": "sist: {step} ({date})", "en": "latest: {step} ({date})"},
    "nyemetoder_card_next": {"nb": "neste: {step}", "en": "next: {step}"},
    "nyemetoder_card_none": {"nb": "ingen data ennå", "en": "no data yet"},
}

TEXT: dict[str, dict[Language, str]] = {
    **NYE_METODER_TEXT,
    "trial_status": {
        "nb": "{subject} har endret status: {old} → {new}",
        "en": "{subject} changed status: {old} → {new}",
    },
    "why_stopped": {"nb": "Begrunnelse: {reason}", "en": "Reason: {reason}"},
    "trial_results": {
        "nb": "Resultater publisert for {subject} ({date})",
        "en": "Results posted for {subject} ({date})",
    },
    "trial_date": {
        "nb": "{subject}: {which} endret: {old} → {new}",
        "en": "{subject}: {which} changed: {old} → {new}",
    },
    "primary_completion": {"nb": "primær sluttdato", "en": "primary completion date"},
    "completion": {"nb": "sluttdato", "en": "completion date"},
    "trial_enrollment": {
        "nb": "{subject}: antall deltakere endret: {old} → {new}",
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
        "nb": "{subject}: FDA godkjente {submission} {date}",
        "en": "{subject}: the FDA approved the {submission} on {date}",
    },
    "fda_submission_other": {
        "nb": "{subject}: {submission} hos FDA er {status} ({date})",
        "en": "{subject}: {submission} at the FDA is {status} ({date})",
    },
    "fda_submission": {"nb": "{type} ({kind})", "en": "{type} ({kind})"},
    "fda_application_new": {
        "nb": "Ny søknad hos FDA med virkestoffet: {subject} ({sponsor})",
        "en": "New FDA application with the substance: {subject} ({sponsor})",
    },
    "fda_submission_status": {
        "nb": "{subject}: {submission} har fått ny status hos FDA: {old} → {new}",
        "en": "{subject}: {submission} changed status at the FDA: {old} → {new}",
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
        "nb": "{subject}: {opinion} CHMP-uttalelse {date}",
        "en": "{subject}: {opinion} CHMP opinion of {date}",
    },
    "ema_opinion_plain": {
        "nb": "{subject}: CHMP-uttalelse {date}",
        "en": "{subject}: CHMP opinion of {date}",
    },
    "ema_decision": {
        "nb": "{subject}: EU-kommisjonens vedtak {date}",
        "en": "{subject}: European Commission decision {date}",
    },
    "ema_indication": {
        "nb": "{subject}: den godkjente indikasjonen i EU er endret",
        "en": "{subject}: the authorised indication in the EU changed",
    },
    "added": {"nb": "Lagt til", "en": "Added"},
    "removed": {"nb": "Fjernet", "en": "Removed"},
    "ema_revision": {
        "nb": "{subject}: produktinformasjonen er oppdatert (revisjon {new})",
        "en": "{subject}: product information updated (revision {new})",
    },
    "ema_procedure_new": {
        "nb": "{subject}: ny prosedyre etter godkjenning hos EMA: {status}",
        "en": "{subject}: new post-authorisation procedure at the EMA: {status}",
    },
    "procedure_opinion": {
        "nb": "{status} ({opinion} CHMP-uttalelse {date})",
        "en": "{status} ({opinion} CHMP opinion of {date})",
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
    "outlook_extension": {
        "nb": "indikasjonsutvidelse: {reason}",
        "en": "extension of indication: {reason}",
    },
    "outlook_basis": {"nb": "Grunnlag: {fact} ({source}).", "en": "Based on: {fact} ({source})."},
    "outlook_short": {"nb": "{label} ({details})", "en": "{label} ({details})"},
    "fact_trials_running": {"nb": "{subject} pågår", "en": "{subject} running"},
    "fact_medicine_evaluation": {
        "nb": "vurderingen av {subject} startet {date}",
        "en": "evaluation of {subject} started {date}",
    },
    "fact_procedure_evaluation": {
        "nb": "prosedyre for {subject} under vurdering, publisert {date}",
        "en": "procedure for {subject} under evaluation, published {date}",
    },
    "fact_medicine_opinion": {"nb": "CHMP-uttalelse {date}", "en": "CHMP opinion {date}"},
    "fact_procedure_opinion": {"nb": "CHMP-uttalelse {date}", "en": "CHMP opinion {date}"},
    "fact_news": {"nb": "EMA-nyhet {date}: «{subject}»", "en": "EMA news {date}: “{subject}”"},
    "fact_ec_decision": {
        "nb": "EU-kommisjonens vedtak {date}",
        "en": "European Commission decision {date}",
    },
    "fact_indication": {
        "nb": "indikasjonen i EU omfatter pasientgruppen etter EU-kommisjonens vedtak {date}",
        "en": "the EU indication names the population since the Commission's decision of {date}",
    },
    "fact_indication_undated": {
        "nb": "indikasjonen i EU omfatter nå pasientgruppen",
        "en": "the EU indication now names the population",
    },
    "fact_indication_before": {
        "nb": "indikasjonen i EU omfattet pasientgruppen da overvåkingen startet",
        "en": "the EU indication named the population when watching began",
    },
    "fact_procedure_decided": {
        "nb": "prosedyren for {subject} er avsluttet med vedtak",
        "en": "the procedure for {subject} is decided",
    },
    "fact_revision": {
        "nb": "produktinformasjonen ble oppdatert {date}, etter CHMP-uttalelsen",
        "en": "product information updated {date}, after the CHMP opinion",
    },
    # Facts whose source gave no date.
    "fact_medicine_evaluation_undated": {
        "nb": "vurderingen av {subject} har startet",
        "en": "evaluation of {subject} has started",
    },
    "fact_procedure_evaluation_undated": {
        "nb": "prosedyre for {subject} under vurdering",
        "en": "procedure for {subject} under evaluation",
    },
    "fact_medicine_opinion_undated": {
        "nb": "CHMP-uttalelse foreligger",
        "en": "CHMP opinion adopted",
    },
    "fact_procedure_opinion_undated": {
        "nb": "CHMP-uttalelse foreligger",
        "en": "CHMP opinion adopted",
    },
    "fact_news_undated": {"nb": "EMA-nyhet: «{subject}»", "en": "EMA news: “{subject}”"},
    "milestone_ec_decision": {
        "nb": "EU-kommisjonens vedtak ventes senest {by} (67 dager etter CHMP-uttalelsen); "
        "MT i Norge om lag 30 dager etter vedtaket.",
        "en": "The European Commission's decision is due by {by} (67 days after the CHMP "
        "opinion); MA in Norway about 30 days after the decision.",
    },
    "milestone_overdue": {
        "nb": "Fristen for vedtaket var {by} (67 dager etter CHMP-uttalelsen).",
        "en": "The deadline for the decision was {by} (67 days after the CHMP opinion).",
    },
    "milestone_mt_norway": {
        "nb": "MT i Norge ventes rundt {by} (om lag 30 dager etter vedtaket).",
        "en": "MA in Norway expected around {by} (about 30 days after the decision).",
    },
    "short_ec_decision": {"nb": "vedtak ventes senest {by}", "en": "decision due by {by}"},
    "short_overdue": {
        "nb": "vedtaket er forsinket, fristen var {by}",
        "en": "decision overdue, deadline {by}",
    },
    "short_mt_norway": {"nb": "MT i Norge rundt {by}", "en": "MA in Norway around {by}"},
    "card_eu": {"nb": "*EU:* {text}", "en": "*EU:* {text}"},
    "card_us": {"nb": "*USA:* {text}", "en": "*US:* {text}"},
    "card_trials": {"nb": "*Studier:*", "en": "*Trials:*"},
    "card_no_ema": {"nb": "ingen data fra EMA ennå", "en": "no EMA data yet"},
    "card_no_fda": {"nb": "ingen data fra FDA ennå", "en": "no FDA data yet"},
    "card_opinion": {"nb": "CHMP-uttalelse {date}", "en": "CHMP opinion {date}"},
    "card_decision": {"nb": "EU-kommisjonens vedtak {date}", "en": "EC decision {date}"},
    "card_fda_latest": {
        "nb": "siste godkjente søknad: {submission}, {date}",
        "en": "latest approved submission: {submission}, {date}",
    },
    "card_trial_line": {
        "nb": "{nct} · {phase} · N={n} · {status} · primær sluttdato {primary}"
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
    "lookup_type": {"nb": "Type metode", "en": "Method type"},
    "lookup_area": {"nb": "Område", "en": "Area"},
    "lookup_substance": {"nb": "Virkestoffnavn", "en": "Active substance"},
    "lookup_trade_names": {"nb": "Handelsnavn", "en": "Trade name"},
    "lookup_atc": {"nb": "ATC-kode", "en": "ATC code"},
    "lookup_holder": {"nb": "MT søker/innehaver", "en": "MA applicant/holder"},
    "lookup_financing": {"nb": "Finansieringsansvar", "en": "Financing responsibility"},
    "lookup_indication": {"nb": "Indikasjon", "en": "Indication"},
    "lookup_status": {"nb": "Status for bruk og godkjenning", "en": "Status of use and approval"},
    "lookup_norway": {"nb": "*Norge:* Nye metoder {ids}", "en": "*Norway:* Nye metoder {ids}"},
    "lookup_no_ids": {"nb": "ingen ID ennå", "en": "no ID yet"},
    "lookup_eu_indication": {
        "nb": "*Indikasjon i EU ({name}):* {text}",
        "en": "*Indication in the EU ({name}):* {text}",
    },
    "lookup_trials": {"nb": "Studier", "en": "Trials"},
    "lookup_trial_line": {
        "nb": "{nct} · {phase} · {n} · {status} · resultater publisert: {results}",
        "en": "{nct} · {phase} · {n} · {status} · results posted: {results}",
    },
    "lookup_enrollment": {"nb": "N={count}", "en": "N={count}"},
    "lookup_enrollment_estimated": {"nb": "estimert N={count}", "en": "estimated N={count}"},
    "lookup_ongoing": {"nb": "Pågående", "en": "Ongoing"},
    "lookup_trial_estimated": {
        "nb": "{status}, estimert avsluttet {date}",
        "en": "{status}, estimated completion {date}",
    },
    "lookup_trial_primary": {
        "nb": "{status}, primær sluttdato {date}",
        "en": "{status}, primary completion {date}",
    },
    "lookup_no_trials": {
        "nb": "Ingen studier er registrert ennå.",
        "en": "No trials recorded yet.",
    },
    "lookup_events": {"nb": "Siste hendelser", "en": "Latest events"},
    "lookup_no_events": {
        "nb": "Ingen endringer er registrert ennå.",
        "en": "No changes recorded yet.",
    },
    "lookup_links": {"nb": "Lenker", "en": "Links"},
    "lookup_notice": {"nb": "Metodevarsel", "en": "Horizon-scanning notice"},
    "lookup_last_read": {"nb": "Sist lest", "en": "Last read"},
    "lookup_never": {"nb": "aldri", "en": "never"},
    "lookup_more": {"nb": "… og {count} til", "en": "… and {count} more"},
    # What fitting a list into Slack's limits left out (bot/texts/blockkit.py); count via number().
    "more_left_out": {"nb": "… og {count} til", "en": "… and {count} more"},
    # A message too big for one post: the parent and its replies in the thread (blockfit).
    "split_continued": {
        "nb": "Del 1 av {parts}. Resten står i tråden.",
        "en": "Part 1 of {parts}. The rest is in the thread.",
    },
    "split_part": {"nb": "Del {part} av {parts}", "en": "Part {part} of {parts}"},
    # A group of methods with its count, e.g. an outlook: "*Om 6 mnd* (40)".
    "group_heading": {"nb": "*{label}* ({count})", "en": "*{label}* ({count})"},
    "lookup_matches": {
        "nb": "Fant {count} metoder for «{query}»:",
        "en": "Found {count} methods for “{query}”:",
    },
    "lookup_pick": {
        "nb": "Skriv for eksempel `/metode {slug}` for å se én av dem.",
        "en": "Type for example `/metode {slug}` to see one of them.",
    },
    "lookup_no_match": {
        "nb": "Fant ingen metode for «{query}».",
        "en": "No method found for “{query}”.",
    },
    "lookup_did_you_mean": {"nb": "Mente du {names}?", "en": "Did you mean {names}?"},
    "lookup_or": {"nb": "eller", "en": "or"},
    "lookup_see_help": {
        "nb": "Skriv `/metode hjelp` for å se hva du kan søke etter.",
        "en": "Type `/metode hjelp` to see what you can search for.",
    },
    "lookup_help": {
        "nb": "*Slik bruker du /metode*\n"
        "`/metode <søk>` viser en metode. Søk på virkestoff, handelsnavn, ATC-kode, NCT-nummer, "
        "Nye metoder-ID eller kortnavn, for eksempel `/metode dupilumab`.\n"
        "`/metode liste` viser metodene som overvåkes, med status, én side om gangen "
        "(`/metode liste side 2`).\n"
        "`/metode liste <område>` viser metodene innen ett område, for eksempel "
        "`/metode liste hud`.\n"
        "`/metode kandidater` viser åpne kandidater: nytt i teamets omfang som ikke overvåkes "
        "ennå.\n"
        "`/metode omfang` viser teamets omfang.\n"
        "`/metode hjelp` viser denne hjelpen.\n"
        "*For administratorer*\n"
        "`/metode legg til` legger til en metode.\n"
        "`/metode fjern <metode>` slutter å overvåke en metode.\n"
        "`/metode kanal <metode> #kanal` sender varslene for en metode til en annen kanal.\n"
        "`/metode omfang atc D11, L04` (eller `tilstander`, `ignorer`) endrer omfanget.",
        "en": "*How to use /metode*\n"
        "`/metode <search>` shows a method. Search by active substance, trade name, ATC code, "
        "NCT ID, Nye metoder ID or short name, for example `/metode dupilumab`.\n"
        "`/metode liste` lists the watched methods with their status, a page at a time "
        "(`/metode liste page 2`).\n"
        "`/metode liste <area>` lists the methods in one area, for example "
        "`/metode liste hud`.\n"
        "`/metode kandidater` lists the open candidates: news in the team's scope not watched "
        "yet.\n"
        "`/metode omfang` shows the team's scope.\n"
        "`/metode hjelp` shows this help.\n"
        "*For administrators*\n"
        "`/metode legg til` adds a method.\n"
        "`/metode fjern <method>` stops watching a method.\n"
        "`/metode kanal <method> #channel` sends a method's alerts to another channel.\n"
        "`/metode omfang atc D11, L04` (or `tilstander`, `ignorer`) changes the scope.",
    },
    "lookup_list": {"nb": "Metoder som overvåkes ({count})", "en": "Watched methods ({count})"},
    "lookup_list_empty": {
        "nb": "Ingen metoder overvåkes ennå.",
        "en": "No methods are watched yet.",
    },
    "lookup_no_data": {"nb": "ingen data fra kildene ennå", "en": "no data from the sources yet"},
    # -- /metode liste at size: pages and areas --
    "list_area": {
        "nb": "Metoder innen «{area}» ({count} av {total})",
        "en": "Methods in “{area}” ({count} of {total})",
    },
    "list_page_suffix": {"nb": ", side {page} av {pages}", "en": ", page {page} of {pages}"},
    "list_page_word": {"nb": "side", "en": "page"},
    "list_areas": {"nb": "*Etter område:* {areas}", "en": "*By area:* {areas}"},
    "list_area_count": {"nb": "{area} ({count})", "en": "{area} ({count})"},
    "list_no_area": {"nb": "uten område", "en": "no area"},
    "list_next": {
        "nb": "Neste side: `/metode liste {next}`",
        "en": "Next page: `/metode liste {next}`",
    },
    "list_pick_area": {
        "nb": "Ett område: `/metode liste <område>`",
        "en": "One area: `/metode liste <area>`",
    },
    "list_unknown_area": {
        "nb": "Ingen overvåket metode har området «{area}».",
        "en": "No watched method has the area “{area}”.",
    },
    # -- admin (watchlist editing) --
    "query_too_long": {
        "nb": "Søket er for langt. Skriv et virkestoff, et handelsnavn eller en ID "
        "(høyst 200 tegn).",
        "en": "The search is too long. Give a substance, a trade name or an ID "
        "(200 characters at most).",
    },
    "admin_refused": {
        "nb": "Beklager, bare administratorer kan endre overvåkingslisten.",
        "en": "Sorry, only administrators can change the watchlist.",
    },
    "admin_replayed": {"nb": "Dette er allerede gjort.", "en": "This has already been done."},
    "admin_form_failed": {
        "nb": "Klarte ikke å åpne skjemaet. Prøv igjen om litt.",
        "en": "Could not open the form. Please try again in a moment.",
    },
    "admin_exists": {
        "nb": "Metoden «{method}» overvåkes allerede.",
        "en": "The method “{method}” is already watched.",
    },
    "admin_unknown": {
        "nb": "Fant ingen overvåket metode «{method}».",
        "en": "No watched method “{method}”.",
    },
    "admin_usage_remove": {
        "nb": "Bruk: /metode fjern <metode>",
        "en": "Usage: /metode fjern <method>",
    },
    "admin_usage_route": {
        "nb": "Bruk: /metode kanal <metode> #kanal",
        "en": "Usage: /metode kanal <method> #channel",
    },
    "admin_confirm_remove": {
        "nb": "Vil du slutte å overvåke *{title}*? Historikken blir liggende.",
        "en": "Stop watching *{title}*? Its history is kept.",
    },
    "admin_yes_remove": {"nb": "Ja, fjern", "en": "Yes, remove"},
    "admin_cancel": {"nb": "Avbryt", "en": "Cancel"},
    "admin_cancelled": {"nb": "Ingenting er endret.", "en": "Nothing was changed."},
    "admin_added": {
        "nb": "*{title}* overvåkes fra neste runde. Første runde lagrer bare utgangspunktet.",
        "en": "*{title}* is watched from the next cycle. The first cycle only records a baseline.",
    },
    "admin_removed": {
        "nb": "*{title}* overvåkes ikke lenger.",
        "en": "*{title}* is no longer watched.",
    },
    "admin_routed": {
        "nb": "Varsler for *{title}* går nå til <#{channel}>.",
        "en": "Alerts for *{title}* now go to <#{channel}>.",
    },
    "muted": {
        "nb": "<@{user}> har dempet *{title}* i denne kanalen til {until}. "
        "Oppsummeringen viser den fortsatt.",
        "en": "<@{user}> muted *{title}* in this channel until {until}. "
        "The summary still lists it.",
    },
    "button_show": {"nb": "Vis metode", "en": "Show method"},
    "button_mute": {"nb": "Demp i 30 dager", "en": "Mute for 30 days"},
    "button_share": {"nb": "Del i kanalen", "en": "Share in channel"},
    "modal_title": {"nb": "Legg til metode", "en": "Add method"},
    "modal_submit": {"nb": "Legg til", "en": "Add"},
    "modal_cancel": {"nb": "Avbryt", "en": "Cancel"},
    "field_id": {
        "nb": "Kortnavn (små bokstaver, sifre og bindestrek)",
        "en": "Short name (lower-case letters, digits and hyphens)",
    },
    "field_title": {"nb": "Tittel", "en": "Title"},
    "field_substance": {"nb": "Virkestoff", "en": "Active substance"},
    "field_trade_names": {
        "nb": "Handelsnavn (skilt med komma)",
        "en": "Trade names (comma-separated)",
    },
    "field_atc": {"nb": "ATC-kode", "en": "ATC code"},
    "field_indication": {"nb": "Indikasjon", "en": "Indication"},
    "field_trials": {
        "nb": "Studier (NCT-nummer, skilt med komma)",
        "en": "Trials (NCT IDs, comma-separated)",
    },
    "field_fda_applications": {
        "nb": "FDA-søknader (f.eks. BLA761055)",
        "en": "FDA applications (e.g. BLA761055)",
    },
    "field_ema_products": {
        "nb": "EMA-produktnummer (EMEA/H/C/…)",
        "en": "EMA product numbers (EMEA/H/C/…)",
    },
    "field_nye_metoder": {
        "nb": "ID-er i Nye metoder (f.eks. ID2019_015)",
        "en": "Nye metoder IDs (e.g. ID2019_015)",
    },
    "field_discover": {
        "nb": "Finn nye studier for tilstanden",
        "en": "Find new trials for the condition",
    },
    "field_channel": {"nb": "Kanal for varsler", "en": "Channel for alerts"},
    "home_title": {"nb": "Metodevakt", "en": "Metodevakt"},
    "home_methods": {"nb": "*Overvåkede metoder*", "en": "*Watched methods*"},
    "home_sources": {"nb": "*Kilder*", "en": "*Sources*"},
    "home_methods_count": {
        "nb": "*Overvåkede metoder: {count}*, etter tidsperspektiv MT i Norge",
        "en": "*Watched methods: {count}*, by expected MA in Norway",
    },
    "home_see_list": {
        "nb": "Hele listen: `/metode liste`, eller `/metode liste <område>` for ett område.",
        "en": "The whole list: `/metode liste`, or `/metode liste <area>` for one area.",
    },
    "home_source_line": {
        "nb": "{source}: {health}, sist lest {when}",
        "en": "{source}: {health}, last read {when}",
    },
    "never": {"nb": "aldri", "en": "never"},
    "foreign_team": {
        "nb": "Denne appen svarer bare i sitt eget arbeidsområde.",
        "en": "This app only answers in its own workspace.",
    },
    # -- digest (summary) --
    "digest_title": {
        "nb": "*Oppsummering fra Metodevakt, {period}*",
        "en": "*Metodevakt summary, {period}*",
    },
    "digest_until": {"nb": "fram til {date}", "en": "up to {date}"},
    "digest_fallback": {
        "nb": "Oppsummering fra Metodevakt, {period}: {changed} av {methods} har nye endringer "
        "({events} i alt).",
        "en": "Metodevakt summary, {period}: {changed} of {methods} changed ({events} in all).",
    },
    "digest_news": {"nb": "*Nytt siden sist:*", "en": "*New since the last summary:*"},
    "digest_more": {"nb": "… og {count} til", "en": "… and {count} more"},
    "digest_due": {"nb": "*De neste seks månedene:*", "en": "*The next six months:*"},
    "digest_due_trial": {
        "nb": "{nct}: primær sluttdato {date} (estimert)",
        "en": "{nct}: primary completion date {date} (estimated)",
    },
    "digest_due_decision": {
        "nb": "{name}: EU-kommisjonens vedtak ventes senest {date} "
        "(67 dager etter CHMP-uttalelsen {after})",
        "en": "{name}: the European Commission's decision is due by {date} "
        "(67 days after the CHMP opinion of {after})",
    },
    "digest_due_decision_overdue": {
        "nb": "{name}: fristen for EU-kommisjonens vedtak gikk ut {date} "
        "(67 dager etter CHMP-uttalelsen {after}), uten at noe vedtak er registrert",
        "en": "{name}: the deadline for the European Commission's decision passed on {date} "
        "(67 days after the CHMP opinion of {after}) with no decision recorded",
    },
    "digest_due_mt_norway": {
        "nb": "{name}: MT i Norge ventes rundt {date} "
        "(om lag 30 dager etter EU-kommisjonens vedtak {after})",
        "en": "{name}: MA in Norway expected around {date} "
        "(about 30 days after the European Commission's decision of {after})",
    },
    "digest_quiet": {"nb": "*Ingen nye endringer:*", "en": "*No new changes:*"},
    "digest_quiet_line": {
        "nb": "{title} · tidsperspektiv MT i Norge: {label}",
        "en": "{title} · expected MA in Norway: {label}",
    },
    "digest_quiet_many": {
        "nb": "*Ingen nye endringer: {count} metoder*, etter tidsperspektiv MT i Norge:",
        "en": "*No new changes: {count} methods*, by expected MA in Norway:",
    },
    "digest_busy_more": {
        "nb": "*Flere metoder med nye endringer:*",
        "en": "*More methods with new changes:*",
    },
    "digest_busy_line": {"nb": "{title} · {changes}", "en": "{title} · {changes}"},
    "digest_see_list": {
        "nb": "Alle metodene med status: `/metode liste`.",
        "en": "Every method with its status: `/metode liste`.",
    },
    "digest_more_methods": {
        "nb": "… og {methods} til. Slå dem opp med /metode.",
        "en": "… and {methods} more. Look them up with /metode.",
    },
    "catch_up": {
        "nb": "Mens Metodevakt var nede: {count} endringer. Detaljene står i tråden.",
        "en": "While Metodevakt was down: {count} changes. Details are in the thread.",
    },
    "catch_up_one": {
        "nb": "Mens Metodevakt var nede: 1 endring. Detaljene står i tråden.",
        "en": "While Metodevakt was down: 1 change. Details are in the thread.",
    },
    # -- health (source health, status) --
    "health_down": {
        "nb": "{source} er nede: {failures} mislykkede runder på rad. Siste feil: {reason}. "
        "Endringer der blir ikke oppdaget før kilden svarer igjen.",
        "en": "{source} is down: {failures} failed polls in a row. Last error: {reason}. "
        "Changes there go undetected until the source answers again.",
    },
    "health_recovered": {
        "nb": "{source} svarer igjen. Endringer der blir oppdaget som før.",
        "en": "{source} is back up. Changes there are detected again.",
    },
    "health_stale": {
        "nb": "{source} har ikke hatt nye data på {days} døgn (etter kildens eget tidsstempel). "
        "Endringer der blir ikke oppdaget før dataene oppdateres.",
        "en": "{source} has had no new data for {days} days (by the source's own timestamp). "
        "Changes there go undetected until the data is updated.",
    },
    "health_fresh": {
        "nb": "{source} har nye data igjen. Endringer der blir oppdaget som før.",
        "en": "{source} has new data again. Changes there are detected again.",
    },
    "health_state_ok": {"nb": "i orden", "en": "ok"},
    "health_state_degraded": {"nb": "ustabil", "en": "degraded"},
    "health_state_down": {"nb": "nede", "en": "down"},
    "health_state_stale": {"nb": "utdaterte data", "en": "stale"},
    "status_source": {
        "nb": "{source}: {health} · sist lest {last} · {failures} feil på rad",
        "en": "{source}: {health} · last read {last} · {failures} failures in a row",
    },
    "status_data": {"nb": " · data fra {stamp}", "en": " · data from {stamp}"},
    "status_error": {"nb": " · siste feil: {reason}", "en": " · last error: {reason}"},
    "status_never": {"nb": "aldri", "en": "never"},
    "status_no_sources": {"nb": "ingen kilder er lest ennå", "en": "no source has been read yet"},
    "status_outbox": {
        "nb": "utboks: {pending} venter, {sending} under sending, {dead} lagt til side",
        "en": "outbox: {pending} pending, {sending} sending, {dead} dead",
    },
    "none": {"nb": "ingen", "en": "none"},
    "unknown": {"nb": "ukjent", "en": "unknown"},
    # -- demo --
    "demo_intro": {
        "nb": "Metodevakt-demo: lagrede svar fra kildene spilles av fra en lokal server. "
        "Ingenting sendes til Slack eller hentes fra internett.",
        "en": "Metodevakt demo: recorded answers from the sources are replayed from a local "
        "server. Nothing is sent to Slack or fetched from the internet.",
    },
    "demo_baseline": {
        "nb": "1. Første runde: utgangspunktet lagres",
        "en": "1. First poll: the baseline is stored",
    },
    "demo_source": {
        "nb": "{source} · oppføringer: {records} · endringer: {events}",
        "en": "{source} · records: {records} · changes: {events}",
    },
    "demo_source_unchanged": {
        "nb": "{source} · uendret siden forrige runde (HTTP 304)",
        "en": "{source} · unchanged since the last poll (HTTP 304)",
    },
    "demo_source_failed": {
        "nb": "{source} · feilet: {reason}",
        "en": "{source} · failed: {reason}",
    },
    "demo_baseline_done": {
        "nb": "Utgangspunkt lagret: ingen varsler. Første runde varsler aldri.",
        "en": "Baseline stored: no alerts. The first poll never alerts.",
    },
    "demo_change": {
        "nb": "2. Kildene endrer seg (oppdiktet for demoen)",
        "en": "2. The sources change (invented for the demo)",
    },
    "demo_change_trial": {
        "nb": "Studien NCT02612454 er avsluttet.",
        "en": "Trial NCT02612454 has completed.",
    },
    "demo_change_fda": {
        "nb": "FDA har godkjent en ny tilleggssøknad (ny indikasjon eller dosering) for Dupixent.",
        "en": "The FDA has approved a new efficacy supplement for Dupixent.",
    },
    "demo_change_press": {
        "nb": "FDA har sendt ut en pressemelding om Dupixent.",
        "en": "The FDA has issued a press release about Dupixent.",
    },
    "demo_change_nye": {
        "nb": "Beslutningsoversikten i Nye metoder viser Beslutningsforums beslutning om "
        "dupilumab fra 24.02.2020.",
        "en": "The decision workbook of Nye metoder lists Beslutningsforum's decision on "
        "dupilumab of 24.02.2020.",
    },
    "demo_alerts": {
        "nb": "3. Neste runde: dette ville blitt postet i Slack",
        "en": "3. Next poll: this is what would be posted in Slack",
    },
    "demo_digest": {"nb": "4. Oppsummeringen", "en": "4. The summary"},
    "demo_lookup": {"nb": "5. Svaret på /metode {query}", "en": "5. The answer to /metode {query}"},
    "demo_done": {
        "nb": "Ferdig. Demodatabasen var midlertidig og er slettet.",
        "en": "Done. The demo database was temporary and has been deleted.",
    },
    # -- doctor (metodevakt doctor) --
    "doctor_unplanned": {
        "nb": "{source}: ingenting å lese for denne overvåkingslisten",
        "en": "{source}: nothing to read for this watchlist",
    },
    "doctor_unreached": {
        "nb": "{source}: IKKE nådd: {reason}",
        "en": "{source}: NOT reached: {reason}",
    },
    "doctor_reached": {
        "nb": "{source}: nådd (HTTP {http})",
        "en": "{source}: reached (HTTP {http})",
    },
    "doctor_unreached_later": {
        "nb": "  en senere forespørsel feilet: {reason}",
        "en": "  a later request failed: {reason}",
    },
    "doctor_parsed": {
        "nb": "  svaret er lest: {records} for overvåkingslisten",
        "en": "  the answer reads: {records} for the watchlist",
    },
    "doctor_unparsed": {
        "nb": "  svaret kunne IKKE leses: {reason}",
        "en": "  the answer could NOT be read: {reason}",
    },
    "doctor_drift_missing": {
        "nb": "  mangler: {path} (i {count} av {of}; ventet {expected})",
        "en": "  missing: {path} (in {count} of {of}; expected {expected})",
    },
    "doctor_drift_renamed": {
        "nb": "  mangler: {path} (i {count} av {of}). Mente du «{found}»?",
        "en": "  missing: {path} (in {count} of {of}). Did you mean “{found}”?",
    },
    "doctor_drift_type": {
        "nb": "  annen type: {path}: ventet {expected}, fant {found} (i {count} av {of})",
        "en": "  another type: {path}: expected {expected}, found {found} (in {count} of {of})",
    },
    "doctor_slack_console": {
        "nb": "Slack: SLACK_BOT_TOKEN er ikke satt, så varsler skrives til konsollen",
        "en": "Slack: SLACK_BOT_TOKEN is not set, so alerts are written to the console",
    },
    "doctor_slack_failed": {
        "nb": "Slack: tokenet virker IKKE: {reason}",
        "en": "Slack: the token does NOT work: {reason}",
    },
    "doctor_slack_ok": {
        "nb": "Slack: tokenet virker (arbeidsområde {team}, bot {user})",
        "en": "Slack: the token works (workspace {team}, bot {user})",
    },
    "doctor_slack_scopes": {
        "nb": "Slack: appen mangler tillatelser: {scopes} "
        "(legg dem til og installer appen på nytt)",
        "en": "Slack: the app lacks scopes: {scopes} (add them and reinstall the app)",
    },
    "doctor_role_alert": {"nb": "varselkanalen", "en": "the alert channel"},
    "doctor_role_admin": {"nb": "adminkanalen", "en": "the admin channel"},
    "doctor_channel_ok": {
        "nb": "Slack: boten er med i {role} ({channel})",
        "en": "Slack: the bot is in {role} ({channel})",
    },
    "doctor_channel_problem": {
        "nb": "Slack: {role} ({channel}): {reason}",
        "en": "Slack: {role} ({channel}): {reason}",
    },
    "doctor_hint_not_set": {
        "nb": "ikke satt (SLACK_ALERT_CHANNEL)",
        "en": "not set (SLACK_ALERT_CHANNEL)",
    },
    "doctor_hint_invite": {
        "nb": "boten er ikke med; skriv /invite @Metodevakt i kanalen",
        "en": "the bot is not a member; type /invite @Metodevakt in the channel",
    },
    "doctor_hint_not_found": {
        "nb": "finnes ikke, eller boten kan ikke se den (sjekk kanal-ID-en)",
        "en": "does not exist, or the bot cannot see it (check the channel ID)",
    },
    "doctor_all_ok": {"nb": "Alt er i orden.", "en": "All is well."},
    "doctor_problems": {"nb": "{problems} funnet.", "en": "{problems} found."},
}

# Candidates (issue 14): the weekly "Nye kandidater", triage in Slack, the team's scope.
NOUNS["candidate"] = {"nb": ("kandidat", "kandidater"), "en": ("candidate", "candidates")}
CANDIDATE_TEXT: dict[str, dict[Language, str]] = {
    "candidates_title": {"nb": "Nye kandidater", "en": "New candidates"},
    "candidates_intro": {
        "nb": "{count} i teamets omfang som ikke overvåkes ennå, funnet i det boten leser. "
        "Bestem i tråden: *Følg*, *Ikke relevant* eller *Ta saken*.",
        "en": "{count} in the team's scope and not watched yet, found in what the bot reads. "
        "Decide in the thread: *Follow*, *Not relevant* or *Take it*.",
    },
    "candidates_source_count": {"nb": "{source}: {count}", "en": "{source}: {count}"},
    "candidates_part": {"nb": "*{source}*", "en": "*{source}*"},
    "candidates_part_more": {
        "nb": "*{source}* (fortsatt)",
        "en": "*{source}* (continued)",
    },
    "candidates_none": {
        "nb": "Ingen nye kandidater denne gangen.",
        "en": "No new candidates this time.",
    },
    "candidate_heading": {"nb": "*{substance}*: {term}", "en": "*{substance}*: {term}"},
    "candidate_term_atc": {"nb": "ATC {code}", "en": "ATC {code}"},
    "candidate_reopened": {
        "nb": "_Ny informasjon etter «Ikke relevant»._",
        "en": "_New information after “Not relevant”._",
    },
    "candidate_ema_evaluation": {
        "nb": "EMA: vurdering startet {date}: {product}{holder}",
        "en": "EMA: evaluation started {date}: {product}{holder}",
    },
    "candidate_ema_opinion": {
        "nb": "EMA: {opinion} CHMP-uttalelse {date}: {product}{holder}",
        "en": "EMA: {opinion} CHMP opinion of {date}: {product}{holder}",
    },
    "candidate_ema_decision": {
        "nb": "EMA: EU-kommisjonens vedtak {date}: {product}{holder}",
        "en": "EMA: European Commission decision of {date}: {product}{holder}",
    },
    "candidate_ema_procedure_opinion": {
        "nb": "EMA: {opinion} CHMP-uttalelse {date} i en prosedyre etter godkjenning: {product} "
        "(filen sier ikke hva slags prosedyre; kan være en indikasjonsutvidelse)",
        "en": "EMA: {opinion} CHMP opinion of {date} in a post-authorisation procedure: "
        "{product} (the file does not say which kind; it may be an extension of indication)",
    },
    "candidate_fda_original": {
        "nb": "FDA: opprinnelig søknad godkjent {date}: {product}{holder}",
        "en": "FDA: original application approved {date}: {product}{holder}",
    },
    "candidate_fda_efficacy": {
        "nb": "FDA: tilleggssøknad (ny indikasjon eller dosering) godkjent {date}: "
        "{product}{holder}",
        "en": "FDA: supplement (new indication or dosing) approved {date}: {product}{holder}",
    },
    "candidate_trial_phase3": {
        "nb": "ClinicalTrials.gov: ny fase 3-studie {date}: {product}, {status}{holder}",
        "en": "ClinicalTrials.gov: new phase 3 trial {date}: {product}, {status}{holder}",
    },
    "candidate_by": {"nb": " ({who})", "en": " ({who})"},
    "candidate_expected_ec_decision": {
        "nb": "EU-kommisjonens vedtak innen {date}",
        "en": "European Commission decision by {date}",
    },
    "candidate_expected_mt_norway": {
        "nb": "MT i Norge omkring {date}",
        "en": "MA in Norway around {date}",
    },
    "candidate_expected": {"nb": "Forventet: {steps}", "en": "Expected: {steps}"},
    "candidate_owner": {"nb": "Saken er tatt av {user}", "en": "Taken by {user}"},
    "candidate_state_dismissed": {
        "nb": "Ikke relevant ({user}, {date}){reason}",
        "en": "Not relevant ({user}, {date}){reason}",
    },
    "candidate_state_followed": {
        "nb": "Følges som metode `{method}` ({user}, {date})",
        "en": "Followed as method `{method}` ({user}, {date})",
    },
    "button_follow": {"nb": "Følg", "en": "Follow"},
    "button_dismiss": {"nb": "Ikke relevant", "en": "Not relevant"},
    "button_take": {"nb": "Ta saken", "en": "Take it"},
    "button_show_candidate": {"nb": "Vis", "en": "Show"},
    "candidates_list_title": {
        "nb": "Åpne kandidater ({count}, {taken} tatt)",
        "en": "Open candidates ({count}, {taken} taken)",
    },
    "candidates_list_empty": {"nb": "Ingen åpne kandidater.", "en": "No open candidates."},
    "candidates_list_page": {
        "nb": "Side {page} av {pages}. Neste side: `/metode kandidater side {next}`",
        "en": "Page {page} of {pages}. Next page: `/metode kandidater page {next}`",
    },
    "candidates_list_last": {"nb": "Side {page} av {pages}.", "en": "Page {page} of {pages}."},
    "candidates_no_scope": {
        "nb": "Teamet har ikke noe omfang ennå, og uten omfang foreslås ingen kandidater. "
        "Se `/metode omfang`.",
        "en": "The team has no scope yet, and without one no candidates are proposed. "
        "See `/metode omfang`.",
    },
    "candidates_summary_title": {
        "nb": "*Kandidater*: {count} åpne, {taken} tatt",
        "en": "*Candidates*: {count} open, {taken} taken",
    },
    "candidates_summary_owner": {"nb": "{user}: {names}", "en": "{user}: {names}"},
    "candidates_summary_unowned": {
        "nb": "Ingen har tatt saken: {names}",
        "en": "Nobody has taken: {names}",
    },
    "home_candidates": {
        "nb": "*Kandidater*: {count} åpne ({taken} tatt), {followed} fulgt, "
        "{dismissed} ikke relevante. Se `/metode kandidater`.",
        "en": "*Candidates*: {count} open ({taken} taken), {followed} followed, "
        "{dismissed} not relevant. See `/metode kandidater`.",
    },
    "candidate_taken": {"nb": "Du har tatt saken: {title}.", "en": "You have taken: {title}."},
    "candidate_dismissed": {
        "nb": "{title} er markert som ikke relevant. Den foreslås igjen bare hvis det kommer ny "
        "informasjon.",
        "en": "{title} is marked not relevant. It is proposed again only when new information "
        "arrives.",
    },
    "candidate_followed": {
        "nb": "{title} overvåkes nå som metode `{method}`. Første runde er en stille start.",
        "en": "{title} is now watched as method `{method}`. Its first poll is a silent start.",
    },
    "candidate_unknown": {"nb": "Fant ikke kandidaten.", "en": "Candidate not found."},
    "candidate_already_followed": {
        "nb": "Kandidaten følges allerede ({who}).",
        "en": "The candidate is followed already ({who}).",
    },
    "candidate_already_dismissed": {
        "nb": "Kandidaten er allerede markert som ikke relevant ({who}).",
        "en": "The candidate is already marked not relevant ({who}).",
    },
    "candidate_dismiss_title": {"nb": "Ikke relevant", "en": "Not relevant"},
    "candidate_dismiss_reason": {"nb": "Begrunnelse (valgfri)", "en": "Reason (optional)"},
    "candidate_dismiss_submit": {"nb": "Lagre", "en": "Save"},
    "candidate_follow_title": {"nb": "Følg kandidat", "en": "Follow candidate"},
    "scope_title": {"nb": "*Teamets omfang*", "en": "*The team's scope*"},
    "scope_atc": {"nb": "ATC: {values}", "en": "ATC: {values}"},
    "scope_conditions": {"nb": "Tilstander: {values}", "en": "Conditions: {values}"},
    "scope_ignore": {"nb": "Ignoreres: {values}", "en": "Ignored: {values}"},
    "scope_empty": {"nb": "(ingen)", "en": "(none)"},
    "scope_from_file": {
        "nb": "Fra overvåkningslisten (`scope:`).",
        "en": "From the watchlist file (`scope:`).",
    },
    "scope_from_slack": {
        "nb": "Endret i Slack av {user} {when}; Slacks utgave gjelder foran filen.",
        "en": "Changed in Slack by {user} {when}; Slack's copy wins over the file.",
    },
    "scope_none": {
        "nb": "Teamet har ikke noe omfang. Uten omfang foreslås ingen kandidater.",
        "en": "The team has no scope. Without one no candidates are proposed.",
    },
    "scope_usage": {
        "nb": "Bruk: `/metode omfang atc D11, L04`, `/metode omfang tilstander atopic "
        "dermatitis, psoriasis` eller `/metode omfang ignorer <virkestoff>, …` "
        "(`-` tømmer listen). Bare administratorer kan endre omfanget.",
        "en": "Usage: `/metode scope atc D11, L04`, `/metode scope conditions atopic "
        "dermatitis, psoriasis` or `/metode scope ignore <substance>, …` "
        "(`-` empties the list). Only admins can change the scope.",
    },
    "scope_invalid": {
        "nb": "Omfanget ble ikke endret: {problem}",
        "en": "The scope was not changed: {problem}",
    },
    "scope_changed": {"nb": "Omfanget er endret.", "en": "The scope was changed."},
}
TEXT.update(CANDIDATE_TEXT)


def text(language: Language, key: str, **values: object) -> str:
    """The catalogue entry `key` in `language`, with `values` filled in."""
    return TEXT[key][language].format(**values)


def number(value: int, language: Language) -> str:
    """A count for people: `1 742` (no-break space) in Norwegian, `1,742` in English."""
    return f"{value:,}".replace(",", THOUSANDS_SEPARATOR[language])


def counted(count: int, noun: str, language: Language) -> str:
    """`1 metode`, `2 metoder`: a count with its noun in agreement."""
    one, several = NOUNS[noun][language]
    return f"{number(count, language)} {one if count == 1 else several}"


def folded_term(table: dict[str, dict[Language, str]], value: object, language: Language) -> str:
    """A source's free-text value (`Authorised`) in words, compared without case; an unknown
    value is shown as it is, escaped."""
    shown = str(value or "").strip()
    if not shown:
        return TEXT["unknown"][language]
    known = table.get(shown.casefold(), {}).get(language)
    return known if known is not None else escape(shown)


def term(table: dict[str, dict[Language, str]], value: str | None, language: Language) -> str:
    """A code (status, phase, source) in words; an unknown code is shown as it is, escaped."""
    if value is None:
        return TEXT["unknown"][language]
    known = table.get(value, {}).get(language)
    return known if known is not None else escape(str(value))


def _date_parts(iso: str) -> list[int] | None:
    """[year], [year, month] or [year, month, day] for an ISO (partial) date, else None."""
    if not ISO_DATE.match(iso):
        return None
    parts = [int(part) for part in iso.split("-")]
    valid = len(parts) < 2 or 1 <= parts[1] <= 12
    return parts if valid and (len(parts) < 3 or 1 <= parts[2] <= 31) else None


def table_date(iso: str | None, language: Language) -> str:
    """`2018-06-04` as `04.06.2018`, `2023-07` as `07.2023`; None as 'ukjent'.

    A value that is not an ISO date (a source's odd format) is shown as it is, escaped.
    """
    if not iso:
        return TEXT["unknown"][language]
    if _date_parts(iso) is None:
        return escape(iso)
    return ".".join(reversed(iso.split("-")))


def prose_date(iso: str | None, language: Language) -> str:
    """`2018-06-04` as `4. juni 2018` (nb) or `4 June 2018` (en); partial dates shortened."""
    if not iso:
        return TEXT["unknown"][language]
    parts = _date_parts(iso)
    if parts is None:
        return escape(iso)
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
