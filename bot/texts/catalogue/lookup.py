"""/metode: the lookup card, lists at size, pages and areas."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

LOOKUP_TEXT: dict[str, dict[Language, str]] = {
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
}
