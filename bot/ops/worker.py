"""The worker: runs the declared jobs while it holds the lease; stops cleanly on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete

from bot.delivery.outbox import CatchUp, catch_up_after
from bot.ops.schedule import build_scheduler, declare_jobs
from bot.polling import health
from bot.sources.news import EMA_NEWS, FDA_NEWS
from bot.storage import db, store
from bot.storage.lease import make_lease
from bot.storage.tables import OutboxRow, Snapshot

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

STOP_WITHIN = timedelta(seconds=25)  # platforms send SIGKILL 30 s after SIGTERM
KEEP_DELIVERED = timedelta(days=90)
KEEP_NEWS = timedelta(days=365)


class Worker:
    """Polling, delivery, summaries and housekeeping, guarded by the lease."""

    def __init__(
        self, runtime: Runtime, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.runtime = runtime
        self.clock = clock
        self.lease = make_lease(runtime.engine, runtime.sessions)
        self.sources = {source.name: source for source in runtime.sources()}
        self.intervals = runtime.poll_intervals()
        self.holding = False
        self.catch_up: CatchUp | None = None
        self._caught_up: set[str] = set()
        self._last_poll: dict[str, datetime] = {}
        self._busy = 0
        self._idle = threading.Condition()
        # The runtime's event: setting it also abandons fetches in flight, and stops delivery
        # from claiming more rows (a backlog posted at 1/s must not outlive the 30 s).
        self.stopping = runtime.stopping
        runtime.deliverer.stopping = runtime.stopping

    def keep_lease(self) -> None:
        """Take or renew the lease; say so when this worker starts or stops being the poller.

        A lease that cannot be renewed (the database is unreachable) is not held: it may expire
        and another worker take over meanwhile, so this one stops polling until it renews.
        """
        try:
            held = self.lease.acquire()
        except Exception:
            log.exception("cannot take or renew the poller's lease; not polling meanwhile")
            held = False
        if held != self.holding:
            log.info("this worker %s the poller", "is now" if held else "is no longer")
        self.holding = held

    @contextmanager
    def _job(self) -> Iterator[bool]:
        with self._idle:
            self._busy += 1
        try:
            yield self.holding and not self.stopping.is_set()
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def guarded(self, work: Callable[[], Any]) -> Callable[[], None]:
        """Run `work` only while holding the lease and not stopping."""

        def run() -> None:
            with self._job() as allowed:
                if allowed:
                    work()

        return run

    def poll(self, name: str) -> None:
        """Poll one source, then deliver what it found.

        The first poll of each source after downtime shares one catch-up group per channel.
        """
        with self._job() as allowed:
            if allowed:
                self._note_gap(name)
                catch_up = None if name in self._caught_up else self.catch_up
                self.runtime.poll([self.sources[name]], catch_up=catch_up)
                self._caught_up.add(name)
                self.runtime.deliverer.run()

    def _note_gap(self, name: str) -> None:
        """Log runs missed while the process was paused or starved (APScheduler coalesces them
        into this one without a word)."""
        now, last = self.clock(), self._last_poll.get(name)
        self._last_poll[name] = now
        interval = self.intervals[name]
        if last is not None and now - last > 2 * interval:
            log.warning(
                "poll:%s: %s since its previous run (every %s); the runs missed meanwhile are "
                "caught up by this one",
                name,
                now - last,
                interval,
            )

    def note_downtime(self) -> None:
        """Decide once, at start, whether the first cycle is a catch-up after downtime."""
        with self.runtime.sessions() as session:
            last = health.last_success(session)
        interval = timedelta(minutes=self.runtime.settings.poll_interval_minutes)
        self.catch_up = catch_up_after(last, interval=interval, now=self.clock())
        if self.catch_up:
            log.info("down since %s: the first cycle's alerts are grouped", self.catch_up.since)

    def housekeeping(self) -> None:
        """Prune delivered outbox rows and year-old news items (events are kept)."""
        now = self.clock()
        with db.transaction(self.runtime.sessions) as session:
            session.execute(
                delete(OutboxRow).where(
                    OutboxRow.status.in_(["sent", "dead"]),
                    OutboxRow.created_at < now - KEEP_DELIVERED,
                )
            )
            store.delete_snapshots(
                session,
                Snapshot.source.in_([EMA_NEWS, FDA_NEWS]),
                Snapshot.first_seen < now - KEEP_NEWS,
            )

    def candidates(self) -> None:
        """The week's "Nye kandidater": queued, then delivered."""
        self.runtime.candidates()
        self.runtime.deliverer.run()

    def jobs(self, digest: Callable[[], Any]) -> list[Any]:
        """The declared jobs, bound to this worker."""
        return declare_jobs(
            self.runtime.settings,
            self.intervals,
            poll=self.poll,
            deliver=self.guarded(self.runtime.deliverer.run),
            digest=self.guarded(digest),
            housekeeping=self.guarded(self.housekeeping),
            keep_lease=self.keep_lease,
            now=datetime.now(UTC),  # the scheduler runs on the wall clock
            candidates=self.guarded(self.candidates),
        )

    def run(self, digest: Callable[[], Any]) -> None:
        """Serve until SIGTERM/SIGINT, then stop within STOP_WITHIN."""
        scheduler = self.start(digest)
        self.stopping.wait()
        self.stop(scheduler)

    def start(self, digest: Callable[[], Any]) -> Any:
        """Take the lease if free and start the scheduler (in the background)."""
        self.note_downtime()
        scheduler = build_scheduler(self.jobs(digest))
        self.keep_lease()
        scheduler.start()
        return scheduler

    def stop(self, scheduler: Any) -> None:
        """No new runs; wait (bounded) for running ones; hand the lease on."""
        scheduler.shutdown(wait=False)
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=STOP_WITHIN.total_seconds())
        if self._busy:
            # A cycle still running commits nothing partial: it is one transaction per source.
            log.warning(
                "stopping with %d job(s) still running; their work is not committed", self._busy
            )
        self.lease.release()
        log.info("worker stopped")

    def install_signal_handlers(self) -> None:
        """SIGTERM (platform restarts, possibly twice) and SIGINT stop the worker."""
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: self.stopping.set())
