"""Every scheduled job, declared in one place with a stable id, its trigger and its options.

Polling runs on interval triggers (kept in UTC, so daylight-saving changes cannot skip or double
a poll); the summary runs on `DIGEST_CRON` and the week's candidates on `CANDIDATES_CRON`, in
`TIMEZONE`. Jobs live in memory and are rebuilt at
every start: our state (snapshots, outbox) is in our own tables, not in a job store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.settings import Settings

log = logging.getLogger(__name__)

DELIVERY_SECONDS = 20
LEASE_SECONDS = 15


@dataclass(frozen=True)
class JobSpec:
    """One job: stable id, what it runs, when, and how it may misfire."""

    id: str
    func: Callable[[], Any]
    trigger: BaseTrigger
    options: dict[str, Any] = field(default_factory=dict)


def job_options(interval: timedelta) -> dict[str, Any]:
    """One run at a time; missed runs coalesce into one, which runs however it was delayed.

    The grace is a whole interval: after a pause (SIGSTOP, a stalled host) the newest missed run
    time is never older than that, so the catch-up run is not dropped as "missed" (APScheduler
    checks only the newest of the coalesced run times against it).
    """
    grace = max(60, int(interval.total_seconds()))
    return {"coalesce": True, "max_instances": 1, "misfire_grace_time": grace}


def declare_jobs(
    settings: Settings,
    sources: Mapping[str, timedelta],
    *,
    poll: Callable[[str], Any],
    deliver: Callable[[], Any],
    digest: Callable[[], Any],
    housekeeping: Callable[[], Any],
    keep_lease: Callable[[], Any],
    now: datetime,
    candidates: Callable[[], Any] | None = None,
) -> list[JobSpec]:
    """The worker's jobs; the callables do the work, this decides when.

    `sources` maps each source to its polling interval. Each source is first polled shortly
    after start (staggered by 5 s), then at its interval.
    """
    jobs = [
        _poll_job(name, interval, poll, first=now + timedelta(seconds=5 * (i + 1)))
        for i, (name, interval) in enumerate(sources.items())
    ]
    every = timedelta(seconds=DELIVERY_SECONDS)
    jobs.append(JobSpec("deliver", deliver, _every(DELIVERY_SECONDS), job_options(every)))
    jobs.append(
        JobSpec(
            "lease",
            keep_lease,
            _every(LEASE_SECONDS),
            job_options(timedelta(seconds=LEASE_SECONDS)),
        )
    )
    cron = CronTrigger.from_crontab(settings.digest_cron, timezone=settings.zone)
    jobs.append(JobSpec("digest", digest, cron, job_options(timedelta(hours=2))))
    if candidates is not None:
        weekly = CronTrigger.from_crontab(settings.candidates_cron, timezone=settings.zone)
        jobs.append(JobSpec("candidates", candidates, weekly, job_options(timedelta(hours=2))))
    daily = CronTrigger(hour=3, minute=17, timezone=settings.zone)
    jobs.append(JobSpec("housekeeping", housekeeping, daily, job_options(timedelta(hours=2))))
    return jobs


def _poll_job(
    source: str, interval: timedelta, poll: Callable[[str], Any], *, first: datetime
) -> JobSpec:
    # No jitter: after a coalesced catch-up APScheduler draws a new one for the next run time,
    # which can land in the past and poll twice back to back. The start-up stagger spreads
    # the sources' requests instead.
    trigger = _every(int(interval.total_seconds()))
    options = job_options(interval) | {"next_run_time": first}
    return JobSpec(f"poll:{source}", lambda: poll(source), trigger, options)


def _every(seconds: int) -> IntervalTrigger:
    # In UTC whatever the host's zone: an interval never meets a daylight-saving change.
    return IntervalTrigger(seconds=seconds, timezone=UTC)


def build_scheduler(jobs: list[JobSpec]) -> BackgroundScheduler:
    """A scheduler (not started) holding `jobs` in memory, in UTC, on daemon threads.

    A run skipped because the previous one is still going is logged as a warning.
    """
    scheduler = BackgroundScheduler(
        timezone="UTC", daemon=True, executors={"default": {"type": "threadpool", "max_workers": 4}}
    )
    for job in jobs:
        scheduler.add_job(
            job.func, job.trigger, id=job.id, name=job.id, replace_existing=True, **job.options
        )
    scheduler.add_listener(_skipped, EVENT_JOB_MAX_INSTANCES)
    return scheduler


def _skipped(event: JobExecutionEvent) -> None:
    log.warning(
        "job %s skipped: its previous run is still going (cycle overran its interval)", event.job_id
    )
