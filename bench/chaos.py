"""Crash chaos (catalogue D11): kill the bot at random points of a cycle, restart it, count copies.

    uv run python -m bench.chaos --runs 100 --seed 1

Each run starts from the same baseline database, scripts a few changes in the dupilumab replay
world (trial status changes, FDA press releases), runs `metodevakt poll --once` as a subprocess
that is killed with SIGKILL at a seeded point (`before_post:N`, `after_post:N`, or at a random
delay after its first source request), restarts it without a crash point, and checks at the fake
Slack that every scripted alert arrived exactly once, under exactly one status card. Everything
runs on 127.0.0.1 and on SQLite.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.storage import db
from bot.storage.tables import OutboxRow
from tests.botprocess import CHANNEL, bot_env, duplicated_keys, poll_once, start
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import DupilumabWorld

TRIALS = {"NCT02612454": "ACTIVE_NOT_RECRUITING", "NCT03054428": "COMPLETED"}
STATUSES = ("COMPLETED", "TERMINATED", "SUSPENDED", "RECRUITING", "WITHDRAWN")
KINDS = ("before_post", "after_post", "kill")
MAX_KILL_DELAY = 0.35  # seconds after the first source request; a cycle here takes about 0.3 s
WAIT = 60.0


@dataclass(frozen=True)
class Crash:
    """Where a run is killed: a named crash point at the N-th post, or SIGKILL after a delay."""

    kind: str
    nth: int = 0
    delay: float = 0.0

    @property
    def crashpoint(self) -> str | None:
        """The METODEVAKT_CRASHPOINT value, if this is a named crash point."""
        return None if self.kind == "kill" else f"{self.kind}:{self.nth}"

    def __str__(self) -> str:
        return self.crashpoint or f"kill@{self.delay:.3f}s"


@dataclass(frozen=True)
class Script:
    """The changes of one run: new statuses of watched trials, and new press releases."""

    trials: dict[str, str]
    press: tuple[str, ...]

    @property
    def markers(self) -> list[str]:
        """One text per expected alert that appears in that alert and in no other."""
        return [*self.trials, *self.press]

    def __str__(self) -> str:
        changes = [f"{nct}→{status}" for nct, status in self.trials.items()]
        return ", ".join(changes + [f"press {title!r}" for title in self.press])


@dataclass
class Outcome:
    """What one run left at the fake Slack."""

    index: int
    crash: Crash
    script: Script
    killed: bool
    duplicates: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.losses or self.extras)

    def describe(self) -> str:
        """One line naming the crash point and what went wrong."""
        state = "killed" if self.killed else "not killed (ran to its end)"
        problems = [
            f"{name}: {values}"
            for name, values in (
                ("duplicates", self.duplicates),
                ("losses", self.losses),
                ("extras", self.extras),
            )
            if values
        ]
        return f"run {self.index}: {self.crash} ({state}); {self.script}; " + (
            "; ".join(problems) or "ok"
        )


@dataclass
class Summary:
    """All runs: how many were killed, and the duplicates and losses counted at the fake Slack."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return sum(len(o.duplicates) for o in self.outcomes)

    @property
    def losses(self) -> int:
        return sum(len(o.losses) for o in self.outcomes)

    @property
    def extras(self) -> int:
        return sum(len(o.extras) for o in self.outcomes)

    @property
    def killed(self) -> int:
        return sum(o.killed for o in self.outcomes)

    def line(self) -> str:
        """The summary line."""
        return f"runs: {len(self.outcomes)}, duplicates: {self.duplicates}, losses: {self.losses}"


def plan(index: int, rng: random.Random) -> tuple[Script, Crash]:
    """A run's changes (1 to 4 alerts) and its crash, drawn from the seeded generator."""
    chosen = rng.sample(sorted(TRIALS), rng.randint(0, len(TRIALS)))
    trials = {nct: rng.choice([s for s in STATUSES if s != TRIALS[nct]]) for nct in chosen}
    count = rng.randint(0 if trials else 1, 2)
    press = tuple(f"Dupixent chaos news {index}-{j}" for j in range(count))
    script = Script(trials, press)
    posts = 1 + len(script.markers)  # the status card, then one reply per alert
    kind = rng.choice(KINDS)
    if kind == "kill":
        return script, Crash(kind, delay=rng.uniform(0.0, MAX_KILL_DELAY))
    return script, Crash(kind, nth=rng.randint(1, posts))


def apply(script: Script, world: DupilumabWorld, *, index: int) -> None:
    """Make the replay world show the run's changes."""
    for nct, status in script.trials.items():
        world.change_trial_status(nct, status, updated="2026-11-24")
    for j, title in enumerate(script.press):
        world.add_press_release(title, guid=f"chaos-{index}-{j}")


def run_crashed(env: dict[str, str], crash: Crash, server: ReplayServer) -> bool:
    """Run the cycle that is to be killed; True when it was."""
    if crash.crashpoint is not None:
        return poll_once(env, crashpoint=crash.crashpoint).returncode == -signal.SIGKILL
    before = server.count()
    process = start(env, "poll", "--once")
    try:
        server.wait_until(lambda: server.count() > before, timeout=WAIT)
        process.wait(timeout=crash.delay)  # a bounded wait: the kill comes unless it ended
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=WAIT)
        return True
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=WAIT)


def check(slack: FakeSlack, script: Script, database_url: str) -> tuple[list[str], ...]:
    """Duplicates, losses and extras at the fake Slack (and rows the outbox did not settle)."""
    cards = slack.messages(CHANNEL)
    replies = [r for card in cards for r in slack.replies(CHANNEL, card.ts)]
    duplicates = [f"key {key[:12]}" for key in duplicated_keys(slack)]
    losses: list[str] = []
    for marker in script.markers:
        copies = sum(marker in (reply.text or "") for reply in replies)
        if copies == 0:
            losses.append(marker)
        elif copies > 1:
            duplicates.append(f"{marker} ×{copies}")
    extras = [f"{len(cards)} status cards"] if len(cards) != 1 else []
    known = [r for r in replies if any(m in (r.text or "") for m in script.markers)]
    extras += [f"unexpected reply {(r.text or '')[:60]!r}" for r in replies if r not in known]
    extras += [f"outbox row {row} not sent" for row in unsettled(database_url)]
    return duplicates, losses, extras


def unsettled(database_url: str) -> list[str]:
    """Outbox rows that are not `sent` after the restart."""
    engine = db.make_engine(database_url)
    try:
        with db.session_factory(engine)() as session:
            rows = session.scalars(select(OutboxRow).where(OutboxRow.status != "sent"))
            return [f"{row.id} ({row.kind}, {row.status})" for row in rows]
    finally:
        engine.dispose()


def run_once(index: int, rng: random.Random, *, baseline: Path, server: ReplayServer) -> Outcome:
    """One run: a fresh copy of the baseline, the scripted changes, the kill, the restart."""
    script, crash = plan(index, rng)
    home = baseline.parent / f"run-{index}"
    home.mkdir()
    database = home / "bot.db"
    shutil.copyfile(baseline, database)
    url = f"sqlite:///{database}"
    with FakeSlack() as slack:
        world = DupilumabWorld(server)  # back to the baseline's answers
        env = bot_env(world, slack, url, home=home)
        apply(script, world, index=index)
        killed = run_crashed(env, crash, server)
        restarted = poll_once(env)
        if restarted.returncode != 0:
            raise RuntimeError(f"run {index}: the restart failed:\n{restarted.stderr[-2000:]}")
        duplicates, losses, extras = check(slack, script, url)
    return Outcome(index, crash, script, killed, duplicates, losses, extras)


def take_baseline(workdir: Path, server: ReplayServer) -> Path:
    """The database after a first, silent cycle; every run starts from a copy of it."""
    home = workdir / "baseline"
    home.mkdir()
    database = home / "bot.db"
    with FakeSlack() as slack:
        env = bot_env(DupilumabWorld(server), slack, f"sqlite:///{database}", home=home)
        completed = poll_once(env)
        if completed.returncode != 0 or slack.calls_to("chat.postMessage"):
            raise RuntimeError(f"the baseline cycle failed:\n{completed.stderr[-2000:]}")
    return database


def run_chaos(
    runs: int, seed: int, *, workdir: Path, report: Callable[[str], None] = print
) -> Summary:
    """`runs` seeded runs; every run that is not clean is reported with its crash point."""
    rng = random.Random(seed)
    summary = Summary()
    with ReplayServer() as server:
        baseline = take_baseline(workdir, server)
        for index in range(1, runs + 1):
            outcome = run_once(index, rng, baseline=baseline, server=server)
            summary.outcomes.append(outcome)
            if not outcome.ok:
                report(outcome.describe())
    return summary


def main(argv: list[str] | None = None) -> int:
    """The command line: prints failing runs, then the counts; exit 1 on any duplicate or loss."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep each run's database under this directory")
    options = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chaos-") as scratch:
        workdir = options.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        summary = run_chaos(options.runs, options.seed, workdir=workdir)
    by_kind = {kind: [o for o in summary.outcomes if o.crash.kind == kind] for kind in KINDS}
    kinds = ", ".join(
        f"{kind} {sum(o.killed for o in found)}/{len(found)}" for kind, found in by_kind.items()
    )
    print(f"killed: {summary.killed} of {len(summary.outcomes)} ({kinds})")
    print(f"extras: {summary.extras}; {time.monotonic() - started:.0f} s")
    print(summary.line())
    return 0 if summary.duplicates == summary.losses == summary.extras == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
