"""Candidates in a poll: the cycle's scan context from the database, the evidence kept with it.

A poll reads a `Scanning` source with the team's scope (bot.sources.scanning): its answers give
evidence beside their records, stored in the poll's own transaction, so a poll that fails keeps
no evidence either, and the same fact read again adds nothing. Nothing is posted from here: the
weekly "Nye kandidater" proposes what is new (bot.ops.candidates), never an alert per finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.sources.evidence import Evidence, Term
from bot.sources.scanning import ScanContext
from bot.storage import candidates, db
from bot.watchlist import Method, Scope


def scan_context(
    sessions: db.SessionFactory, scope: Scope | None, methods: Sequence[Method], *, now: datetime
) -> ScanContext | None:
    """This cycle's scan, or None without a scope that can propose anything."""
    if scope is None or not scope.proposes:
        return None
    with sessions() as session:
        known = candidates.known_substances(session)
    return ScanContext.build(scope, methods, today=now.date(), known=known)


def keep_evidence(
    session: Session,
    evidence: list[Evidence],
    in_scope: dict[str, Term] | None,
    *,
    now: datetime,
) -> int:
    """Store the cycle's evidence (and the substances in scope, when an answer listed them all);
    returns how many facts were new."""
    if in_scope is not None:
        candidates.replace_substances(session, in_scope, now=now)
    return candidates.add_evidence(session, evidence, now=now)
