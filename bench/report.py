"""The benchmark's table, and its checks against the targets (issue 10, reliability §4.2, §5.5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.measure import ETIQUETTE, SOURCES, Cycle

# Issue 10, for an hourly cycle after the first at 2,000 methods: at most about 1 % of a naive
# per-item poller's requests (about 120), 300 s of pacing at the default etiquette, CPU within
# 1.5x of the floor, 200 MB peak RSS.
REQUEST_BUDGET = 120
PACING_BUDGET = 300.0
CPU_OVER_FLOOR = 1.5
PEAK_RSS_MB = 200.0  # decimal megabytes; ru_maxrss is measured in MiB (KiB / 1024)
MIB = 2**20
MB = 1_000_000

_HEADER = (
    f"{'cycle':<14}{'wall s':>7}{'cpu s':>7}{'floor':>7}{'ratio':>7}"
    + "".join(f"{name:>10}" for name in SOURCES)
    + f"{'total':>6}{'pacing':>8}{'304s':>6}{'MB recv':>9}{'alerts':>7}{'RSS MiB':>8}"
)


@dataclass(frozen=True)
class Check:
    """One target: met or not, and the measured value beside the target."""

    ok: bool
    text: str

    def __str__(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.text}"


def checks(cycles: list[Cycle], *, expected: dict[int, list[str]], naive: int) -> list[Check]:
    """Every target, measured; `expected` the methods that must be alerted in a cycle (by its
    0-based number; none in the others); `naive` the requests of a per-item poller."""
    wanted = [len(expected.get(i, [])) for i in range(len(cycles))]
    alerts = [c.alerts for c in cycles]
    other = sum(c.other_rows for c in cycles)
    failed = [f"{c.name}: {r.source} ({r.reason})" for c in cycles for r in c.results if not r.ok]
    later = cycles[1:]
    return [
        Check(
            alerts == wanted,
            f"alerts queued per cycle {_runs(alerts)} (expected {_runs(wanted)}); "
            f"other outbox rows (groups, admin notices) {other}",
        ),
        *(
            Check(
                cycles[i].alert_methods == sorted(methods),
                f"{cycles[i].name}: one alert for exactly each of its {len(methods)} methods",
            )
            for i, methods in sorted(expected.items())
        ),
        Check(not failed, "every source polled ok" + (f"; failed: {failed}" if failed else "")),
        _worst(
            later,
            lambda c: c.total_requests,
            REQUEST_BUDGET,
            f"requests per cycle after the first (all sources; target <= {REQUEST_BUDGET}, "
            f"about 1% of a naive per-item poller's {naive:,})",
            "{:.0f}",
        ),
        _worst(
            later,
            lambda c: c.pacing,
            PACING_BUDGET,
            f"pacing at the default etiquette per cycle after the first "
            f"(target <= {PACING_BUDGET:.0f} s)",
            "{:.1f} s",
        ),
        _worst(
            later,
            lambda c: c.over_floor,
            CPU_OVER_FLOOR,
            f"cycle CPU / floor CPU per cycle after the first (target <= {CPU_OVER_FLOOR}x)",
            "{:.2f}x",
        ),
        _worst(
            cycles,
            lambda c: c.peak_rss_mib * MIB / MB,
            PEAK_RSS_MB,
            f"peak RSS (target <= {PEAK_RSS_MB:.0f} MB)",
            "{:.0f} MB",
        ),
    ]


def _worst(
    cycles: list[Cycle], measure: Callable[[Cycle], float], limit: float, what: str, form: str
) -> Check:
    worst = max(cycles, key=measure)
    found = measure(worst)
    values = sorted(map(measure, cycles))
    median = values[len(values) // 2]
    over = sum(value > limit for value in values)
    text = f"{what}: worst {form.format(found)} ({worst.name}), median {form.format(median)}"
    return Check(found <= limit, text + (f", {over} of {len(values)} cycles over" if over else ""))


def _runs(values: list[int]) -> str:
    return "[" + ", ".join(map(str, values)) + "]"


def table(cycles: list[Cycle]) -> list[str]:
    """One line per cycle."""
    lines = [_HEADER]
    for c in cycles:
        floor_cpu = c.floor.cpu if c.floor else float("nan")
        lines.append(
            f"{c.name:<14}{c.cost.wall:>7.2f}{c.cost.cpu:>7.2f}{floor_cpu:>7.2f}"
            f"{c.over_floor:>7.2f}"
            + "".join(f"{c.requests[name]:>10}" for name in SOURCES)
            + f"{c.total_requests:>6}{c.pacing:>8.1f}{c.not_modified:>6}{c.bytes / MB:>9.2f}"
            f"{c.alerts:>7}{c.peak_rss_mib:>8.0f}"
        )
    return lines


def per_source(cycle: Cycle) -> list[str]:
    """What each source did in one cycle, as the bot reports it, the MB each sent and the
    pacing per host."""
    sent = ", ".join(f"{name} {count / MB:.2f}" for name, count in cycle.bytes_by_source.items())
    paced = ", ".join(f"{host} {wait:.1f} s" for host, wait in cycle.pacing_by_host.items())
    lines = [f"{cycle.name} MB received per source: {sent}"]
    lines.append(f"{cycle.name} pacing per host at the default etiquette: {paced}")
    lines.append(f"{cycle.name} per source: requests / 304s / records / events / queued")
    for r in cycle.results:
        state = "ok" if r.ok else f"FAILED: {r.reason}"
        lines.append(
            f"  {r.source:<24}{r.requests:>5}{r.not_modified:>5}{r.records:>7}"
            f"{r.events:>6}{r.queued:>6}  {state}"
        )
    return lines


def changes_line(changes: list[str]) -> str:
    """How many records the change script changed, by kind."""
    kinds = {
        "trial statuses": sum(" trial NCT" in c and " new trial " not in c for c in changes),
        "new trials": sum(" new trial " in c for c in changes),
        "FDA supplements": sum("supplement" in c for c in changes),
        "EMA statuses": sum("EMEA/" in c for c in changes),
        "Beslutningsforum decisions": sum(" decided " in c for c in changes),
    }
    counted = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    return f"change script: {len(changes)} records ({counted})"


def pages_lines(cycles: list[Cycle]) -> list[str]:
    """Nye metoder's method pages, read in their own job every few hours: what each read asked
    and waited; and the cycles without a pages read against the request and pacing targets."""
    lines = []
    for c in cycles:
        pages = c.requests["nye pages"]
        if pages:
            wait = ETIQUETTE["nyemetoder"] * (pages - 1)
            lines.append(
                f"nye pages read in {c.name}: {pages} requests, {c.pages_not_modified} answered "
                f"304, pacing {pages - 1} x {ETIQUETTE['nyemetoder']:.0f} s = {wait:.0f} s "
                f"({wait / 60:.1f} min) on nyemetoder.no"
            )
    rest = [c for c in cycles[1:] if not c.requests["nye pages"]]
    if rest:
        worst = max(rest, key=lambda c: c.total_requests)
        slow = max(rest, key=lambda c: c.pacing)
        lines.append(
            f"cycles without a pages read ({len(rest)}): worst {worst.total_requests} requests "
            f"({worst.name}), worst pacing {slow.pacing:.1f} s ({slow.name})"
        )
    return lines
