"""Block Kit views of the Slack app: the add-method modal, confirmations and App Home."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bot.overview.state import Overview
from bot.sources.names import fold
from bot.texts.blockkit import Block, button, plain, section
from bot.texts.catalogue import Language
from bot.texts.catalogue import text as t
from bot.texts.listing import home_blocks
from bot.texts.mrkdwn import clean
from bot.watchlist import Method

ADD_METHOD = "add_method"
# (field, required, multiline) in the order the modal shows them.
FIELDS = (
    ("title", True, False),
    ("substance", True, False),
    ("id", False, False),
    ("trade_names", False, False),
    ("atc", False, False),
    ("indication", False, True),
    ("trials", False, False),
    ("fda_applications", False, False),
    ("ema_products", False, False),
    ("nye_metoder", False, False),
    ("discover", False, False),
)
LIST_FIELDS = {"trade_names", "trials", "fda_applications", "ema_products", "nye_metoder"}


def add_method_modal(language: Language) -> dict[str, Any]:
    """The modal admins fill in to watch a new method."""
    blocks = [_input(name, required, multiline, language) for name, required, multiline in FIELDS]
    blocks.append(
        {
            "type": "input",
            "block_id": "channel",
            "optional": True,
            "label": plain(t(language, "field_channel")),
            "element": {"type": "channels_select", "action_id": "value"},
        }
    )
    return {
        "type": "modal",
        "callback_id": ADD_METHOD,
        "title": plain(t(language, "modal_title")),
        "submit": plain(t(language, "modal_submit")),
        "close": plain(t(language, "modal_cancel")),
        "blocks": blocks,
    }


def _input(name: str, required: bool, multiline: bool, language: Language) -> Block:
    return {
        "type": "input",
        "block_id": name,
        "optional": not required,
        "label": plain(t(language, f"field_{name}")),
        "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline},
    }


def method_from_submission(values: dict[str, Any]) -> tuple[Method | None, dict[str, str]]:
    """The method an admin submitted, or the errors to show next to each field."""
    raw = {
        block: (field.get("value") or field.get("selected_channel"))
        for block, fields in values.items()
        for field in fields.values()
    }
    data: dict[str, Any] = {}
    for name, value in raw.items():
        if value in (None, ""):
            continue
        if name in LIST_FIELDS:
            data[name] = [part.strip() for part in str(value).split(",") if part.strip()]
        elif name == "discover":
            data[name] = {"condition": str(value).strip()}
        else:
            data[name] = str(value).strip()
    data.setdefault("id", slug(str(data.get("substance", ""))))
    try:
        return Method.model_validate(data), {}
    except ValidationError as exc:
        return None, _errors(exc)


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        block = str(error["loc"][0]) if error["loc"] else "title"
        block = block if block in dict.fromkeys(name for name, _, _ in FIELDS) else "title"
        errors.setdefault(block, str(error["msg"]).removeprefix("Value error, ")[:150])
    return errors


def slug(text: str) -> str:
    """A method id from free text: lower-case letters, digits and '-'."""
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in fold(text))
    return "-".join(part for part in cleaned.split("-") if part)[:80] or "metode"


def confirm_remove(method: Method, *, language: Language) -> list[Block]:
    """The question an admin answers before a method is removed."""
    question = t(language, "admin_confirm_remove", title=clean(method.title))
    buttons = [
        button("confirm_remove", t(language, "admin_yes_remove"), method.id, style="danger"),
        button("cancel_remove", t(language, "admin_cancel"), method.id),
    ]
    return [section(question), {"type": "actions", "elements": buttons}]


def home_view(
    overviews: list[Overview],
    sources: list[tuple[str, str, datetime | None]],
    *,
    language: Language,
    zone: ZoneInfo,
) -> dict[str, Any]:
    """App Home within a view's 100 blocks: the methods by outlook, counted, and each source's
    health and last successful read (bot/texts/listing.py)."""
    return {"type": "home", "blocks": home_blocks(overviews, sources, language=language, zone=zone)}
