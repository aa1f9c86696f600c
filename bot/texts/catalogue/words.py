"""The team's words for the sources' codes, nouns with a count, months and digit grouping."""

from __future__ import annotations

from typing import Literal

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
    "candidate": {"nb": ("kandidat", "kandidater"), "en": ("candidate", "candidates")},
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
