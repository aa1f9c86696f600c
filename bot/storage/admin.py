"""Watchlist changes made in Slack: add, remove, route and mute, each audited and replay-safe.

Every change first writes its audit row, whose `request_id` (the Slack interaction's unique id)
is unique: the same signed request replayed inside Slack's five-minute window finds its id taken
and changes nothing the second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage import store
from bot.storage.tables import AuditEntry, MethodRow, Mute
from bot.watchlist import Method

MUTE_DAYS = 30


class AdminError(ValueError):
    """A change that cannot be made; `code` is a message catalogue key."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code, self.values = code, values


def audit(
    session: Session,
    action: str,
    *,
    actor: str,
    request_id: str | None,
    method_id: str | None,
    detail: dict[str, Any] | None,
    now: datetime,
) -> bool:
    """Write the audit row; False when this request was already carried out (a replay)."""
    row = {
        "at": now,
        "actor": actor,
        "action": action,
        "method_id": method_id,
        "detail": detail,
        "request_id": request_id,
    }
    return store.insert_ignoring_duplicates(session, AuditEntry.__table__, [row]) == 1


def replayed(session: Session, request_id: str) -> bool:
    """True when a change with this request id was already carried out."""
    found = session.scalar(select(AuditEntry.id).where(AuditEntry.request_id == request_id))
    return found is not None


def add_method(
    session: Session, method: Method, *, actor: str, request_id: str, now: datetime
) -> bool:
    """Watch a new method from the next cycle on (its first poll is a silent baseline)."""
    if replayed(session, request_id):
        return False
    existing = session.get(MethodRow, method.id)
    if existing is not None and existing.active:
        raise AdminError("admin_exists", method=method.id)
    definition = method.model_dump(mode="json", exclude_none=True)
    if not audit(
        session,
        "add",
        actor=actor,
        request_id=request_id,
        method_id=method.id,
        detail=definition,
        now=now,
    ):
        return False
    if existing is None:
        session.add(
            MethodRow(
                id=method.id,
                definition=definition,
                origin="slack",
                active=True,
                created_at=now,
                updated_at=now,
                created_by=actor,
            )
        )
    else:
        existing.definition, existing.origin, existing.active = definition, "slack", True
        existing.updated_at = now
    return True


def remove_method(
    session: Session, method_id: str, *, actor: str, request_id: str, now: datetime
) -> bool:
    """Stop watching a method; its history stays. From now on Slack, not the file, owns it."""
    if replayed(session, request_id):
        return False
    row = _active(session, method_id)
    if not audit(
        session,
        "remove",
        actor=actor,
        request_id=request_id,
        method_id=method_id,
        detail=None,
        now=now,
    ):
        return False
    row.active, row.origin, row.updated_at = False, "slack", now
    return True


def route_method(
    session: Session, method_id: str, channel: str, *, actor: str, request_id: str, now: datetime
) -> bool:
    """Send a method's alerts to `channel` instead of the default alert channel."""
    if replayed(session, request_id):
        return False
    row = _active(session, method_id)
    definition = Method.model_validate(row.definition | {"channel": channel})
    detail = {"channel": channel, "previous": row.definition.get("channel")}
    if not audit(
        session,
        "route",
        actor=actor,
        request_id=request_id,
        method_id=method_id,
        detail=detail,
        now=now,
    ):
        return False
    row.definition = definition.model_dump(mode="json", exclude_none=True)
    row.origin, row.updated_at = "slack", now
    return True


def mute_method(
    session: Session, method_id: str, channel: str, *, actor: str, request_id: str, now: datetime
) -> datetime | None:
    """Silence a method's alerts in one channel for 30 days; returns until when (None: replay)."""
    if replayed(session, request_id):
        return None
    _active(session, method_id)
    until = now + timedelta(days=MUTE_DAYS)
    if not audit(
        session,
        "mute",
        actor=actor,
        request_id=request_id,
        method_id=method_id,
        detail={"channel": channel, "until": until.isoformat()},
        now=now,
    ):
        return None
    session.merge(
        Mute(method_id=method_id, channel=channel, until=until, muted_by=actor, created_at=now)
    )
    return until


def _active(session: Session, method_id: str) -> MethodRow:
    row = session.get(MethodRow, method_id)
    if row is None or not row.active:
        raise AdminError("admin_unknown", method=method_id)
    return row
