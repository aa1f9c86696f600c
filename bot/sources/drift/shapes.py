"""The answer shapes the parsers rely on, per source and HTTP status, for the drift report.

A shape lists the paths the parser reads, each with the kind of value it expects there. A path
is dotted; `name[]` is a list of objects, `name?` may be absent (a required key is in every
answer the bot asks for). Only what the bot reads is listed: a key it ignores can come and go.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from bot.sources import clinicaltrials, ema, news, openfda


@dataclass(frozen=True)
class Kind:
    """What a value must be: a name for people and the test."""

    name: str
    accepts: Callable[[Any], bool]


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _matching(pattern: str) -> Callable[[Any], bool]:
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and compiled.fullmatch(value.strip()) is not None


def _parses(parse: Callable[[str], Any]) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        try:
            parse(value)
        except (TypeError, ValueError, IndexError):
            return False
        return True

    return accepts


def _ema_scalar(value: Any) -> bool:
    # bot.sources.ema.rows.text reads text, numbers and lists of them (one consumer sees lists).
    if isinstance(value, list):
        return all(_ema_scalar(item) and not isinstance(item, list) for item in value)
    return isinstance(value, str | int | float) and not isinstance(value, bool)


_EMA_DATE = _matching(r"(\d{2}/\d{2}/\d{4})?")

TEXT = Kind("text", _text)
INTEGER = Kind("whole number", lambda v: isinstance(v, int) and not isinstance(v, bool))
BOOLEAN = Kind("true/false", lambda v: isinstance(v, bool))
TEXTS = Kind("list of texts", lambda v: isinstance(v, list) and all(map(_text, v)))
PARTIAL_DATE = Kind("date YYYY-MM or YYYY-MM-DD", _matching(r"\d{4}-\d{2}(-\d{2})?"))
COMPACT_DATE = Kind("date YYYYMMDD", _matching(r"\d{8}"))
EMA_TEXT = Kind("text", _ema_scalar)
EMA_DATE = Kind(
    "date DD/MM/YYYY or empty",
    lambda v: _EMA_DATE(v) or (isinstance(v, list) and len(v) <= 1 and all(map(_EMA_DATE, v))),
)
RECORD_COUNT = Kind("number of records", lambda v: INTEGER.accepts(v) or _matching(r"\d+")(v))
TIMESTAMP = Kind("ISO 8601 timestamp", _parses(datetime.fromisoformat))
WEB_URL = Kind("http(s) URL", _matching(r"(?i)https?://\S+"))
RFC822_DATE = Kind("RFC 822 date", _parses(parsedate_to_datetime))

Shape = tuple[tuple[str, Kind], ...]

# ClinicalTrials.gov: where each piece of bot.sources.clinicaltrials.FIELDS lands in a study
# (the API's data model; checked against the real samples in tests/fixtures/clinicaltrials).
_PROTOCOL = "studies[].protocolSection"
_STATUS = f"{_PROTOCOL}.statusModule"
_DESIGN = f"{_PROTOCOL}.designModule?"
_INTERVENTIONS = f"{_PROTOCOL}.armsInterventionsModule?.interventions[]?"
CLINICALTRIALS_PIECES: dict[str, tuple[str, Kind]] = {
    "NCTId": (f"{_PROTOCOL}.identificationModule.nctId", TEXT),
    "BriefTitle": (f"{_PROTOCOL}.identificationModule.briefTitle", TEXT),
    "Acronym": (f"{_PROTOCOL}.identificationModule.acronym?", TEXT),
    "OverallStatus": (f"{_STATUS}.overallStatus", TEXT),
    "WhyStopped": (f"{_STATUS}.whyStopped?", TEXT),
    "Phase": (f"{_DESIGN}.phases?", TEXTS),
    "EnrollmentCount": (f"{_DESIGN}.enrollmentInfo?.count?", INTEGER),
    "EnrollmentType": (f"{_DESIGN}.enrollmentInfo?.type?", TEXT),
    "StartDate": (f"{_STATUS}.startDateStruct?.date", PARTIAL_DATE),
    "StartDateType": (f"{_STATUS}.startDateStruct?.type?", TEXT),
    "PrimaryCompletionDate": (f"{_STATUS}.primaryCompletionDateStruct?.date", PARTIAL_DATE),
    "PrimaryCompletionDateType": (f"{_STATUS}.primaryCompletionDateStruct?.type?", TEXT),
    "CompletionDate": (f"{_STATUS}.completionDateStruct?.date", PARTIAL_DATE),
    "CompletionDateType": (f"{_STATUS}.completionDateStruct?.type?", TEXT),
    "ResultsFirstPostDate": (f"{_STATUS}.resultsFirstPostDateStruct?.date", PARTIAL_DATE),
    "HasResults": ("studies[].hasResults", BOOLEAN),
    "LastUpdatePostDate": (f"{_STATUS}.lastUpdatePostDateStruct.date", PARTIAL_DATE),
    "LeadSponsorName": (f"{_PROTOCOL}.sponsorCollaboratorsModule.leadSponsor.name", TEXT),
    "Condition": (f"{_PROTOCOL}.conditionsModule?.conditions?", TEXTS),
    "InterventionName": (f"{_INTERVENTIONS}.name?", TEXT),
    "InterventionOtherName": (f"{_INTERVENTIONS}.otherNames?", TEXTS),
    "InterventionType": (f"{_INTERVENTIONS}.type?", TEXT),
    "StudyFirstPostDate": (f"{_STATUS}.studyFirstPostDateStruct?.date?", PARTIAL_DATE),
    "MinimumAge": (f"{_PROTOCOL}.eligibilityModule?.minimumAge?", TEXT),
    "MaximumAge": (f"{_PROTOCOL}.eligibilityModule?.maximumAge?", TEXT),
}
CLINICALTRIALS: Shape = (*CLINICALTRIALS_PIECES.values(), ("nextPageToken?", TEXT))

_SUBMISSION = "results[].submissions[]?"
OPENFDA: Shape = (
    ("meta.results.total", INTEGER),
    ("results[].application_number", TEXT),
    ("results[].sponsor_name", TEXT),
    ("results[].products[].brand_name", TEXT),
    ("results[].products[].marketing_status", TEXT),
    ("results[].products[].active_ingredients[].name", TEXT),
    ("results[].openfda?.generic_name?", TEXTS),
    (f"{_SUBMISSION}.submission_type", TEXT),
    (f"{_SUBMISSION}.submission_number", TEXT),
    (f"{_SUBMISSION}.submission_status", TEXT),
    (f"{_SUBMISSION}.submission_status_date", COMPACT_DATE),
    (f"{_SUBMISSION}.submission_class_code?", TEXT),
    (f"{_SUBMISSION}.submission_class_code_description?", TEXT),
    (f"{_SUBMISSION}.review_priority?", TEXT),
)
# openFDA's answer to a search that matches nothing (real: samples/real/openfda, 404).
OPENFDA_NOT_FOUND: Shape = (("error.code", TEXT), ("error.message", TEXT))

# EMA's files list every column in every row ("" when empty), so each key read is required.
_EMA_ENVELOPE: Shape = (("meta.total_records", RECORD_COUNT), ("meta.timestamp", TIMESTAMP))
_EMA_IDENTITY = (
    "category",
    "name_of_medicine",
    "ema_product_number",
    "international_non_proprietary_name_common_name",
    "active_substance",
)


def _ema_rows(texts: tuple[str, ...], dates: tuple[str, ...]) -> Shape:
    rows = [(f"data[].{key}", EMA_TEXT) for key in (*_EMA_IDENTITY, *texts)]
    return (*_EMA_ENVELOPE, *rows, *((f"data[].{key}", EMA_DATE) for key in dates))


EMA_MEDICINES = _ema_rows(
    (
        "medicine_status",
        "opinion_status",
        "atc_code_human",
        "therapeutic_indication",
        "marketing_authorisation_developer_applicant_holder",
        "revision_number",
        "medicine_url",
    ),
    (
        "opinion_adopted_date",
        "european_commission_decision_date",
        "marketing_authorisation_date",
        "start_of_evaluation_date",
        "withdrawal_of_application_date",
        "refusal_of_marketing_authorisation_date",
        "first_published_date",
        "last_updated_date",
    ),
)
EMA_POST_AUTHORISATION = _ema_rows(
    ("post_authorisation_procedure_status", "post_authorisation_opinion_status", "medicine_url"),
    ("post_authorisation_opinion_date", "first_published_date", "last_updated_date"),
)

# RSS 2.0 items as bot.sources.news.feeds reads them (element names as written in the XML).
_ITEM = "rss.channel.item[]"
NEWS_FEED: Shape = (
    (f"{_ITEM}.title", TEXT),
    # The parser names an item without a link by its guid (or a hash of its text).
    (f"{_ITEM}.link?", WEB_URL),
    (f"{_ITEM}.description", TEXT),
    (f"{_ITEM}.pubDate", RFC822_DATE),
    (f"{_ITEM}.guid?", TEXT),
)

# Per source: the shape of each HTTP status its parser reads, and whether the body is a feed.
SHAPES: dict[str, dict[int, Shape]] = {
    clinicaltrials.NAME: {200: CLINICALTRIALS},
    openfda.NAME: {200: OPENFDA, 404: OPENFDA_NOT_FOUND},
    ema.MEDICINES: {200: EMA_MEDICINES},
    ema.POST_AUTHORISATION: {200: EMA_POST_AUTHORISATION},
    news.EMA_NEWS: {200: NEWS_FEED},
    news.FDA_NEWS: {200: NEWS_FEED},
}
FEEDS = frozenset({news.EMA_NEWS, news.FDA_NEWS})
