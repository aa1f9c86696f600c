"""The team's scope: read strictly from the watchlist file, kept in the database, edited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.storage import db
from bot.storage.admin import AdminError
from bot.storage.scope import active_scope, set_scope_field, sync_file_scope
from bot.storage.tables import AuditEntry
from bot.watchlist import Scope, WatchlistError, parse_watchlist_file, read_watchlist

SEED = Path(__file__).parents[1] / "config" / "watchlist.yaml"
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
METHOD = "methods:\n  - id: x\n    title: T\n    substance: s\n"


def errors_of(text: str) -> list[str]:
    with pytest.raises(WatchlistError) as caught:
        parse_watchlist_file(text, name="w.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_seed_file_carries_the_teams_scope() -> None:
    """The shipped watchlist proposes candidates for ATC D11 and atopic dermatitis."""
    scope = read_watchlist(SEED).scope
    assert scope is not None
    assert (scope.atc, scope.conditions, scope.ignore) == (["D11"], ["atopic dermatitis"], [])


def test_a_file_without_scope_proposes_nothing() -> None:
    """No `scope:` is no scope; a scope with only ignored substances proposes nothing either."""
    assert parse_watchlist_file(METHOD, name="w.yaml").scope is None
    scope = parse_watchlist_file(METHOD + "scope:\n  ignore: [x]\n", name="w.yaml").scope
    assert scope is not None and not scope.proposes


def test_scope_values_are_normalised() -> None:
    """ATC prefixes upper-cased, one value or a list, whitespace collapsed."""
    text = METHOD + "scope:\n  atc: d11ah\n  conditions: ['  atopic   dermatitis ']\n"
    scope = parse_watchlist_file(text, name="w.yaml").scope
    assert scope == Scope(atc=["D11AH"], conditions=["atopic dermatitis"])


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("  atc: [D1X]\n", "w.yaml:6: scope.atc: 'D1X' is not an ATC code or prefix"),
        ("  condition: [x]\n", "w.yaml:6: scope.condition: unknown key 'condition' (did you mean"),
        ("  conditions: [eczema, Eczema]\n", "w.yaml:6: scope.conditions: lists the same value"),
        ("  ignore: ['']\n", "w.yaml:6: scope.ignore: an entry is empty"),
        ("  channel: general\n", "w.yaml:6: scope.channel: 'general' is not a Slack channel ID"),
    ],
)
def test_scope_mistakes_name_file_line_and_field(scope: str, expected: str) -> None:
    """Each mistake in `scope:` is reported at its line, with its field, like a method's."""
    (error,) = errors_of(METHOD + "scope:\n" + scope)
    assert error.startswith(expected), error


def test_unknown_top_level_key_suggests_scope() -> None:
    """A misspelt `scope:` is refused with a did-you-mean."""
    (error,) = errors_of(METHOD + "scopes:\n  atc: [D11]\n")
    assert "unknown key 'scopes' (did you mean 'scope'?)" in error


def test_file_scope_is_synced_until_slack_owns_it(sessions: db.SessionFactory) -> None:
    """The file's scope is copied in (and removed with it) until an admin edits it in Slack;
    from then on the file no longer changes it."""
    with db.transaction(sessions) as session:
        sync_file_scope(session, Scope(atc=["D11"]), now=NOW)
    with db.transaction(sessions) as session:
        sync_file_scope(session, None, now=NOW)
    with sessions() as session:
        assert active_scope(session) is None
    with db.transaction(sessions) as session:
        sync_file_scope(session, Scope(atc=["D11"]), now=NOW)
        set_scope_field(session, "atc", ["D11", "L01"], actor="U0ADMIN", request_id="r1", now=NOW)
    with db.transaction(sessions) as session:
        sync_file_scope(session, Scope(atc=["D10"]), now=NOW + timedelta(days=1))
        sync_file_scope(session, None, now=NOW + timedelta(days=1))
    with sessions() as session:
        assert active_scope(session) == Scope(atc=["D11", "L01"])


def test_slack_edit_is_audited_validated_and_replay_safe(sessions: db.SessionFactory) -> None:
    """An edit writes one audit row; the same request again changes nothing; a bad value is
    refused with what is wrong, and the scope stays as it was."""
    with db.transaction(sessions) as session:
        sync_file_scope(session, Scope(atc=["D11"]), now=NOW)
        first = set_scope_field(
            session, "conditions", ["psoriasis"], actor="U0ADMIN", request_id="r1", now=NOW
        )
    with db.transaction(sessions) as session:
        again = set_scope_field(
            session, "conditions", ["acne"], actor="U0ADMIN", request_id="r1", now=NOW
        )
    with pytest.raises(AdminError) as refused, db.transaction(sessions) as session:
        set_scope_field(session, "atc", ["XX"], actor="U0ADMIN", request_id="r2", now=NOW)
    assert first == Scope(atc=["D11"], conditions=["psoriasis"]) and again is None
    assert refused.value.code == "scope_invalid" and "'XX'" in str(refused.value.values)
    with sessions() as session:
        assert active_scope(session) == first
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        detail = session.scalar(select(AuditEntry.detail))
    assert audits == 1
    assert detail == {"field": "conditions", "values": ["psoriasis"], "previous": []}


def test_migration_0006_builds_the_tables_the_code_declares(database_url: str) -> None:
    """The migrated schema of the scope and candidates' tables is what bot/storage/tables.py
    declares (Alembic finds nothing to change)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.storage.tables import Base

    ours = {"scope", "candidates", "candidate_evidence", "scope_substances"}
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with engine.connect() as connection:
        changes = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [change for change in changes if ours & set(map(str, _tables(change)))] == []


def _tables(change: object) -> list[object]:
    """The table names one of Alembic's change tuples (or lists of them) concerns."""
    if isinstance(change, list):
        return [name for item in change for name in _tables(item)]
    found = []
    for part in change if isinstance(change, tuple) else ():
        name = getattr(part, "name", None) if hasattr(part, "columns") else None
        table = getattr(getattr(part, "table", None), "name", None)
        found += [value for value in (name, table, part) if isinstance(value, str)]
    return found
