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
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.detection.detect import SUSPICIOUS_LOSS, implausible_loss, merge_duplicates
from bot.polling.fetch import Answer, Fetcher, FetchError, Validators
from bot.polling.planstate import Watch, plan_for
from bot.sources.base import Page, ParseError, Query, Record, Source
from bot.sources.cursor import Cursor
from bot.sources.evidence import Evidence, Term
from bot.sources.scanning import ScanContext, ScannedPage, Scanning, ScanQuery
from bot.storage import db, store
from bot.storage.tables import HttpValidators, Snapshot
from bot.watchlist import Method

log = logging.getLogger(__name__)

MAX_PAGES = 50


@dataclass
class Fetched:
    """What the requests of one source returned in this cycle."""

    by_key: dict[str, Record] = field(default_factory=dict)
    expected_keys: set[str] = field(default_factory=set)
    validators: dict[str, tuple[Validators, list[str]]] = field(default_factory=dict)
    unchanged_ids: set[str] = field(default_factory=set)
    requests: int = 0
    not_modified: int = 0
    not_found: int = 0
    not_found_keys: set[str] = field(default_factory=set)
    data_timestamp: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Candidates: the evidence the answers showed, and the substances in scope when an answer
    # listed them all (bot.sources.scanning).
    evidence: list[Evidence] = field(default_factory=list)
    in_scope: dict[str, Term] | None = None
    # A change feed's cursor, to store once this cycle committed; and the requests it did not
    # read this cycle whose validators stay.
    cursor: Cursor | None = None
    resting_ids: set[str] = field(default_factory=set)

    @property
    def records(self) -> list[Record]:
        """One record per key, in the order first read."""
        return list(self.by_key.values())

    def add(self, records: list[Record]) -> None:
        """Keep `records`, one per key as they come (a trial in a full read and a search is
        one record, for both methods), so that a first cycle holds no duplicates."""
        for record in records:
            first = self.by_key.get(record.key)
            if first is None:
                self.by_key[record.key] = record
            elif not set(record.method_ids) <= set(first.method_ids):
                self.by_key[record.key] = merge_duplicates([first, record])[0]


def request_id(query: Query, *, watch: str = "") -> str:
    """A stable id of a first-page request, under which its validators are kept.

    `watch` is the fingerprint of the watchlist: parsers filter answers by it, so an answer
    that was unchanged for the old watchlist says nothing about the new one.
    """
    text = json.dumps([query.url, sorted(query.params), watch], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _validators(session: Session, source: str) -> dict[str, HttpValidators]:
    rows = session.query(HttpValidators).filter(HttpValidators.source == source)
    return {row.request_id: row for row in rows}


def read_source(
    source: Source,
    *,
    fetcher: Fetcher,
    sessions: db.SessionFactory,
    watch: Watch,
    now: datetime,
    scan: ScanContext | None = None,
) -> Fetched:
    """Every answer of this cycle's plan for `source` (and with `scan` its requests for
    candidates), their pages read and parsed."""
    scan = scan if isinstance(source, Scanning) else None
    whole = watch.whole + (f":{scan.scope.fingerprint()}" if scan else "")
    with sessions() as session:
        plan = plan_for(session, source, watch, now=now)
        known = _validators(session, source.name)
    queries = {request_id(query, watch=whole): query for query in plan.queries}
    for query in _scan_plan(source, scan):  # after the source's own; one asked for twice is
        queries.setdefault(request_id(query, watch=_scan_watch(query, whole, scan)), query)
    fetched = Fetched(cursor=plan.cursor)
    fetched.resting_ids = {request_id(query, watch=whole) for query in plan.resting}
    read = _Read(source, fetcher, watch.methods, _Listed(sessions, source.name), known, whole, scan)
    for rid, query in queries.items():
        _read_one(source, read, rid, query, known.get(rid), into=fetched)
    _check_not_found(fetched)
    return fetched


def _check_not_found(fetched: Fetched) -> None:
    """A few answers saying "not found" are those requests' news (a mistyped link); most of a
    read saying so is a site that moved or broke, and fails the source (its records stay)."""
    if fetched.not_found >= SUSPICIOUS_LOSS and fetched.not_found * 2 > fetched.requests:
        raise ParseError(
            f"{fetched.not_found} of {fetched.requests} requests answered that the page does not "
            "exist (404 or 410): has the site moved?"
        )


def _read_one(
    source: Source,
    read: _Read,
    rid: str,
    query: Query,
    stored: HttpValidators | None,
    *,
    into: Fetched,
) -> None:
    """One planned request: a 304 repeats its last answer; a failed request for candidates
    only is a warning, any other failure the source's."""
    try:
        answer = read.fetcher.fetch(query, _cached(stored))
        into.requests += 1
        if answer.not_modified:
            into.unchanged_ids.add(rid)
            _unchanged(query, stored, into=into)
            return
        read.answer(rid, query, answer, into=into)
    except (FetchError, ParseError) as exc:
        if not isinstance(query, ScanQuery):
            raise
        _scan_failed(source.name, exc, into=into)


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


@dataclass(frozen=True)
class _Listed:
    """Which keys the last good answers listed (not already counting absences): read only for
    an answer that lists keys, and only for the keys it is authoritative for."""

    sessions: db.SessionFactory
    name: str

    def among(self, keys: frozenset[str]) -> frozenset[str]:
        """Those of `keys` that were listed."""
        wanted = sorted(keys)
        listed: set[str] = set()
        with self.sessions() as session:
            for chunk in store.in_chunks(wanted):
                query = select(Snapshot.key).where(
                    Snapshot.source == self.name,
                    Snapshot.missing_count == 0,
                    Snapshot.key.in_(chunk),
                )
                listed.update(session.scalars(query))
        return frozenset(listed)


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
    listed: _Listed
    known: dict[str, HttpValidators] = field(default_factory=dict)
    watch: str = ""
    scan: ScanContext | None = None

    def parse(self, query: Query, answer: Answer, *, into: Fetched) -> Page:
        """The source's page for one answer, its warnings logged; with a scan, its evidence is
        kept too."""
        if self.scan is None or not isinstance(self.source, Scanning):
            page = self.source.parse(query, answer.status, answer.body, self.methods)
        else:
            page = self.source.parse(
                query, answer.status, answer.body, self.methods, scan=self.scan
            )
        if isinstance(page, ScannedPage):
            into.evidence += page.evidence
            into.in_scope = page.in_scope if page.in_scope is not None else into.in_scope
        for warning in page.warnings:
            log.warning("%s: %s", self.source.name, warning)
            into.warnings.append(warning)
        into.not_found += page.not_found
        return page

    def answer(self, rid: str, query: Query, answer: Answer, *, into: Fetched) -> None:
        """Parse the answer and its pages; its absences count only if it is plausible."""
        page = self.parse(query, answer, into=into)
        if page.not_found:
            into.not_found_keys |= query.expected_keys
        into.data_timestamp = page.data_timestamp or into.data_timestamp
        chain = self._pages(page.next_query, into=into)
        records = page.records + chain.records
        into.add(records)
        into.not_modified += chain.fetched.not_modified
        seen = {record.key for record in records} | chain.unchanged_keys
        # Fewer watched keys than an implausible loss needs (a single page) need no look-up.
        suspect = len(query.expected_keys) >= SUSPICIOUS_LOSS
        listed = self.listed.among(query.expected_keys) if suspect else frozenset()
        lost = implausible_loss(listed, seen)
        if lost:
            # Its validators are not kept either: the next cycle reads the answer afresh.
            warning = f"{len(lost)} watched records missing at once; absences not counted"
            log.warning("%s: implausible answer: %s", self.source.name, warning)
            into.warnings.append(warning)
            return
        into.expected_keys |= query.expected_keys | chain.fetched.expected_keys
        into.validators.update(chain.fetched.validators)
        into.unchanged_ids |= chain.fetched.unchanged_ids
        kept = answer.validators.etag or answer.validators.last_modified
        if page.next_query is None and kept and not page.not_found:
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
        kept = found.etag or found.last_modified
        if query.standalone and page.next_query is None and kept and not page.not_found:
            present = sorted(query.expected_keys & {record.key for record in page.records})
            chain.fetched.validators[rid] = (found, present)
        return page.next_query
