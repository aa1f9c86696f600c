"""Every source of the dupilumab method read end to end from a local replay server."""

from __future__ import annotations

from bot.fetch import Fetcher, Validators, build_client
from bot.poll import request_id
from bot.runtime import build_sources
from bot.watchlist import load_watchlist
from tests.replay import ReplayServer
from tests.world import SEED, DupilumabWorld


def read_all(world: DupilumabWorld, known: dict[str, Validators]) -> dict[str, list[str]]:
    """One plan-fetch-parse pass; returns record keys per source, updating `known`."""
    methods = load_watchlist(SEED)
    fetcher = Fetcher(build_client())
    keys: dict[str, list[str]] = {}
    for source in build_sources(world.settings()):
        keys[source.name] = []
        for query in source.plan(methods):
            answer = fetcher.fetch(query, known.get(request_id(query)))
            known[request_id(query)] = answer.validators
            if not answer.not_modified:
                page = source.parse(query, answer.status, answer.body, methods)
                keys[source.name] += sorted(record.key for record in page.records)
    return keys


def test_one_pass_reads_every_source_then_all_unchanged(replay: ReplayServer) -> None:
    """First pass yields the dupilumab records of every source; the second is all 304s."""
    world = DupilumabWorld(replay)
    known: dict[str, Validators] = {}
    first = read_all(world, known)
    assert first["clinicaltrials"] == [
        "NCT02612454",
        "NCT03054428",
        "NCT02612454",
        "NCT03054428",
        "NCT03346434",
    ]
    assert first["openfda"] == ["BLA761055"]
    assert "EMEA/H/C/004390" in first["ema_medicines"]
    assert first["ema_post_authorisation"] and first["ema_rss"] and first["fda_rss"]
    requests_first = replay.count()
    bytes_first = replay.bytes_sent

    second = read_all(world, known)
    assert all(keys == [] for keys in second.values()), second
    statuses_second = replay.count() - requests_first
    assert statuses_second == requests_first == 8
    assert replay.bytes_sent == bytes_first  # 304s carry no body
    conditional = [r for r in replay.requests[requests_first:] if "if-none-match" in r.headers]
    assert len(conditional) == 8
