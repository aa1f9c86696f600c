"""The messages of candidates' outbox rows, written when they are sent from the stored state.

`candidates` is the weekly head in the channel; `candidates_part` one message of its thread
(queued in the head's group, so it is posted as a reply once the head is posted);
`candidates_summary` the summary's reply on open candidates and who owns what. Each row's payload
names its candidates and the language it was queued in; the candidates' triage is read now, so a
candidate decided since it was queued shows how, not its buttons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.overview.candidates import counts, open_candidates, read_candidates
from bot.storage import store
from bot.storage.tables import OutboxRow
from bot.texts.blocks import Message
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
    methods = store.active_methods(session)
    shown = open_candidates(session, methods)
    return render_summary(shown, counts(session, methods), chosen)
