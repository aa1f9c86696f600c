"""Poll-cycle benchmark: the real bot pipeline against a synthetic world of N methods.

    uv run python -m bench.poll_cycle --methods 2000

A first cycle (the silent baseline), then a day of hourly cycles on the registry's clock, with
the change script applied before the second hourly one. For each cycle: wall time, CPU seconds
and the floor (what a plain httpx client pays to download and json-decode the same bytes),
requests per source, pacing at the default etiquette, bytes received, alerts queued and peak
RSS. Everything runs on 127.0.0.1; the world runs in a child process so that its work is not
counted as the bot's.
"""

from __future__ import annotations

import argparse
import cProfile
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bench import payloads, report
from bench.measure import Cycle, floor, run_cycle
from bench.worldprocess import WorldProcess
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings

CHANGED_AT = 2  # the change script runs before the second hourly cycle (cycle index 2)


def watchlist_document(methods: int, trials: int) -> dict[str, Any]:
    """The synthetic watchlist: unique trials, application, product and names per method, and
    discovery of new trials of its substance for its condition on every method."""
    entries = []
    for index in range(methods):
        w = payloads.watched(index, trials=trials)
        entries.append(
            {
                "id": w.method_id,
                "title": f"{w.substance} ({w.trade_name}) benchmark method {index}",
                "substance": w.substance,
                "trade_names": [w.trade_name],
                "trials": list(w.trials),
                "fda_applications": [w.application],
                "ema_products": [w.product],
                "discover": {"condition": w.condition},
            }
        )
    return {"methods": entries}


def write_watchlist(path: Path, methods: int, trials: int) -> Path:
    """Write the synthetic watchlist as YAML (flow-style lists keep it under the 1 MB cap)."""
    text = yaml.safe_dump(
        watchlist_document(methods, trials), sort_keys=False, default_flow_style=None, width=120
    )
    path.write_text(text, encoding="utf-8")
    return path


def bench_settings(workdir: Path, url: str, watchlist: Path) -> Settings:
    """Every source at the synthetic world, no politeness delays, no Slack token (console)."""
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{workdir / 'bench.db'}",
        watchlist_file=watchlist,
        ctgov_api_url=f"{url}/api/v2",
        openfda_api_url=url,
        openfda_api_key=None,
        ema_base_url=f"{url}/ema",
        fda_base_url=f"{url}/fda",
        slack_bot_token=None,
        slack_alert_channel=None,
        ctgov_min_interval=0,
        openfda_min_interval=0,
        ema_min_interval=0,
        fda_min_interval=0,
        slack_min_interval=0,
    )


def measured_cycle(
    name: str, runtime: Runtime, world: WorldProcess, *, now: datetime, profile: str | None
) -> Cycle:
    """One cycle at `now` (under cProfile, stats written to `profile`, when asked), then its
    floor: the same requests replayed by a plain client before the world changes (the median
    of three replays)."""
    if profile is None:
        cycle = run_cycle(name, runtime, world.traffic, now=now)
    else:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the world
        cycle = profiler.runcall(run_cycle, name, runtime, world.traffic, now=now)
        profiler.dump_stats(profile)
    # The floor is measured three times and the median kept: one run on two shared cores can
    # be off by half.
    costs = sorted((floor(world.url, cycle.targets)[0] for _ in range(3)), key=lambda c: c.cpu)
    cycle.floor = costs[1]
    world.traffic()  # the floor's requests are not the bot's
    return cycle


def run_cycles(
    runtime: Runtime, world: WorldProcess, args: argparse.Namespace, *, start: datetime
) -> tuple[list[Cycle], list[str]]:
    """The first cycle, then `--hours` hourly ones (the change script before the second)."""
    world.traffic()  # start counting from zero
    first = args.profile if args.profile_cycle == 1 else None
    cycles = [measured_cycle("1 first", runtime, world, now=start, profile=first)]
    changes: list[str] = []
    for hour in range(1, args.hours + 1):
        if len(cycles) == CHANGED_AT:
            changes = world.apply_changes(args.changes, args.seed)
        now = world.advance(1)
        profile = args.profile if args.profile_cycle == hour + 1 else None
        name = f"{hour + 1} +{hour}h" + (" changes" if len(cycles) == CHANGED_AT else "")
        cycles.append(measured_cycle(name, runtime, world, now=now, profile=profile))
    naive = args.methods * (args.trials + 3)
    lines = [report.changes_line(changes), startup_line()]
    lines += [
        str(c) for c in report.checks(cycles, changes=changes, changed_at=CHANGED_AT, naive=naive)
    ]
    return cycles, lines


def startup_line() -> str:
    """What `metodevakt --help` costs in CPU (interpreter start-up and imports), for the record."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "bot", "--help"], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"start-up: `python -m bot --help` costs {cpu:.2f} s of CPU (not part of a cycle)"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description="Poll-cycle benchmark on loopback.")
    parser.add_argument("--methods", type=int, default=2000, help="watched methods (2000)")
    parser.add_argument("--trials", type=int, default=5, help="NCT IDs per method (5)")
    parser.add_argument("--ema-medicines", type=int, default=3000, help="rows per EMA file")
    parser.add_argument("--per-day", type=int, default=3000, help="other studies updated a day")
    parser.add_argument("--hours", type=int, default=24, help="hourly cycles after the first")
    parser.add_argument("--changes", type=int, default=37, help="records changed (37)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the change script")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of one cycle here")
    parser.add_argument("--profile-cycle", type=int, default=3, help="which cycle to profile")
    args = parser.parse_args(argv)
    if not 1 <= args.methods <= payloads.MAX_METHODS or args.trials < 1:
        parser.error(f"--methods must be 1..{payloads.MAX_METHODS} and --trials at least 1")
    if not 0 <= args.changes <= args.methods or args.hours < CHANGED_AT:
        parser.error(f"--changes must be 0..--methods, and --hours at least {CHANGED_AT}")
    if args.profile is None:
        args.profile_cycle = 0
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and the checks; exit 1 when a check fails."""
    args = parse_args(argv)
    # Noon UTC today: the registry's clock and the bot's agree, and the day of hourly cycles
    # crosses midnight, where the change feed's watermark moves on.
    start = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    print(
        f"poll cycle: {args.methods} methods x {args.trials} trials, discovery on every method, "
        f"{max(args.ema_medicines, args.methods)} EMA rows per file, {args.per_day} other "
        f"studies updated a day, {args.changes} changes, 1 + {args.hours} cycles "
        f"from {start:%H:%M} UTC"
    )
    with (
        tempfile.TemporaryDirectory(prefix="metodevakt-bench-") as tmp,
        WorldProcess(
            methods=args.methods,
            trials=args.trials,
            ema_medicines=args.ema_medicines,
            per_day=args.per_day,
            now=start,
        ) as world,
    ):
        workdir = Path(tmp)
        watchlist = write_watchlist(workdir / "watchlist.yaml", args.methods, args.trials)
        runtime = open_runtime(bench_settings(workdir, world.url, watchlist))
        try:
            cycles, lines = run_cycles(runtime, world, args, start=start)
        finally:
            runtime.close()
    print("\n".join([*report.table(cycles), *report.per_source(cycles[CHANGED_AT]), *lines]))
    return 0 if not any(line.startswith("FAIL") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
