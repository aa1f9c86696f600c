"""EMA data-file rows as normalised fields: text, ISO dates, and only EMA's own links."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from bot.sources.base import ParseError
from bot.sources.plaintext import html_to_text, one_line

EMA_HOST = "www.ema.europa.eu"
# What strptime("%d/%m/%Y") reads, without its cost (thousands of dates per file).
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")

Row = dict[str, Any]


def medicine_fields(row: Row) -> dict[str, Any]:
    """The normalised fields of one medicines row."""
    indication = text(row.get("therapeutic_indication"), html=True)
    return {
        "name": text(row["name_of_medicine"]),
        "product_number": text(row["ema_product_number"]),
        "medicine_status": text(row.get("medicine_status")),
        "opinion_status": text(row.get("opinion_status")),
        "inn": text(row.get("international_non_proprietary_name_common_name")),
        "active_substance": text(row.get("active_substance")),
        "atc": text(row.get("atc_code_human")),
        "therapeutic_indication": indication,
        "holder": text(row.get("marketing_authorisation_developer_applicant_holder")),
        "opinion_adopted_date": iso_date(row.get("opinion_adopted_date")),
        "ec_decision_date": iso_date(row.get("european_commission_decision_date")),
        "marketing_authorisation_date": iso_date(row.get("marketing_authorisation_date")),
        "start_of_evaluation_date": iso_date(row.get("start_of_evaluation_date")),
        "withdrawal_of_application_date": iso_date(row.get("withdrawal_of_application_date")),
        "refusal_date": iso_date(row.get("refusal_of_marketing_authorisation_date")),
        "revision_number": text(row.get("revision_number")),
        "first_published_date": iso_date(row.get("first_published_date")),
        "last_updated_date": iso_date(row.get("last_updated_date")),
    }


def procedure_fields(row: Row) -> dict[str, Any]:
    """The normalised fields of one post-authorisation row."""
    return {
        "name": text(row["name_of_medicine"]),
        "product_number": text(row["ema_product_number"]),
        "procedure_status": text(row.get("post_authorisation_procedure_status")),
        "opinion_status": text(row.get("post_authorisation_opinion_status")),
        "opinion_date": iso_date(row.get("post_authorisation_opinion_date")),
        "first_published_date": iso_date(row.get("first_published_date")),
        "last_updated_date": iso_date(row.get("last_updated_date")),
        "url": ema_link(row.get("medicine_url")),
    }


def text(value: Any, *, html: bool = False) -> str | None:
    """A value as clean text, or None when empty; a list (as some consumers see) is joined."""
    if value is None:
        return None
    if type(value) is str:  # nearly every value: spares the checks below
        raw = value
    elif isinstance(value, list):
        raw = ", ".join(item for item in map(_scalar, value) if item.strip())
    else:
        raw = _scalar(value)
    cleaned = html_to_text(raw) if html else one_line(raw)
    return cleaned or None


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ParseError(f"expected text, got {type(value).__name__}: {value!r:.80}")
    return str(value)


def iso_date(value: Any) -> str | None:
    """EMA's DD/MM/YYYY as YYYY-MM-DD; an empty value is None, anything else a ParseError."""
    raw = text(value)
    if raw is None:
        return None
    found = _DMY.fullmatch(raw)
    try:
        if found is None:
            raise ValueError(raw)
        day, month, year = map(int, found.groups())
        return date(year, month, day).isoformat()
    except ValueError:
        raise ParseError(f"date {raw!r} is not DD/MM/YYYY") from None


def ema_link(value: Any) -> str | None:
    """The link if it is an https page on EMA's own site, else None (never a foreign link)."""
    link = text(value)
    if link is None:
        return None
    parts = urlsplit(link)
    return link if parts.scheme == "https" and parts.hostname == EMA_HOST else None
