"""Editing messages already posted: status cards and group headings brought up to date."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.delivery.parts import messages_for
from bot.delivery.poster import DeliveryError, Poster
from bot.delivery.rows import Rows
from bot.storage import db
from bot.storage.tables import OutboxRow
from bot.texts.catalogue import Language

log = logging.getLogger(__name__)


@dataclass
class Editor:
    """Re-composes posted rows and edits them in place (chat.update); failures only warn."""

    sessions: db.SessionFactory
    rows: Rows
    poster: Poster
    language: Language

    def refresh_cards(self, touched: set[tuple[str, str]]) -> None:
        """Edit each touched method's status card to the state after this run's alerts."""
        for method_id, channel in sorted(touched):
            thread = self.rows.thread(method_id, channel)
            card = self.rows.current_card(method_id, channel)
            if thread is None or card is None:
                continue
            self._update(card, thread.ts, what=f"status card of {method_id}")

    def recount_groups(self, keys: set[str], *, posted_before: datetime) -> None:
        """Edit the heading of each group posted in an earlier run that got replies in this one.

        A catch-up cycle's sources are polled (and delivered) one by one, so its heading goes
        out before the later sources add their alerts to its thread.
        """
        for key in sorted(keys):
            head = self.rows.by_key(key)
            if head is None or head.slack_ts is None or head.sent_at is None:
                continue
            if head.sent_at < posted_before:
                self._update(head, head.slack_ts, what="group heading")

    def _update(self, row: OutboxRow, ts: str, *, what: str) -> None:
        with self.sessions() as session:
            message = messages_for(session, row, language=self.language)[0]
        try:
            self.poster.update(row.channel, ts, text=message.text, blocks=message.blocks)
        except DeliveryError as exc:
            log.warning("%s in %s not updated: %s", what, row.channel, exc.reason)
