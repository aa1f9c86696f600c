"""State changes of outbox rows, each committed in its own short transaction.

pending → sending (claimed, committed before the post) → sent (ts recorded) | dead (parked).
A claim is a compare-and-set, so two deliverers can never both post the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from bot.delivery import outbox
from bot.storage import db, store
from bot.storage.tables import OutboxRow, ThreadRow


class Rows:
    """The outbox rows of one database."""

    def __init__(self, sessions: db.SessionFactory) -> None:
        self.sessions = sessions

    def get(self, row_id: int) -> OutboxRow | None:
        """A detached copy of the row as it is now."""
        with self.sessions() as session:
            return session.get(OutboxRow, row_id)

    def by_key(self, alert_key: str) -> OutboxRow | None:
        """The row with this alert key, if queued."""
        with self.sessions() as session:
            return session.scalar(select(OutboxRow).where(OutboxRow.alert_key == alert_key))

    def claim(self, row_id: int, *, thread_ts: str | None, now: datetime) -> bool:
        """pending → sending, only if still pending (True when this process won the row)."""
        statement = (
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.status == "pending")
            .values(status="sending", claimed_at=now, thread_ts=thread_ts)
        )
        with db.transaction(self.sessions) as session:
            return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]

    def sent(self, row_id: int, ts: str, *, now: datetime) -> None:
        """Record the post's ts; a card's ts becomes its method's thread in that channel."""
        with db.transaction(self.sessions) as session:
            row = session.get(OutboxRow, row_id)
            assert row is not None
            row.status, row.slack_ts, row.sent_at = "sent", ts, now
            if row.kind == "card" and row.method_id:
                session.merge(
                    ThreadRow(method_id=row.method_id, channel=row.channel, ts=ts, updated_at=now)
                )

    def set(self, row_id: int, **values: object) -> None:
        """Change some columns of a row."""
        with db.transaction(self.sessions) as session:
            row = session.get(OutboxRow, row_id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)

    def due(self, now: datetime, *, kind: str | None = None) -> list[int]:
        """Pending rows whose time has come (of one kind, when given), oldest first."""
        with self.sessions() as session:
            query = (
                select(OutboxRow.id)
                .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
                .order_by(OutboxRow.id)
            )
            if kind is not None:
                query = query.where(OutboxRow.kind == kind)
            return list(session.scalars(query))

    def sending(self) -> list[OutboxRow]:
        """Rows whose post has an unknown outcome."""
        with self.sessions() as session:
            return list(session.scalars(select(OutboxRow).where(OutboxRow.status == "sending")))

    def thread(self, method_id: str, channel: str) -> ThreadRow | None:
        """The status card (thread parent) of a method in a channel, once posted."""
        with self.sessions() as session:
            return session.get(ThreadRow, (method_id, channel))

    def current_card(self, method_id: str, channel: str) -> OutboxRow | None:
        """The newest status-card row of a method in a channel."""
        with self.sessions() as session:
            query = (
                select(OutboxRow)
                .where(
                    OutboxRow.kind == "card",
                    OutboxRow.method_id == method_id,
                    OutboxRow.channel == channel,
                )
                .order_by(OutboxRow.id.desc())
                .limit(1)
            )
            return session.scalar(query)

    def new_card(self, method_id: str, channel: str, *, now: datetime) -> OutboxRow:
        """Queue a status card; after a dead one, the next generation gets a key of its own."""
        with db.transaction(self.sessions) as session:
            count = session.scalar(
                select(func.count()).where(
                    OutboxRow.kind == "card",
                    OutboxRow.method_id == method_id,
                    OutboxRow.channel == channel,
                )
            )
            card = outbox.card_row(method_id, channel, generation=int(count or 0))
            store.enqueue(session, [card], now=now)
        found = self.by_key(card["alert_key"])
        assert found is not None
        return found

    def enqueue(self, rows: list[dict[str, object]], *, now: datetime) -> None:
        """Queue rows (used for admin notices)."""
        with db.transaction(self.sessions) as session:
            store.enqueue(session, rows, now=now)
