"""Alert texts: an event becomes a sentence and a Slack message (Block Kit + plain fallback)."""

from __future__ import annotations

from typing import Any

from bot.overview.state import Event
from bot.texts.blockkit import Block, Message, context, section
from bot.texts.catalogue import SOURCE_NAME, Language, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean, link
from bot.texts.sentences import describe, submission_words

__all__ = ["alert_buttons", "describe", "indication_diff", "render_alert", "submission_words"]

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
    """ "Vis metode" (the lookup card, just for you) and "Demp i 30 dager" under every alert."""
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
