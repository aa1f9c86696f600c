"""Nye metoder in words: its alerts' values, the lookup card's section, the card and home lines.

Everything from the site (badges, forum names, order and decision texts, titles) is its own
Norwegian text, escaped and shortened; links go to nyemetoder.no only (texts.mrkdwn allows it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.overview.nyemetoder import Decision, NyeMetoder, PageState, Step, nye_metoder_of
from bot.overview.state import Overview
from bot.texts.catalogue import Language, prose_date, table_date
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link

Fields = dict[str, Any]
Values = Callable[[Fields, Fields, Language], Fields]
STEP_TEXT_LIMIT = 300
POINT_LIMIT = 500


# -- alerts: the values of each kind's sentence (bot.texts.alerts looks them up by kind) --


def _status(old: Fields, new: Fields, language: Language) -> Fields:
    return {"old": _shown(old.get("status"), language), "new": _shown(new.get("status"), language)}


def _order(_old: Fields, new: Fields, language: Language) -> Fields:
    return {
        "forum": clean(str(new.get("forum") or "Bestillerforum")),
        "date": prose_date(new.get("date"), language),
        "text": order_text(new, language, limit=POINT_LIMIT),
    }


def _ordered(_old: Fields, new: Fields, language: Language) -> Fields:
    return _step(new.get("ordered"), (new.get("type"), new.get("assessor")), language)


def _started(_old: Fields, new: Fields, language: Language) -> Fields:
    return _step(new.get("started"), (new.get("assessor"),), language)


def _finished(_old: Fields, new: Fields, language: Language) -> Fields:
    return _step(new.get("finished") or new.get("cleared"), (new.get("type"),), language)


def _step(date: str | None, details: tuple[Any, ...], language: Language) -> Fields:
    shown = [clean(str(detail), limit=150) for detail in details if detail]
    return {
        "date": prose_date(date, language),
        "details": f" ({', '.join(shown)})" if shown else "",
    }


def _document(_old: Fields, new: Fields, language: Language) -> Fields:
    title = clean(str(new.get("title") or t(language, "unknown")), limit=200)
    return {"title": title, "date": prose_date(new.get("date"), language)}


def _decision(_old: Fields, new: Fields, language: Language) -> Fields:
    short = new.get("decision_short")
    return {
        "date": prose_date(new.get("decision_date"), language),
        "short": f" ({clean(str(short), limit=100)})" if short else "",
        "point": _point(new, language),
    }


def _revised(old: Fields, new: Fields, language: Language) -> Fields:
    # The short decision when it changed ("Innført" → "Ikke innført"), else the first point.
    if old.get("decision_short") != new.get("decision_short"):
        return {
            "old": _shown(old.get("decision_short"), language),
            "new": _shown(new.get("decision_short"), language),
        }
    return {"old": _point(old, language), "new": _point(new, language)}


def _point(fields: Fields, language: Language) -> str:
    point = fields.get("first_point") or fields.get("decision_short")
    return clean(str(point), limit=POINT_LIMIT) if point else t(language, "unknown")


def _shown(value: Any, language: Language) -> str:
    return clean(str(value), limit=100) if value else t(language, "none")


NYE_METODER_VALUES: dict[str, Values] = {
    "nyemetoder_status": _status,
    "nyemetoder_status_new": _status,
    "nyemetoder_order": _order,
    "nyemetoder_assessment_ordered": _ordered,
    "nyemetoder_assessment_started": _started,
    "nyemetoder_assessment_finished": _finished,
    "nyemetoder_document": _document,
    "nyemetoder_decision": _decision,
    "nyemetoder_decision_revised": _revised,
}


def order_text(order: Fields, language: Language, *, limit: int) -> str:
    """A Bestillerforum order in short: its decision (else its text) and its case number."""
    text = clean(str(order.get("decision") or order.get("text") or ""), limit=limit)
    case = order.get("case")
    if case:
        case_text = t(language, "nyemetoder_case", case=clean(str(case)))
        return f"{text} ({case_text})" if text else case_text
    return text or t(language, "unknown")


# -- the lookup card's section, the status card's line, App Home's phrase --


def section_lines(overview: Overview, language: Language) -> list[str]:
    """*Nye metoder*: each page with its status, its dated steps and what is next; then the
    current decisions of Beslutningsforum for the method's IDs."""
    state = nye_metoder_of(overview)
    lines = [t(language, "nyemetoder_heading")]
    for page in state.pages:
        lines += page_lines(page, language)
    if state.decisions:
        pages = {nye_id: page.item.url for page in state.pages for nye_id in page.ids}
        lines.append(t(language, "nyemetoder_decisions"))
        lines += [f"• {decision_line(d, language, pages=pages)}" for d in state.decisions]
    if len(lines) == 1:
        lines.append(t(language, "nyemetoder_card_none"))
    return lines


def page_lines(page: PageState, language: Language) -> list[str]:
    """A page's header line (IDs and title, linked; its badge), its steps, what is next."""
    name = f"{', '.join(page.ids)} {page.title}".strip()
    status = _shown_status(page.status, language)
    heading = t(language, "nyemetoder_page", page=link(page.item.url, name), status=status)
    lines = [heading]
    lines += [f"• {table_date(s.date, language)} · {step_text(s, language)}" for s in page.steps]
    if page.next:
        step = t(language, f"nyemetoder_next_{page.next}")
        lines.append(t(language, "nyemetoder_next", step=step))
    return lines


def decision_line(decision: Decision, language: Language, *, pages: dict[str, str]) -> str:
    """`24.02.2020 · ID2019_015 (indication): Innført`; the ID links to the page that carries
    it (`pages`: ID → page URL), else to the decision page."""
    return t(
        language,
        "nyemetoder_decision_line",
        date=table_date(decision.date, language),
        nye_id=link(pages.get(decision.nye_id, decision.item.url), decision.nye_id),
        indication=clean(str(decision.indication or t(language, "unknown")), limit=200),
        short=clean(str(decision.short or t(language, "unknown")), limit=100),
    )


def step_text(step: Step, language: Language, *, short: bool = False) -> str:
    """One step in words; `short` leaves out its details (for one-line summaries)."""
    values = step.values
    if step.kind == "order":
        forum = clean(str(values.get("forum") or "Bestillerforum"))
        if short:
            return forum
        text = order_text(values, language, limit=STEP_TEXT_LIMIT)
        return t(language, "nyemetoder_step_order", forum=forum, text=text)
    if step.kind == "document":
        title = clean(str(values.get("title") or ""), limit=200)
        return t(language, "nyemetoder_step_document", title=title)
    if step.kind == "decision" and short:
        return t(language, "nyemetoder_step_decision_short")
    if step.kind == "decision":
        return t(language, "nyemetoder_step_decision", point=_point(values, language))
    label = t(language, f"nyemetoder_step_{step.kind}")
    details = [] if short else _details(step)
    return f"{label} ({', '.join(details)})" if details else label


def _details(step: Step) -> list[str]:
    names = {"proposal": ("by",), "ordered": ("type", "assessor")}.get(step.kind, ())
    return [clean(str(step.values[n]), limit=150) for n in names if step.values.get(n)]


def card_line(overview: Overview, language: Language) -> str | None:
    """*Nye metoder:* the status badge, the latest step and what is next; None for a method
    without Nye metoder IDs or records."""
    state = nye_metoder_of(overview)
    if not (state.ids or state.pages or state.decisions):
        return None
    return t(language, "nyemetoder_card", text=card_text(state, language))


def card_text(state: NyeMetoder, language: Language) -> str:
    """The status, the latest step (dated) and the next step, joined; or "no data yet"."""
    parts = [clean(state.status, limit=100)] if state.status else []
    latest = state.latest
    if latest is not None:
        step = step_text(latest, language, short=True)
        date = table_date(latest.date, language)
        parts.append(t(language, "nyemetoder_card_latest", step=step, date=date))
    if state.next:
        step = t(language, f"nyemetoder_next_{state.next}")
        parts.append(t(language, "nyemetoder_card_next", step=step))
    return " · ".join(parts) or t(language, "nyemetoder_card_none")


def home_phrase(overview: Overview, language: Language) -> str:
    """` · Nye metoder: Beslutning foreligger` for App Home's method line; empty without data."""
    state = nye_metoder_of(overview)
    if not (state.pages or state.decisions):
        return ""
    return f" · Nye metoder: {card_text(state, language)}"


def _shown_status(status: str | None, language: Language) -> str:
    return clean(status, limit=100) if status else t(language, "nyemetoder_no_status")
