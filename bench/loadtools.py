"""What the lookup load benchmark measures with: a fake Slack that notes when each answer
arrives, the CPU of a server's process tree, signed bursts of `/metode`, server processes."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.fakeslack import FakeSlack
from tests.slackhttp import command_body, signed_headers

ROOT = Path(__file__).parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


class TimedSlack(FakeSlack):
    """The fake Slack, noting when the first answer reached each response_url.

    Its listening socket takes a backlog of 128: with the stdlib's default of 5, a burst of 50
    answers overflows the accept queue and the kernel retries the refused connections after
    1 s and 3 s, which measured the fake Slack instead of the apps.
    """

    BACKLOG = 128

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}

    def start(self) -> TimedSlack:
        super().start()
        assert self._server is not None
        self._server.socket.listen(self.BACKLOG)
        return self

    def _serve_response(self, name: str, body: Any) -> Any:
        at = time.perf_counter()
        outcome = super()._serve_response(name, body)
        with self.lock:
            self.arrived.setdefault(name, at)
        return outcome


@dataclass
class Tally:
    """One app's requests so far: answer latencies, HTTP (ack) latencies, failures, CPU."""

    name: str
    answers: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    non_200: int = 0
    unanswered: int = 0
    cpu: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.acks)

    def p(self, share: float, values: list[float] | None = None) -> float:
        """The `share` quantile (nearest rank) of the answer latencies, in seconds."""
        ordered = sorted(self.answers if values is None else values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def line(self) -> str:
        ms = 1000
        return (
            f"  {self.name:<11} requests={self.requests} non-200={self.non_200} "
            f"unanswered={self.unanswered}  answer p50={statistics.median(self.answers) * ms:.0f} "
            f"p95={self.p(0.95) * ms:.0f} max={max(self.answers) * ms:.0f} ms  "
            f"ack p95={self.p(0.95, self.acks) * ms:.0f} ms  "
            f"server CPU/request={self.cpu / max(self.requests, 1) * ms:.1f} ms"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and every live descendant (gunicorn's worker)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    tree, grew = {pid}, True
    while grew:
        found = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sum(times.get(member, 0.0) for member in tree)


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start a server process and wait (bounded) until /healthz answers."""
    process = subprocess.Popen(
        command, env=env | {"PORT": str(port)}, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def burst(port: int, slack: TimedSlack, queries: list[str], tag: str, tally: Tally) -> None:
    """One signed `/metode query` per query, all at once; each answer's latency is from its
    send to its arrival at the fake response_url. Signed up front, sent through one client."""
    count = len(queries)
    names = [f"{tag}-{i}" for i in range(count)]
    requests = []
    for name, query in zip(names, queries, strict=True):
        body = command_body(query, response_url=slack.response_url(name), trigger=name)
        requests.append((name, body.encode(), signed_headers(body)))
    sent: dict[str, float] = {}
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    with httpx.Client(limits=limits, timeout=30) as client:

        def one(request: tuple[str, bytes, dict[str, str]]) -> tuple[float, int]:
            name, content, headers = request
            sent[name] = time.perf_counter()
            url = f"http://127.0.0.1:{port}/slack/events"
            status = client.post(url, content=content, headers=headers).status_code
            return time.perf_counter() - sent[name], status

        with ThreadPoolExecutor(max_workers=count) as pool:
            results = list(pool.map(one, requests))
    slack.wait_until(lambda: all(name in slack.arrived for name in names), timeout=60)
    tally.acks += [latency for latency, _ in results]
    tally.non_200 += sum(status != 200 for _, status in results)
    tally.answers += [slack.arrived[n] - sent[n] for n in names if n in slack.arrived]
    tally.unanswered += sum(n not in slack.arrived for n in names)
