"""The declared jobs and their options, checked without starting the scheduler or sleeping."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.ops.schedule import build_scheduler, declare_jobs
from bot.runtime import poll_intervals
from bot.settings import Settings

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
SOURCES = ["clinicaltrials", "openfda", "ema_medicines", "ema_post_authorisation", "fda_rss"]


def jobs(settings: Settings | None = None) -> dict[str, object]:
    settings = settings or Settings()
    intervals = poll_intervals(settings)
    declared = declare_jobs(
        settings,
        {name: intervals[name] for name in SOURCES},
        poll=lambda _s: None,
        deliver=lambda: None,
        digest=lambda: None,
        housekeeping=lambda: None,
        keep_lease=lambda: None,
        now=NOW,
    )
    return {job.id: job for job in declared}


def test_every_job_has_a_stable_id() -> None:
    """One poll job per source, delivery, lease, digest and housekeeping, with fixed ids."""
    assert sorted(jobs()) == sorted(
        [f"poll:{s}" for s in SOURCES] + ["deliver", "lease", "digest", "housekeeping"]
    )


def test_cadences_follow_the_settings() -> None:
    """Sources poll every POLL_INTERVAL_MINUTES, EMA files every EMA_POLL_HOURS."""
    declared = jobs(Settings(poll_interval_minutes=15, ema_poll_hours=12))
    assert declared["poll:clinicaltrials"].trigger.interval.total_seconds() == 15 * 60  # type: ignore[attr-defined]
    assert declared["poll:ema_medicines"].trigger.interval.total_seconds() == 12 * 3600  # type: ignore[attr-defined]
    assert declared["deliver"].trigger.interval.total_seconds() == 20  # type: ignore[attr-defined]


def test_options_one_instance_coalesced_with_grace() -> None:
    """Every job: coalesce, one instance at a time, a misfire grace time of at least a minute."""
    for job in jobs().values():
        options = job.options  # type: ignore[attr-defined]
        assert options["coalesce"] is True and options["max_instances"] == 1
        assert options["misfire_grace_time"] >= 60


def test_sources_are_polled_soon_after_start_and_staggered() -> None:
    """First polls come 5, 10, 15 … seconds after start, not a whole interval later."""
    firsts = [jobs()[f"poll:{s}"].options["next_run_time"] for s in SOURCES]  # type: ignore[attr-defined]
    assert [(f - NOW).total_seconds() for f in firsts] == [5, 10, 15, 20, 25]


def test_digest_fires_monday_0800_oslo_across_daylight_saving() -> None:
    """The summary is at 08:00 Oslo time on Mondays both before and after the DST change."""
    trigger = jobs()["digest"].trigger  # type: ignore[attr-defined]
    oslo = ZoneInfo("Europe/Oslo")
    before = trigger.get_next_fire_time(None, datetime(2026, 3, 24, tzinfo=oslo))
    after = trigger.get_next_fire_time(None, datetime(2026, 3, 31, tzinfo=oslo))
    assert (before.astimezone(oslo).isoformat(), after.astimezone(oslo).isoformat()) == (
        "2026-03-30T08:00:00+02:00",
        "2026-04-06T08:00:00+02:00",
    )
    winter = trigger.get_next_fire_time(None, datetime(2026, 3, 17, tzinfo=oslo))
    assert winter.astimezone(oslo).isoformat() == "2026-03-23T08:00:00+01:00"


def test_the_weeks_candidates_fire_on_their_own_cron() -> None:
    """ "Nye kandidater" is its own job on CANDIDATES_CRON in TIMEZONE (Monday 08:30 Oslo by
    default; another setting moves it)."""
    oslo = ZoneInfo("Europe/Oslo")
    for cron, expected in (
        ("30 8 * * MON", "2026-03-30T08:30:00+02:00"),
        ("0 7 * * WED", "2026-03-25T07:00:00+01:00"),
    ):
        settings = Settings(candidates_cron=cron)
        declared = declare_jobs(
            settings,
            {},
            poll=lambda _s: None,
            deliver=lambda: None,
            digest=lambda: None,
            housekeeping=lambda: None,
            keep_lease=lambda: None,
            now=NOW,
            candidates=lambda: None,
        )
        (job,) = [job for job in declared if job.id == "candidates"]
        fire = job.trigger.get_next_fire_time(None, datetime(2026, 3, 24, tzinfo=oslo))
        assert fire.astimezone(oslo).isoformat() == expected


def test_scheduler_holds_the_jobs_in_memory_in_utc() -> None:
    """The built scheduler (not started) has each job once, in a memory store, UTC."""
    scheduler = build_scheduler(list(jobs().values()))  # type: ignore[arg-type]
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(jobs())
    assert str(scheduler.timezone) == "UTC"
    assert not scheduler.running
