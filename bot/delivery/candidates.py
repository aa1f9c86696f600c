"""The messages of candidates' outbox rows, written when they are sent from the stored state.

`candidates` is the weekly head in the channel; `candidates_part` one message of its thread
(queued in the head's group, so it is posted as a reply once the head is posted);
`candidates_summary` the part on open candidates and who owns what, on its own when the
candidates' channel gets no summary (else it ends that summary: `with_candidates`). Each payload
names its candidates and the language it was queued in; the candidates' triage is read now, so a
candidate decided since it was queued shows how, not its buttons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.overview.candidates import counts, open_candidates, read_candidates
from bot.storage import store
from bot.storage.tables import OutboxRow
from bot.texts.blockkit import Message
from bot.texts.candidates.listing import render_summary
from bot.texts.candidates.weekly import render_head, render_part
from bot.texts.catalogue import Language

HEAD, PART, SUMMARY = "candidates", "candidates_part", "candidates_summary"
KINDS = frozenset({HEAD, PART, SUMMARY})


def compose_candidates(session: Session, row: OutboxRow, *, language: Language) -> Message:
    """The head, a part of its thread, or the summary's reply, by the row's kind."""
    payload: dict[str, Any] = row.payload or {}
    chosen: Language = payload.get("language", language)
    if row.kind == HEAD:
        return render_head(read_candidates(session, payload["ids"]), chosen)
    if row.kind == PART:
        views = read_candidates(session, payload["ids"])
        return render_part(
            payload["source"], views, continued=bool(payload.get("continued")), language=chosen
        )
    return _summary(session, chosen)


def with_candidates(session: Session, digest: Message, *, language: Language) -> Message:
    """The summary with its part on open candidates and who owns what at the end (delivery
    splits a summary that needs several messages)."""
    return Message(digest.text, [*digest.blocks, *_summary(session, language).blocks])


def _summary(session: Session, language: Language) -> Message:
    methods = store.active_methods(session)
    shown = open_candidates(session, methods)
    return render_summary(shown, counts(session, shown), language)
