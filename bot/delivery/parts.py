"""Messages that take several posts, and messages Slack refused: fitted, split into parts, and
each part posted effectively once.

A row whose message does not fit one post is *expanded* in one transaction: its first message is
frozen on the row (`payload["message"]`) and the others are queued as `part` rows, chained: each
part's `group_key` is the key of the row before it, so it is posted (in the thread of the first
message) only once the one before it is sent, and every part has its own key for reconciliation.
A row Slack refused (`DeliveryError.payload_refused`) is never sent again as it was: the next
payload may hold at most half the blocks, weight, section text and text of the refused one
(bot/texts/blockfit.py `below`), so a bad block is cornered in ever smaller parts.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.composer import compose
from bot.storage import db, store
from bot.storage.tables import OutboxRow
from bot.texts.blockfit import SLACK, Limits, below, fit_message
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language

log = logging.getLogger(__name__)

PART = "part"
# Rows edited in place after posting (chat.update): shortened to one message, never split.
EDITED = frozenset({"card", "group"})
# Rows posted at the top level: split, they become a labelled parent and replies in its thread;
# the others (alerts, parts) are in a thread already, and their parts follow them there.
TOP_LEVEL = frozenset({"digest", "admin"})
# Refusals after which a row is parked: each halves what the next payload may hold.
MAX_REFUSALS = 3


def refusals(row: OutboxRow) -> int:
    """How many times Slack refused this row's payload so far."""
    return int((row.payload or {}).get("refused") or 0)


def messages_for(session: Session, row: OutboxRow, *, language: Language) -> list[Message]:
    """What the row posts: its message (frozen once expanded), fitted to Slack's limits or,
    after a refusal, to half of what was refused; several messages when it must be split."""
    payload = row.payload or {}
    frozen = payload.get("message")
    message = Message(**frozen) if frozen else compose(session, row, language=language)
    limits = Limits(*payload["limits"]) if payload.get("limits") else SLACK
    chosen = payload.get("language", language)
    return fit_message(
        message,
        language=chosen,
        limits=limits,
        single=row.kind in EDITED,
        labelled=row.kind in TOP_LEVEL,
    )


def expand(
    sessions: db.SessionFactory, row: OutboxRow, messages: list[Message], *, now: datetime
) -> Message:
    """Freeze the first message on the row and queue the rest as parts chained after it; a part
    already chained after the row moves behind the new ones. Returns the message to post (the
    one frozen, when another process expanded the row first)."""
    with db.transaction(sessions) as session:
        current = session.get(OutboxRow, row.id)
        assert current is not None
        payload, level = dict(current.payload or {}), refusals(current)
        if payload.get("expanded") == level and payload.get("message"):
            return Message(**payload["message"])
        successor = _successor(session, row.alert_key)
        current.payload = payload | {"message": asdict(messages[0]), "expanded": level}
        rows = _chain(row, messages[1:], level=level, language=payload.get("language"))
        store.enqueue(session, rows, now=now)
        if successor is not None:
            successor.group_key = rows[-1]["alert_key"]
    log.info(
        "outbox row %s takes %d messages; the rest follow in its thread", row.id, len(messages)
    )
    return messages[0]


def _drop_parts(session: Session, key: str) -> None:
    """Delete the unsent parts chained after the row with `key` (its parent was never posted,
    so neither was any of them)."""
    part = _successor(session, key)
    while part is not None and part.status == "pending":
        following = _successor(session, part.alert_key)
        session.delete(part)
        session.flush()
        part = following


def _successor(session: Session, key: str) -> OutboxRow | None:
    query = select(OutboxRow).where(OutboxRow.group_key == key, OutboxRow.kind == PART)
    return session.scalar(query)


def _chain(
    row: OutboxRow, messages: list[Message], *, level: int, language: Any
) -> list[dict[str, Any]]:
    """Part rows for `messages`, each chained after the one before it (the first after `row`);
    keys from the row's key, the refusal level and the part's number."""
    chained, after = [], row.alert_key
    for number, message in enumerate(messages, start=2):
        payload: dict[str, Any] = {"message": asdict(message)}
        if language:
            payload["language"] = language
        key = store.alert_key(PART, row.alert_key, level, number)
        chained.append(
            {
                "alert_key": key,
                "channel": row.channel,
                "kind": PART,
                "group_key": after,
                "payload": payload,
            }
        )
        after = key
    return chained


def refused(
    sessions: db.SessionFactory, row: OutboxRow, sent: Message, reason: str, *, now: datetime
) -> int:
    """Count Slack's refusal of `sent` (the row's payload) and make the row due again, to be
    fitted within half of what was refused. Returns the refusals so far."""
    with db.transaction(sessions) as session:
        current = session.get(OutboxRow, row.id)
        assert current is not None
        level = refusals(current) + 1
        payload = {**(current.payload or {}), "refused": level, "limits": below(sent).as_list()}
        if current.kind != PART:  # nothing of it is posted: split it afresh, labels and all
            _drop_parts(session, current.alert_key)
            payload = {k: v for k, v in payload.items() if k not in {"message", "expanded"}}
        current.payload = payload
        current.status, current.next_attempt_at, current.last_error = "pending", now, reason
    log.error(
        "Slack refused outbox row %s (%s, %s): a bug in what we built; it is sent again "
        "split or shortened (refusal %d of at most %d)",
        row.id,
        row.kind,
        reason,
        level,
        MAX_REFUSALS,
    )
    return level
