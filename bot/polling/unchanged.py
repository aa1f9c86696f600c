"""Records exactly as stored: told apart by their content hash, left out of detection and writes.

An hourly cycle reads thousands of records that have not changed: the other applications of a
re-read openFDA batch, the rows of an EMA file around the few that changed, the overlapping day
of the change feed. Comparing each with its snapshot would load and decode every stored row; a
record whose content hash, methods and presence are what its snapshot holds changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.detection.detect import merge_duplicates
from bot.sources.base import Record
from bot.storage import store
from bot.storage.tables import Snapshot


@dataclass(frozen=True)
class Sorted:
    """A cycle's records of one source: those to compare with their snapshots, and the keys of
    those exactly as stored."""

    changed: list[Record]
    unchanged: frozenset[str]


def sort_out(session: Session, source: str, records: Sequence[Record]) -> Sorted:
    """`records` (merged per key) sorted into changed ones and keys exactly as stored."""
    merged = merge_duplicates(records)
    digests = {record.key: record.content_hash() for record in merged}
    stored = _stored(session, source, digests)
    unchanged = frozenset(
        r.key for r in merged if stored.get(r.key) == (digests[r.key], 0, list(r.method_ids))
    )
    return Sorted([r for r in merged if r.key not in unchanged], unchanged)


def _stored(session: Session, source: str, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """Content hash, absences in a row and methods of the stored snapshot of each key."""
    columns = (Snapshot.key, Snapshot.content_hash, Snapshot.missing_count, Snapshot.method_ids)
    wanted = sorted(keys)
    found: dict[str, tuple[Any, ...]] = {}
    for chunk in store.in_chunks(wanted):
        query = select(*columns).where(Snapshot.source == source, Snapshot.key.in_(chunk))
        for key, digest, missing, method_ids in session.execute(query):
            found[key] = (digest, missing, list(method_ids or []))
    return found
