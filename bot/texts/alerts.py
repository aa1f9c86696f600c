"""Alert texts: an event becomes a sentence and a Slack message (Block Kit + plain fallback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.overview.state import Event
from bot.texts.blocks import Block, Message, context, section
from bot.texts.catalogue import (
    DATE_TYPE,
    PHASE,
    SOURCE_NAME,
    TRIAL_STATUS,
    Language,
    prose_date,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link
from bot.texts.nyemetoder import NYE_METODER_VALUES

DIFF_LIMIT = 600


def render_alert(event: Event, *, title: str, language: Language) -> Message:
    """The alert for one event of a method titled `title`."""
    sentence = describe(event, language)
    details = _details(event, language)
    source = term(SOURCE_NAME, event.source, language)
    origin = t(language, "source_line", source=source)
    blocks = [section(f"*{clean(title)}*\n{sentence}")]
    if details:
        blocks.append(section(details))
    blocks.append(context(f"{origin} · {link(event.url, t(language, 'open_link'))}"))
    blocks.append(alert_buttons(event.method_id, language))
    return Message(f"{clean(title, limit=150)}: {sentence}", blocks)


def alert_buttons(method_id: str, language: Language) -> Block:
    """ "Vis metode" (the lookup card, just for you) and "Demp 30 dager" under every alert."""
    buttons = [("show_method", "button_show"), ("mute_method", "button_mute")]
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": action,
                "value": method_id,
                "text": {"type": "plain_text", "text": t(language, label)},
            }
            for action, label in buttons
        ],
    }


def describe(event: Event, language: Language) -> str:
    """One escaped sentence saying what changed (old → new) and for which record."""
    old, new = event.old or {}, event.new or {}
    values = _VALUES.get(event.kind, _no_values)(old, new, language)
    values["subject"] = clean(event.subject, limit=200)
    if event.kind == "no_longer_listed":
        values["source"] = term(SOURCE_NAME, event.source, language)
    key = event.kind
    if key == "fda_submission_new" and (new.get("submission") or {}).get("status") != "AP":
        key = "fda_submission_other"
    return t(language, key, **values)


def _no_values(_old: dict[str, Any], _new: dict[str, Any], _language: Language) -> dict[str, Any]:
    return {}


def _status(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {
        "old": term(TRIAL_STATUS, old.get("overall_status"), language),
        "new": term(TRIAL_STATUS, new.get("overall_status"), language),
        "status": term(TRIAL_STATUS, new.get("overall_status"), language),
    }


def _results(_old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {"date": prose_date(new.get("results_first_posted"), language)}


def _trial_date(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    (field,) = new.keys()
    return {
        "which": t(language, field),
        "old": _dated(old.get(field), language),
        "new": _dated(new.get(field), language),
    }


def _dated(struct: dict[str, Any] | None, language: Language) -> str:
    struct = struct or {}
    when = prose_date(struct.get("date"), language)
    kind = struct.get("type")
    return f"{when} ({term(DATE_TYPE, kind, language)})" if kind else when


def _enrollment(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {
        "old": _count(old.get("enrollment"), language),
        "new": _count(new.get("enrollment"), language),
    }


def _count(enrollment: dict[str, Any] | None, language: Language) -> str:
    enrollment = enrollment or {}
    count = enrollment.get("count")
    shown = str(count) if count is not None else t(language, "unknown")
    kind = enrollment.get("type")
    return f"{shown} ({term(DATE_TYPE, kind, language)})" if kind else shown


def _phase(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {
        "old": _phases(old.get("phases"), language),
        "new": _phases(new.get("phases"), language),
    }


def _phases(phases: list[str] | None, language: Language) -> str:
    if not phases:
        return t(language, "none")
    return "/".join(term(PHASE, phase, language) for phase in phases)


def _submission(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    after = new.get("submission") or {}
    before = old.get("submission") or {}
    return {
        "submission": clean(_submission_label(after)),
        "date": prose_date(after.get("status_date"), language),
        "old": clean(str(before.get("status") or "")),
        "new": clean(str(after.get("status") or "")),
        "status": clean(str(after.get("status") or "")),
    }


def _submission_label(submission: dict[str, Any]) -> str:
    label = f"{submission.get('type') or ''} {submission.get('number') or ''}".strip()
    kind = submission.get("class_description") or submission.get("class_code")
    return f"{label} ({kind})" if kind else label


def _application(_old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {"sponsor": clean(str(new.get("sponsor_name") or t(language, "unknown")))}


def _ema_status(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    unknown = t(language, "unknown")
    return {
        "old": clean(str(old.get("medicine_status") or unknown)),
        "new": clean(str(new.get("medicine_status") or unknown)),
        "status": clean(str(new.get("medicine_status") or new.get("opinion_status") or unknown)),
    }


def _ema_opinion(_old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    status = new.get("opinion_status") or t(language, "unknown")
    return {"date": prose_date(new.get("opinion_adopted_date"), language), "status": clean(status)}


def _ema_decision(_old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {"date": prose_date(new.get("ec_decision_date"), language)}


def _revision(_old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    return {"new": clean(str(new.get("revision_number") or t(language, "unknown")))}


def _procedure(old: dict[str, Any], new: dict[str, Any], language: Language) -> dict[str, Any]:
    unknown = t(language, "unknown")

    def state(fields: dict[str, Any]) -> str:
        parts = [fields.get("procedure_status"), fields.get("opinion_status")]
        shown = ", ".join(str(p) for p in parts if p) or unknown
        when = fields.get("opinion_date")
        return clean(f"{shown} ({prose_date(when, language)})" if when else shown)

    return {"old": state(old), "new": state(new), "status": state(new)}


def _news(_old: dict[str, Any], new: dict[str, Any], _language: Language) -> dict[str, Any]:
    return {
        "publisher": clean(str(new.get("publisher") or "")),
        "title": clean(str(new.get("title") or ""), limit=300),
    }


_VALUES: dict[str, Callable[[dict[str, Any], dict[str, Any], Language], dict[str, Any]]] = {
    "trial_status": _status,
    "trial_new": _status,
    "trial_results": _results,
    "trial_date": _trial_date,
    "trial_enrollment": _enrollment,
    "trial_phase": _phase,
    "fda_submission_new": _submission,
    "fda_submission_status": _submission,
    "fda_application_new": _application,
    "ema_new_product": _ema_status,
    "ema_status": _ema_status,
    "ema_opinion": _ema_opinion,
    "ema_decision": _ema_decision,
    "ema_revision": _revision,
    "ema_procedure_new": _procedure,
    "ema_procedure_opinion": _procedure,
    "news": _news,
    **NYE_METODER_VALUES,
}


def _details(event: Event, language: Language) -> str:
    new = event.new or {}
    if event.kind == "trial_status" and new.get("why_stopped"):
        return t(language, "why_stopped", reason=clean(str(new["why_stopped"]), limit=500))
    if event.kind == "ema_indication":
        return indication_diff(event.old or {}, new, language)
    return ""


def indication_diff(old: dict[str, Any], new: dict[str, Any], language: Language) -> str:
    """What an indication text gained and lost, line by line, shortened."""
    before = _lines(old.get("therapeutic_indication"))
    after = _lines(new.get("therapeutic_indication"))
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    parts = []
    if added:
        parts.append(f"*{t(language, 'added')}:* " + clean(" ".join(added), limit=DIFF_LIMIT))
    if removed:
        parts.append(f"*{t(language, 'removed')}:* " + clean(" ".join(removed), limit=DIFF_LIMIT))
    return "\n".join(parts)


def _lines(value: Any) -> list[str]:
    text = str(value or "")
    pieces = [p.strip() for line in text.split("\n") for p in line.split(". ")]
    return [p.rstrip(".") for p in pieces if p]
