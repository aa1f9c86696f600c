"""One poll of one source: plan → fetch → parse → detect → store, all or nothing.

A source that fails anywhere (fetch error, gate, parse error, data older than what was already
read) changes no snapshot and queues no alert; its failure is written to its state and reported.
An answer that passes the gates but lost implausibly many watched records counts no absences.
Snapshots, events, outbox rows, HTTP validators and the source's state are committed in one
transaction per source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.delivery import outbox
from bot.detection.detect import Detection, Known, detect
from bot.polling import health
from bot.polling.fetch import Fetcher, FetchError, StoppedError
from bot.polling.planstate import Watch, keep_cursor
from bot.polling.reading import Fetched, read_source
from bot.polling.scanning import keep_evidence, scan_context
from bot.polling.unchanged import sort_out
from bot.sources.base import ParseError, Source
from bot.sources.changes import SourceRules
from bot.sources.scanning import Scanning
from bot.storage import db, store
from bot.storage.tables import HttpValidators, Snapshot
from bot.texts.catalogue import Language
from bot.watchlist import Method, Scope

log = logging.getLogger(__name__)
# Rows written between flushes when a read stores many records (a first read of 12,000 trials):
# the transaction stays one, but pending rows and their parameters are not all held at once.
FLUSH_EVERY = 1000


@dataclass
class PollResult:
    """How one source's poll went, for the terminal and the logs.

    `warnings` name what a good poll did not trust: an implausible loss, schema drift.
    """

    source: str
    ok: bool
    reason: str | None = None
    requests: int = 0
    not_modified: int = 0
    records: int = 0
    events: int = 0
    queued: int = 0
    warnings: list[str] = field(default_factory=list)
    evidence: int = 0  # new facts for candidates (bot.polling.scanning)


def poll_source(
    source: Source,
    *,
    fetcher: Fetcher,
    sessions: db.SessionFactory,
    methods: Sequence[Method],
    default_channel: str | None,
    admin_channel: str | None = None,
    language: Language = "nb",
    catch_up: outbox.CatchUp | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    watch: Watch | None = None,
    scope: Scope | None = None,
) -> PollResult:
    """Poll `source` for `methods` once (and for candidates in `scope`); never raises for a
    source failure.

    Its health is updated either way; a change admins must hear about queues a notice to
    `admin_channel` (None: the console) in the same transaction. `watch`, the methods
    fingerprinted, may be shared by the sources of one cycle.
    """
    notices = health.Notices(admin_channel, language)
    watches = source.rules.watches
    if watch is None or watch.methods is not methods or watch.watches != watches:
        watch = Watch.of(methods, watches=watches)
    try:
        started = clock()
        # Only a source that scans for candidates needs the substances in scope loaded.
        scanning = isinstance(source, Scanning)
        scan = scan_context(sessions, scope, methods, now=started) if scanning else None
        fetched = read_source(
            source, fetcher=fetcher, sessions=sessions, watch=watch, now=started, scan=scan
        )
        return _commit(
            source.rules,
            fetched,
            sessions=sessions,
            watch=watch,
            default_channel=default_channel,
            notices=notices,
            catch_up=catch_up,
            now=clock(),
        )
    except StoppedError:
        log.info("%s: poll abandoned, the process is stopping; nothing stored", source.name)
        return PollResult(source.name, ok=False, reason="stopped")
    except (FetchError, ParseError) as exc:
        reason = exc.reason if isinstance(exc, FetchError) else f"invalid answer: {exc}"
        log.warning("%s failed: %s", source.name, reason)
    except Exception as exc:  # a bug or a database error must not stop the other sources
        reason = f"unexpected error: {type(exc).__name__}"
        log.exception("%s failed unexpectedly", source.name)
    _record_failure(sessions, source.name, reason, notices=notices, now=clock())
    return PollResult(source.name, ok=False, reason=reason)


def _commit(
    rules: SourceRules,
    fetched: Fetched,
    *,
    sessions: db.SessionFactory,
    watch: Watch,
    default_channel: str | None,
    notices: health.Notices,
    catch_up: outbox.CatchUp | None,
    now: datetime,
) -> PollResult:
    name = rules.source
    with db.transaction(sessions) as session:
        state = store.source_state(session, name)
        _check_not_older(fetched.data_timestamp, state.data_timestamp)
        # Only the keys this cycle speaks about and that are not exactly as stored: an answer
        # that was unchanged (304), or a record whose content hash is the snapshot's, needs nothing.
        records = sort_out(session, name, fetched.records)
        expected = frozenset(fetched.expected_keys - records.unchanged)
        keys = {record.key for record in records.changed} | expected
        snapshots = store.snapshots_of(session, name, keys=keys)
        outcome = detect(
            rules,
            _known(snapshots),
            records.changed,
            expected_keys=expected,
            baselined=watch.baselined(state.baseline_keys),
        )
        _save(session, outcome, snapshots, now=now)
        events = store.add_events(session, outcome.changes, now=now) if outcome.changes else []
        queued = 0
        if events:  # most polls find nothing: no queries for nothing
            queued = outbox.queue_alerts(
                session,
                events,
                {m.id: m for m in watch.methods},
                default_channel=default_channel,
                now=now,
                catch_up=catch_up,
            )
        _save_validators(session, name, fetched, now=now)
        found = keep_evidence(session, fetched.evidence, fetched.in_scope, now=now)
        # Methods removed from the watchlist drop out; re-added ones start silently again.
        recorded = watch.recorded()
        if state.baseline_keys != recorded:  # a write of thousands of fingerprints otherwise
            state.baseline_keys = recorded
        keep_cursor(state, fetched.cursor)  # a change feed's watermark moves only on commit
        stamp = fetched.data_timestamp
        health.track(session, name, ok=True, data_timestamp=stamp, notices=notices, now=now)
        health.queue_not_found_notices(
            session, name, fetched.not_found_keys, notices=notices, now=now
        )
    return PollResult(
        name,
        ok=True,
        requests=fetched.requests,
        not_modified=fetched.not_modified,
        records=len(outcome.present) + len(records.unchanged),
        events=len(events),
        queued=queued,
        warnings=fetched.warnings + _drift_warning(name, outcome.drift),
        evidence=found,
    )


def _check_not_older(stamp: str | None, previous: str | None) -> None:
    """Refuse data older than the data already read: a lagging replica or cached copy would
    undo, as if they were changes, every change read since (reliability.md §4.3, gate 4)."""
    if health.is_older(stamp, previous):
        raise ParseError(f"data from {stamp} is older than the data already read ({previous})")


def _drift_warning(name: str, drift: list[str]) -> list[str]:
    if not drift:
        return []
    # One line, however many records drifted (a renamed field drifts in every record).
    warning = f"schema drift in {len(drift)} records, e.g. {drift[0]}; not alerted"
    log.warning("%s: %s", name, warning)
    return [warning]


def _known(snapshots: dict[str, Snapshot]) -> dict[str, Known]:
    return {
        key: Known(row.fields, row.url, tuple(row.method_ids or []), row.missing_count)
        for key, row in snapshots.items()
    }


def _save(
    session: Session,
    outcome: Detection,
    snapshots: dict[str, Snapshot],
    *,
    now: datetime,
) -> None:
    written = 0
    for record in outcome.present:
        row = snapshots.get(record.key)
        digest = record.content_hash()
        if (
            row is not None
            and row.content_hash == digest
            and row.missing_count == 0
            and list(row.method_ids or []) == list(record.method_ids)
        ):
            continue  # nothing to write: keeps an unchanged cycle cheap
        store.save_record(session, record, now=now, row=row, content_hash=digest)
        written += 1
        if written % FLUSH_EVERY == 0:
            session.flush()  # same transaction; bounds what a first read of thousands holds
    for key, count in outcome.missing.items():
        row = snapshots[key]
        row.missing_count = count
        row.missing_since = row.missing_since or now


def _save_validators(session: Session, name: str, fetched: Fetched, *, now: datetime) -> None:
    keep = fetched.unchanged_ids | set(fetched.validators) | fetched.resting_ids
    stale = delete(HttpValidators).where(
        HttpValidators.source == name, HttpValidators.request_id.not_in(keep)
    )
    session.execute(stale)  # requests no longer planned, or now paginated, keep nothing
    for rid, (found, present) in fetched.validators.items():
        session.merge(
            HttpValidators(
                request_id=rid,
                source=name,
                etag=found.etag,
                last_modified=found.last_modified,
                present_keys=present,
                updated_at=now,
            )
        )


def _record_failure(
    sessions: db.SessionFactory,
    name: str,
    reason: str,
    *,
    notices: health.Notices,
    now: datetime,
) -> None:
    with db.transaction(sessions) as session:
        health.track(session, name, ok=False, reason=reason, notices=notices, now=now)
