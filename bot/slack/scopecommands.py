"""`/metode omfang`: the team's scope shown to everyone, changed by admins (audited, replay-safe,
and from then on Slack's copy wins over the watchlist file's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Respond

from bot.slack.handlers import Handlers
from bot.storage import admin, db
from bot.storage.scope import FIELDS, TEAM, active_scope, set_scope_field
from bot.storage.tables import ScopeRow
from bot.texts.blockkit import Message
from bot.texts.candidates.listing import render_scope

SCOPE_FIELDS = {
    "atc": "atc",
    "tilstander": "conditions",
    "conditions": "conditions",
    "ignorer": "ignore",
    "ignore": "ignore",
}
EMPTY = {"-", "ingen", "none"}


class ScopeHandlers(Handlers):
    """Showing and changing the team's scope."""

    def scope_message(self) -> Message:
        """The scope in force, where it comes from, and how to change it."""
        with self.runtime.sessions() as session:
            row = session.get(ScopeRow, TEAM)
            scope = active_scope(session)
        slack = row is not None and row.origin == "slack"
        return render_scope(
            scope,
            changed_by=row.updated_by if slack and row else None,
            changed_at=row.updated_at if slack and row else None,
            language=self.language,
            zone=self.zone,
        )

    def change_scope(self, rest: str, body: dict[str, Any], respond: Respond) -> None:
        """`atc D11, L01`, `tilstander …`, `ignorer …` (`-` empties the list), once per request."""
        name, _, text = rest.strip().partition(" ")
        field = SCOPE_FIELDS.get(name.casefold())
        values = [] if text.strip().casefold() in EMPTY else _values(text)
        if field not in FIELDS or (not values and text.strip().casefold() not in EMPTY):
            self.reply(respond, self.notice("scope_usage"))
            return
        try:
            with db.transaction(self.runtime.sessions) as session:
                changed = set_scope_field(
                    session,
                    field,
                    values,
                    actor=self.user_of(body),
                    request_id=str(body.get("trigger_id") or ""),
                    now=datetime.now(UTC),
                )
        except admin.AdminError as exc:
            self.reply(respond, self.refusal(exc))
            return
        if changed is None:
            self.reply(respond, self.notice("admin_replayed"))
            return
        self.reply(respond, self.scope_message())


def _values(text: str) -> list[str]:
    """Comma- (or semicolon-) separated values, their whitespace collapsed."""
    separators = text.replace(";", ",").split(",")
    return [" ".join(part.split()) for part in separators if part.strip()]
