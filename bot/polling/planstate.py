"""What a source plans with: its baselined methods and, for a change feed, its stored cursor.

A method's fingerprint is what it asks of the sources; the fingerprints recorded at a source's
last committed poll tell which methods are baselined there (the others are new or changed and
start silently). A change-feed source (`bot.sources.cursor.FeedSource`) also gets its cursor and
the keys it has stored, and its new cursor is kept in the poll's own transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from bot.sources.base import Source, remembered
from bot.sources.changes import WATCHED_FIELDS
from bot.sources.cursor import Cursor, FeedSource, Plan, PlanState
from bot.storage.tables import Snapshot, SourceState
from bot.watchlist import Method


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
    return Watch.of(methods, watches=watches).whole


@dataclass(frozen=True)
class Watch:
    """A cycle's methods with what each asks of the sources, fingerprinted once for all sources."""

    methods: Sequence[Method]
    fingerprints: Mapping[str, str]
    whole: str
    watches: frozenset[str] = WATCHED_FIELDS

    @classmethod
    def of(cls, methods: Sequence[Method], *, watches: frozenset[str] = WATCHED_FIELDS) -> Watch:
        """The watch of `methods` by a source that `watches` these fields (their fingerprints by
        id; one fingerprint of them all)."""
        kind = ("fingerprints", watches)
        prints = remembered(kind, methods, lambda: _fingerprints(methods, watches))
        whole = hashlib.sha256("|".join(sorted(prints.values())).encode("utf-8")).hexdigest()
        return cls(methods, prints, whole[:16], watches)

    def baselined(self, recorded: list[Any] | None) -> frozenset[str]:
        """The methods whose baseline for a source was taken with what they watch now
        (`recorded`: the fingerprints stored at the source's last committed poll)."""
        known = set(recorded or [])
        return frozenset(m for m, print_ in self.fingerprints.items() if print_ in known)

    def recorded(self) -> list[str]:
        """The fingerprints to store once a source's poll committed."""
        return sorted(self.fingerprints.values())


def _fingerprints(methods: Sequence[Method], watches: frozenset[str]) -> dict[str, str]:
    return {method.id: fingerprint(method, watches=watches) for method in methods}


def plan_for(session: Session, source: Source, watch: Watch, *, now: datetime) -> Plan:
    """This cycle's plan: a stateless source's queries, or a change feed's from its state."""
    if not isinstance(source, FeedSource):
        return Plan(source.plan(watch.methods))
    row = session.get(SourceState, source.name)
    state = PlanState(
        now,
        cursor_of(row),
        baselined=watch.baselined(row.baseline_keys if row else None),
        known=_known(session, source.name),
        failures=(row.consecutive_failures or 0) if row else 0,
    )
    return source.plan_cycle(watch.methods, state)


def cursor_of(row: SourceState | None) -> Cursor:
    """The cursor stored with a source's state (an empty one before its first commit).

    A source last polled by a version without a cursor read everything, searches included, at
    its last success: its feed goes on from that day, with every watched ID read again at once,
    instead of every search running again in one cycle (35 minutes at 2,000 methods).
    """
    if row is None:
        return Cursor()
    if row.feed_watermark is None and row.last_success_at is not None:
        return Cursor(row.last_success_at.astimezone(UTC).date())
    return Cursor(row.feed_watermark, row.full_read_at, row.full_read_after)


def keep_cursor(row: SourceState, cursor: Cursor | None) -> None:
    """Store a change feed's new cursor (called inside the poll's transaction)."""
    if cursor is not None:
        row.feed_watermark, row.full_read_at = cursor.watermark, cursor.full_read_at
        row.full_read_after = cursor.full_read_after


def _known(session: Session, name: str) -> Mapping[str, tuple[str, ...]]:
    # Read as text and decoded only for the keys a cycle asks about: of thousands of stored
    # keys, an answer names a few.
    query = select(Snapshot.key, cast(Snapshot.method_ids, Text)).where(Snapshot.source == name)
    return _Stored({key: raw for key, raw in session.execute(query)})


class _Stored(Mapping[str, tuple[str, ...]]):
    """Stored keys with the methods their snapshots concern, each decoded when asked for."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return tuple(json.loads(self._raw[key] or "[]"))

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)
