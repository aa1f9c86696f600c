"""Source health, status, the demo and `metodevakt doctor`."""

from __future__ import annotations

from bot.texts.catalogue.words import Language

OPERATIONS_TEXT: dict[str, dict[Language, str]] = {
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
    "admin_not_found": {
        "nb": "{source}: siden {page} finnes ikke (svarte «ikke funnet»). Sjekk nye_metoder_url "
        "i overvåkingslisten. De andre sidene leses som før.",
        "en": '{source}: the page {page} does not exist (answered "not found"). Check '
        "nye_metoder_url in the watchlist. The other pages are read as usual.",
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
