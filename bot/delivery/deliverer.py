"""Delivery: the outbox to Slack, effectively once, politely, never losing a row.

Protocol per row: claim it (`sending`, committed) → post with the key in metadata → record the
ts (`sent`). A crash between post and record leaves `sending`; before posting such a row again we
look for its key in Slack (thread replies or channel history). Rate limits wait without spending
an attempt; hopeless errors park the row as `dead` and tell the admin channel. A message too big
for one post goes out as parts in its thread, and a payload Slack refused is sent again split or
shortened, never as it was (bot/delivery/parts.py).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.delivery import outbox, parts
from bot.delivery.poster import DeliveryError, OutcomeUnknownError, Outgoing, Poster
from bot.delivery.rows import Rows
from bot.delivery.updates import Editor
from bot.storage import db
from bot.storage.tables import EventRow, OutboxRow
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long an unconfirmed post of this process waits before we ask Slack whether it landed.
RECONCILE_AFTER = timedelta(seconds=30)
WAIT = "wait"
PARKED = "parked"
# Test hooks (METODEVAKT_CRASHPOINT): the places where a crash hurts most.
CrashPoint = Literal["before_post", "after_post"]


@dataclass(frozen=True)
class Place:
    """Where a row goes: top level (no thread) or a reply, shown in the channel or not."""

    thread_ts: str | None = None
    broadcast: bool = False


@dataclass
class _Touched:
    """What a run's posts changed (methods' status cards, groups that got replies), and the rows
    it tried and those left waiting for a parent."""

    cards: set[tuple[str, str]] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    tried: set[int] = field(default_factory=set)
    waiting: set[int] = field(default_factory=set)


@dataclass
class Report:
    """What one delivery run did."""

    sent: int = 0
    waiting: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Deliverer:
    """Sends due outbox rows through a Poster; one per process."""

    sessions: db.SessionFactory
    poster: Poster
    language: Language
    admin_channel: str | None = None
    min_interval: float = 1.0
    max_wait: float = 30.0
    crashpoint: str | None = None
    # Set when the process stops: no row is claimed after that (the one in flight finishes).
    stopping: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    started_at: datetime = field(init=False)
    rows: Rows = field(init=False)
    _last_post: dict[str, float] = field(default_factory=dict, init=False)
    _blocked: dict[str, datetime] = field(default_factory=dict, init=False)
    _points: dict[str, int] = field(default_factory=dict, init=False)
    # One run at a time: the worker's delivery job and each poll job's delivery share this
    # deliverer; a second run beside the first could post a channel's rows out of order, or
    # post while the first waits out a 429 for that channel.
    _running: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.started_at = self.clock()
        self.rows = Rows(self.sessions)

    def run(self) -> Report:
        """Reconcile unconfirmed posts, then send every due row once, oldest first.

        Returns an empty report at once while another run is going (it, or the next run,
        sends what is due) or once the process is stopping.
        """
        if self.stopping.is_set() or not self._running.acquire(blocking=False):
            return Report()
        try:
            return self._run()
        finally:
            self._running.release()

    def _run(self) -> Report:
        report, began = Report(), self.clock()
        self.reconcile(report)
        touched = _Touched()
        due = self.rows.due(began)
        while due:  # again while a pass queued parts or sent what another row waited for
            due = self._pass(due, report, touched)
        report.waiting = len(touched.waiting)
        editor = Editor(self.sessions, self.rows, self.poster, self.language)
        editor.refresh_cards(touched.cards)
        editor.recount_groups(touched.groups, posted_before=began)
        return report

    def _pass(self, due: list[int], report: Report, touched: _Touched) -> list[int]:
        """Deliver these rows; returns what the next pass should try: the parts queued since
        and the rows that waited, when this pass sent anything."""
        sent = report.sent
        for row_id in due:
            if self.stopping.is_set():
                log.info("stopping: the remaining outbox rows wait for the next start")
                return []
            touched.tried.add(row_id)
            touched.waiting.discard(row_id)
            self._deliver(row_id, report, touched)
        if report.sent == sent:
            return []
        parts_due = self.rows.due(self.clock(), kind=parts.PART)
        return sorted({*touched.waiting, *(i for i in parts_due if i not in touched.tried)})

    def reconcile(self, report: Report) -> None:
        """Settle rows left in `sending`: found in Slack → sent; not found → pending again."""
        now = self.clock()
        for row in self.rows.sending():
            claimed = row.claimed_at or now
            if claimed >= self.started_at and now - claimed < RECONCILE_AFTER:
                continue  # our own post, maybe not yet visible in Slack's history
            self._settle(row, report)

    def _settle(self, row: OutboxRow, report: Report) -> None:
        oldest = (row.claimed_at or self.clock()) - timedelta(seconds=10)
        try:
            ts = self.poster.find(
                row.channel, row.alert_key, oldest=oldest, thread_ts=row.thread_ts
            )
        except DeliveryError as exc:
            if exc.permanent:  # e.g. no history scope: we can never know; an admin must
                self._park(row, f"cannot check Slack for an unconfirmed post: {exc.reason}", report)
            else:
                log.warning("cannot reconcile outbox row %s yet: %s", row.id, exc.reason)
            return
        if ts is not None:
            log.info("outbox row %s was posted before a crash (ts %s); not again", row.id, ts)
            self.rows.sent(row.id, ts, now=self.clock())
        else:
            self.rows.set(row.id, status="pending")

    def _deliver(self, row_id: int, report: Report, touched: _Touched) -> None:
        row = self.rows.get(row_id)
        if row is None or row.status != "pending" or row.next_attempt_at > self.clock():
            return  # settled meanwhile, or failed earlier in this run and backing off
        if self._blocked.get(row.channel, self.clock()) > self.clock():
            touched.waiting.add(row_id)  # the channel is rate limited for longer than we wait
            return
        placement = self._placement(row, report)
        if placement == WAIT:
            touched.waiting.add(row_id)
        if not isinstance(placement, Place):
            return
        sent = self._send(
            row, thread_ts=placement.thread_ts, broadcast=placement.broadcast, report=report
        )
        if sent:
            report.sent += 1
            if row.group_key and row.kind != parts.PART:
                touched.groups.add(row.group_key)
            elif row.kind == "alert" and row.method_id:
                touched.cards.add((row.method_id, row.channel))

    def _placement(self, row: OutboxRow, report: Report) -> Place | str:
        """Where the row goes; WAIT while its parent is not posted; PARKED if set aside.

        Alerts are replies in their method's thread (high ones also shown in the channel),
        under a status card posted first; rows of a group are replies to the group's message.
        """
        if row.group_key:
            return self._in_group(row, report)
        if row.kind != "alert" or row.method_id is None:
            return Place()
        thread = self.rows.thread(row.method_id, row.channel)
        if thread is None:
            outcome = self._post_card(row, report)
            if outcome is not None:
                return outcome
            thread = self.rows.thread(row.method_id, row.channel)
        return Place(thread.ts, self._is_high(row)) if thread else WAIT

    def _in_group(self, row: OutboxRow, report: Report) -> Place | str:
        parent = self.rows.by_key(row.group_key or "")
        if parent is not None and parent.status == "sent":
            # A part continues the thread its parent is in, or starts the parent's own thread.
            return Place(parent.thread_ts or parent.slack_ts)
        if parent is not None and parent.status == "dead":
            # The group's own notice told the admins; its members are parked with it.
            self.rows.set(row.id, status="dead", last_error="group message not posted")
            report.dead += 1
            return PARKED
        return WAIT

    def _post_card(self, alert: OutboxRow, report: Report) -> str | None:
        """Post the method's status card: None once posted, WAIT, or PARKED (alert set aside).

        A card that died in an earlier run gets a new generation, so a fixed channel recovers;
        one that died in this run parks the alert (the card's notice already told the admins).
        """
        assert alert.method_id is not None
        card = self.rows.current_card(alert.method_id, alert.channel)
        died_earlier = (
            card is not None
            and card.status == "dead"
            and (card.claimed_at is None or card.claimed_at < self.started_at)
        )
        if card is None or died_earlier:
            card = self.rows.new_card(alert.method_id, alert.channel, now=self.clock())
        if card.status == "pending" and card.next_attempt_at <= self.clock():
            self._send(card, thread_ts=None, broadcast=False, report=report)
            card = self.rows.get(card.id) or card
        if card.status == "dead":  # it died in this run: the alert cannot be placed now
            self.rows.set(
                alert.id, status="dead", last_error=f"status card not posted: {card.last_error}"
            )
            report.dead += 1
            return PARKED
        return None if self.rows.thread(alert.method_id, alert.channel) else WAIT

    def _send(
        self, row: OutboxRow, *, thread_ts: str | None, broadcast: bool, report: Report
    ) -> bool:
        waits = 0  # rate limits waited out here; a refusal is fitted again at once
        while waits < 3:
            message = self._compose(row, report)
            if message is None or not self.rows.claim(
                row.id, thread_ts=thread_ts, now=self.clock()
            ):
                return False
            outgoing = Outgoing(
                row.channel,
                message.text,
                message.blocks,
                row.alert_key,
                thread_ts=thread_ts,
                broadcast=broadcast,
            )
            wait = self._post(row, outgoing, report)
            if wait is None:
                return self._status(row.id) == "sent"
            if self.stopping.is_set():
                return False  # the row is pending again, due after the wait
            if wait:
                self.sleep(wait)
                waits += 1
            row = self.rows.get(row.id) or row  # a refusal changed how it is fitted
        return False

    def _compose(self, row: OutboxRow, report: Report) -> Message | None:
        """The message to post for the row; when it takes several, the row is expanded first
        (the others queued as parts in its thread)."""
        try:
            with self.sessions() as session:
                messages = parts.messages_for(session, row, language=self.language)
        except Exception as exc:  # a row that cannot be written must not block the others
            log.exception("outbox row %s could not be composed", row.id)
            self._park(row, f"could not be written: {type(exc).__name__}", report)
            return None
        if len(messages) == 1:
            return messages[0]
        return parts.expand(self.sessions, row, messages, now=self.clock())

    def _post(self, row: OutboxRow, outgoing: Outgoing, report: Report) -> float | None:
        """Post once; returns a wait in seconds when the row should be retried in this run."""
        self._pace(row.channel)
        self._crash_if("before_post")
        try:
            ts = self.poster.post(outgoing)
        except OutcomeUnknownError as exc:
            log.warning("post of outbox row %s: outcome unknown (%s); will reconcile", row.id, exc)
            report.errors.append(f"outcome unknown: {exc}")
            return None
        except DeliveryError as exc:
            return self._failed(row, outgoing, exc, report)
        self._crash_if("after_post")
        self.rows.sent(row.id, ts, now=self.clock())
        return None

    def _failed(
        self, row: OutboxRow, outgoing: Outgoing, exc: DeliveryError, report: Report
    ) -> float | None:
        report.errors.append(exc.reason)
        now = self.clock()
        if exc.payload_refused:
            return self._refused(row, outgoing, exc, report)
        if exc.retry_after is not None:
            until = now + timedelta(seconds=exc.retry_after)
            self.rows.set(row.id, status="pending", next_attempt_at=until)
            if exc.retry_after <= self.max_wait:
                return exc.retry_after
            self._blocked[row.channel] = until
            return None
        attempts = row.attempts + 1
        if exc.permanent or attempts >= MAX_ATTEMPTS:
            self.rows.set(row.id, attempts=attempts)
            self._park(row, exc.reason, report)
            return None
        backoff = timedelta(seconds=30 * 2**attempts)
        self.rows.set(
            row.id,
            status="pending",
            attempts=attempts,
            last_error=exc.reason,
            next_attempt_at=now + backoff,
        )
        return None

    def _refused(
        self, row: OutboxRow, outgoing: Outgoing, exc: DeliveryError, report: Report
    ) -> float | None:
        """Slack refused the payload: never again as it was; split or shortened at once, parked
        only when even the tightest fitting was refused."""
        if parts.refusals(row) >= parts.MAX_REFUSALS:
            self._park(row, f"{exc.reason} (refused even split and shortened)", report)
            return None
        sent = Message(outgoing.text, outgoing.blocks)
        parts.refused(self.sessions, row, sent, exc.reason, now=self.clock())
        return 0.0

    def _park(self, row: OutboxRow, reason: str, report: Report) -> None:
        """Set a row aside as dead, loudly, and tell the admin channel (never silently)."""
        self.rows.set(row.id, status="dead", last_error=reason)
        report.dead += 1
        log.error("outbox row %s to %s parked as dead: %s", row.id, row.channel, reason)
        if row.kind == "admin":
            # The admins cannot be told in Slack (e.g. a revoked token): this log is the notice.
            log.critical(
                "admin notice (outbox row %s) could not be posted to %s either: %s; "
                "the parked rows stay in the outbox as dead (`metodevakt status` counts them)",
                row.id,
                row.channel,
                reason,
            )
            return
        if self.admin_channel is None:
            return
        payload = {"dead": row.id, "reason": reason, "channel": row.channel}
        notice = outbox.admin_row(self.admin_channel, f"dead|{row.alert_key}", payload)
        self.rows.enqueue([notice], now=self.clock())

    def _status(self, row_id: int) -> str | None:
        row = self.rows.get(row_id)
        return None if row is None else row.status

    def _is_high(self, row: OutboxRow) -> bool:
        with self.sessions() as session:
            event = session.get(EventRow, row.event_id) if row.event_id else None
            return event is not None and event.importance == "high"

    def _pace(self, channel: str) -> None:
        """At most one post per `min_interval` seconds per channel (Slack: about 1/s)."""
        last = self._last_post.get(channel)
        now = self.monotonic()
        if last is not None and now - last < self.min_interval:
            self.sleep(self.min_interval - (now - last))
        self._last_post[channel] = self.monotonic()

    def _crash_if(self, point: CrashPoint) -> None:
        # Test hook (METODEVAKT_CRASHPOINT=<point> or <point>:N for the N-th post of this
        # process): die like `kill -9` after the row's claim was committed and before the post
        # (before_post), or between Slack accepting a post and our recording it (after_post).
        self._points[point] = self._points.get(point, 0) + 1
        wanted, _, nth = (self.crashpoint or "").partition(":")
        if wanted == point and self._points[point] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
