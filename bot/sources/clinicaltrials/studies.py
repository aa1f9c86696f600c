"""ClinicalTrials.gov API v2: plans `/studies` requests for watched trials, parses the answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.sources.base import JsonValue, Page, ParseError, Query, Record, batches, url_with_params
from bot.sources.clinicaltrials.candidates import trial_evidence
from bot.sources.clinicaltrials.changes import NAME, RULES
from bot.sources.jsonfields import load_object, module, opt, strings
from bot.sources.scanning import ScanContext, scanned
from bot.watchlist import Method

STUDY_URL = "https://clinicaltrials.gov/study/{nct}"

# The API coerces larger page sizes down to 1000 (spec 2.0.5, `pageSize`).
PAGE_SIZE = "1000"

_NOT_ENUM = re.compile(r"[^A-Z0-9]+")

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

    name = NAME
    rules = RULES

    def __init__(self, base_url: str, *, max_url_chars: int = 2000) -> None:
        self.url = base_url.rstrip("/") + "/studies"
        self.max_url_chars = max_url_chars

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """One query per batch of watched NCT IDs, then one per distinct discovery search."""
        watched = sorted({nct for method in methods for nct in method.trials})
        queries = [
            self._watched_query(batch)
            for batch in batches(watched, lambda batch: self._fits(_watched_params(batch)))
        ]
        searches = sorted({(m.substance, m.discover.condition) for m in methods if m.discover})
        return queries + [self._discovery_query(*search) for search in searches]

    def scan_plan(self, context: ScanContext) -> list[Query]:
        """No request of its own: new trials are found in the answers read anyway."""
        return []

    def parse(
        self,
        query: Query,
        status: int,
        body: bytes,
        methods: Sequence[Method],
        *,
        scan: ScanContext | None = None,
    ) -> Page:
        """One record per study (and with `scan` the evidence of new phase 3 trials in scope);
        the next page repeats the query with `pageToken`."""
        if status not in query.ok_statuses:
            raise ParseError(f"unexpected HTTP status {status}")
        document = load_object(body)
        studies = document.get("studies")
        if not isinstance(studies, list):
            raise ParseError(_not_a_page(document))
        owners = _Owners(query, methods)
        records = [_record(study, owners) for study in studies]
        page = Page(records, _next_query(query, document))
        return scanned(page, trial_evidence(studies, scan, link=STUDY_URL)) if scan else page

    def _fits(self, params: tuple[tuple[str, str], ...]) -> bool:
        return len(url_with_params(self.url, params)) < self.max_url_chars

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


def _not_a_page(document: dict[str, Any]) -> str:
    # GET /studies/{nctId} answers a bare Study object (real samples: biomcp get_nct*.json);
    # read as a page it would silently hold no studies.
    if "protocolSection" in document:
        return "a single study (the /studies/{nctId} answer), not a /studies page"
    return "no 'studies' list in the answer"


def _next_query(query: Query, document: dict[str, Any]) -> Query | None:
    # The spec: subsequent pages must repeat every parameter of the first, plus `pageToken`.
    token = opt(document, "nextPageToken", str)
    return query.with_params(pageToken=token) if token else None


class _Owners:
    """Which methods a study of this answer concerns: built once per answer, not per study."""

    def __init__(self, query: Query, methods: Sequence[Method]) -> None:
        self.watching: dict[str, list[str]] = {}
        for method in methods:
            for nct in method.trials:
                self.watching.setdefault(nct, []).append(method.id)
        params = dict(query.params)
        self.discovering = [m.id for m in methods if _discovered_by(m, params)]

    def of(self, nct: str) -> tuple[str, ...]:
        """The methods watching `nct`, then those whose discovery search found it."""
        return tuple(dict.fromkeys([*self.watching.get(nct, []), *self.discovering]))


def _record(study: Any, owners: _Owners) -> Record:
    if not isinstance(study, dict):
        raise ParseError("a study is not a JSON object")
    protocol = module(study, "protocolSection")
    nct = opt(module(protocol, "identificationModule"), "nctId", str)
    if not nct:
        raise ParseError("a study has no protocolSection.identificationModule.nctId")
    fields = _identity(protocol) | _status(study, protocol) | _design(protocol)
    return Record(NAME, nct, fields, STUDY_URL.format(nct=nct), owners.of(nct))


def _discovered_by(method: Method, params: dict[str, str]) -> bool:
    if method.discover is None:
        return False
    search = (params.get("query.intr"), params.get("query.cond"))
    return search == (method.substance, method.discover.condition)


def _identity(protocol: dict[str, Any]) -> dict[str, JsonValue]:
    ident = module(protocol, "identificationModule")
    sponsors = module(protocol, "sponsorCollaboratorsModule")
    return {
        "brief_title": opt(ident, "briefTitle", str),
        "acronym": opt(ident, "acronym", str),
        "lead_sponsor": opt(module(sponsors, "leadSponsor"), "name", str),
        "conditions": strings(module(protocol, "conditionsModule"), "conditions"),
    }


def _status(study: dict[str, Any], protocol: dict[str, Any]) -> dict[str, JsonValue]:
    status = module(protocol, "statusModule")
    results_posted = opt(module(status, "resultsFirstPostDateStruct"), "date", str)
    # With `fields` the API may leave `hasResults` out; a results post date implies results.
    has_results = opt(study, "hasResults", bool)
    return {
        "overall_status": _enum(opt(status, "overallStatus", str)),
        "why_stopped": opt(status, "whyStopped", str),
        "start": _partial_date(status, "startDateStruct"),
        "primary_completion": _partial_date(status, "primaryCompletionDateStruct"),
        "completion": _partial_date(status, "completionDateStruct"),
        "results_first_posted": results_posted,
        "has_results": has_results if has_results is not None else results_posted is not None,
        "last_update_posted": opt(module(status, "lastUpdatePostDateStruct"), "date", str),
    }


def _design(protocol: dict[str, Any]) -> dict[str, JsonValue]:
    design = module(protocol, "designModule")
    enrollment = module(design, "enrollmentInfo")
    eligibility = module(protocol, "eligibilityModule")
    return {
        "phases": strings(design, "phases"),
        "enrollment": {
            "count": opt(enrollment, "count", int),
            "type": opt(enrollment, "type", str),
        },
        "minimum_age": opt(eligibility, "minimumAge", str),
        "maximum_age": opt(eligibility, "maximumAge", str),
    }


def _enum(value: str | None) -> str | None:
    """An enum value spelled as the API spells it: "completed" and "Active, not recruiting" are
    COMPLETED and ACTIVE_NOT_RECRUITING, so a change of case or spelling is no status change."""
    if value is None:
        return None
    return _NOT_ENUM.sub("_", value.upper()).strip("_") or None


def _partial_date(status: dict[str, Any], key: str) -> dict[str, JsonValue]:
    # Kept as given: "YYYY-MM" or "YYYY-MM-DD"; type is ACTUAL, ESTIMATED or absent (older records).
    struct = module(status, key)
    return {"date": opt(struct, "date", str), "type": opt(struct, "type", str)}
