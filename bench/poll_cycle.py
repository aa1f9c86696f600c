"""Poll-cycle benchmark: the real bot pipeline against a synthetic world of N methods.

    uv run python -m bench.poll_cycle --methods 2000

Three cycles of `Runtime.poll()` (first/baseline, unchanged, after the change script), each
with wall time, CPU seconds, requests per source, bytes received, alerts queued and peak RSS,
plus the floor: what a plain httpx client pays to download and json-decode the same bytes.
Everything runs on 127.0.0.1; the world runs in a child process so that its work is not
counted as the bot's.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bench import payloads, report
from bench.measure import Cycle, floor, run_cycle
from bench.worldprocess import WorldProcess
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings


def watchlist_document(methods: int, trials: int) -> dict[str, Any]:
    """The synthetic watchlist: unique trials, application, product and names per method."""
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


def first_cycle(runtime: Runtime, world: WorldProcess, *, profile: str | None) -> Cycle:
    """The baseline cycle, under cProfile (stats written to `profile`) when asked."""
    world.traffic()  # start counting from zero
    if profile is None:
        return run_cycle("1 first", runtime, world.traffic)
    profiler = cProfile.Profile()
    first = profiler.runcall(run_cycle, "1 first", runtime, world.traffic)
    profiler.dump_stats(profile)
    return first


def run_cycles(
    runtime: Runtime, world: WorldProcess, args: argparse.Namespace
) -> tuple[list[Cycle], list[str]]:
    """Cycle 1, the floor, cycle 2 unchanged, the change script, cycle 3; the report lines."""
    first = first_cycle(runtime, world, profile=args.profile)
    floor_cost, received = floor(world.url, first.targets)
    world.traffic()  # the floor's requests are not the bot's
    unchanged = run_cycle("2 unchanged", runtime, world.traffic)
    changes = world.apply_changes(args.changes, args.seed)
    changed = run_cycle("3 after changes", runtime, world.traffic)
    cycles = [first, unchanged, changed]
    lines = [report.floor_line(floor_cost, received, first), report.changes_line(changes)]
    lines += [str(check) for check in report.checks(cycles, floor_cost, changes=changes)]
    return cycles, lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description="Poll-cycle benchmark on loopback.")
    parser.add_argument("--methods", type=int, default=2000, help="watched methods (2000)")
    parser.add_argument("--trials", type=int, default=5, help="NCT IDs per method (5)")
    parser.add_argument("--ema-medicines", type=int, default=3000, help="rows per EMA file")
    parser.add_argument("--changes", type=int, default=37, help="records changed before cycle 3")
    parser.add_argument("--seed", type=int, default=1, help="seed of the change script")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of cycle 1 here")
    args = parser.parse_args(argv)
    if not 1 <= args.methods <= payloads.MAX_METHODS or args.trials < 1:
        parser.error(f"--methods must be 1..{payloads.MAX_METHODS} and --trials at least 1")
    if not 0 <= args.changes <= args.methods:
        parser.error("--changes must be between 0 and --methods")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and the checks; exit 1 when a check fails."""
    args = parse_args(argv)
    print(
        f"poll cycle: {args.methods} methods x {args.trials} trials, "
        f"{max(args.ema_medicines, args.methods)} EMA rows per file, {args.changes} changes"
    )
    with (
        tempfile.TemporaryDirectory(prefix="metodevakt-bench-") as tmp,
        WorldProcess(
            methods=args.methods, trials=args.trials, ema_medicines=args.ema_medicines
        ) as world,
    ):
        workdir = Path(tmp)
        watchlist = write_watchlist(workdir / "watchlist.yaml", args.methods, args.trials)
        runtime = open_runtime(bench_settings(workdir, world.url, watchlist))
        try:
            cycles, lines = run_cycles(runtime, world, args)
        finally:
            runtime.close()
    print("\n".join([*report.table(cycles), *report.per_source(cycles[0]), *lines]))
    return 0 if not any(line.startswith("FAIL") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
