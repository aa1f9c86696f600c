"""One candidate in words: its heading, each piece of evidence with its link, what is expected,
its triage, and its buttons ("Følg", "Ikke relevant", "Ta saken")."""

from __future__ import annotations

import re
from typing import Any

from bot.overview.candidates import DISMISSED, FOLLOWED, OPEN, CandidateView, EvidenceView
from bot.sources.evidence import ATC
from bot.texts.blockkit import SECTION_TEXT, Block, button, context, section, shorten
from bot.texts.catalogue import (
    OPINION,
    TRIAL_STATUS,
    Language,
    folded_term,
    number,
    table_date,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link

MAX_EVIDENCE = 6  # lines per candidate; the rest are counted
FOLLOW, DISMISS, TAKE, SHOW = (
    "candidate_follow",
    "candidate_dismiss",
    "candidate_take",
    "candidate_show",
)
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")


def mention(user: str | None) -> str:
    """A Slack user ID as a mention; anything else (the bot itself) as escaped text."""
    if user and _USER.match(user):
        return f"<@{user}>"
    return clean(user or "?", limit=40)


def title(view: CandidateView, language: Language) -> str:
    """`*lebrikizumab*: atopic dermatitis` (or `ATC D11`), escaped."""
    shown = (
        t(language, "candidate_term_atc", code=clean(view.term))
        if view.term_kind == ATC
        else clean(view.term)
    )
    return t(language, "candidate_heading", substance=clean(view.substance, limit=120), term=shown)


def plain_title(view: CandidateView, language: Language) -> str:
    """The title without mrkdwn emphasis (for notices and fallbacks)."""
    return title(view, language).replace("*", "")


def evidence_line(item: EvidenceView, language: Language) -> str:
    """`• EMA: positiv CHMP-uttalelse 12.11.2026: <link|Ebglyss (EMEA/H/C/…)> (Almirall)`."""
    facts = item.facts
    holder = facts.get("holder") or facts.get("sponsor")
    values = {
        "date": table_date(item.date, language),
        "product": link(item.url, _label(item)),
        "holder": t(language, "candidate_by", who=clean(str(holder), limit=80)) if holder else "",
        "opinion": folded_term(OPINION, facts.get("opinion_status"), language)
        if facts.get("opinion_status")
        else "",
        "status": term(TRIAL_STATUS, facts.get("status"), language),
    }
    return "• " + " ".join(t(language, f"candidate_{item.kind}", **values).split())


def _label(item: EvidenceView) -> str:
    facts: dict[str, Any] = item.facts
    if item.source == "openfda":
        brands = ", ".join(facts.get("brand_names") or [])
        return f"{brands} ({facts.get('application')} {facts.get('submission')})".strip()
    if item.source == "clinicaltrials":
        return f"{item.key} ({shorten(str(facts.get('title') or ''), 90)})"
    return f"{facts.get('name') or ''} ({facts.get('product_number') or item.key})"


def expected_line(view: CandidateView, language: Language) -> str | None:
    """`Forventet: EU-kommisjonens vedtak innen 18.01.2027; MT i Norge omkring 17.02.2027`."""
    steps = [
        t(language, f"candidate_expected_{step.kind}", date=table_date(step.by, language))
        for step in view.expected
    ]
    return t(language, "candidate_expected", steps="; ".join(steps)) if steps else None


def state_line(view: CandidateView, language: Language) -> str | None:
    """Who took it, or how it was decided (with the reason given), or None."""
    when = table_date(view.decided_at.date().isoformat() if view.decided_at else None, language)
    if view.status == FOLLOWED:
        method = clean(view.method_id or "")
        return t(
            language,
            "candidate_state_followed",
            method=method,
            user=mention(view.decided_by),
            date=when,
        )
    if view.status == DISMISSED:
        reason = f": {clean(view.reason, limit=300)}" if view.reason else ""
        return t(
            language,
            "candidate_state_dismissed",
            user=mention(view.decided_by),
            date=when,
            reason=reason,
        )
    return t(language, "candidate_owner", user=mention(view.owner)) if view.owner else None


def candidate_text(view: CandidateView, language: Language, *, most: int = MAX_EVIDENCE) -> str:
    """The candidate's section: heading, evidence (newest first, `most` of it), what is
    expected."""
    lines = [title(view, language)]
    if view.reopened and view.status == OPEN:
        lines.append(t(language, "candidate_reopened"))
    lines += [evidence_line(item, language) for item in view.evidence[:most]]
    hidden = len(view.evidence) - most
    if hidden > 0:
        lines.append(t(language, "more_left_out", count=number(hidden, language)))
    expected = expected_line(view, language)
    return shorten("\n".join([*lines, *([expected] if expected else [])]), SECTION_TEXT)


def candidate_blocks(
    view: CandidateView, language: Language, *, actions: bool = True, most: int = MAX_EVIDENCE
) -> list[Block]:
    """The candidate's section, its triage as a context line, and (while open) its buttons."""
    blocks = [section(candidate_text(view, language, most=most))]
    state = state_line(view, language)
    if state:
        blocks.append(context(state))
    if actions and view.status == OPEN:
        blocks.append(buttons(view, language))
    return blocks


def buttons(view: CandidateView, language: Language) -> Block:
    """ "Følg", "Ikke relevant" and "Ta saken", each carrying the candidate's id."""
    value = str(view.id)
    elements = [
        button(FOLLOW, t(language, "button_follow"), value, style="primary"),
        button(DISMISS, t(language, "button_dismiss"), value),
        button(TAKE, t(language, "button_take"), value),
    ]
    return {"type": "actions", "block_id": f"candidate:{value}", "elements": elements}
