"""The team's decisions on candidates: follow, not relevant, take; each audited and replay-safe.

As for watchlist edits (bot.storage.admin), the audit row is written first with the Slack
request's unique id: the same click or submission replayed finds its id taken and changes
nothing. Following a candidate adds the method (a silent baseline at its first poll) in the same
transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.storage import admin
from bot.storage.admin import AdminError
from bot.storage.candidates import DISMISSED, FOLLOWED, OPEN
from bot.storage.tables import Candidate
from bot.watchlist import Method

MAX_REASON = 500


def take(
    session: Session, candidate_id: int, *, actor: str, request_id: str, now: datetime
) -> bool:
    """ "Ta saken": `actor` owns the candidate from now (False: this request was a replay)."""
    if admin.replayed(session, request_id):
        return False
    candidate = _undecided(session, candidate_id)
    if not _audit(
        session, "candidate_take", candidate=candidate, actor=actor, request_id=request_id, now=now
    ):
        return False
    candidate.owner, candidate.owned_at = actor, now
    return True


def dismiss(
    session: Session,
    candidate_id: int,
    *,
    reason: str | None,
    actor: str,
    request_id: str,
    now: datetime,
) -> bool:
    """ "Ikke relevant": hidden until new evidence arrives (False: this request was a replay)."""
    if admin.replayed(session, request_id):
        return False
    candidate = _undecided(session, candidate_id)
    why = " ".join((reason or "").split())[:MAX_REASON] or None
    if not _audit(
        session,
        "candidate_dismiss",
        candidate=candidate,
        actor=actor,
        request_id=request_id,
        now=now,
        detail={"reason": why},
    ):
        return False
    candidate.status, candidate.reason = DISMISSED, why
    candidate.decided_by, candidate.decided_at = actor, now
    return True


def follow(
    session: Session,
    candidate_id: int,
    method: Method,
    *,
    actor: str,
    request_id: str,
    now: datetime,
) -> bool:
    """ "Følg": the method is watched from the next poll (silently at first) and the candidate is
    followed; a dismissed candidate may still be followed (False: a replay)."""
    if admin.replayed(session, request_id):
        return False
    candidate = _known(session, candidate_id)
    if candidate.status == FOLLOWED:
        raise AdminError("candidate_already_followed", method=candidate.method_id or "")
    if not admin.add_method(session, method, actor=actor, request_id=request_id, now=now):
        return False
    _audit(
        session,
        "candidate_follow",
        candidate=candidate,
        actor=actor,
        request_id=f"{request_id}:follow",
        now=now,
        detail={"method": method.id},
    )
    candidate.status, candidate.method_id = FOLLOWED, method.id
    candidate.decided_by, candidate.decided_at = actor, now
    return True


def _known(session: Session, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise AdminError("candidate_unknown")
    return candidate


def _undecided(session: Session, candidate_id: int) -> Candidate:
    candidate = _known(session, candidate_id)
    if candidate.status != OPEN:
        raise AdminError(f"candidate_already_{candidate.status}", who=candidate.decided_by or "")
    return candidate


def _audit(
    session: Session,
    action: str,
    *,
    candidate: Candidate,
    actor: str,
    request_id: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> bool:
    about = {"candidate": candidate.id, "identity": candidate.identity, **(detail or {})}
    return admin.audit(
        session, action, actor=actor, request_id=request_id, method_id=None, detail=about, now=now
    )
