"""What counts as a change in Nye metoder (pure), how important it is, and how records are named.

Pages tell the steps before a decision; the workbook is the firmer source for decisions. A
Beslutningsforum decision is found in both, so both give it the same kind and the same
`decision_identity` (the decision date), which lets the two findings become one alert per method.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.sources.changes import Finding, SourceRules, differs, pick
from bot.sources.nyemetoder.pages import KNOWN_STATUSES
from bot.sources.plaintext import truncate

Fields = dict[str, Any]

PAGES = "nyemetoder_pages"
DECISIONS = "nyemetoder_decisions"

STATUS = "nyemetoder_status"
STATUS_NEW = "nyemetoder_status_new"
ORDER = "nyemetoder_order"
ORDERED = "nyemetoder_assessment_ordered"
STARTED = "nyemetoder_assessment_started"
FINISHED = "nyemetoder_assessment_finished"
DOCUMENT = "nyemetoder_document"
DECISION = "nyemetoder_decision"
DECISION_REVISED = "nyemetoder_decision_revised"


def compare_page(old: Fields, new: Fields) -> list[Finding]:
    """Status badge, new Bestillerforum decisions, assessment steps, new documents, decision."""
    return [
        *_status(old, new),
        *_new_items(old, new, "orders", ORDER, identity=("forum", "date")),
        *_assessment(old, new),
        *_new_items(old, new, "documents", DOCUMENT, identity=("title", "date")),
        *_page_decision(old, new),
    ]


def appear_page(_new: Fields) -> list[Finding]:
    """A page is watched by its path, so its first sight is always its silent baseline."""
    return []


def compare_decision(old: Fields, new: Fields) -> list[Finding]:
    """A new decision date is a new decision (high); new wording on the same date is low."""
    if new.get("decision_date") and new.get("decision_date") != old.get("decision_date"):
        return [_decision(pick(old, "decision_date"), _workbook_decision(new))]
    if differs(old, new, "decision_short", "decision_text"):
        return [
            Finding(
                DECISION_REVISED,
                "low",
                pick(old, "decision_short", "first_point"),
                pick(new, "decision_short", "first_point", "decision_date"),
            )
        ]
    return []


def appear_decision(new: Fields) -> list[Finding]:
    """A decision for a watched ID and an indication not listed before (high)."""
    return [_decision(None, _workbook_decision(new))]


def decision_identity(new: Fields) -> str:
    """What a decision finding from either source is the same decision by: its date.

    Per method, one Beslutningsforum meeting is one piece of news, whether the workbook (one row
    per ID and indication) or a page (several IDs at once) tells it.
    """
    return f"beslutningsforum {new.get('decision_date') or 'undated'}"


def page_subject(key: str, fields: Mapping[str, Any]) -> str:
    """A method page named by its IDs and title: 'ID2019_015 (Dupilumab (Dupixent))'."""
    ids = ", ".join(fields.get("ids") or []) or key
    title = truncate(str(fields.get("title") or ""), 80)
    return f"{ids} ({title})" if title else ids


def decision_subject(key: str, fields: Mapping[str, Any]) -> str:
    """A decision named by its ID and substance: 'ID2019_015 (Dupilumab (Dupixent))'."""
    name = fields.get("substance") or fields.get("trade_name")
    if fields.get("substance") and fields.get("trade_name"):
        name = f"{fields['substance']} ({fields['trade_name']})"
    nye_id = str(fields.get("id") or key)
    return f"{nye_id} ({name})" if name else nye_id


def _status(old: Fields, new: Fields) -> list[Finding]:
    status = new.get("status")
    if not status or status == old.get("status"):
        return []
    kind = STATUS if status in KNOWN_STATUSES else STATUS_NEW
    return [Finding(kind, "normal", pick(old, "status"), pick(new, "status"))]


def _new_items(
    old: Fields, new: Fields, field: str, kind: str, *, identity: tuple[str, ...]
) -> list[Finding]:
    seen = {tuple(item.get(name) for name in identity) for item in old.get(field) or []}
    fresh = [i for i in new.get(field) or [] if tuple(i.get(n) for n in identity) not in seen]
    return [Finding(kind, "normal", None, dict(item)) for item in fresh]


def _assessment(old: Fields, new: Fields) -> list[Finding]:
    before, after = old.get("assessment") or {}, new.get("assessment") or {}
    steps = (
        (ORDERED, after.get("ordered"), before.get("ordered"), ("ordered", "type", "assessor")),
        (STARTED, after.get("started"), before.get("started"), ("started", "assessor")),
        (FINISHED, _finished(after), _finished(before), ("finished", "cleared", "type")),
    )
    return [
        Finding(kind, "normal", pick(before, names[0]), pick(after, *names))
        for kind, now, then, names in steps
        if now and now != then
    ]


def _finished(assessment: Fields) -> Any:
    # Older pages have no "Ferdigstilt" label; the day Bestillerforum cleared the report then
    # marks the end of the assessment (P2: "klarert … den 04.02.2020").
    return assessment.get("finished") or assessment.get("cleared")


def _page_decision(old: Fields, new: Fields) -> list[Finding]:
    before, after = _decided(old), _decided(new)
    if not after or after == before:
        return []
    decision = new.get("decision") or {}
    fields = {
        "decision_date": after,
        "ids": list(new.get("ids") or []),
        "first_point": decision.get("first_point"),
        "responsible": decision.get("responsible"),
    }
    return [_decision({"decision_date": before}, fields)]


def _decision(old: Fields | None, new: Fields) -> Finding:
    """A Beslutningsforum decision (high), one piece of news per method whichever source tells
    it first (`decision_identity`)."""
    return Finding(DECISION, "high", old, new, identity=decision_identity(new))


def _decided(fields: Fields) -> Any:
    decision = fields.get("decision") or {}
    return decision.get("forum_date") or decision.get("date")


def _workbook_decision(new: Fields) -> Fields:
    return {
        "decision_date": new.get("decision_date"),
        "ids": [new.get("id")],
        "first_point": new.get("first_point"),
        "decision_short": new.get("decision_short"),
        "indication": new.get("indication"),
    }


# Pages are expected keys (never "unexpected"); a decision row is discovered, so a new one
# alerts. Neither source has a version marker. Pages are read by the methods' links and owned by
# their IDs; the workbook is filtered by the IDs alone (what a new baseline depends on).
PAGE_RULES = SourceRules(
    PAGES,
    compare_page,
    appear_page,
    alert_on_unexpected=False,
    subject=page_subject,
    watches=frozenset({"nye_metoder", "nye_metoder_url"}),
)
DECISION_RULES = SourceRules(
    DECISIONS,
    compare_decision,
    appear_decision,
    subject=decision_subject,
    watches=frozenset({"nye_metoder"}),
)
