"""Lookups under load (issue 10): bursts of simultaneous signed `/metode <name>` at
`metodevakt web` and, side by side, at a bare Bolt app that answers a fixed card of the same size,
in worlds of 1, 300 and 2,000 methods polled for real (bench/lookupworld.py).

    uv run python -m bench.lookup_load          # --methods 1 300 2000 --requests 50 --rounds 5
    uv run python -m bench.lookup_load --worlds /tmp/worlds   # keep and reuse polled worlds

Both apps run under gunicorn (one worker, 32 threads) on 127.0.0.1 at the same time; their
rounds alternate. An answer's latency runs from sending the request to the card's arrival at
the fake Slack's response_url. Server CPU is the process tree's user + system time over the
measured rounds. Beside the load, the CPU of one `answer()` per kind of query, in this process.
Prints PASS/FAIL per target; exits 1 when one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import payloads
from bench.loadtools import Tally, TimedSlack, burst, free_port, start, tree_cpu
from bench.lookupworld import World, world_in
from bot.lookup.answers import answer
from bot.lookup.search import SearchIndex
from bot.storage import db, store
from tests.slackhttp import SECRET

ROOT = Path(__file__).parents[1]
WITHIN = 1.5  # our p95 at most this many times the bare app's
CPU_PER_LOOKUP = 0.050  # seconds, for one answer
OSLO = ZoneInfo("Europe/Oslo")


def server_env(world: World, slack: TimedSlack) -> dict[str, str]:
    """The environment both servers run with: the world's database, Slack at the fake."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": world.settings.database_url,
        "WATCHLIST_FILE": str(world.watchlist),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url,
        "NO_PROXY": "127.0.0.1",
    }


def answer_cpu(world: World, *, repeat: int = 10) -> list[tuple[str, str, float]]:
    """(kind, query, CPU seconds) of one `answer()` per kind of query, warm, in this process."""
    index = (world.methods - 1) // 2
    queries = [
        ("name (exact)", world.query),
        ("discovered trial", world.discovered),
        ("words of a title", f"benchmark method {index}"),
        ("no match, like a name", world.query[:5] + "zz" + world.query[7:]),
        ("no match, like an NCT ID", world.discovered[:-1]),
    ]
    engine = db.make_engine(world.settings.database_url)
    sessions = db.session_factory(engine)
    found = []
    for kind, query in queries:
        with sessions() as session:
            answer(session, query, language="nb", zone=OSLO)
            started = time.process_time()
            for _ in range(repeat):
                answer(session, query, language="nb", zone=OSLO)
            found.append((kind, query, (time.process_time() - started) / repeat))
    with sessions() as session:
        started = time.process_time()
        SearchIndex(store.active_methods(session))
        found.append(("(index rebuilt after a change)", "", time.process_time() - started))
    engine.dispose()
    return found


def run_load(world: World, slack: TimedSlack, args: argparse.Namespace) -> list[Tally]:
    """Start our app, take its card for the bare app, start that; alternate measured rounds of
    one query asked by everyone, then (from 300 methods) rounds of different methods at once."""
    env, workdir = server_env(world, slack), Path(args.tmp)
    ours_port, bare_port = free_port(), free_port()
    ours = start([sys.executable, "-m", "bot", "web"], env, ours_port)
    bare = None
    try:
        same = [world.query] * args.requests
        burst(ours_port, slack, same[:5], f"{world.methods}-warm", Tally("warm-up"))
        card = workdir / f"card-{world.methods}.json"
        card.write_text(json.dumps(slack.responses(f"{world.methods}-warm-0")[0]), "utf-8")
        bare = start(
            [sys.executable, "-m", "bench.bare_app"], env | {"BARE_CARD": str(card)}, bare_port
        )
        burst(bare_port, slack, same[:5], f"{world.methods}-bwarm", Tally("warm-up"))
        apps = [("bare Bolt", bare, bare_port), ("metodevakt", ours, ours_port)]
        tallies = rounds(world, slack, apps, lambda _round: same, args)
        if world.methods >= args.requests * args.rounds:
            apps[1] = ("metodevakt, all different", ours, ours_port)
            tallies += rounds(world, slack, apps, partial(different, args.requests), args)[1:]
        return tallies
    finally:
        for process in (ours, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def different(count: int, round_number: int) -> list[str]:
    """`count` substances of methods not asked for in an earlier round (no kept answers)."""
    first = round_number * count
    return [payloads.watched(index, trials=5).substance for index in range(first, first + count)]


def rounds(
    world: World,
    slack: TimedSlack,
    apps: list[tuple[str, Any, int]],
    queries: Callable[[int], list[str]],
    args: argparse.Namespace,
) -> list[Tally]:
    """`args.rounds` bursts per app, alternating which app goes first; CPU of each server."""
    tallies = {name: Tally(name) for name, _, _ in apps}
    for round_number in range(args.rounds):
        for name, process, port in apps[:: 1 if round_number % 2 else -1]:
            before = tree_cpu(process.pid)
            tag = f"{world.methods}-{port}-{round_number}-{time.monotonic_ns()}"
            burst(port, slack, queries(round_number), tag, tallies[name])
            tallies[name].cpu += tree_cpu(process.pid) - before
    return list(tallies.values())


def checks(world: World, tallies: list[Tally], cpu: list[tuple[str, str, float]]) -> list[str]:
    """PASS/FAIL for one world: everything answered, p95 within 1.5x, one lookup under 50 ms."""
    bare, ours = tallies[:2]
    lines = []
    for tally in tallies:
        ok = tally.unanswered == 0 and tally.non_200 == 0
        lines.append(_check(ok, f"{world.methods} methods, {tally.name}: every request answered"))
    ratio = ours.p(0.95) / bare.p(0.95) if bare.p(0.95) else float("inf")
    lines.append(
        _check(
            ratio <= WITHIN,
            f"{world.methods} methods: answer p95 {ours.p(0.95) * 1000:.0f} ms vs bare Bolt "
            f"{bare.p(0.95) * 1000:.0f} ms = {ratio:.2f}x (target <= {WITHIN}x)",
        )
    )
    for kind, _query, seconds in cpu[:2]:
        lines.append(
            _check(
                seconds < CPU_PER_LOOKUP,
                f"{world.methods} methods: one lookup ({kind}) {seconds * 1000:.1f} ms CPU "
                f"(target < {CPU_PER_LOOKUP * 1000:.0f} ms)",
            )
        )
    return lines


def _check(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {text}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="/metode under load, beside a bare Bolt app.")
    parser.add_argument("--methods", type=int, nargs="+", default=[1, 300, 2000])
    parser.add_argument("--requests", type=int, default=50, help="simultaneous lookups (50)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per app (5)")
    parser.add_argument("--worlds", type=Path, help="keep polled worlds here and reuse them")
    args = parser.parse_args(argv)
    lines: list[str] = []
    with TimedSlack() as slack, tempfile.TemporaryDirectory(prefix="metodevakt-load-") as tmp:
        args.tmp = tmp
        for methods in args.methods:
            world = world_in(args.worlds or Path(tmp) / "worlds", methods)
            cpu = answer_cpu(world)
            tallies = run_load(world, slack, args)
            burst_text = f"{args.requests} at once x {args.rounds} rounds"
            print(f"{methods} methods: `/metode {world.query}`, {burst_text}")
            print("\n".join(tally.line() for tally in tallies))
            for kind, query, seconds in cpu:
                print(f"  answer() CPU, {kind:<32} {seconds * 1000:7.1f} ms  {query}")
            lines += checks(world, tallies, cpu)
    print("\n".join(lines))
    return 1 if any(line.startswith("FAIL") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
