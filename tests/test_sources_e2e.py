"""Every source of the dupilumab method read end to end from a local replay server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, open_runtime
from bot.storage.tables import Snapshot
from tests.replay import ReplayServer
from tests.world import DupilumabWorld


@pytest.fixture
def runtime(replay: ReplayServer, database_url: str) -> Iterator[Runtime]:
    runtime = open_runtime(DupilumabWorld(replay).settings(database_url=database_url))
    yield runtime
    runtime.close()


def keys(runtime: Runtime, source: str) -> list[str]:
    with runtime.sessions() as session:
        return sorted(session.scalars(select(Snapshot.key).where(Snapshot.source == source)))


def test_one_pass_reads_every_source_then_all_unchanged(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """First pass yields the dupilumab records of every source; the second is all 304s."""
    first = {result.source: result for result in runtime.poll()}
    assert all(result.ok for result in first.values()), first
    assert keys(runtime, "clinicaltrials") == ["NCT02612454", "NCT03054428", "NCT03346434"]
    assert keys(runtime, "openfda") == ["BLA761055"]
    assert "EMEA/H/C/004390" in keys(runtime, "ema_medicines")
    assert keys(runtime, "ema_post_authorisation") and keys(runtime, "fda_rss")
    assert keys(runtime, "ema_rss")
    requests, sent = replay.count(), replay.bytes_sent
    # One request per source, and one more to openFDA: the seed's scope asks for its recent
    # approvals (candidates, bot/sources/openfda/candidates.py).
    assert requests == sum(result.requests for result in first.values()) == 9

    second = runtime.poll()
    assert [(r.requests, r.not_modified) for r in second] == [
        (r.requests, r.requests) for r in first.values()
    ]
    assert replay.bytes_sent == sent  # 304s carry no body
    conditional = [r for r in replay.requests[requests:] if "if-none-match" in r.headers]
    assert len(conditional) == 9
