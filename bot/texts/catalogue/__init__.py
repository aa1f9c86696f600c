"""The message catalogue: everything a Slack user reads, in Norwegian bokmål and English.

One catalogue in several modules, by what the texts are for; every name is importable from here.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.texts.catalogue.admin import ADMIN_TEXT
from bot.texts.catalogue.alerts import ALERT_TEXT
from bot.texts.catalogue.candidates import CANDIDATE_TEXT
from bot.texts.catalogue.lookup import LOOKUP_TEXT
from bot.texts.catalogue.nyemetoder import NYE_METODER_TEXT
from bot.texts.catalogue.operations import OPERATIONS_TEXT
from bot.texts.catalogue.summary import SUMMARY_TEXT
from bot.texts.catalogue.words import (
    DATE_TYPE,
    EMA_STATUS,
    FDA_CLASS,
    FDA_STATUS,
    FDA_SUBMISSION_TYPE,
    MONTHS,
    NOUNS,
    OPINION,
    OUTLOOK,
    OUTLOOK_REASON,
    PHASE,
    PROCEDURE_STATUS,
    PUBLISHER,
    SOURCE_NAME,
    THOUSANDS_SEPARATOR,
    TRIAL_STATUS,
    Language,
)
from bot.texts.mrkdwn import escape

__all__ = [
    "CANDIDATE_TEXT",
    "DATE_TYPE",
    "EMA_STATUS",
    "FDA_CLASS",
    "FDA_STATUS",
    "FDA_SUBMISSION_TYPE",
    "MONTHS",
    "NOUNS",
    "NYE_METODER_TEXT",
    "OPINION",
    "OUTLOOK",
    "OUTLOOK_REASON",
    "PHASE",
    "PROCEDURE_STATUS",
    "PUBLISHER",
    "SOURCE_NAME",
    "TEXT",
    "THOUSANDS_SEPARATOR",
    "TRIAL_STATUS",
    "Language",
    "counted",
    "folded_term",
    "local_time",
    "number",
    "prose_date",
    "table_date",
    "term",
    "text",
]

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PARTS: tuple[dict[str, dict[Language, str]], ...] = (
    NYE_METODER_TEXT,
    ALERT_TEXT,
    LOOKUP_TEXT,
    ADMIN_TEXT,
    SUMMARY_TEXT,
    OPERATIONS_TEXT,
    CANDIDATE_TEXT,
)


def _merged(parts: tuple[dict[str, dict[Language, str]], ...]) -> dict[str, dict[Language, str]]:
    """The parts as one table; a key in two parts is a mistake, refused at import."""
    merged: dict[str, dict[Language, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"catalogue keys defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


TEXT = _merged(PARTS)


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
