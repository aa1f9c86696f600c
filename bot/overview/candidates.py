"""Candidates as the surfaces show them: their evidence, the expected timeline, the triage counts.

A candidate whose substance has been put on the watchlist since (by "Følg" or by hand) is no
longer open: anything watched is out of scope. The timeline follows the EU road as the outlook
does (bot.overview.outlook): a CHMP opinion without a decision yet expects the Commission's
decision within 67 days; an EC decision expects the Norwegian MA about 30 days later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.overview.outlook import EC_DECISION_DAYS, NORWAY_DAYS, Milestone
from bot.sources.names import NameIndex
from bot.storage import store
from bot.storage.candidates import DISMISSED as DISMISSED
from bot.storage.candidates import FOLLOWED as FOLLOWED
from bot.storage.candidates import OPEN as OPEN
from bot.storage.tables import Candidate, CandidateEvidence
from bot.watchlist import Method

OPINIONS = {"ema_opinion", "ema_procedure_opinion"}
DECISIONS = {"ema_decision"}
NEGATIVE = "negative"


@dataclass(frozen=True)
class EvidenceView:
    """One fact about a candidate, as stored."""

    source: str
    key: str
    kind: str
    date: str | None
    url: str
    facts: dict[str, Any]
    new: bool  # not yet carried by a weekly "Nye kandidater"


@dataclass(frozen=True)
class CandidateView:
    """A candidate with its triage and evidence (newest event first) and what is expected."""

    id: int
    substance: str
    term_kind: str
    term: str
    status: str
    owner: str | None
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    method_id: str | None
    reopened: bool
    evidence: tuple[EvidenceView, ...]
    expected: tuple[Milestone, ...] = ()

    @property
    def source(self) -> str:
        """The source of its newest fact (the weekly message groups by it)."""
        return self.evidence[0].source if self.evidence else ""


@dataclass(frozen=True)
class Counts:
    """Candidates by triage: open (of which taken), followed, not relevant; open ones by owner."""

    open: int = 0
    taken: int = 0
    followed: int = 0
    dismissed: int = 0
    owners: dict[str, int] = field(default_factory=dict)


def read_candidates(session: Session, ids: Sequence[int]) -> list[CandidateView]:
    """The candidates with these ids, in that order (ids no longer there are skipped)."""
    rows = {row.id: row for row in session.scalars(select(Candidate).where(Candidate.id.in_(ids)))}
    evidence = _evidence_of(session, list(rows))
    return [_view(rows[i], evidence.get(i, [])) for i in ids if i in rows]


def open_candidates(session: Session, methods: Sequence[Method]) -> list[CandidateView]:
    """Open candidates not watched meanwhile, the newest evidence first."""
    query = select(Candidate.id).where(Candidate.status == OPEN)
    ids = list(session.scalars(query.order_by(Candidate.evidence_at.desc(), Candidate.id)))
    views = read_candidates(session, ids)
    watched = NameIndex.all_names(methods)
    return [view for view in views if not watched.find(view.substance)]


def to_propose(session: Session, methods: Sequence[Method]) -> list[CandidateView]:
    """Open candidates with evidence no weekly message has carried yet."""
    return [view for view in open_candidates(session, methods) if any(e.new for e in view.evidence)]


def counts(session: Session, shown: Sequence[CandidateView]) -> Counts:
    """The triage counts, the open ones being `shown` (what `open_candidates` gave the caller)."""
    statuses = Counter(session.scalars(select(Candidate.status)))
    owners = Counter(view.owner for view in shown if view.owner)
    return Counts(
        open=len(shown),
        taken=sum(owners.values()),
        followed=statuses[FOLLOWED],
        dismissed=statuses[DISMISSED],
        owners=dict(sorted(owners.items())),
    )


def _evidence_of(session: Session, ids: list[int]) -> dict[int, list[CandidateEvidence]]:
    found: dict[int, list[CandidateEvidence]] = {}
    for chunk in store.in_chunks(ids):
        query = select(CandidateEvidence).where(CandidateEvidence.candidate_id.in_(chunk))
        for row in session.scalars(query.order_by(CandidateEvidence.id)):
            found.setdefault(row.candidate_id, []).append(row)
    return found


def _view(row: Candidate, evidence: list[CandidateEvidence]) -> CandidateView:
    # Newest event first, undated facts last; equal dates keep the order they were stored in.
    facts = sorted((_evidence_view(e) for e in evidence), key=lambda e: e.date or "", reverse=True)
    return CandidateView(
        id=row.id,
        substance=row.substance,
        term_kind=row.term_kind,
        term=row.term,
        status=row.status,
        owner=row.owner,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
        method_id=row.method_id,
        reopened=row.reopened_at is not None,
        evidence=tuple(facts),
        expected=expected(facts),
    )


def _evidence_view(row: CandidateEvidence) -> EvidenceView:
    return EvidenceView(
        source=row.source,
        key=row.record_key,
        kind=row.kind,
        date=row.event_date,
        url=row.url,
        facts=dict(row.facts or {}),
        new=row.proposed_at is None,
    )


def expected(evidence: Sequence[EvidenceView]) -> tuple[Milestone, ...]:
    """What the EU road expects next, from the newest EMA opinion or decision."""
    decisions = [e.date for e in evidence if e.kind in DECISIONS and e.date]
    opinions = [
        e.date
        for e in evidence
        if e.kind in OPINIONS and e.date and not _negative(e.facts.get("opinion_status"))
    ]
    if decisions and (not opinions or max(decisions) >= max(opinions)):
        return (_after("mt_norway", max(decisions), NORWAY_DAYS),)
    if opinions:
        ec = _after("ec_decision", max(opinions), EC_DECISION_DAYS)
        return (ec, _after("mt_norway", ec.by, NORWAY_DAYS))
    return ()


def _negative(status: Any) -> bool:
    return str(status or "").strip().casefold() == NEGATIVE


def _after(kind: str, iso: str, days: Any) -> Milestone:
    return Milestone(kind, (date.fromisoformat(iso[:10]) + days).isoformat(), iso[:10])
