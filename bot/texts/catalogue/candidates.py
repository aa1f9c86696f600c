"""Candidates: the weekly "Nye kandidater", triage in Slack, the team's scope."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

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
        "nb": "Kandidaten følges allerede som metode `{method}`.",
        "en": "The candidate is followed already as method `{method}`.",
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
}
