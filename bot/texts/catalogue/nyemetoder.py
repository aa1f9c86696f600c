"""Nye metoder's alerts and its section of the card (bot/texts/nyemetoder.py fills them in)."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

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
