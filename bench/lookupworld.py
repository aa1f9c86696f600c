"""The world the lookup and start-up benchmarks answer from: N methods, polled for real.

Every method has `trials` watched trials, one FDA application, one EMA product (the EMA files
hold `ema_rows` rows) and a `discover` condition. The database is filled by the bot's own
`Runtime.poll()` against the synthetic world (bench/syntheticworld.py), so it holds exactly what
a real poll stores (snapshots with their methods, validators, source state) and the index of
methods per snapshot is written by the same code path as in production. The synthetic world's
ClinicalTrials.gov answers one discovery search per method with one study it does not watch, so
that every method has a discovered trial to find.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench import payloads
from bench.benchwatchlist import bench_settings, watchlist_document
from bench.registries import BASE_UPDATED, Answer, Registries
from bench.syntheticworld import CTGOV, OPENFDA, SyntheticWorld
from bot.runtime import open_runtime
from bot.settings import Settings

# Discovered studies live far above the watched ones (NCT_BASE + index * trials + j).
DISCOVERED_BASE = 60_000_000
CONDITION = "Atopic Dermatitis"
# The method every benchmark looks up: the middle one, so that it is neither first nor last.
LOOKED_UP = 0.5


def discovered_nct(index: int) -> str:
    """The one study method `index`'s discovery search finds (not on its watchlist)."""
    return f"NCT{DISCOVERED_BASE + index:08d}"


class DiscoveringRegistries(Registries):
    """The synthetic registries, plus an answer to each method's discovery search."""

    def studies(self, params: dict[str, str]) -> Answer:
        """`query.intr=<substance>`: the method's watched studies and one discovered study."""
        substance = params.get("query.intr")
        if substance is None:
            return super().studies(params)
        index = self._by_substance.get(substance.upper())
        if index is None:
            return Answer(200, json.dumps({"studies": []}).encode())
        owner = self.owners[index]
        ncts = [*owner.trials, discovered_nct(index)]
        found = [
            payloads.study(nct, owner, status="RECRUITING", updated=BASE_UPDATED) for nct in ncts
        ]
        return Answer(200, json.dumps({"studies": found}).encode())


class DiscoveringWorld(SyntheticWorld):
    """The synthetic world whose ClinicalTrials.gov also answers discovery searches."""

    def __init__(self, *, methods: int, trials: int, ema_medicines: int) -> None:
        super().__init__(methods=methods, trials=trials, ema_medicines=ema_medicines)
        self.registries = DiscoveringRegistries(
            methods=methods, trials=trials, ema_rows=ema_medicines
        )
        # The other routes read `self.registries` when called; these two were bound to it.
        self._routes[CTGOV] = self.registries.studies
        self._routes[OPENFDA] = self.registries.applications


@dataclass(frozen=True)
class World:
    """A polled world on disk: its settings, and what the benchmarks look up in it."""

    methods: int
    settings: Settings
    watchlist: Path
    query: str
    method_id: str
    discovered: str
    poll_seconds: float


def watchlist_with_discovery(methods: int, trials: int) -> dict[str, Any]:
    """The poll benchmark's synthetic watchlist, every method with a `discover` condition."""
    document = watchlist_document(methods, trials)
    for entry in document["methods"]:
        entry["discover"] = {"condition": CONDITION}
    return document


def write_watchlist(path: Path, methods: int, *, trials: int = 5) -> Path:
    """The watchlist file (flow-style lists keep 2,000 methods under the 1 MB cap)."""
    text = yaml.safe_dump(
        watchlist_with_discovery(methods, trials),
        sort_keys=False,
        default_flow_style=None,
        width=120,
    )
    path.write_text(text, encoding="utf-8")
    return path


def build_world(
    workdir: Path, methods: int, *, trials: int = 5, ema_medicines: int = 3000
) -> World:
    """Write the watchlist, seed the database and run one real poll of every source."""
    watchlist = write_watchlist(workdir / "watchlist.yaml", methods, trials=trials)
    world = DiscoveringWorld(methods=methods, trials=trials, ema_medicines=ema_medicines).start()
    try:
        settings = bench_settings(workdir, world.url, watchlist)
        runtime = open_runtime(settings)
        try:
            started = time.perf_counter()
            failed = [r.source for r in runtime.poll() if not r.ok]
            elapsed = time.perf_counter() - started
        finally:
            runtime.close()
    finally:
        world.close()
    if failed:
        raise RuntimeError(f"the world's poll failed for {failed}")
    index = int((methods - 1) * LOOKED_UP)
    owner = payloads.watched(index, trials=trials)
    return World(
        methods=methods,
        settings=settings,
        watchlist=watchlist,
        query=owner.substance,
        method_id=owner.method_id,
        discovered=discovered_nct(index),
        poll_seconds=elapsed,
    )


def world_in(root: Path, methods: int) -> World:
    """The world of `methods` methods under `root/<methods>/`: built once, then reused (a
    2,000-method world takes about a minute to poll)."""
    workdir = root / str(methods)
    marker = workdir / "world.json"
    if marker.exists():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        settings = bench_settings(workdir, saved.pop("url"), Path(saved["watchlist"]))
        return World(**saved | {"settings": settings, "watchlist": Path(saved["watchlist"])})
    workdir.mkdir(parents=True, exist_ok=True)
    world = build_world(workdir, methods)
    saved = {
        "methods": methods,
        "url": world.settings.ctgov_api_url.removesuffix("/api/v2"),
        "watchlist": str(world.watchlist),
        "query": world.query,
        "method_id": world.method_id,
        "discovered": world.discovered,
        "poll_seconds": world.poll_seconds,
    }
    marker.write_text(json.dumps(saved), encoding="utf-8")
    return world
