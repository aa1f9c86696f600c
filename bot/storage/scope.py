"""The team's scope in the database: synced from the watchlist file, edited from Slack (audited).

Until an admin edits it in Slack, the file's `scope:` is copied in at every start (and removing
it from the file removes it). After an edit, Slack's copy wins over the file, as it does for a
method added or changed in Slack; `metodevakt watchlist export` writes it back out.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.storage import admin
from bot.storage.admin import AdminError
from bot.storage.tables import ScopeRow
from bot.watchlist import Scope

TEAM = "team"
FIELDS = ("atc", "conditions", "ignore")


def active_scope(session: Session) -> Scope | None:
    """The scope in force, or None when there is none."""
    row = session.get(ScopeRow, TEAM)
    return Scope.model_validate(row.definition) if row is not None else None


def sync_file_scope(session: Session, scope: Scope | None, *, now: datetime) -> None:
    """Make the file's scope the one in force, unless Slack's copy owns it."""
    row = session.get(ScopeRow, TEAM)
    if row is not None and row.origin != "file":
        return
    if scope is None:
        if row is not None:
            session.delete(row)
        return
    definition = scope.definition()
    if row is None:
        session.add(
            ScopeRow(
                name=TEAM, definition=definition, origin="file", updated_at=now, updated_by=None
            )
        )
    elif row.definition != definition:
        row.definition, row.updated_at = definition, now


def set_scope_field(
    session: Session,
    field: str,
    values: list[str],
    *,
    actor: str,
    request_id: str,
    now: datetime,
) -> Scope | None:
    """Replace one list of the scope (`atc`, `conditions` or `ignore`); the new scope, or None
    when this request was a replay. AdminError("scope_invalid") names what is wrong."""
    if field not in FIELDS:
        raise AdminError("scope_usage")
    if admin.replayed(session, request_id):
        return None
    row = session.get(ScopeRow, TEAM)
    current = dict(row.definition) if row is not None else {}
    scope = _validated(current | {field: values})
    detail = {"field": field, "values": values, "previous": current.get(field, [])}
    if not admin.audit(
        session, "scope", actor=actor, request_id=request_id, method_id=None, detail=detail, now=now
    ):
        return None
    if row is None:
        row = ScopeRow(name=TEAM, definition={}, origin="slack", updated_at=now)
        session.add(row)
    row.definition, row.origin = scope.definition(), "slack"
    row.updated_at, row.updated_by = now, actor
    return scope


def _validated(definition: dict[str, object]) -> Scope:
    try:
        return Scope.model_validate(definition)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise AdminError("scope_invalid", problem=message) from None
