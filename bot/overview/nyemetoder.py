"""A method's way through Nye metoder, from its stored pages and decisions (data, not words).

The pages tell the process so far (Forslag, Bestillerforum, the assessment, documents, the
decision) and the status badge; the workbook tells the current decisions. What comes next is read
from how far a page has come, and only from that: nothing is predicted that the pages do not say.
This is a different question from the outlook (*Tidsperspektiv MT i Norge*), which follows the EMA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.overview.state import Item, Overview

Fields = dict[str, Any]

# What a page says comes next, by how far it has come.
NEXT_BESTILLERFORUM = "bestillerforum"  # a proposal, nothing ordered yet
NEXT_ASSESSMENT = "assessment"  # an assessment ordered or started, not finished
NEXT_DECISION = "decision"  # an assessment finished or cleared, or the badge "Til beslutning"
AWAITING_DECISION = "Til beslutning"


@dataclass(frozen=True)
class Step:
    """One dated step on a page: `kind` is proposal, order, ordered, started, finished, cleared,
    document or decision; `values` what the texts show with it (source text, unescaped)."""

    date: str | None
    kind: str
    values: Fields = field(default_factory=dict)


@dataclass(frozen=True)
class PageState:
    """One method page: its IDs, title, status badge, the steps so far (by date), what is next."""

    item: Item
    ids: list[str]
    title: str
    status: str | None
    steps: list[Step]
    next: str | None


@dataclass(frozen=True)
class Decision:
    """One current decision of Beslutningsforum from the workbook (ID and indication)."""

    item: Item
    nye_id: str
    indication: str | None
    date: str | None
    short: str | None
    first_point: str | None


@dataclass(frozen=True)
class NyeMetoder:
    """Everything stored about a method in Nye metoder."""

    ids: list[str]
    pages: list[PageState]
    decisions: list[Decision]

    @property
    def status(self) -> str | None:
        """The status badge of the first page that shows one (verbatim)."""
        return next((page.status for page in self.pages if page.status), None)

    @property
    def latest(self) -> Step | None:
        """The newest dated step of any page, or the newest decision in the workbook."""
        steps = [step for page in self.pages for step in page.steps if step.date]
        steps += [_decision_step(d) for d in self.decisions if d.date]
        return max(steps, key=lambda step: step.date or "", default=None)

    @property
    def next(self) -> str | None:
        """What the least advanced undecided page says comes next."""
        order = (NEXT_BESTILLERFORUM, NEXT_ASSESSMENT, NEXT_DECISION)
        pending = [page.next for page in self.pages if page.next]
        return min(pending, key=order.index, default=None)


def nye_metoder_of(overview: Overview) -> NyeMetoder:
    """The method's Nye metoder state from its overview's stored pages and decisions."""
    pages = [page_state(item) for item in overview.nye_pages]
    # Newest first; one meeting's decisions by ID.
    decisions = sorted((decision_of(item) for item in overview.nye_decisions), key=_by_id)
    decisions.sort(key=lambda d: d.date or "", reverse=True)
    return NyeMetoder(list(overview.method.nye_metoder), pages, decisions)


def page_state(item: Item) -> PageState:
    """A stored page as its state: header, steps in date order (undated last), next step."""
    fields = item.fields
    steps = sorted(steps_of(fields), key=lambda step: (step.date is None, step.date or ""))
    return PageState(
        item=item,
        ids=list(fields.get("ids") or []),
        title=str(fields.get("title") or item.key),
        status=fields.get("status"),
        steps=steps,
        next=next_of(fields),
    )


def steps_of(fields: Fields) -> list[Step]:
    """Every step a page shows, in the order of the process."""
    proposal = fields.get("proposal") or {}
    assessment = fields.get("assessment") or {}
    steps = []
    if proposal.get("submitted"):
        steps.append(Step(proposal["submitted"], "proposal", {"by": proposal.get("submitted_by")}))
    steps += [Step(order.get("date"), "order", dict(order)) for order in fields.get("orders") or []]
    for kind in ("ordered", "started", "finished", "cleared"):
        if assessment.get(kind):
            values = {"type": assessment.get("type"), "assessor": assessment.get("assessor")}
            steps.append(Step(assessment[kind], kind, values))
    steps += [Step(doc.get("date"), "document", dict(doc)) for doc in fields.get("documents") or []]
    decision = fields.get("decision") or {}
    decided = decision.get("forum_date") or decision.get("date")
    if decided:
        steps.append(Step(decided, "decision", {"first_point": decision.get("first_point")}))
    return steps


def next_of(fields: Fields) -> str | None:
    """What comes next on this page, by how far it has come (None once decided)."""
    decision = fields.get("decision") or {}
    if decision.get("forum_date") or decision.get("date"):
        return None
    assessment = fields.get("assessment") or {}
    if assessment.get("finished") or assessment.get("cleared"):
        return NEXT_DECISION
    if fields.get("status") == AWAITING_DECISION:
        return NEXT_DECISION
    if assessment.get("ordered") or assessment.get("started"):
        return NEXT_ASSESSMENT
    if not fields.get("orders") and (fields.get("proposal") or {}).get("submitted"):
        return NEXT_BESTILLERFORUM
    return None


def decision_of(item: Item) -> Decision:
    """A stored workbook decision."""
    fields = item.fields
    return Decision(
        item=item,
        nye_id=str(fields.get("id") or item.key),
        indication=fields.get("indication"),
        date=fields.get("decision_date"),
        short=fields.get("decision_short"),
        first_point=fields.get("first_point"),
    )


def _by_id(decision: Decision) -> str:
    return decision.nye_id


def _decision_step(decision: Decision) -> Step:
    values = {"first_point": decision.first_point, "short": decision.short, "id": decision.nye_id}
    return Step(decision.date, "decision", values)
