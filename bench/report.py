"""The benchmark's table, and its checks against the targets (issue 7, reliability §4.2, §5.5)."""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import SOURCES, Cost, Cycle

REQUEST_BUDGET = 100  # CT.gov + openFDA per cycle, "at 2,000 methods, at most about 100"
UNCHANGED_BYTES_SHARE = 0.05
PEAK_RSS_MB = 200.0  # decimal megabytes; ru_maxrss is measured in MiB (KiB / 1024)
MIB = 2**20
CPU_OVER_FLOOR = 1.5
MB = 1_000_000

_HEADER = (
    f"{'cycle':<16}{'wall s':>8}{'cpu s':>8}"
    + "".join(f"{name:>10}" for name in SOURCES)
    + f"{'304s':>6}{'MB recv':>9}{'alerts':>7}{'RSS MiB':>8}"
)


@dataclass(frozen=True)
class Check:
    """One target: met or not, and the measured value beside the target."""

    ok: bool
    text: str

    def __str__(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.text}"


def checks(cycles: list[Cycle], floor_cost: Cost, *, changes: list[str]) -> list[Check]:
    """Every target of the benchmark, measured; `changes` as the change script described them."""
    first, unchanged = cycles[0], cycles[1]
    alerts = [c.alerts for c in cycles]
    other = [c.other_rows for c in cycles]
    share = unchanged.bytes / first.bytes if first.bytes else 0.0
    ratio = first.cost.cpu / floor_cost.cpu if floor_cost.cpu else float("inf")
    peak = max(c.peak_rss_mib for c in cycles)
    failed = [f"{c.name}: {r.source} ({r.reason})" for c in cycles for r in c.results if not r.ok]
    return [
        Check(
            alerts == [0, 0, len(changes)],
            f"alerts queued per cycle {alerts} (expected [0, 0, {len(changes)}]); "
            f"other outbox rows (groups, admin notices) {other}",
        ),
        Check(
            cycles[2].alert_methods == sorted(change.split()[0] for change in changes),
            "cycle 3: one alert for exactly each changed method",
        ),
        Check(not failed, "every source polled ok" + (f"; failed: {failed}" if failed else "")),
        Check(
            first.search_requests <= REQUEST_BUDGET,
            f"CT.gov + openFDA requests in a cycle: {first.search_requests} "
            f"(target <= ~{REQUEST_BUDGET} at 2,000 methods)",
        ),
        Check(
            share <= UNCHANGED_BYTES_SHARE,
            f"unchanged cycle received {share:.1%} of the first cycle's bytes (target <= 5%)",
        ),
        Check(
            peak * MIB <= PEAK_RSS_MB * MB,
            f"peak RSS {peak:.0f} MiB = {peak * MIB / MB:.0f} MB (target <= {PEAK_RSS_MB:.0f} MB)",
        ),
        Check(
            ratio <= CPU_OVER_FLOOR,
            f"cycle-1 CPU / floor CPU = {ratio:.1f}x (target <= {CPU_OVER_FLOOR}x)",
        ),
    ]


def table(cycles: list[Cycle]) -> list[str]:
    """One line per cycle."""
    lines = [_HEADER]
    for c in cycles:
        lines.append(
            f"{c.name:<16}{c.cost.wall:>8.2f}{c.cost.cpu:>8.2f}"
            + "".join(f"{c.requests[name]:>10}" for name in SOURCES)
            + f"{c.not_modified:>6}{c.bytes / MB:>9.2f}{c.alerts:>7}{c.peak_rss_mib:>8.0f}"
        )
    return lines


def per_source(cycle: Cycle) -> list[str]:
    """What each source did in one cycle, as the bot reports it, and the MB each sent."""
    sent = ", ".join(f"{name} {count / MB:.2f}" for name, count in cycle.bytes_by_source.items())
    lines = [f"{cycle.name} MB received per source: {sent}"]
    lines.append(f"{cycle.name} per source: requests / 304s / records / events / queued")
    for r in cycle.results:
        state = "ok" if r.ok else f"FAILED: {r.reason}"
        lines.append(
            f"  {r.source:<24}{r.requests:>5}{r.not_modified:>5}{r.records:>7}"
            f"{r.events:>6}{r.queued:>6}  {state}"
        )
    return lines


def changes_line(changes: list[str]) -> str:
    """How many records the change script changed before cycle 3, by kind."""
    kinds = {
        "trial statuses": sum(" trial " in c for c in changes),
        "FDA supplements": sum("supplement" in c for c in changes),
        "EMA statuses": sum("EMEA/" in c for c in changes),
    }
    counted = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    return f"change script: {len(changes)} records ({counted})"


def floor_line(cost: Cost, received: int, first: Cycle) -> str:
    """The floor: plain httpx + json.loads of the first cycle's requests."""
    return (
        f"floor (plain httpx GET + json.loads of the {len(first.targets)} cycle-1 requests): "
        f"cpu {cost.cpu:.2f} s, wall {cost.wall:.2f} s, {received / MB:.2f} MB"
    )
