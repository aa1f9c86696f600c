"""Editing the watchlist from Slack and the file: answers, confirmations, errors."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

ADMIN_TEXT: dict[str, dict[Language, str]] = {
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
}
