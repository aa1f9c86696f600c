"""Alerts, status changes, the card's shared words and admin notices of delivery."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

ALERT_TEXT: dict[str, dict[Language, str]] = {
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
}
