"""Operator notices and group headings: source health, alerts set aside, grouped alerts."""

from __future__ import annotations

from typing import Any

from bot.texts.blockkit import Message, section
from bot.texts.catalogue import SOURCE_NAME, Language, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean


def render_notice(payload: dict[str, Any], *, language: Language) -> Message:
    """The admin channel's message for a health payload (see `queue_health_notice`)."""
    line = t(
        language,
        f"health_{payload.get('health')}",
        source=term(SOURCE_NAME, payload.get("source"), language),
        failures=payload.get("failures"),
        reason=clean(str(payload.get("reason") or t(language, "unknown")), limit=300),
        days=payload.get("days"),
    )
    return Message(line, [section(line)])


def render_admin(payload: dict[str, Any], *, language: Language) -> Message:
    """A notice for the admin channel: a source's health, a watched page that does not exist, or
    an alert set aside as dead."""
    if "health" in payload:
        return render_notice(payload, language=language)
    if "not_found" in payload:
        line = t(
            language,
            "admin_not_found",
            source=term(SOURCE_NAME, payload.get("source"), language),
            page=clean(str(payload.get("not_found")), limit=300),
        )
        return Message(line, [section(line)])
    line = t(
        language,
        "admin_dead",
        channel=clean(str(payload.get("channel"))),
        reason=clean(str(payload.get("reason"))),
    )
    return Message(line, [section(line)])


def render_group(payload: dict[str, Any], count: int, *, language: Language) -> Message:
    """The head of a group of `count` alerts: why they were grouped (catch-up or storm)."""
    if payload.get("reason") == "catch_up":
        line = t(language, "catch_up_one" if count == 1 else "catch_up", count=count)
    else:
        source = term(SOURCE_NAME, payload.get("source"), language)
        line = t(language, "storm", count=count, source=source)
    return Message(line, [section(line)])
