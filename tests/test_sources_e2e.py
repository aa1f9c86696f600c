"""Every source of the dupilumab method read end to end from a local replay server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, open_runtime
from bot.storage.tables import Snapshot
from tests.replay import ReplayServer
from tests.world import CTGOV, NYE_DECISIONS, DupilumabWorld, seed_without_scope


@pytest.fixture
def runtime(replay: ReplayServer, database_url: str) -> Iterator[Runtime]:
    # Without the seed's scope: each source's own requests are counted here (the request for
    # candidates is tested in tests/test_candidates_world.py).
    settings = DupilumabWorld(replay).settings(
        database_url=database_url, watchlist_file=seed_without_scope()
    )
    runtime = open_runtime(settings)
    yield runtime
    runtime.close()


def keys(runtime: Runtime, source: str) -> list[str]:
    with runtime.sessions() as session:
        return sorted(session.scalars(select(Snapshot.key).where(Snapshot.source == source)))


def test_one_pass_reads_every_source_then_all_unchanged(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """First pass yields the dupilumab records of every source; in the second, ClinicalTrials.gov
    reads only its change feed, Nye metoder's decision page is read whole (to find the unchanged
    workbook), and every other request is answered 304."""
    first = {result.source: result for result in runtime.poll()}
    assert all(result.ok for result in first.values()), first
    assert keys(runtime, "clinicaltrials") == ["NCT02612454", "NCT03054428", "NCT03346434"]
    assert keys(runtime, "openfda") == ["BLA761055"]
    assert "EMEA/H/C/004390" in keys(runtime, "ema_medicines")
    assert keys(runtime, "ema_post_authorisation") and keys(runtime, "fda_rss")
    assert keys(runtime, "ema_rss")
    assert keys(runtime, "nyemetoder_pages") == ["/metoder/dupilumab-dupixent/"]
    assert len(keys(runtime, "nyemetoder_decisions")) == 3
    requests = replay.count()
    assert requests == sum(result.requests for result in first.values()) == 11

    second = {result.source: result for result in runtime.poll()}
    assert (second["clinicaltrials"].requests, second["clinicaltrials"].not_modified) == (1, 0)
    assert second["clinicaltrials"].events == 0
    fresh = {"clinicaltrials": 1, "nyemetoder_decisions": 1}  # the feed; the decision page
    assert [
        (n, r.requests, r.not_modified) for n, r in second.items() if n != "clinicaltrials"
    ] == [
        (n, r.requests, r.requests - fresh.get(n, 0))
        for n, r in first.items()
        if n != "clinicaltrials"
    ]
    (feed,) = [r for r in replay.requests[requests:] if r.path == CTGOV]
    assert feed.params["query.term"].startswith("AREA[LastUpdatePostDate]RANGE[")
    unconditional = [r.path for r in replay.requests[requests:] if "if-none-match" not in r.headers]
    assert sorted(unconditional) == sorted([CTGOV, NYE_DECISIONS])
