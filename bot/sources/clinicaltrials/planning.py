"""Planning ClinicalTrials.gov requests: the change feed, full reads of watched IDs, searches.

A first cycle reads every watched NCT ID (`filter.ids`, batched under the URL limit) and runs
each method's discovery search once. After it, each cycle reads the registry's change feed (every
study whose LastUpdatePostDate is on or after the watermark's day before) and matches it locally
(`matching`); a method that is new or changed gets its full read and its own search at once;
every watched ID is also read in full at least every `full_read_every`, a share of the batches
each cycle, as the safety net. A cycle long after the last one, or after many failed ones, reads
as a first cycle does. Only full reads are authoritative for absence: a feed or a search answer
never says a study is gone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from bot.sources.base import Query, encoded_length, remembered, url_with_params
from bot.sources.clinicaltrials.changes import NAME
from bot.sources.clinicaltrials.matching import Matcher
from bot.sources.clinicaltrials.records import FIELDS
from bot.sources.cursor import Cursor, Plan, PlanState
from bot.watchlist import Method

# The API coerces larger page sizes down to 1000 (spec 2.0.5, `pageSize`).
PAGE_SIZE = "1000"
# LastUpdatePostDate has day granularity and is the registry's (US) day, behind UTC for part of
# each day: a read starts on the day before the one the last committed read began. The overlap
# reads some studies twice; their unchanged content hashes make the repeats cost no write.
OVERLAP = timedelta(days=1)
# A longer gap (the bot stopped for weeks) would be tens of feed pages at thousands of studies a
# day: such a cycle reads everything instead, as a first cycle does.
MAX_FEED_DAYS = 10
# So does a cycle after this many failed in a row: a feed the registry cannot answer (too many
# pages on a day it re-posts much of its data, a refused parameter) must not stop the source for
# good. A cycle that reads everything then moves the watermark past the trouble.
FALL_BACK_AFTER = 6
# The spec's own example of a change query (reference/sources.md §1). Sorted oldest first, so a
# study updated while the pages are read moves behind the reader, not past it.
FEED_TERM = "AREA[LastUpdatePostDate]RANGE[{since},MAX]"
FEED_SORT = "LastUpdatePostDate:asc"


@dataclass(frozen=True)
class Reading:
    """What the parser needs for one answer: who its studies concern (for `methods`), and
    whether a study that concerns no method is dropped (the change feed) or kept (a full read,
    a search)."""

    methods: Sequence[Method]
    matcher: Matcher
    feed: bool = False

    @classmethod
    def of(cls, methods: Sequence[Method], state: PlanState | None = None) -> Reading:
        """The reading of `methods`' answers, with what `state` knows of stored studies."""
        return cls(methods, Matcher(methods, known=state.known if state else None))


class Requests:
    """The queries of one `/studies` endpoint."""

    def __init__(self, url: str, *, max_url_chars: int) -> None:
        self.url = url
        self.max_url_chars = max_url_chars

    def watched(self, methods: Sequence[Method], reading: Reading) -> list[Query]:
        """The watched NCT IDs of `methods`, in as few `filter.ids` queries as the URL allows."""
        return [self.batch(ids, reading) for ids in self._batches(methods)]

    def batches(self, methods: Sequence[Method]) -> list[list[str]]:
        """The watched NCT IDs of all `methods`, sorted, in batches that fit in one URL each
        (the same from cycle to cycle while the methods are)."""
        kind = ("clinicaltrials batches", self.url, self.max_url_chars)
        return remembered(kind, methods, lambda: self._batches(methods))

    def _batches(self, methods: Sequence[Method]) -> list[list[str]]:
        ids = sorted({nct for method in methods for nct in method.trials})
        # The URL's length grows by each encoded ID and its comma; counted, not re-encoded.
        room = self.max_url_chars - len(url_with_params(self.url, (("filter.ids", ""), *_common())))
        found: list[list[str]] = []
        used = room
        for nct in ids:
            size = encoded_length(nct)
            if found and used + 1 + size < room:
                found[-1].append(nct)
                used += 1 + size
            else:
                found.append([nct])
                used = size
        return found

    def batch(self, ids: list[str], reading: Reading) -> Query:
        """One `filter.ids` query: authoritative for the absence of each of `ids`."""
        params = (("filter.ids", ",".join(ids)), *_common())
        return Query(NAME, self.url, params, expected_keys=frozenset(ids), context=reading)

    def searches(self, methods: Sequence[Method], reading: Reading) -> list[Query]:
        """One discovery search per distinct (substance, condition) of `methods`."""
        found = sorted({(m.substance, m.discover.condition) for m in methods if m.discover})
        # A search answer is never authoritative for absence, so it expects no keys.
        return [self._search(substance, condition, reading) for substance, condition in found]

    def feed(self, since: date, reading: Reading) -> Query:
        """Every study updated on or after `since` (paged; never authoritative for absence)."""
        term = FEED_TERM.format(since=since.isoformat())
        params = (("query.term", term), ("sort", FEED_SORT), *_common())
        return Query(NAME, self.url, params, context=replace(reading, feed=True))

    def _search(self, substance: str, condition: str, reading: Reading) -> Query:
        params = (("query.intr", substance), ("query.cond", condition), *_common())
        return Query(NAME, self.url, params, context=reading)


def _common() -> tuple[tuple[str, str], ...]:
    return (("fields", FIELDS), ("pageSize", PAGE_SIZE))


def first_plan(requests: Requests, methods: Sequence[Method], reading: Reading) -> list[Query]:
    """Every watched ID and every discovery search: a first cycle's reading."""
    return requests.watched(methods, reading) + requests.searches(methods, reading)


def cycle_plan(
    requests: Requests,
    methods: Sequence[Method],
    state: PlanState,
    *,
    full_read_every: timedelta,
) -> Plan:
    """This cycle's requests, from the feed's watermark and what is due (see the docstring)."""
    reading = Reading.of(methods, state)
    cursor, now = state.cursor, state.now
    today = now.astimezone(UTC).date()
    if cursor.watermark is None or _no_feed(cursor.watermark, today, failures=state.failures):
        return Plan(first_plan(requests, methods, reading), Cursor(today, now))
    batches = requests.batches(methods)
    share, after = _full_read_share(batches, cursor, now=now, every=full_read_every)
    fresh = [method for method in methods if method.id not in state.baselined]
    # The authoritative answers first: where a study is in two answers, the first one counts.
    queries = [
        *(requests.batch(ids, reading) for ids in batches[share]),
        *requests.watched(fresh, reading),
        *requests.searches(fresh, reading),
        requests.feed(cursor.watermark - OVERLAP, reading),
    ]
    resting = [
        requests.batch(ids, reading) for ids in batches[: share.start] + batches[share.stop :]
    ]
    return Plan(queries, replace(after, watermark=today), resting=resting)


def _no_feed(watermark: date, today: date, *, failures: int) -> bool:
    """Whether this cycle reads everything instead of the feed (a long gap, many failures)."""
    return today - watermark > timedelta(days=MAX_FEED_DAYS) or failures >= FALL_BACK_AFTER


def _full_read_share(
    batches: list[list[str]], cursor: Cursor, *, now: datetime, every: timedelta
) -> tuple[slice, Cursor]:
    """The batches this cycle reads in full, and the cursor after them.

    A pass over every batch takes `every`: by now, the share of the pass that the time since it
    began allows is read, continuing after the last ID read. A pass due in full (a long pause)
    is read to its end, and the next pass begins now. Batches are the same from cycle to cycle
    while the watchlist is, so their HTTP validators serve again a pass later.
    """
    begun, last = cursor.full_read_at, cursor.full_read_after
    elapsed = 1.0 if begun is None or every <= timedelta(0) else (now - begun) / every
    due = len(batches) if elapsed >= 1 else math.floor(len(batches) * elapsed)
    done = sum(1 for ids in batches if last is not None and ids[-1] <= last)
    share = slice(done, max(done, due))
    if due >= len(batches):
        return share, Cursor(full_read_at=now)
    read = batches[share]
    return share, Cursor(full_read_at=begun, full_read_after=read[-1][-1] if read else last)
