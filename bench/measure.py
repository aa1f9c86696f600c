"""What one poll cycle cost (wall, CPU, requests, pacing, bytes, alerts, RSS), and its floor."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
from sqlalchemy import func, select

from bench.syntheticworld import (
    CTGOV,
    EMA_REPORTS,
    FEEDS,
    NYE_DECISION_PAGE,
    NYE_PAGES,
    NYE_WORKBOOKS,
    OPENFDA,
    OPENFDA_SCAN,
)
from bot.polling.poll import PollResult
from bot.runtime import Runtime
from bot.settings import Settings
from bot.sources.base import Source
from bot.storage.tables import OutboxRow

T = TypeVar("T")
# Columns: openFDA's candidates query apart from its watched searches; Nye metoder's method
# pages apart from its decision page and workbook (polled every cycle).
SOURCES = ("ctgov", "openfda", "fda scan", "ema files", "rss", "nye pages", "nye decis")
# Which host a request goes to, by source (EMA's files and feeds share one host), and the
# default least interval between two requests to it (the settings' own defaults).
HOSTS = {
    "ctgov": "ctgov",
    "openfda": "openfda",
    "fda scan": "openfda",
    "ema files": "ema",
    "ema rss": "ema",
    "fda rss": "fda",
    "nye pages": "nyemetoder",
    "nye decis": "nyemetoder",
}
ETIQUETTE = {
    host: float(Settings.model_fields[f"{host}_min_interval"].default)
    for host in ("ctgov", "openfda", "ema", "fda", "nyemetoder")
}


@dataclass(frozen=True)
class Cost:
    """Wall-clock and CPU seconds of one measured call."""

    wall: float
    cpu: float


@dataclass
class Cycle:
    """One poll cycle as the server saw it and as the bot's process paid for it."""

    name: str
    cost: Cost
    requests: dict[str, int]
    by_host: dict[str, int]
    not_modified: int
    pages_not_modified: int
    bytes_by_source: dict[str, int]
    alert_methods: list[str]
    other_rows: int
    peak_rss_mib: float
    results: list[PollResult]
    targets: list[tuple[str, str | None]] = field(default_factory=list)
    floor: Cost | None = None

    @property
    def bytes(self) -> int:
        """Body bytes received from every source."""
        return sum(self.bytes_by_source.values())

    @property
    def alerts(self) -> int:
        """Alert rows queued in the outbox by this cycle."""
        return len(self.alert_methods)

    @property
    def total_requests(self) -> int:
        """Requests to every source."""
        return sum(self.requests.values())

    @property
    def pacing(self) -> float:
        """Seconds of politeness waits at the default etiquette: the fetcher spaces request
        starts to one host by its least interval, so n requests to it wait n - 1 intervals."""
        return sum(self.pacing_by_host.values())

    @property
    def pacing_by_host(self) -> dict[str, float]:
        """The politeness waits per host (each host is paced on its own)."""
        return {host: ETIQUETTE[host] * max(n - 1, 0) for host, n in self.by_host.items()}

    @property
    def over_floor(self) -> float:
        """This cycle's CPU over its floor's."""
        if self.floor is None or not self.floor.cpu:
            return float("inf")
        return self.cost.cpu / self.floor.cpu


def measured(call: Callable[[], T]) -> tuple[T, Cost]:
    """Run `call`; its result and what it cost this process (CPU: time.process_time)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, Cost(time.perf_counter() - wall, time.process_time() - cpu)


def peak_rss_mib() -> float:
    """The process's peak resident set so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def source_of(path: str) -> str:
    """Which registry a request path (a traffic label) belongs to."""
    named = {
        CTGOV: "ctgov",
        OPENFDA: "openfda",
        OPENFDA_SCAN: "fda scan",
        NYE_PAGES: "nye pages",
        NYE_DECISION_PAGE: "nye decis",
        NYE_WORKBOOKS: "nye decis",
    }
    if path in named:
        return named[path]
    if path.startswith(EMA_REPORTS):
        return "ema files"
    return "rss" if path in FEEDS else "other"


def host_of(path: str) -> str:
    """Which real host a request path stands for."""
    source = source_of(path)
    if source == "rss":
        return "ema" if path.startswith("/ema/") else "fda"
    return HOSTS[source]


def outbox_mark(runtime: Runtime) -> int:
    """The highest outbox row id so far (0 for none)."""
    with runtime.sessions() as session:
        return session.scalar(select(func.max(OutboxRow.id))) or 0


def outbox_since(runtime: Runtime, mark: int) -> list[tuple[str, str | None]]:
    """(kind, method id) of every outbox row queued after `mark`."""
    query = select(OutboxRow.kind, OutboxRow.method_id).where(OutboxRow.id > mark)
    with runtime.sessions() as session:
        return [(kind, method_id) for kind, method_id in session.execute(query).all()]


def run_cycle(
    name: str,
    runtime: Runtime,
    traffic: Callable[[], dict[str, Any]],
    *,
    now: datetime,
    sources: list[Source] | None = None,
) -> Cycle:
    """One real `Runtime.poll()` of `sources` (default: all) at `now`; `traffic` returns (and
    resets) the server's counts."""
    mark = outbox_mark(runtime)
    results, cost = measured(lambda: runtime.poll(sources, clock=lambda: now))
    queued = outbox_since(runtime, mark)
    seen = traffic()
    hosts: dict[str, int] = {}
    for path, counts in seen["paths"].items():
        hosts[host_of(path)] = hosts.get(host_of(path), 0) + counts["requests"]
    return Cycle(
        name=name,
        cost=cost,
        requests=_by_source(seen["paths"], "requests"),
        by_host=hosts,
        not_modified=sum(c["not_modified"] for c in seen["paths"].values()),
        pages_not_modified=seen["paths"].get(NYE_PAGES, {}).get("not_modified", 0),
        bytes_by_source=_by_source(seen["paths"], "bytes"),
        alert_methods=sorted(str(method) for kind, method in queued if kind == "alert"),
        other_rows=sum(kind != "alert" for kind, _ in queued),
        peak_rss_mib=peak_rss_mib(),
        results=results,
        targets=[(target, etag) for target, etag in seen["targets"]],
    )


def _by_source(paths: dict[str, dict[str, int]], what: str) -> dict[str, int]:
    totals = dict.fromkeys(SOURCES, 0)
    for path, counts in paths.items():
        source = source_of(path)
        totals[source] = totals.get(source, 0) + counts[what]
    return totals


def floor(base_url: str, targets: list[tuple[str, str | None]]) -> tuple[Cost, int]:
    """What a plain httpx client pays to GET `targets` (sending the same If-None-Match) and
    json-decode the JSON answers."""

    def download() -> int:
        received = 0
        with httpx.Client(base_url=base_url, timeout=300) as client:
            for target, etag in targets:
                response = client.get(target, headers={"If-None-Match": etag} if etag else {})
                received += len(response.content)
                if response.headers.get("content-type", "").startswith("application/json"):
                    json.loads(response.content)
        return received

    received, cost = measured(download)
    return cost, received
