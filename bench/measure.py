"""What one poll cycle cost (wall, CPU, requests, bytes, alerts, peak RSS), and the floor."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from sqlalchemy import func, select

from bench.syntheticworld import CTGOV, EMA_REPORTS, FEEDS, OPENFDA
from bot.polling.poll import PollResult
from bot.runtime import Runtime
from bot.storage.tables import OutboxRow

T = TypeVar("T")
SOURCES = ("ctgov", "openfda", "ema files", "rss")


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
    not_modified: int
    bytes_by_source: dict[str, int]
    alert_methods: list[str]
    other_rows: int
    peak_rss_mib: float
    results: list[PollResult]
    targets: list[str] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        """Body bytes received from every source."""
        return sum(self.bytes_by_source.values())

    @property
    def alerts(self) -> int:
        """Alert rows queued in the outbox by this cycle."""
        return len(self.alert_methods)

    @property
    def search_requests(self) -> int:
        """Requests to ClinicalTrials.gov and openFDA together (the issue's budget)."""
        return self.requests["ctgov"] + self.requests["openfda"]


def measured(call: Callable[[], T]) -> tuple[T, Cost]:
    """Run `call`; its result and what it cost this process (CPU: time.process_time)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, Cost(time.perf_counter() - wall, time.process_time() - cpu)


def peak_rss_mib() -> float:
    """The process's peak resident set so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def source_of(path: str) -> str:
    """Which registry a request path belongs to."""
    if path == CTGOV:
        return "ctgov"
    if path == OPENFDA:
        return "openfda"
    if path.startswith(EMA_REPORTS):
        return "ema files"
    return "rss" if path in FEEDS else "other"


def outbox_mark(runtime: Runtime) -> int:
    """The highest outbox row id so far (0 for none)."""
    with runtime.sessions() as session:
        return session.scalar(select(func.max(OutboxRow.id))) or 0


def outbox_since(runtime: Runtime, mark: int) -> list[tuple[str, str | None]]:
    """(kind, method id) of every outbox row queued after `mark`."""
    query = select(OutboxRow.kind, OutboxRow.method_id).where(OutboxRow.id > mark)
    with runtime.sessions() as session:
        return [(kind, method_id) for kind, method_id in session.execute(query).all()]


def run_cycle(name: str, runtime: Runtime, traffic: Callable[[], dict[str, Any]]) -> Cycle:
    """One real `Runtime.poll()`; `traffic` returns (and resets) the server's counts."""
    mark = outbox_mark(runtime)
    results, cost = measured(runtime.poll)
    queued = outbox_since(runtime, mark)
    seen = traffic()
    return Cycle(
        name=name,
        cost=cost,
        requests=_by_source(seen["paths"], "requests"),
        not_modified=sum(c["not_modified"] for c in seen["paths"].values()),
        bytes_by_source=_by_source(seen["paths"], "bytes"),
        alert_methods=sorted(str(method) for kind, method in queued if kind == "alert"),
        other_rows=sum(kind != "alert" for kind, _ in queued),
        peak_rss_mib=peak_rss_mib(),
        results=results,
        targets=seen["targets"],
    )


def _by_source(paths: dict[str, dict[str, int]], what: str) -> dict[str, int]:
    totals = dict.fromkeys(SOURCES, 0)
    for path, counts in paths.items():
        source = source_of(path)
        totals[source] = totals.get(source, 0) + counts[what]
    return totals


def floor(base_url: str, targets: list[str]) -> tuple[Cost, int]:
    """What a plain httpx client pays to GET `targets` and json-decode the JSON answers."""

    def download() -> int:
        received = 0
        with httpx.Client(base_url=base_url, timeout=300) as client:
            for target in targets:
                response = client.get(target)
                received += len(response.content)
                if response.headers.get("content-type", "").startswith("application/json"):
                    json.loads(response.content)
        return received

    received, cost = measured(download)
    return cost, received
