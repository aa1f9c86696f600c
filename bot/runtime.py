"""The composition root: builds the database, clients and jobs from settings, once per process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import Engine

from bot.delivery.outbox import CONSOLE_CHANNEL
from bot.settings import Settings
from bot.storage import db, seeding, store
from bot.storage.methodcache import MethodCache
from bot.storage.scope import active_scope, sync_file_scope
from bot.watchlist import Method, Scope, read_watchlist_file, watchlist_from_bytes

if TYPE_CHECKING:
    from bot.delivery.deliverer import Deliverer
    from bot.delivery.outbox import CatchUp
    from bot.delivery.poster import Poster
    from bot.polling.fetch import Fetcher
    from bot.polling.poll import PollResult
    from bot.sources.base import Source

# Delivery, polling and the sources (Slack SDK, httpx, feedparser, …) are imported where they
# are first used, so that a command that only reads the database (`lookup`, `status`) starts
# without them. Keep new imports of that kind inside the functions below.

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a command needs, built from one Settings object."""

    settings: Settings
    engine: Engine
    sessions: db.SessionFactory
    stopping: threading.Event = field(default_factory=threading.Event)
    _fetcher: Fetcher | None = field(default=None, init=False)
    _deliverer: Deliverer | None = field(default=None, init=False)
    _methods: MethodCache | None = field(default=None, init=False)

    @property
    def fetcher(self) -> Fetcher:
        """The one source fetcher of this process (built on first use)."""
        if self._fetcher is None:
            self._fetcher = build_fetcher(self.settings, stopping=self.stopping)
        return self._fetcher

    @property
    def deliverer(self) -> Deliverer:
        """The one delivery step of this process (built on first use)."""
        if self._deliverer is None:
            from bot.delivery.deliverer import Deliverer

            self._deliverer = Deliverer(
                self.sessions,
                build_poster(self.settings),
                self.settings.language,
                admin_channel=self.settings.admin_channel,
                min_interval=self.settings.slack_min_interval,
                crashpoint=self.settings.metodevakt_crashpoint,
            )
        return self._deliverer

    @property
    def console(self) -> bool:
        """No Slack token: everything goes to the console (and no Slack thread is recorded)."""
        return self.settings.slack_bot_token is None

    @property
    def alert_channel(self) -> str | None:
        """The default channel for alerts and summaries."""
        return CONSOLE_CHANNEL if self.console else self.settings.slack_alert_channel

    @property
    def admin_channel(self) -> str | None:
        """Where operators are told about source health and undeliverable alerts."""
        return CONSOLE_CHANNEL if self.console else self.settings.admin_channel

    def sources(self) -> list[Source]:
        """Every registered source, built from this runtime's settings."""
        return build_sources(self.settings)

    def poll_intervals(self) -> dict[str, timedelta]:
        """How often each source is polled, by name."""
        return poll_intervals(self.settings)

    def methods(self) -> list[Method]:
        """The active methods; on the console, their own channels are ignored."""
        if self._methods is None:
            self._methods = MethodCache(_without_channel) if self.console else MethodCache()
        with self.sessions() as session:
            return self._methods.active(session)

    def scope(self) -> Scope | None:
        """The team's scope in force (the file's, or Slack's once edited there)."""
        with self.sessions() as session:
            return active_scope(session)

    def poll(
        self,
        sources: list[Source] | None = None,
        *,
        catch_up: CatchUp | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> list[PollResult]:
        """Poll the given sources (default: all) once for the active methods and the scope."""
        from bot.polling.planstate import Watch
        from bot.polling.poll import poll_source

        methods, scope = self.methods(), self.scope()
        watch = Watch.of(methods)  # fingerprinted once for the sources that watch the usual fields
        return [
            poll_source(
                source,
                fetcher=self.fetcher,
                sessions=self.sessions,
                methods=methods,
                default_channel=self.alert_channel,
                admin_channel=self.admin_channel,
                language=self.settings.language,
                catch_up=catch_up,
                clock=clock,
                watch=watch,
                scope=scope,
            )
            for source in (sources if sources is not None else build_sources(self.settings))
        ]

    def digest(self) -> int:
        """Queue the summary for every channel now, with its reply on open candidates in the
        candidates' channel (delivery sends them)."""
        from bot.ops.candidates import queue_candidate_summary
        from bot.ops.summary import queue_digest

        settings, methods, scope, now = (
            self.settings,
            self.methods(),
            self.scope(),
            datetime.now(UTC),
        )
        with db.transaction(self.sessions) as session:
            queued = queue_digest(
                session,
                methods=methods,
                default_channel=self.alert_channel,
                language=settings.language,
                zone=settings.zone,
                now=now,
            )
            queued += queue_candidate_summary(
                session,
                methods=methods,
                scope=scope,
                channel=self.candidates_channel(scope),
                language=settings.language,
                now=now,
            )
        return queued

    def candidates_channel(self, scope: Scope | None) -> str:
        """Where candidates go: the scope's channel, else the alert channel, else the console."""
        if self.console or scope is None or scope.channel is None:
            return self.alert_channel or CONSOLE_CHANNEL
        return scope.channel

    def candidates(self) -> int:
        """Queue the week's "Nye kandidater" now; returns how many candidates it proposes."""
        from bot.ops.candidates import queue_candidates

        methods, scope = self.methods(), self.scope()
        with db.transaction(self.sessions) as session:
            return queue_candidates(
                session,
                methods=methods,
                scope=scope,
                channel=self.candidates_channel(scope),
                language=self.settings.language,
                now=datetime.now(UTC),
            )

    def close(self) -> None:
        """Release connections."""
        self.engine.dispose()


def _without_channel(method: Method) -> Method:
    return method.model_copy(update={"channel": None})


def registered_sources(settings: Settings) -> list[tuple[Source, timedelta]]:
    """Every source the bot reads, from its configured base URL, with how often it is polled.

    This is where a source is registered: one line each.
    """
    from bot.sources.clinicaltrials import ClinicalTrials
    from bot.sources.ema import EmaMedicines, EmaPostAuthorisation
    from bot.sources.news import news_sources
    from bot.sources.nyemetoder import Decisions, MethodPages
    from bot.sources.openfda import OpenFda

    every_cycle = timedelta(minutes=settings.poll_interval_minutes)
    # The EMA files are megabytes, regenerated twice a day: fetched less often.
    ema_files = timedelta(hours=settings.ema_poll_hours)
    # nyemetoder.no is a small public site: method pages every few hours, the decision page
    # (and, when it changed, its workbook) every cycle.
    nye_pages = timedelta(hours=settings.nyemetoder_poll_hours)
    full_read = timedelta(hours=settings.ctgov_full_read_hours)
    news = news_sources(settings.ema_base_url, settings.fda_base_url)
    return [
        (ClinicalTrials(settings.ctgov_api_url, full_read_every=full_read), every_cycle),
        (OpenFda(settings.openfda_api_url), every_cycle),
        (EmaMedicines(settings.ema_base_url), ema_files),
        (EmaPostAuthorisation(settings.ema_base_url), ema_files),
        *((feed, every_cycle) for feed in news),
        (MethodPages(settings.nyemetoder_base_url), nye_pages),
        (Decisions(settings.nyemetoder_base_url), every_cycle),
    ]


def build_sources(settings: Settings) -> list[Source]:
    """Every registered source."""
    return [source for source, _every in registered_sources(settings)]


def poll_intervals(settings: Settings) -> dict[str, timedelta]:
    """How often each registered source is polled, by name."""
    return {source.name: every for source, every in registered_sources(settings)}


def host_intervals(settings: Settings) -> dict[str, float]:
    """The least seconds between two requests to each source's host.

    A host that serves several sources (a mirror, a test server) gets the strictest pacing.
    """
    paced = [
        (settings.ctgov_api_url, settings.ctgov_min_interval),
        (settings.openfda_api_url, settings.openfda_min_interval),
        (settings.ema_base_url, settings.ema_min_interval),
        (settings.fda_base_url, settings.fda_min_interval),
        (settings.nyemetoder_base_url, settings.nyemetoder_min_interval),
    ]
    intervals: dict[str, float] = {}
    for url, interval in paced:
        intervals[_host(url)] = max(interval, intervals.get(_host(url), 0.0))
    return intervals


def build_fetcher(settings: Settings, *, stopping: threading.Event | None = None) -> Fetcher:
    """The fetcher with per-host politeness and the openFDA key as Basic auth."""
    from bot.polling.fetch import Fetcher, build_client

    intervals = host_intervals(settings)
    auth = {}
    if settings.openfda_api_key is not None:
        auth[_host(settings.openfda_api_url)] = (settings.openfda_api_key.get_secret_value(), "")
    return Fetcher(build_client(), min_interval=intervals, auth=auth, stopping=stopping)


def build_poster(settings: Settings) -> Poster:
    """Slack when a bot token is set, else the console."""
    from bot.delivery.poster import ConsolePoster, SlackPoster

    if settings.slack_bot_token is None:
        return ConsolePoster()
    return SlackPoster(settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def open_runtime(settings: Settings, *, seed_watchlist: bool = True) -> Runtime:
    """Connect, migrate, and (by default) load the watchlist file into the methods table."""
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    runtime = Runtime(settings=settings, engine=engine, sessions=db.session_factory(engine))
    if seed_watchlist:
        seed_from_file(runtime)
    return runtime


def seed_from_file(runtime: Runtime) -> None:
    """Sync the watchlist file's methods and scope into the database, unless the file, the code
    reading it and the methods table are all as the last sync left them (bot.storage.seeding);
    then it is not parsed."""
    path = runtime.settings.watchlist_file
    raw = read_watchlist_file(path)
    stamp = seeding.fingerprint(raw)
    with runtime.sessions() as session:
        if seeding.is_current(session, stamp):
            log.info("watchlist: %s unchanged since it was last read", path)
            return
    file = watchlist_from_bytes(raw, name=str(path))
    now = datetime.now(UTC)
    with db.transaction(runtime.sessions) as session:
        store.sync_file_methods(session, file.methods, now=now)
        sync_file_scope(session, file.scope, now=now)
        seeding.remember(session, stamp, now=now)
    log.info("watchlist: %d methods from %s", len(file.methods), path)


def seed_methods(runtime: Runtime, methods: list[Method]) -> None:
    """Make the watchlist file's methods active (methods added in Slack stay as they are)."""
    with db.transaction(runtime.sessions) as session:
        store.sync_file_methods(session, methods, now=datetime.now(UTC))
    log.info("watchlist: %d methods from %s", len(methods), runtime.settings.watchlist_file)
