"""ClinicalTrials.gov API v2: plans `/studies` requests for watched trials, parses the answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bot.sources.base import Page, ParseError, Query, Record
from bot.sources.clinicaltrials.candidates import trial_evidence
from bot.sources.clinicaltrials.changes import NAME, RULES
from bot.sources.clinicaltrials.planning import Reading, Requests, cycle_plan, first_plan
from bot.sources.clinicaltrials.records import STUDY_URL, study_parts, study_record
from bot.sources.cursor import Plan, PlanState
from bot.sources.jsonfields import load_object, opt
from bot.sources.scanning import ScanContext, scanned
from bot.watchlist import Method

# The safety net: a full read of every watched ID at least this often (CTGOV_FULL_READ_HOURS).
FULL_READ_EVERY = timedelta(hours=24)


class ClinicalTrials:
    """Watched trials and discovery through the change feed, full reads and searches."""

    name = NAME
    rules = RULES

    def __init__(
        self,
        base_url: str,
        *,
        max_url_chars: int = 2000,
        full_read_every: timedelta = FULL_READ_EVERY,
    ) -> None:
        self.url = base_url.rstrip("/") + "/studies"
        self.requests = Requests(self.url, max_url_chars=max_url_chars)
        self.full_read_every = full_read_every

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """A first cycle's queries: every watched ID (batched), then each discovery search."""
        return first_plan(self.requests, methods, Reading.of(methods))

    def plan_cycle(self, methods: Sequence[Method], state: PlanState) -> Plan:
        """This cycle's queries: the change feed, and full reads and searches when due."""
        return cycle_plan(self.requests, methods, state, full_read_every=self.full_read_every)

    def scan_plan(self, context: ScanContext) -> list[Query]:
        """No request of its own: new trials are found in the answers read anyway (the change
        feed carries every recently updated study)."""
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
        """One record per study that concerns a method (every study of a full read or a
        search), and with `scan` the evidence of new phase 3 trials in scope among every study
        of the answer; the next page repeats the query with `pageToken`."""
        if status not in query.ok_statuses:
            raise ParseError(f"unexpected HTTP status {status}")
        document = load_object(body)
        studies = document.get("studies")
        if not isinstance(studies, list):
            raise ParseError(_not_a_page(document))
        reading = query.context
        if not isinstance(reading, Reading) or reading.methods != methods:
            reading = Reading.of(methods)  # parsed for other methods than it was planned for
        records = _records(studies, reading, _search_of(query))
        page = Page(records, _next_query(query, document))
        return scanned(page, trial_evidence(studies, scan, link=STUDY_URL)) if scan else page


def _records(studies: list[Any], reading: Reading, search: tuple[str, str] | None) -> list[Record]:
    records = []
    for study in studies:
        nct, protocol = study_parts(study)
        owners = reading.matcher.owners(nct, protocol, search=search)
        if owners or not reading.feed:  # the feed's other studies are no concern of ours
            records.append(study_record(study, nct, protocol, method_ids=owners))
    return records


def _search_of(query: Query) -> tuple[str, str] | None:
    params = dict(query.params)
    substance, condition = params.get("query.intr"), params.get("query.cond")
    return (substance, condition) if substance and condition else None


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
