"""The synthetic ClinicalTrials.gov: watched, discovered and other studies on a simulated clock.

`/studies` answers the three queries the bot plans: `filter.ids` (the studies asked for),
`query.intr` + `query.cond` (a method's discovery search: its trials, and one more no method
watches) and the change feed `query.term=AREA[LastUpdatePostDate]RANGE[<since>,MAX]`: every study
whose last update was posted on or after `since`, oldest first, `pageSize` at a time (at most
1000, as the API coerces), chained by `nextPageToken`. Besides the methods' trials the registry
updates `per_day` other studies a day, spread evenly over the day, as the real registry posts a
few thousand updates a day; the feed returns them all and the bot must find its own among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bench import payloads, scopeworld
from bench.payloads import Watched

BASE_UPDATED = "2025-01-14"
# How many days of the registry's other updates exist before the world starts.
HISTORY_DAYS = 14
MAX_PAGE = 1000
FEED = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")
# Each change moves a trial to the next status; neighbours always differ.
STATUSES = ("COMPLETED", "TERMINATED", "SUSPENDED", "RECRUITING", "ACTIVE_NOT_RECRUITING")


class BadRequestError(ValueError):
    """A query this registry does not answer (the real API answers such with 400)."""


@dataclass
class Trials:
    """The registry's studies for `owners` (each watching `trials` trials) at time `now`."""

    owners: list[Watched]
    trials: int
    per_day: int
    now: datetime
    changes: dict[str, tuple[int, str]] = field(default_factory=dict)  # nct -> (count, day)
    registered: dict[str, tuple[int, str]] = field(default_factory=dict)  # nct -> (owner, day)

    def __post_init__(self) -> None:
        self.start = self.now.date() - timedelta(days=HISTORY_DAYS)
        self.by_substance = {w.substance.casefold(): w for w in self.owners}

    def answer(self, params: dict[str, str]) -> dict[str, Any]:
        """The `/studies` answer to `params`."""
        if "filter.ids" in params:
            ids = [nct for nct in params["filter.ids"].split(",") if nct]
            return {"studies": [s for s in map(self.study, ids) if s is not None]}
        if "query.term" in params:
            return self.feed(params)
        return {"studies": self.search(params.get("query.intr", ""), params.get("query.cond", ""))}

    def study(self, nct: str) -> dict[str, Any] | None:
        """The current record of `nct`, if this registry holds it."""
        owner = self.owner_of(nct)
        if owner is None:
            return None
        if nct in self.registered:
            day = self.registered[nct][1]
            return payloads.study(
                nct, owner, status="NOT_YET_RECRUITING", updated=day, first_posted=day
            )
        count, updated = self.changes.get(nct, (0, BASE_UPDATED))
        status = STATUSES[(count - 1) % len(STATUSES)] if count else payloads.BASE_TRIAL_STATUS
        return payloads.study(nct, owner, status=status, updated=updated)

    def owner_of(self, nct: str) -> Watched | None:
        """The method whose substance a (non-background) study is of."""
        serial = int(nct[3:]) if nct[3:].isdigit() else -1
        if nct in self.registered:
            return self.owners[self.registered[nct][0]]
        if payloads.DISCOVERED_BASE <= serial < payloads.DISCOVERED_BASE + len(self.owners):
            return self.owners[serial - payloads.DISCOVERED_BASE]
        index = (serial - payloads.NCT_BASE) // self.trials
        return self.owners[index] if 0 <= index < len(self.owners) and serial >= 0 else None

    def search(self, substance: str, condition: str) -> list[dict[str, Any]]:
        """A discovery search: the substance's studies, when its condition is the one asked."""
        owner = self.by_substance.get(substance.casefold())
        if owner is None or owner.condition.casefold() != condition.casefold():
            return []
        ids = [*owner.trials, owner.discovered]
        ids += [nct for nct, (index, _) in self.registered.items() if index == owner.index]
        return [s for s in map(self.study, ids) if s is not None]

    def feed(self, params: dict[str, str]) -> dict[str, Any]:
        """One page of every study updated on or after the range's first day, oldest first."""
        found = FEED.fullmatch(params["query.term"])
        if found is None:
            raise BadRequestError(f"unsupported query.term {params['query.term']!r}")
        listing = self.updated_since(date.fromisoformat(found.group(1)))
        size = min(int(params.get("pageSize") or 10), MAX_PAGE)
        offset = int(params.get("pageToken") or 0)
        page = [self._listed(entry) for entry in listing[offset : offset + size]]
        document: dict[str, Any] = {"studies": page}
        if offset + size < len(listing):
            document["nextPageToken"] = str(offset + size)
        return document

    def updated_since(self, since: date) -> list[tuple[str, str]]:
        """(day, NCT ID) of every study updated on or after `since`, in the feed's order."""
        entries = [(day, nct) for nct, (_count, day) in self.changes.items()]
        entries += [(day, nct) for nct, (_index, day) in self.registered.items()]
        entries = [entry for entry in entries if entry[0] >= since.isoformat()]
        day = max(since, self.start)
        while day <= self.now.date():
            first = (day - self.start).days * self.per_day
            ncts = (
                f"NCT{payloads.BACKGROUND_BASE + first + k:08d}" for k in range(self._count(day))
            )
            entries += [(day.isoformat(), nct) for nct in ncts]
            day += timedelta(days=1)
        return sorted(entries)

    def _count(self, day: date) -> int:
        """How many of the other studies were updated on `day` by now (evenly over the day)."""
        if day < self.now.date():
            return self.per_day
        midnight = datetime.combine(day, datetime.min.time(), tzinfo=self.now.tzinfo)
        return int(self.per_day * (self.now - midnight) / timedelta(days=1))

    def _listed(self, entry: tuple[str, str]) -> dict[str, Any]:
        day, nct = entry
        serial = int(nct[3:])
        if payloads.BACKGROUND_BASE <= serial < payloads.REGISTERED_BASE:
            return background_study(serial - payloads.BACKGROUND_BASE, updated=day)
        found = self.study(nct)
        assert found is not None
        return found

    def change_status(self, owner: Watched, pick: int) -> str:
        """One of `owner`'s trials gets its next status, posted today."""
        nct = owner.trials[pick % len(owner.trials)]
        count = self.changes.get(nct, (0, ""))[0] + 1
        self.changes[nct] = (count, self.now.date().isoformat())
        return f"{owner.method_id} trial {nct} -> {STATUSES[(count - 1) % len(STATUSES)]}"

    def register(self, owner: Watched) -> str:
        """A new trial of `owner`'s substance for its condition is registered today."""
        nct = f"NCT{payloads.REGISTERED_BASE + len(self.registered):08d}"
        self.registered[nct] = (owner.index, self.now.date().isoformat())
        return f"{owner.method_id} new trial {nct}"


def background_study(serial: int, *, updated: str) -> dict[str, Any]:
    """One of the registry's studies that no method watches or discovers: a filler substance
    (one of many, also in other studies) for one of the methods' conditions."""
    nct = f"NCT{payloads.BACKGROUND_BASE + serial:08d}"
    substance = f"fillerstat{payloads.letters(serial % 5000, width=3)}"
    condition = payloads.CONDITIONS[serial % len(payloads.CONDITIONS)]
    kind = scopeworld.INTERVENTION_TYPES[serial % len(scopeworld.INTERVENTION_TYPES)]
    return payloads.study_of(
        nct,
        title=f"A Study of {substance.title()} in {condition}",
        status=BACKGROUND_STATUSES[serial % len(BACKGROUND_STATUSES)],
        updated=updated,
        interventions=[{"type": kind, "name": substance, "otherNames": [f"FS-{serial % 5000}"]}],
        conditions=[condition, "Healthy Volunteers"][: 1 + serial % 2],
        serial=serial,
        first_posted=scopeworld.first_posted(serial, updated=updated),
        phases=scopeworld.PHASES[serial % len(scopeworld.PHASES)],
    )


BACKGROUND_STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED")
