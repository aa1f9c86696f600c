"""The periodic summary (digest)."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

SUMMARY_TEXT: dict[str, dict[Language, str]] = {
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
}
