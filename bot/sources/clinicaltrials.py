"""ClinicalTrials.gov API v2: plans `/studies` requests for watched trials, parses the answers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from bot.sources.base import JsonValue, Page, ParseError, Query, Record
from bot.watchlist import Method

STUDY_URL = "https://clinicaltrials.gov/study/{nct}"

# The API coerces larger page sizes down to 1000 (spec 2.0.5, `pageSize`).
PAGE_SIZE = "1000"

# Piece names (not JSON paths), exactly the pieces `_fields` reads. A date piece alone comes back
# without its type: `fields=StartDate` answers `startDateStruct: {"date": "2016-07"}` (real sample
# ctgov_v2_single_study_NCT02576665_fields_subset.json), so each *Type piece is asked for too.
FIELDS = ",".join(
    (
        "NCTId",
        "BriefTitle",
        "Acronym",
        "OverallStatus",
        "WhyStopped",
        "Phase",
        "EnrollmentCount",
        "EnrollmentType",
        "StartDate",
        "StartDateType",
        "PrimaryCompletionDate",
        "PrimaryCompletionDateType",
        "CompletionDate",
        "CompletionDateType",
        "ResultsFirstPostDate",
        "HasResults",
        "LastUpdatePostDate",
        "LeadSponsorName",
        "Condition",
        "MinimumAge",
        "MaximumAge",
    )
)


class ClinicalTrials:
    """Watched trials by `filter.ids` (batched), and discovery by substance and condition."""

    name = "clinicaltrials"

    def __init__(self, base_url: str, *, max_url_chars: int = 2000) -> None:
        self.url = base_url.rstrip("/") + "/studies"
        self.max_url_chars = max_url_chars

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """One query per batch of watched NCT IDs, then one per distinct discovery search."""
        watched = sorted({nct for method in methods for nct in method.trials})
        queries = [self._watched_query(batch) for batch in self._batches(watched)]
        searches = sorted({(m.substance, m.discover.condition) for m in methods if m.discover})
        return queries + [self._discovery_query(*search) for search in searches]

    def parse(self, query: Query, status: int, body: bytes, methods: Sequence[Method]) -> Page:
        """One record per study; the next page repeats the query with `pageToken`."""
        if status not in query.ok_statuses:
            raise ParseError(f"unexpected HTTP status {status}")
        document = _load(body)
        studies = document.get("studies")
        if not isinstance(studies, list):
            raise ParseError("no 'studies' list in the answer")
        records = [_record(study, query, methods=methods) for study in studies]
        return Page(records, _next_query(query, document))

    def _batches(self, ids: list[str]) -> list[list[str]]:
        batches: list[list[str]] = []
        for nct in ids:
            if batches and self._fits(_watched_params([*batches[-1], nct])):
                batches[-1].append(nct)
            else:
                batches.append([nct])
        return batches

    def _fits(self, params: tuple[tuple[str, str], ...]) -> bool:
        # urlencode quotes as httpx does (',' as %2C, ' ' as '+'), so this is the sent length.
        return len(f"{self.url}?{urlencode(params)}") < self.max_url_chars

    def _watched_query(self, batch: list[str]) -> Query:
        params = _watched_params(batch)
        return Query(self.name, self.url, params, expected_keys=frozenset(batch))

    def _discovery_query(self, substance: str, condition: str) -> Query:
        # A search answer is never authoritative for absence, so it expects no keys.
        params = (("query.intr", substance), ("query.cond", condition), *_common_params())
        return Query(self.name, self.url, params)


def _watched_params(batch: list[str]) -> tuple[tuple[str, str], ...]:
    return (("filter.ids", ",".join(batch)), *_common_params())


def _common_params() -> tuple[tuple[str, str], ...]:
    return (("fields", FIELDS), ("pageSize", PAGE_SIZE))


def _load(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ParseError("the answer is not JSON") from None
    if not isinstance(document, dict):
        raise ParseError("the answer is not a JSON object")
    return document


def _next_query(query: Query, document: dict[str, Any]) -> Query | None:
    # The spec: subsequent pages must repeat every parameter of the first, plus `pageToken`.
    token = _opt(document, "nextPageToken", str)
    return query.with_params(pageToken=token) if token else None


def _record(study: Any, query: Query, *, methods: Sequence[Method]) -> Record:
    if not isinstance(study, dict):
        raise ParseError("a study is not a JSON object")
    protocol = _module(study, "protocolSection")
    nct = _opt(_module(protocol, "identificationModule"), "nctId", str)
    if not nct:
        raise ParseError("a study has no protocolSection.identificationModule.nctId")
    fields = _identity(protocol) | _status(study, protocol) | _design(protocol)
    url = STUDY_URL.format(nct=nct)
    return Record("clinicaltrials", nct, fields, url, _method_ids(nct, query, methods=methods))


def _method_ids(nct: str, query: Query, *, methods: Sequence[Method]) -> tuple[str, ...]:
    params = dict(query.params)
    return tuple(m.id for m in methods if nct in m.trials or _discovered_by(m, params))


def _discovered_by(method: Method, params: dict[str, str]) -> bool:
    if method.discover is None:
        return False
    search = (params.get("query.intr"), params.get("query.cond"))
    return search == (method.substance, method.discover.condition)


def _identity(protocol: dict[str, Any]) -> dict[str, JsonValue]:
    ident = _module(protocol, "identificationModule")
    sponsors = _module(protocol, "sponsorCollaboratorsModule")
    return {
        "brief_title": _opt(ident, "briefTitle", str),
        "acronym": _opt(ident, "acronym", str),
        "lead_sponsor": _opt(_module(sponsors, "leadSponsor"), "name", str),
        "conditions": _strings(_module(protocol, "conditionsModule"), "conditions"),
    }


def _status(study: dict[str, Any], protocol: dict[str, Any]) -> dict[str, JsonValue]:
    status = _module(protocol, "statusModule")
    results_posted = _opt(_module(status, "resultsFirstPostDateStruct"), "date", str)
    # With `fields` the API may leave `hasResults` out; a results post date implies results.
    has_results = _opt(study, "hasResults", bool)
    return {
        "overall_status": _opt(status, "overallStatus", str),
        "why_stopped": _opt(status, "whyStopped", str),
        "start": _partial_date(status, "startDateStruct"),
        "primary_completion": _partial_date(status, "primaryCompletionDateStruct"),
        "completion": _partial_date(status, "completionDateStruct"),
        "results_first_posted": results_posted,
        "has_results": has_results if has_results is not None else results_posted is not None,
        "last_update_posted": _opt(_module(status, "lastUpdatePostDateStruct"), "date", str),
    }


def _design(protocol: dict[str, Any]) -> dict[str, JsonValue]:
    design = _module(protocol, "designModule")
    enrollment = _module(design, "enrollmentInfo")
    eligibility = _module(protocol, "eligibilityModule")
    return {
        "phases": _strings(design, "phases"),
        "enrollment": {
            "count": _opt(enrollment, "count", int),
            "type": _opt(enrollment, "type", str),
        },
        "minimum_age": _opt(eligibility, "minimumAge", str),
        "maximum_age": _opt(eligibility, "maximumAge", str),
    }


def _partial_date(status: dict[str, Any], key: str) -> dict[str, JsonValue]:
    # Kept as given: "YYYY-MM" or "YYYY-MM-DD"; type is ACTUAL, ESTIMATED or absent (older records).
    struct = _module(status, key)
    return {"date": _opt(struct, "date", str), "type": _opt(struct, "type", str)}


def _module(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError(f"{key} is not a JSON object")
    return value


def _opt(parent: dict[str, Any], key: str, kind: type) -> Any:
    """The value at `key` when it has the expected type, None when absent; else a ParseError."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParseError(f"{key} is not {kind.__name__}")
    return value


def _strings(parent: dict[str, Any], key: str) -> list[str]:
    values = _opt(parent, key, list) or []
    if not all(isinstance(value, str) for value in values):
        raise ParseError(f"{key} holds a value that is not text")
    return list(values)
