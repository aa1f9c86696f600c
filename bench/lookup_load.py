"""Load benchmark: 50 simultaneous signed `/metode dupilumab` against `metodevakt web`.

    uv run python -m bench.lookup_load --requests 50 --rounds 5

Beside it, the same load on a bare Bolt app that only acks, served the same way (gunicorn,
one worker, 32 threads): the framework's floor. Reports HTTP answer latency (the ack Slack
waits for) p50/p95/max, answers received at response_url, and non-200s. Loopback only.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bot.runtime import open_runtime
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.slackhttp import SECRET, command_body, signed_headers
from tests.world import DupilumabWorld

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(world: DupilumabWorld, slack: FakeSlack, database: Path) -> dict[str, str]:
    """A database with the dupilumab world polled once; the environment for the server."""
    settings = world.settings(database_url=f"sqlite:///{database}")
    runtime = open_runtime(settings)
    runtime.poll()
    runtime.close()
    env = {
        name.upper(): str(value)
        for name, value in settings.model_dump().items()
        if value is not None and not name.startswith(("slack_", "openfda_api_key"))
    }
    return env | {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url,
        "NO_PROXY": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start a server process and wait (bounded) until /healthz or the port answers."""
    process = subprocess.Popen(
        command,
        env=env | {"PORT": str(port)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def fire(port: int, slack: FakeSlack, count: int, tag: str) -> tuple[list[float], int]:
    """`count` signed commands at once; latencies of the HTTP answers and non-200 count."""
    bodies = [
        command_body(
            "dupilumab", response_url=slack.response_url(f"{tag}-{i}"), trigger=f"{tag}-{i}"
        )
        for i in range(count)
    ]

    # Signed up front and sent through one pooled client: the generator's own cost (client
    # construction, signing) must not be measured as the server's.
    requests = [(body.encode(), signed_headers(body)) for body in bodies]
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    with httpx.Client(limits=limits, timeout=10) as client:

        def one(request: tuple[bytes, dict[str, str]]) -> tuple[float, int]:
            started = time.perf_counter()
            response = client.post(
                f"http://127.0.0.1:{port}/slack/events", content=request[0], headers=request[1]
            )
            return time.perf_counter() - started, response.status_code

        with ThreadPoolExecutor(max_workers=count) as pool:
            results = list(pool.map(one, requests))
    return [latency for latency, _ in results], sum(status != 200 for _, status in results)


def measure(name: str, port: int, slack: FakeSlack, *, count: int, rounds: int) -> None:
    latencies: list[float] = []
    failures = answered = 0
    for round_number in range(rounds):
        tag = f"{name}-{round_number}"
        found, failed = fire(port, slack, count, tag)
        latencies += found
        failures += failed
        slack.wait_until(
            lambda t=tag: all(slack.responses(f"{t}-{i}") for i in range(count)), timeout=10
        )
        answered += sum(bool(slack.responses(f"{tag}-{i}")) for i in range(count))
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"{name:<10} requests={len(ordered)} non-200={failures} answered={answered} "
        f"p50={statistics.median(ordered) * 1000:.0f} ms p95={p95 * 1000:.0f} ms "
        f"max={ordered[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with ReplayServer() as replay, FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        env = prepare(DupilumabWorld(replay), slack, Path(tmp) / "bot.db")
        for name, command in (
            ("bare-bolt", [sys.executable, "-m", "bench.bare_app"]),
            ("metodevakt", [sys.executable, "-m", "bot", "web"]),
        ):
            port = free_port()
            process = start(command, env, port)
            try:
                fire(port, slack, 5, f"{name}-warmup")
                measure(name, port, slack, count=args.requests, rounds=args.rounds)
            finally:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
