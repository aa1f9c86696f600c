"""Poll-cycle benchmark: the real bot pipeline against a synthetic world of N methods.

    uv run python -m bench.poll_cycle --methods 2000

A first cycle (the silent baseline), then a day of hourly cycles on the registry's clock, with
the change script applied before the second hourly one. Every source is polled every cycle (the
EMA files too, the costlier case), except Nye metoder's method pages, read in their own job every
NYEMETODER_POLL_HOURS as the worker does. For each cycle: wall time, CPU seconds and the floor
(what a plain httpx client pays to download and json-decode the same bytes), requests per source,
pacing at the default etiquette, bytes received, alerts queued and peak RSS. Everything runs on
127.0.0.1; the world runs in a child process so that its work is not counted as the bot's.
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

from bench import applications, payloads, report
from bench.benchwatchlist import PAGES_SHARE, bench_settings, write_watchlist
from bench.measure import Cycle, floor, run_cycle
from bench.worldprocess import WorldProcess
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.sources.base import Source
from bot.sources.nyemetoder import PAGES

CHANGED_AT = 2  # the change script runs before the second hourly cycle (cycle index 2)
PAGES_EVERY = int(Settings.model_fields["nyemetoder_poll_hours"].default)


def measured_cycle(
    name: str,
    runtime: Runtime,
    world: WorldProcess,
    *,
    now: datetime,
    sources: list[Source],
    profile: str | None,
) -> Cycle:
    """One cycle of `sources` at `now` (under cProfile, stats written to `profile`, when
    asked), then its floor: the same requests replayed by a plain client before the world
    changes (the median of three replays)."""
    if profile is None:
        cycle = run_cycle(name, runtime, world.traffic, now=now, sources=sources)
    else:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the world
        cycle = profiler.runcall(run_cycle, name, runtime, world.traffic, now=now, sources=sources)
        profiler.dump_stats(profile)
    # The floor is measured three times and the median kept: one run on two shared cores can
    # be off by half.
    costs = sorted((floor(world.url, cycle.targets)[0] for _ in range(3)), key=lambda c: c.cpu)
    cycle.floor = costs[1]
    world.traffic()  # the floor's requests are not the bot's
    return cycle


def due(sources: list[Source], hour: int, *, pages_every: int) -> list[Source]:
    """The sources the worker polls in the cycle `hour` hours after the first: every one each
    cycle, Nye metoder's method pages every `pages_every` hours (their own job)."""
    return [s for s in sources if s.name != PAGES or hour % pages_every == 0]


def run_cycles(
    runtime: Runtime, world: WorldProcess, args: argparse.Namespace, *, start: datetime
) -> tuple[list[Cycle], list[str]]:
    """The first cycle, then `--hours` hourly ones (the change script before the second)."""
    world.traffic()  # start counting from zero
    sources = runtime.sources()
    first = args.profile if args.profile_cycle == 1 else None
    cycles = [measured_cycle("1 first", runtime, world, now=start, sources=sources, profile=first)]
    changes: list[str] = []
    for hour in range(1, args.hours + 1):
        if len(cycles) == CHANGED_AT:
            changes = world.apply_changes(args.changes, args.seed)
        now = world.advance(1)
        profile = args.profile if args.profile_cycle == hour + 1 else None
        name = f"{hour + 1} +{hour}h" + (" changes" if len(cycles) == CHANGED_AT else "")
        name += " pages" if hour % args.pages_every == 0 else ""
        polled = due(sources, hour, pages_every=args.pages_every)
        cycles.append(
            measured_cycle(name, runtime, world, now=now, sources=polled, profile=profile)
        )
    linked = sum(payloads.has_page(i, args.nye_pages) for i in range(args.methods))
    naive = args.methods * (args.trials + 3) + linked
    expected = expected_alerts(changes, args)
    lines = [report.changes_line(changes), startup_line(), *report.pages_lines(cycles)]
    lines += [str(c) for c in report.checks(cycles, expected=expected, naive=naive)]
    return cycles, lines


def expected_alerts(changes: list[str], args: argparse.Namespace) -> dict[int, list[str]]:
    """The methods alerted, by cycle: each changed method in the changes cycle; then, at the
    first pages read after it, each method decided by Beslutningsforum whose page is linked, for
    the page's new badge (the decision itself was told by the workbook: not again)."""
    expected = {CHANGED_AT: sorted(change.split()[0] for change in changes)}
    decided = [change.split()[0] for change in changes if " decided " in change]
    badges = sorted(m for m in decided if payloads.has_page(int(m.split("-")[1]), args.nye_pages))
    read = next((h for h in range(CHANGED_AT, args.hours + 1) if h % args.pages_every == 0), None)
    if badges and read is not None:
        expected[read] = badges
    return expected


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
    parser.add_argument(
        "--fda-recent",
        type=int,
        default=applications.FDA_RECENT,
        help="applications openFDA's candidates query finds (submissions of the last 30 days)",
    )
    parser.add_argument("--changes", type=int, default=37, help="records changed (37)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the change script")
    parser.add_argument(
        "--nye-pages",
        type=float,
        default=PAGES_SHARE,
        help=f"share of methods linking their Nye metoder page ({PAGES_SHARE}; 1 = every one)",
    )
    parser.add_argument(
        "--pages-every",
        type=int,
        default=PAGES_EVERY,
        help=f"hours between reads of the method pages (NYEMETODER_POLL_HOURS, {PAGES_EVERY})",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of one cycle here")
    parser.add_argument("--profile-cycle", type=int, default=3, help="which cycle to profile")
    args = parser.parse_args(argv)
    if not 1 <= args.methods <= payloads.MAX_METHODS or args.trials < 1:
        parser.error(f"--methods must be 1..{payloads.MAX_METHODS} and --trials at least 1")
    if not 0 <= args.changes <= args.methods or args.hours < CHANGED_AT:
        parser.error(f"--changes must be 0..--methods, and --hours at least {CHANGED_AT}")
    if not 0 <= args.nye_pages <= 1 or args.pages_every < 1:
        parser.error("--nye-pages must be 0..1 and --pages-every at least 1")
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
        f"Nye metoder IDs on every method and its page linked on {args.nye_pages:.0%} (read "
        f"every {args.pages_every} h), a team scope, "
        f"{max(args.ema_medicines, args.methods)} EMA rows per file, {args.per_day} other "
        f"studies updated a day, {args.fda_recent} recent FDA applications, "
        f"{args.changes} changes, 1 + {args.hours} cycles "
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
            fda_recent=args.fda_recent,
        ) as world,
    ):
        workdir = Path(tmp)
        watchlist = write_watchlist(
            workdir / "watchlist.yaml", args.methods, args.trials, pages=args.nye_pages
        )
        runtime = open_runtime(bench_settings(workdir, world.url, watchlist))
        try:
            cycles, lines = run_cycles(runtime, world, args, start=start)
        finally:
            runtime.close()
    print("\n".join([*report.table(cycles), *report.per_source(cycles[CHANGED_AT]), *lines]))
    return 0 if not any(line.startswith("FAIL") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
