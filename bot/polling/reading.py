"""Reading one source for a cycle: conditional requests, every page, plausibility of answers.

A 304 repeats the previous answer (its watched keys, present and absent); validators are kept
only for single-page answers and for linked documents (`LinkedDocument`: a file a page links to,
with validators of its own); an answer that lost implausibly many of the keys it listed last
time is used for what it holds but counts no absences and keeps no validators.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.detection.detect import implausible_loss
from bot.polling.fetch import Answer, Fetcher, FetchError, Validators
from bot.sources.base import Page, ParseError, Query, Record, Source
from bot.sources.changes import WATCHED_FIELDS
from bot.sources.evidence import Evidence, Term
from bot.sources.scanning import ScanContext, ScannedPage, Scanning, ScanQuery
from bot.storage import db
from bot.storage.tables import HttpValidators, Snapshot
from bot.watchlist import Method

log = logging.getLogger(__name__)

MAX_PAGES = 50


@dataclass
class Fetched:
    """What the requests of one source returned in this cycle."""

    records: list[Record] = field(default_factory=list)
    expected_keys: set[str] = field(default_factory=set)
    validators: dict[str, tuple[Validators, list[str]]] = field(default_factory=dict)
    unchanged_ids: set[str] = field(default_factory=set)
    requests: int = 0
    not_modified: int = 0
    data_timestamp: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Candidates: the evidence the answers showed, and the substances in scope when an answer
    # listed them all (bot.sources.scanning).
    evidence: list[Evidence] = field(default_factory=list)
    in_scope: dict[str, Term] | None = None


def request_id(query: Query, *, watch: str = "") -> str:
    """A stable id of a first-page request, under which its validators are kept.

    `watch` is the fingerprint of the watchlist: parsers filter answers by it, so an answer
    that was unchanged for the old watchlist says nothing about the new one.
    """
    text = json.dumps([query.url, sorted(query.params), watch], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(method: Method, *, watches: frozenset[str] = WATCHED_FIELDS) -> str:
    """What a method asks of a source (the fields it `watches`, `SourceRules.watches`): a new
    fingerprint means a new, silent baseline at that source."""
    watched = method.model_dump(mode="json", include=set(watches))
    text = json.dumps(watched, sort_keys=True, separators=(",", ":"))
    return f"{method.id}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def watch_fingerprint(
    methods: Sequence[Method], *, watches: frozenset[str] = WATCHED_FIELDS
) -> str:
    """One fingerprint of the whole watchlist, as a source that `watches` these fields sees it."""
    joined = "|".join(sorted(fingerprint(method, watches=watches) for method in methods))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _validators(session: Session, source: str) -> dict[str, HttpValidators]:
    rows = session.query(HttpValidators).filter(HttpValidators.source == source)
    return {row.request_id: row for row in rows}


def read_source(
    source: Source,
    *,
    fetcher: Fetcher,
    sessions: db.SessionFactory,
    methods: Sequence[Method],
    scan: ScanContext | None = None,
) -> Fetched:
    """Every answer of this cycle's plan (and with `scan` the source's requests for candidates)."""
    scan = scan if isinstance(source, Scanning) else None
    watch = watch_fingerprint(methods, watches=source.rules.watches)
    watch += f":{scan.scope.fingerprint()}" if scan else ""
    queries = {request_id(query, watch=watch): query for query in source.plan(methods)}
    for query in _scan_plan(source, scan):  # after the source's own; one asked for twice is
        queries.setdefault(request_id(query, watch=_scan_watch(query, watch, scan)), query)
    with sessions() as session:
        known = _validators(session, source.name)
        listed = _listed_keys(session, source.name)
    fetched = Fetched()
    read = _Read(source, fetcher, methods, listed, known, watch, scan)
    for rid, query in queries.items():
        stored = known.get(rid)
        try:
            answer = fetcher.fetch(query, _cached(stored))
            fetched.requests += 1
            if answer.not_modified:
                fetched.unchanged_ids.add(rid)
                _unchanged(query, stored, into=fetched)
                continue
            read.answer(rid, query, answer, into=fetched)
        except (FetchError, ParseError) as exc:
            if not isinstance(query, ScanQuery):
                raise
            _scan_failed(source.name, exc, into=fetched)
    return fetched


def _scan_watch(query: Query, watch: str, scan: ScanContext | None) -> str:
    """A request for candidates only is read afresh when the substances known in scope change
    (an unchanged answer may hold new candidates then); the source's own when the scope does."""
    return f"{watch}:{scan.fingerprint()}" if scan and isinstance(query, ScanQuery) else watch


def _scan_plan(source: Source, scan: ScanContext | None) -> list[Query]:
    return source.scan_plan(scan) if scan is not None and isinstance(source, Scanning) else []


def _scan_failed(name: str, exc: Exception, *, into: Fetched) -> None:
    """A request made for candidates only failed: the source's own reading stands."""
    reason = exc.reason if isinstance(exc, FetchError) else f"invalid answer: {exc}"
    log.warning("%s: the request for candidates failed: %s", name, reason)
    into.warnings.append(f"candidates not read: {reason}")


def _cached(stored: HttpValidators | None) -> Validators | None:
    return Validators(stored.etag, stored.last_modified) if stored else None


def _listed_keys(session: Session, name: str) -> frozenset[str]:
    """The keys the last good answers listed (not already counting absences)."""
    query = select(Snapshot.key).where(Snapshot.source == name, Snapshot.missing_count == 0)
    return frozenset(session.scalars(query))


def _unchanged(query: Query, stored: HttpValidators | None, *, into: Fetched) -> set[str]:
    """A 304 repeats the last answer: its records keep their snapshots; the watched keys it
    lacked are absent once more (so a removal is still confirmed while the answer is cached).
    Returns the keys it listed last time."""
    into.not_modified += 1
    present = set(stored.present_keys or []) if stored else set(query.expected_keys)
    into.expected_keys |= query.expected_keys - present
    return present


@dataclass
class _Chain:
    """What the further pages of one answer held; the 304s of its linked documents."""

    records: list[Record] = field(default_factory=list)
    unchanged_keys: set[str] = field(default_factory=set)
    fetched: Fetched = field(default_factory=Fetched)


@dataclass(frozen=True)
class _Read:
    """Reads one answer with its further pages into a Fetched."""

    source: Source
    fetcher: Fetcher
    methods: Sequence[Method]
    listed: frozenset[str]
    known: dict[str, HttpValidators] = field(default_factory=dict)
    watch: str = ""
    scan: ScanContext | None = None

    def parse(self, query: Query, answer: Answer, *, into: Fetched) -> Page:
        """The source's page for one answer; with a scan, its evidence is kept too."""
        if self.scan is None or not isinstance(self.source, Scanning):
            return self.source.parse(query, answer.status, answer.body, self.methods)
        page = self.source.parse(query, answer.status, answer.body, self.methods, scan=self.scan)
        if isinstance(page, ScannedPage):
            into.evidence += page.evidence
            into.in_scope = page.in_scope if page.in_scope is not None else into.in_scope
        return page

    def answer(self, rid: str, query: Query, answer: Answer, *, into: Fetched) -> None:
        """Parse the answer and its pages; its absences count only if it is plausible."""
        page = self.parse(query, answer, into=into)
        into.data_timestamp = page.data_timestamp or into.data_timestamp
        chain = self._pages(page.next_query, into=into)
        records = page.records + chain.records
        into.records += records
        into.not_modified += chain.fetched.not_modified
        seen = {record.key for record in records} | chain.unchanged_keys
        lost = implausible_loss(query.expected_keys & self.listed, seen)
        if lost:
            # Its validators are not kept either: the next cycle reads the answer afresh.
            warning = f"{len(lost)} watched records missing at once; absences not counted"
            log.warning("%s: implausible answer: %s", self.source.name, warning)
            into.warnings.append(warning)
            return
        into.expected_keys |= query.expected_keys | chain.fetched.expected_keys
        into.validators.update(chain.fetched.validators)
        into.unchanged_ids |= chain.fetched.unchanged_ids
        if page.next_query is None and (answer.validators.etag or answer.validators.last_modified):
            into.validators[rid] = (answer.validators, sorted(query.expected_keys & seen))

    def _pages(self, query: Query | None, *, into: Fetched) -> _Chain:
        # Validators are kept only for single-page answers: page 1 unchanged says nothing about
        # page 2, so a paginated answer is always read whole. A linked document (a file the
        # page links to) is the exception: it is fetched with its own validators.
        chain = _Chain()
        while query is not None:
            if query.page > MAX_PAGES:
                raise ParseError(f"more than {MAX_PAGES} pages")
            query = self._next(query, chain, into=into)
        return chain

    def _next(self, query: Query, chain: _Chain, *, into: Fetched) -> Query | None:
        """Fetch and parse one further page into `chain`; the page after it, if any."""
        rid = request_id(query, watch=self.watch)
        stored = self.known.get(rid) if query.standalone else None
        answer = self.fetcher.fetch(query, _cached(stored))
        into.requests += 1
        if answer.not_modified:
            chain.fetched.unchanged_ids.add(rid)
            chain.unchanged_keys |= _unchanged(query, stored, into=chain.fetched)
            return None
        page = self.parse(query, answer, into=into)
        chain.records += page.records
        found = answer.validators
        if query.standalone and page.next_query is None and (found.etag or found.last_modified):
            present = sorted(query.expected_keys & {record.key for record in page.records})
            chain.fetched.validators[rid] = (found, present)
        return page.next_query
