"""Delivery: the outbox to Slack, effectively once, politely, never losing a row.

Protocol per row: claim it (`sending`, committed) → post with the key in metadata → record the
ts (`sent`). A crash between post and record leaves `sending`; before posting such a row again we
look for its key in Slack (thread replies or channel history). Rate limits wait without spending
an attempt; hopeless errors park the row as `dead` and tell the admin channel.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import db, outbox, store
from bot.composer import compose
from bot.messages import Language
from bot.slackpost import DeliveryError, OutcomeUnknownError, Outgoing, Poster
from bot.tables import EventRow, OutboxRow, ThreadRow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long an unconfirmed post of this process waits before we ask Slack whether it landed.
RECONCILE_AFTER = timedelta(seconds=30)


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
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    started_at: datetime = field(init=False)
    _last_post: dict[str, float] = field(default_factory=dict, init=False)
    _points: dict[str, int] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.started_at = self.clock()

    def run(self) -> Report:
        """Reconcile unconfirmed posts, then send every due row once, oldest first."""
        report = Report()
        self.reconcile()
        with self.sessions() as session:
            due = list(
                session.scalars(
                    select(OutboxRow.id)
                    .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= self.clock())
                    .order_by(OutboxRow.id)
                )
            )
        touched: set[tuple[str, str]] = set()
        for row_id in due:
            self._deliver(row_id, report, touched)
        self._refresh_cards(touched)
        return report

    def reconcile(self) -> None:
        """Settle rows left in `sending`: found in Slack → sent; not found → pending again."""
        now = self.clock()
        with self.sessions() as session:
            rows = list(session.scalars(select(OutboxRow).where(OutboxRow.status == "sending")))
        for row in rows:
            claimed = row.claimed_at or now
            if claimed >= self.started_at and now - claimed < RECONCILE_AFTER:
                continue  # our own post, maybe not yet visible in Slack's history
            self._settle(row)

    def _settle(self, row: OutboxRow) -> None:
        oldest = (row.claimed_at or self.clock()) - timedelta(seconds=10)
        try:
            ts = self.poster.find(
                row.channel, row.alert_key, oldest=oldest, thread_ts=row.thread_ts
            )
        except DeliveryError as exc:
            log.warning("cannot reconcile outbox row %s yet: %s", row.id, exc.reason)
            return
        if ts is not None:
            log.info(
                "outbox row %s was posted before a crash (ts %s); not posting again", row.id, ts
            )
            self._record_sent(row.id, ts)
        else:
            self._update(row.id, status="pending")

    def _deliver(self, row_id: int, report: Report, touched: set[tuple[str, str]]) -> None:
        with self.sessions() as session:
            row = session.get(OutboxRow, row_id)
        if row is None or row.status != "pending":
            return
        placement = self._placement(row, report)
        if placement is None:
            report.waiting += 0 if self._status(row.id) == "dead" else 1
            return
        thread_ts, broadcast = placement
        if self._send(row, thread_ts=thread_ts, broadcast=broadcast, report=report):
            report.sent += 1
            if row.kind == "alert" and row.method_id and not row.group_key:
                touched.add((row.method_id, row.channel))

    def _placement(self, row: OutboxRow, report: Report) -> tuple[str | None, bool] | None:
        """Where the row goes: (thread_ts, broadcast), or None while its parent is not posted.

        Alerts are replies in their method's thread (high ones also shown in the channel),
        under a status card posted first; rows of a group are replies to the group's message.
        """
        with self.sessions() as session:
            if row.group_key:
                parent = session.scalar(
                    select(OutboxRow).where(OutboxRow.alert_key == row.group_key)
                )
                return (parent.slack_ts, False) if parent and parent.status == "sent" else None
            if row.kind != "alert" or row.method_id is None:
                return None, False
            thread = session.get(ThreadRow, (row.method_id, row.channel))
            high = _is_high(session, row)
        if thread is None:
            thread = self._post_card(row, report)
        return None if thread is None else (thread.ts, high)

    def _post_card(self, alert: OutboxRow, report: Report) -> ThreadRow | None:
        """Post the method's status card first; an alert whose card cannot be posted is parked."""
        assert alert.method_id is not None
        card = outbox.card_row(alert.method_id, alert.channel)
        with db.transaction(self.sessions) as session:
            store.enqueue(session, [card], now=self.clock())
            row = session.scalar(select(OutboxRow).where(OutboxRow.alert_key == card["alert_key"]))
        assert row is not None
        if row.status == "pending":
            self._send(row, thread_ts=None, broadcast=False, report=report)
        with self.sessions() as session:
            thread = session.get(ThreadRow, (alert.method_id, alert.channel))
            card_row = session.get(OutboxRow, row.id)
        if thread is None and card_row is not None and card_row.status == "dead":
            reason = f"status card not posted: {card_row.last_error}"
            self._update(alert.id, status="dead", last_error=reason)
            report.dead += 1
        return thread

    def _send(
        self, row: OutboxRow, *, thread_ts: str | None, broadcast: bool, report: Report
    ) -> bool:
        for _ in range(3):
            if not self._claim(row.id, thread_ts):
                return False
            with self.sessions() as session:
                message = compose(session, row, language=self.language)
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
            self.sleep(wait)
        return False

    def _post(self, row: OutboxRow, outgoing: Outgoing, report: Report) -> float | None:
        """Post once; returns a wait in seconds when the row should be retried in this run."""
        self._pace(row.channel)
        try:
            ts = self.poster.post(outgoing)
        except OutcomeUnknownError as exc:
            log.warning("post of outbox row %s: outcome unknown (%s); will reconcile", row.id, exc)
            report.errors.append(f"outcome unknown: {exc}")
            return None
        except DeliveryError as exc:
            return self._failed(row, exc, report)
        self._crash_if("after_post")
        self._record_sent(row.id, ts)
        return None

    def _failed(self, row: OutboxRow, exc: DeliveryError, report: Report) -> float | None:
        report.errors.append(exc.reason)
        now = self.clock()
        if exc.retry_after is not None:
            self._update(
                row.id, status="pending", next_attempt_at=now + timedelta(seconds=exc.retry_after)
            )
            return exc.retry_after if exc.retry_after <= self.max_wait else None
        attempts = row.attempts + 1
        if exc.permanent or attempts >= MAX_ATTEMPTS:
            self._update(row.id, status="dead", attempts=attempts, last_error=exc.reason)
            report.dead += 1
            self._tell_admins(row, exc.reason)
            return None
        backoff = timedelta(seconds=30 * 2**attempts)
        self._update(
            row.id,
            status="pending",
            attempts=attempts,
            last_error=exc.reason,
            next_attempt_at=now + backoff,
        )
        return None

    def _tell_admins(self, row: OutboxRow, reason: str) -> None:
        log.error("outbox row %s to %s parked as dead: %s", row.id, row.channel, reason)
        if row.kind == "admin" or self.admin_channel is None:
            return
        text = f"{row.channel}: {reason}"
        notice = outbox.admin_row(self.admin_channel, text, key=f"dead|{row.alert_key}")
        with db.transaction(self.sessions) as session:
            store.enqueue(
                session,
                [notice | {"payload": {"dead": row.id, "reason": reason, "channel": row.channel}}],
                now=self.clock(),
            )

    def _claim(self, row_id: int, thread_ts: str | None) -> bool:
        with db.transaction(self.sessions) as session:
            row = session.get(OutboxRow, row_id)
            if row is None or row.status != "pending":
                return False
            row.status, row.claimed_at, row.thread_ts = "sending", self.clock(), thread_ts
        return True

    def _record_sent(self, row_id: int, ts: str) -> None:
        with db.transaction(self.sessions) as session:
            row = session.get(OutboxRow, row_id)
            assert row is not None
            row.status, row.slack_ts, row.sent_at = "sent", ts, self.clock()
            if row.kind == "card" and row.method_id:
                session.merge(
                    ThreadRow(
                        method_id=row.method_id, channel=row.channel, ts=ts, updated_at=self.clock()
                    )
                )

    def _status(self, row_id: int) -> str | None:
        with self.sessions() as session:
            row = session.get(OutboxRow, row_id)
            return None if row is None else row.status

    def _update(self, row_id: int, **values: object) -> None:
        with db.transaction(self.sessions) as session:
            row = session.get(OutboxRow, row_id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)

    def _pace(self, channel: str) -> None:
        """At most one post per `min_interval` seconds per channel (Slack: about 1/s)."""
        last = self._last_post.get(channel)
        now = self.monotonic()
        if last is not None and now - last < self.min_interval:
            self.sleep(self.min_interval - (now - last))
        self._last_post[channel] = self.monotonic()

    def _crash_if(self, point: str) -> None:
        # Test hook (METODEVAKT_CRASHPOINT=after_post or after_post:N for the N-th post of this
        # process): die like `kill -9` between Slack accepting a post and our recording it.
        self._points[point] = self._points.get(point, 0) + 1
        wanted, _, nth = (self.crashpoint or "").partition(":")
        if wanted == point and self._points[point] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)

    def _refresh_cards(self, touched: set[tuple[str, str]]) -> None:
        for method_id, channel in sorted(touched):
            with self.sessions() as session:
                thread = session.get(ThreadRow, (method_id, channel))
                card = session.scalar(
                    select(OutboxRow).where(
                        OutboxRow.alert_key == outbox.card_row(method_id, channel)["alert_key"]
                    )
                )
                if thread is None or card is None:
                    continue
                message = compose(session, card, language=self.language)
            try:
                self.poster.update(channel, thread.ts, text=message.text, blocks=message.blocks)
            except DeliveryError as exc:
                log.warning(
                    "status card of %s in %s not updated: %s", method_id, channel, exc.reason
                )


def _is_high(session: Session, row: OutboxRow) -> bool:
    event = session.get(EventRow, row.event_id) if row.event_id else None
    return event is not None and event.importance == "high"
