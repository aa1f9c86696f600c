"""The sections of the lookup card, each as mrkdwn lines: status, studies, events, sources."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from bot.overview.outlook import outlook_of
from bot.overview.state import RUNNING, Item, Overview
from bot.sources import clinicaltrials, ema, openfda
from bot.texts.alerts import describe
from bot.texts.catalogue import (
    PHASE,
    SOURCE_NAME,
    TRIAL_STATUS,
    Language,
    local_time,
    table_date,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link
from bot.texts.outlook import outlook_line as worded
from bot.texts.statuscard import eu_line, us_line
from bot.watchlist import Method

Fields = dict[str, Any]
INDICATION_LIMIT = 300
NYE_METODER_SEARCH = "https://nyemetoder.no/metoder?searchquery={}"


def outlook_line(overview: Overview, language: Language) -> str:
    """*Tidsperspektiv MT i Norge:* one of Nå … Uklart, with its reason, fact and dates."""
    return worded(outlook_of(overview), language)


def status_lines(overview: Overview, language: Language) -> list[str]:
    """*Status for bruk og godkjenning*: outlook, Norway, the EU (with indication), the US."""
    lines = [f"*{t(language, 'lookup_status')}*", outlook_line(overview, language)]
    lines.append(t(language, "lookup_norway", ids=_nye_metoder_ids(overview.method, language)))
    lines.append(t(language, "card_eu", text=eu_line(overview, language)))
    indication = _indication(overview, language)
    if indication:
        lines.append(indication)
    lines.append(t(language, "card_us", text=us_line(overview, language)))
    return lines


def nye_metoder_link(method: Method, nye_id: str) -> str:
    """Where a Nye metoder ID links to.

    Link rule: every ID links to the method's own page on nyemetoder.no when the watchlist gives
    one (`nye_metoder_url`); otherwise to nyemetoder.no's search for that ID.
    """
    pages = method.nye_metoder_url
    return pages[0] if pages else NYE_METODER_SEARCH.format(quote(nye_id, safe=""))


def _nye_metoder_ids(method: Method, language: Language) -> str:
    linked = [link(nye_metoder_link(method, nye_id), nye_id) for nye_id in method.nye_metoder]
    return ", ".join(linked) or t(language, "lookup_no_ids")


def watched_medicine(overview: Overview) -> Item | None:
    """The EMA medicine the method names (its product number), else the first one found."""
    named = [m for m in overview.medicines if m.key in overview.method.ema_products]
    return next(iter(named or overview.medicines), None)


def _indication(overview: Overview, language: Language) -> str:
    medicine = watched_medicine(overview)
    text = str((medicine.fields if medicine else {}).get("therapeutic_indication") or "")
    if medicine is None or not text.strip():
        return ""
    one_line = " · ".join(line.strip() for line in text.splitlines() if line.strip())
    name = clean(str(medicine.fields.get("name") or medicine.key))
    shown = clean(one_line, limit=INDICATION_LIMIT)
    return t(language, "lookup_eu_indication", name=name, text=shown)


def study_lines(overview: Overview, language: Language) -> list[str]:
    """The studies table: watched trials first, then those found by discovery."""
    lines = [study_line(item, language) for item in overview.trials]
    return [f"*{t(language, 'lookup_trials')}*", *(lines or [t(language, "lookup_no_trials")])]


def event_lines(overview: Overview, language: Language, zone: ZoneInfo) -> list[str]:
    """The latest five events, each with the day it was observed (in `zone`)."""
    lines = [
        f"{_day(event.observed_at, zone)}: {describe(event, language, table=True)}"
        for event in overview.events[:5]
    ]
    return [f"*{t(language, 'lookup_events')}*", *(lines or [t(language, "lookup_no_events")])]


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d.%m.%Y}"


def link_lines(overview: Overview, language: Language) -> list[str]:
    """A line per source with links to its pages of the method, then nyemetoder.no and MedNytt."""
    rows = [
        (clinicaltrials.NAME, [link(i.url, i.key) for i in overview.trials]),
        (ema.MEDICINES, [link(i.url, _name(i)) for i in overview.medicines]),
        (openfda.NAME, [link(i.url, i.key) for i in overview.applications]),
    ]
    lines = [f"{term(SOURCE_NAME, s, language)}: {', '.join(links)}" for s, links in rows if links]
    return [f"*{t(language, 'lookup_links')}*", *lines, *_own_links(overview.method, language)]


def _name(item: Item) -> str:
    return str(item.fields.get("name") or item.key)


def _own_links(method: Method, language: Language) -> list[str]:
    lines = []
    if method.nye_metoder:
        target = nye_metoder_link(method, method.nye_metoder[0])
        lines.append(f"Nye metoder: {link(target, 'nyemetoder.no')}")
    if method.notice_url:
        host = urlsplit(method.notice_url).hostname or method.notice_url
        lines.append(f"{t(language, 'lookup_notice')}: {link(method.notice_url, host)}")
    return lines


def last_read_lines(overview: Overview, language: Language, zone: ZoneInfo) -> list[str]:
    """When each source was last read successfully, in local time, or "aldri"."""
    sources = [*SOURCE_NAME, *(s for s in overview.last_read if s not in SOURCE_NAME)]
    lines = [f"*{t(language, 'lookup_last_read')}*"]
    for source in sources:
        moment = overview.last_read.get(source)
        when = local_time(moment, zone, language) if moment else t(language, "lookup_never")
        lines.append(f"{term(SOURCE_NAME, source, language)}: {when}")
    return lines


def study_line(item: Item, language: Language) -> str:
    """`NCT03054428 · Fase 3 · N=251 · Avsluttet 04.06.2018 · resultater publisert: ja`."""
    fields = item.fields
    acronym = fields.get("acronym")
    label = f"{item.key} ({acronym})" if acronym else item.key
    phases = "/".join(term(PHASE, p, language) for p in fields.get("phases") or []) or "–"
    return t(
        language,
        "lookup_trial_line",
        nct=link(item.url, label),
        phase=phases,
        n=enrollment(fields, language),
        status=study_status(fields, language),
        results=t(language, "yes" if fields.get("has_results") else "no"),
    )


def enrollment(fields: Fields, language: Language) -> str:
    """`N=251`, or `estimert N=800` while the count is an estimate (the notice's manner)."""
    struct = fields.get("enrollment") or {}
    count = struct.get("count")
    shown = str(count) if count is not None else "?"
    key = (
        "lookup_enrollment_estimated" if struct.get("type") == "ESTIMATED" else "lookup_enrollment"
    )
    return t(language, key, count=shown)


def study_status(fields: Fields, language: Language) -> str:
    """`Avsluttet 04.06.2018`, `Pågående, estimert avsluttet 11.2026`, `Avbrutt 12.03.2020`.

    The date is the primary completion (when the results the assessment needs exist), as in the
    notice's column *Tidsperspektiv resultater*; the completion date when there is none.
    """
    status = fields.get("overall_status")
    when = fields.get("primary_completion") or fields.get("completion") or {}
    date, estimated = when.get("date"), when.get("type") == "ESTIMATED"
    if status in RUNNING:
        return _running(str(status), date, estimated=estimated, language=language)
    word = term(TRIAL_STATUS, status, language)
    if not date or estimated:
        return word
    return f"{word} {table_date(date, language)}"


def _running(status: str, date: str | None, *, estimated: bool, language: Language) -> str:
    # The notice says just "Pågående" for a trial that runs but no longer recruits.
    if status == "ACTIVE_NOT_RECRUITING":
        word = t(language, "lookup_ongoing")
    else:
        word = term(TRIAL_STATUS, status, language)
    if not date:
        return word
    if estimated:
        # An estimate is shown to the month ("11.2026"): the day is not a promise.
        return t(
            language, "lookup_trial_estimated", status=word, date=table_date(date[:7], language)
        )
    return t(language, "lookup_trial_primary", status=word, date=table_date(date, language))
