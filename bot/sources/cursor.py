"""What a source that reads a change feed plans with: its cursor and the state polling hands it.

`Source.plan(methods)` is pure and stateless. A change feed is not: it reads from a watermark,
it reads everything watched now and then, and it reads a new method's records at once. Polling
keeps that state (with the source's state, committed with the snapshots) and hands it over as
data, so that `plan_cycle` stays pure: the same methods and state give the same plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from bot.sources.base import Query, Source
from bot.watchlist import Method


@dataclass(frozen=True)
class Cursor:
    """Where a change-feed source stands between cycles.

    `watermark` is the UTC day on which the last committed read began (None: never read). The
    watched keys are also read in full, a share each cycle: `full_read_at` is when the current
    pass over them began, `full_read_after` the last key it has read (None: none yet).
    """

    watermark: date | None = None
    full_read_at: datetime | None = None
    full_read_after: str | None = None


@dataclass(frozen=True)
class PlanState:
    """What polling knows and a stateful plan needs.

    `now` is when the cycle starts (aware, UTC); `baselined` the methods whose baseline for this
    source was taken with what they watch now (the others are new or changed); `known` the keys
    this source has stored, each with the methods its snapshot concerns; `failures` how many
    cycles in a row have failed.
    """

    now: datetime
    cursor: Cursor = Cursor()
    baselined: frozenset[str] = frozenset()
    known: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    failures: int = 0


@dataclass(frozen=True)
class Plan:
    """One cycle's requests and the cursor to store once the cycle has committed.

    `resting` are requests that stay planned but are not read this cycle: their HTTP validators
    are kept for the cycle that reads them again. A stateless source has no cursor (None).
    """

    queries: list[Query]
    cursor: Cursor | None = None
    resting: list[Query] = field(default_factory=list)


@runtime_checkable
class FeedSource(Source, Protocol):
    """A source whose plan depends on what was read before (a change feed with a watermark)."""

    def plan_cycle(self, methods: Sequence[Method], state: PlanState) -> Plan:
        """This cycle's requests for `methods`, given what polling knows (pure)."""
        ...
