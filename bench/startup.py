"""Start-up benchmark: CPU of `metodevakt --help`, `metodevakt lookup` and the seeding.

    uv run python -m bench.startup                      # --methods 300 2000 --runs 5
    uv run python -m bench.startup --worlds /tmp/worlds # reuse polled worlds between runs

Each command runs as its own process (`python -m bot …`) and is charged the user + system CPU
the kernel reports for it (os.wait4). Python's bytecode cache lives in a temporary
PYTHONPYCACHEPREFIX, filled by one warm-up run per command, as an installed package has it;
one run without any cache is reported as well (PYTHONDONTWRITEBYTECODE=1, how this sandbox
runs Python by default). Worlds are polled for real (bench/lookupworld.py). Prints one
PASS/FAIL line per target and exits 1 when one fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.lookupworld import World, world_in

ROOT = Path(__file__).parents[1]
TARGET_CPU = 1.0  # seconds per process, at 2,000 methods (issue 10)


@dataclass(frozen=True)
class Measured:
    """One command's CPU seconds over several runs."""

    name: str
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def line(self) -> str:
        spread = f"{min(self.runs):.2f}-{max(self.runs):.2f}"
        return f"{self.name:<44}{self.median:>8.2f} s CPU  (runs: {len(self.runs)}, {spread})"


def cpu_of(arguments: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one `python -m bot …` process (its output discarded)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"metodevakt {' '.join(arguments)} exited {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def environment(world: World | None, cache: Path, *, cold: bool = False) -> dict[str, str]:
    """The child's environment: the world's database and watchlist, the bytecode cache (or,
    `cold`, an empty one that is never written: every module compiled from source)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPYCACHEPREFIX": str(cache.with_name("empty") if cold else cache),
    }
    if cold:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    if world is not None:
        env |= {
            "DATABASE_URL": world.settings.database_url,
            "WATCHLIST_FILE": str(world.watchlist),
        }
    return env


def measure(
    name: str, arguments: list[str], env: dict[str, str], *, runs: int, change: Path | None = None
) -> Measured:
    """One warm-up, then `runs` measured runs; `change`: a file edited before each run."""
    found = []
    for run in range(runs + 1):
        if change is not None:
            with change.open("a", encoding="utf-8") as file:
                file.write(f"# edited before run {run}\n")
        cpu = cpu_of(arguments, env)
        if run:
            found.append(cpu)
    return Measured(name, found)


def sizes(args: argparse.Namespace, cache: Path, root: Path) -> list[tuple[int, list[Measured]]]:
    """Per world size: lookup with the file unchanged, and right after the file changed."""
    results = []
    for methods in args.methods:
        world = world_in(root, methods)
        env = environment(world, cache)
        lookup = ["lookup", world.query]
        cpu_of(lookup, env)  # the world's first start by this code: seeds once
        name = f"lookup, {methods} methods"
        unchanged = measure(f"{name}, file unchanged", lookup, env, runs=args.runs)
        changed = measure(
            f"{name}, file changed (seeding)", lookup, env, runs=args.runs, change=world.watchlist
        )
        cold = Measured(
            f"{name}, no bytecode", [cpu_of(lookup, environment(world, cache, cold=True))]
        )
        results.append((methods, [unchanged, changed, cold]))
    return results


def checks(help_cpu: Measured, per_size: list[tuple[int, list[Measured]]]) -> list[str]:
    """PASS/FAIL per target: every measured process under TARGET_CPU (with its bytecode cache)."""
    lines = [_check(help_cpu.median < TARGET_CPU, f"--help {help_cpu.median:.2f} s CPU")]
    for _methods, measured in per_size:
        for item in measured[:2]:
            lines.append(
                _check(
                    item.median < TARGET_CPU,
                    f"{item.name}: {item.median:.2f} s CPU (target < {TARGET_CPU:.1f} s)",
                )
            )
    return lines


def _check(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {text}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start-up CPU of metodevakt commands.")
    parser.add_argument("--methods", type=int, nargs="+", default=[300, 2000])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (5)")
    parser.add_argument("--worlds", type=Path, help="keep polled worlds here and reuse them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="metodevakt-startup-") as tmp:
        cache, root = Path(tmp) / "pycache", args.worlds or Path(tmp) / "worlds"
        help_cpu = measure("--help", ["--help"], environment(None, cache), runs=args.runs)
        help_cold = Measured(
            "--help, no bytecode", [cpu_of(["--help"], environment(None, cache, cold=True))]
        )
        per_size = sizes(args, cache, root)
    print("\n".join([help_cpu.line(), help_cold.line()]))
    for _methods, measured in per_size:
        print("\n".join(item.line() for item in measured))
    lines = checks(help_cpu, per_size)
    print("\n".join(lines))
    return 1 if any(line.startswith("FAIL") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
