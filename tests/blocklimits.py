"""Slack's Block Kit limits as the fake Slack enforces them, refused the way Slack answers.

Sources and the reasoning behind every number: docs/slack-limits.md. The numbers are kept here,
apart from the bot's own (bot/texts/blockkit.py), so that a wrong number in the bot cannot
hide itself.
Lengths are characters (code points) of the strings as sent, so `&amp;` counts five.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
TEXT_OBJECT = 3000  # any text object without a smaller limit of its own (context elements)
FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
BLOCK_ID = 255
# The top-level `text`: Slack's documented advice (4,000); Slack staff and users report
# `msg_too_long` from about that length, not from the 40,000 of the old truncation notice.
MESSAGE_TEXT = 4000
# `msg_blocks_too_long` (undocumented): the text of all blocks plus a cost per block, as
# measured in slackapi/bolt-js#2509 (a divider, with no text, took 125 characters of room).
BLOCKS_SIZE = 12_000
BLOCK_COST = 125

Params = dict[str, Any]


class RefusedError(Exception):
    """What Slack answers instead of acting: the error and any detail fields beside it."""

    def __init__(self, error: str, detail: Params | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.detail = detail or {}


def text_size(value: Any) -> int:
    """Characters of every `text` string anywhere in a block tree."""
    if isinstance(value, dict):
        own = value.get("text")
        if isinstance(own, str):
            return len(own)
        return sum(text_size(child) for child in value.values())
    if isinstance(value, list):
        return sum(text_size(child) for child in value)
    return 0


def blocks_size(blocks: list[Any]) -> int:
    """What `msg_blocks_too_long` weighs: block text plus BLOCK_COST per block."""
    return text_size(blocks) + BLOCK_COST * len(blocks)


def problems(blocks: Any, *, path: str, most: int) -> list[str]:
    """Slack's schema complaints for a blocks array at `path` (a JSON pointer)."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{path}]"]
    found = _too_many(blocks, most, path)
    for index, block in enumerate(blocks):
        if isinstance(block, dict):
            found.extend(_block_problems(block, f"{path}/{index}"))
    return found


def check_message(params: Params) -> None:
    """chat.postMessage, chat.update, chat.postEphemeral: raise RefusedError as Slack would."""
    blocks = params.get("blocks") or None
    if blocks is not None:
        found = problems(blocks, path="/blocks", most=MESSAGE_BLOCKS)
        if found:
            raise _invalid("invalid_blocks", found, with_errors=True)
    _check_text(params)
    if blocks and blocks_size(blocks) > BLOCKS_SIZE:
        raise RefusedError("msg_blocks_too_long")


def check_view(params: Params) -> None:
    """views.open, views.publish, views.update: raise RefusedError as Slack would."""
    view = params.get("view")
    if isinstance(view, dict) and "blocks" in view:
        found = problems(view["blocks"], path="/view/blocks", most=VIEW_BLOCKS)
        if found:
            schemas = "failed to match all allowed schemas [json-pointer:/view]"
            raise _invalid("invalid_arguments", [schemas, *found], with_errors=False)


def check_response(body: Params) -> None:
    """A response_url body: the message checks, except the cumulative size.

    slackapi/bolt-js#2867: blocks refused on chat.postMessage went through respond() unchanged.
    """
    blocks = body.get("blocks") or None
    if blocks is not None:
        found = problems(blocks, path="/blocks", most=MESSAGE_BLOCKS)
        if found:
            raise RefusedError("invalid_blocks")
    _check_text(body)


def _check_text(params: Params) -> None:
    text = params.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT:
        raise RefusedError("msg_too_long")


def _invalid(error: str, found: list[str], *, with_errors: bool) -> RefusedError:
    """`errors` beside `response_metadata.messages`, as chat.postMessage answers
    (incidentbot/incidentbot#328); views answer with the messages only."""
    detail: Params = {"response_metadata": {"messages": [f"[ERROR] {p}" for p in found]}}
    if with_errors:
        detail["errors"] = found
    return RefusedError(error, detail)


def _too_many(items: list[Any], most: int, path: str) -> list[str]:
    return [f"no more than {most} items allowed [json-pointer:{path}]"] if len(items) > most else []


def _too_long(value: Any, most: int, path: str) -> list[str]:
    if isinstance(value, str) and len(value) > most:
        return [f"must be less than {most + 1} characters [json-pointer:{path}]"]
    return []


def _text_of(block: dict[str, Any], key: str) -> Any:
    inner = block.get(key)
    return inner.get("text") if isinstance(inner, dict) else None


def _block_problems(block: dict[str, Any], path: str) -> list[str]:
    found = _too_long(block.get("block_id"), BLOCK_ID, f"{path}/block_id")
    kind = block.get("type")
    if kind == "section":
        found += _section(block, path)
    elif kind == "header":
        found += _too_long(_text_of(block, "text"), HEADER_TEXT, f"{path}/text/text")
    elif kind == "context":
        found += _context(block, path)
    elif kind == "actions":
        found += _actions(block, path)
    return found


def _section(block: dict[str, Any], path: str) -> list[str]:
    found = _too_long(_text_of(block, "text"), SECTION_TEXT, f"{path}/text/text")
    fields = block.get("fields") or []
    found += _too_many(fields, FIELDS, f"{path}/fields")
    for index, field in _dicts(fields):
        found += _too_long(field.get("text"), FIELD_TEXT, f"{path}/fields/{index}/text")
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        found += _element(accessory, f"{path}/accessory")
    return found


def _context(block: dict[str, Any], path: str) -> list[str]:
    elements = block.get("elements") or []
    found = _too_many(elements, CONTEXT_ELEMENTS, f"{path}/elements")
    for index, element in _dicts(elements):
        found += _too_long(element.get("text"), TEXT_OBJECT, f"{path}/elements/{index}/text")
    return found


def _actions(block: dict[str, Any], path: str) -> list[str]:
    elements = block.get("elements") or []
    found = _too_many(elements, ACTIONS_ELEMENTS, f"{path}/elements")
    for index, element in _dicts(elements):
        found += _element(element, f"{path}/elements/{index}")
    return found


def _element(element: dict[str, Any], path: str) -> list[str]:
    found = _too_long(element.get("action_id"), ACTION_ID, f"{path}/action_id")
    if element.get("type") == "button":
        found += _too_long(_text_of(element, "text"), BUTTON_TEXT, f"{path}/text/text")
        found += _too_long(element.get("value"), BUTTON_VALUE, f"{path}/value")
    return found


def _dicts(items: list[Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    return ((index, item) for index, item in enumerate(items) if isinstance(item, dict))
