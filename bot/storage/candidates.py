"""Candidates in the database: evidence stored with the poll that found it, once per fact.

`add_evidence` runs inside a poll's own transaction (bot.polling.poll): the candidate is created
the first time its identity is seen, each fact (candidate, source, key, kind) is stored once, and
new evidence for a dismissed candidate opens it again (an EC decision after "Ikke relevant" at the
opinion is new). Nothing here posts: the weekly job proposes what is new (bot/ops).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.sources.evidence import Evidence, Term
from bot.storage import admin, store
from bot.storage.tables import Candidate, CandidateEvidence, ScopeSubstance

OPEN, FOLLOWED, DISMISSED = "open", "followed", "dismissed"
BOT = "metodevakt"  # the actor of what the bot does itself (reopening on new evidence)


def add_evidence(session: Session, evidence: Sequence[Evidence], *, now: datetime) -> int:
    """Store new evidence (known facts are skipped); returns how many facts were new."""
    by_identity: dict[str, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_identity[item.identity].append(item)
    candidates = _candidates(session, by_identity, now=now)
    added = 0
    for identity, items in by_identity.items():
        candidate = candidates[identity]
        fresh = store.insert_ignoring_duplicates(
            session,
            CandidateEvidence.__table__,
            [_evidence_row(candidate.id, i, now) for i in items],
        )
        if fresh:
            _touched(session, candidate, now=now)
        added += fresh
    return added


def _candidates(
    session: Session, by_identity: dict[str, list[Evidence]], *, now: datetime
) -> dict[str, Candidate]:
    """The candidates of these identities, created where missing."""
    wanted = sorted(by_identity)
    rows = [_candidate_row(by_identity[identity][0], now) for identity in wanted]
    store.insert_ignoring_duplicates(session, Candidate.__table__, rows)
    found = session.scalars(select(Candidate).where(Candidate.identity.in_(wanted)))
    return {row.identity: row for row in found}


def _candidate_row(item: Evidence, now: datetime) -> dict[str, Any]:
    return {
        "identity": item.identity,
        "substance": item.substance,
        "term_kind": item.term.kind,
        "term": item.term.value,
        "status": OPEN,
        "owner": None,
        "owned_at": None,
        "decided_by": None,
        "decided_at": None,
        "reason": None,
        "method_id": None,
        "first_seen_at": now,
        "evidence_at": now,
        "reopened_at": None,
    }


def _evidence_row(candidate_id: int, item: Evidence, now: datetime) -> dict[str, Any]:
    return {
        "candidate_id": candidate_id,
        "source": item.source,
        "record_key": item.key,
        "kind": item.kind,
        "event_date": item.date,
        "facts": item.facts,
        "url": item.url,
        "observed_at": now,
        "proposed_at": None,
    }


def _touched(session: Session, candidate: Candidate, *, now: datetime) -> None:
    """New evidence: a dismissed candidate is open again (and the audit log says why)."""
    candidate.evidence_at = now
    if candidate.status != DISMISSED:
        return
    candidate.status, candidate.reopened_at = OPEN, now
    detail = {"candidate": candidate.id, "identity": candidate.identity}
    admin.audit(
        session,
        "candidate_reopen",
        actor=BOT,
        request_id=None,
        method_id=None,
        detail=detail,
        now=now,
    )


def mark_proposed(session: Session, candidate_ids: Sequence[int], *, now: datetime) -> None:
    """Their evidence not yet proposed is carried by the weekly message queued now."""
    ids = list(candidate_ids)
    for chunk in store.in_chunks(ids):
        session.execute(
            update(CandidateEvidence)
            .where(
                CandidateEvidence.candidate_id.in_(chunk),
                CandidateEvidence.proposed_at.is_(None),
            )
            .values(proposed_at=now)
        )


def known_substances(session: Session) -> dict[str, Term]:
    """The substances EMA's medicines file last put in scope (folded), with their terms."""
    rows = session.scalars(select(ScopeSubstance))
    return {row.substance: Term(row.term_kind, row.term) for row in rows}


def replace_substances(session: Session, in_scope: dict[str, Term], *, now: datetime) -> None:
    """The substances in scope, as the medicines file read in this poll says."""
    session.execute(delete(ScopeSubstance))
    rows = [
        {"substance": name[:200], "term_kind": term.kind, "term": term.value, "updated_at": now}
        for name, term in sorted(in_scope.items())
    ]
    store.insert_ignoring_duplicates(session, ScopeSubstance.__table__, rows)
