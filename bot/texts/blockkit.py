"""Block Kit within Slack's limits: messages and blocks as data, the limits, measuring a message,
fitting text into sections, and blocks read back as plain text.

Everything here takes mrkdwn that is already escaped and measures it as sent: `&amp;` is five
characters. Sources for every number: docs/slack-limits.md. Fitting whole blocks and messages:
bot/texts/blockfit.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Block = dict[str, Any]

# Block Kit reference ("Blocks" and each block's page on docs.slack.dev).
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # modals and Home tabs
SECTION_TEXT = 3000
TEXT_OBJECT = 3000  # a text object with no smaller limit of its own (context elements)
FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
# The top-level `text`: Slack advises 4,000 characters and answers `msg_too_long` from about
# there (the 40,000 of the 2018 truncation notice no longer holds, per Slack staff).
MESSAGE_TEXT = 4000
# `msg_blocks_too_long` is undocumented: Slack staff gave "12,000 text characters with a buffer
# for block containers" (slackapi/bolt-js#2509), where a divider without text took 125
# characters of room. So a message weighs its block text plus BLOCK_COST per block.
BLOCKS_SIZE = 12_000
BLOCK_COST = 125

ELLIPSIS = "…"
# What a cut must keep whole: a link or mention `<…>`, an escape `&amp;`; else one character.
_ATOM = re.compile(r"<[^<>]*>|&(?:[A-Za-z]+|#\d+);|.", re.DOTALL)
_LINK = re.compile(r"<[^<>|]*\|([^<>]*)>")


@dataclass(frozen=True)
class Budget:
    """What one message or view may hold: blocks, and their weight (None: no limit known)."""

    blocks: int
    size: int | None


MESSAGE = Budget(MESSAGE_BLOCKS, BLOCKS_SIZE)
VIEW = Budget(VIEW_BLOCKS, None)


# Measuring --------------------------------------------------------------------------------


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


def size(blocks: Sequence[Block]) -> int:
    """A message's weight against `msg_blocks_too_long`: block text plus BLOCK_COST a block."""
    return text_size(list(blocks)) + BLOCK_COST * len(blocks)


def fits(blocks: Sequence[Block], budget: Budget = MESSAGE) -> bool:
    """True when Slack accepts these blocks as one message (or view) under `budget`."""
    within = len(blocks) <= budget.blocks and (budget.size is None or size(blocks) <= budget.size)
    return within and all(block_fits(block) for block in blocks)


def block_fits(block: Block) -> bool:
    """True when one block keeps Slack's per-block limits."""
    kind = block.get("type")
    if kind == "section":
        fields = block.get("fields") or []
        return _length(block.get("text")) <= SECTION_TEXT and _fit_all(fields, FIELDS, FIELD_TEXT)
    if kind == "header":
        return _length(block.get("text")) <= HEADER_TEXT
    if kind == "context":
        return _fit_all(block.get("elements") or [], CONTEXT_ELEMENTS, TEXT_OBJECT)
    if kind == "actions":
        return all(_button_fits(element) for element in block.get("elements") or [])
    return True


def _length(text_object: Any) -> int:
    return len(text_object.get("text") or "") if isinstance(text_object, dict) else 0


def _fit_all(objects: list[Any], most: int, longest: int) -> bool:
    return len(objects) <= most and all(_length(o) <= longest for o in objects)


def _button_fits(element: Block) -> bool:
    value, action_id = element.get("value") or "", element.get("action_id") or ""
    label = _length(element.get("text")) <= BUTTON_TEXT
    return label and len(value) <= BUTTON_VALUE and len(action_id) <= ACTION_ID


# Fitting text -----------------------------------------------------------------------------


def shorten(mrkdwn: str, limit: int) -> str:
    """`mrkdwn` cut to at most `limit` characters, ending in an ellipsis when cut.

    The cut never falls inside a link or an escape: a link that does not fit whole is
    replaced by as much of its label as fits.
    """
    if len(mrkdwn) <= limit:
        return mrkdwn
    return _prefix(mrkdwn, limit - len(ELLIPSIS)).rstrip() + ELLIPSIS


def _prefix(mrkdwn: str, room: int) -> str:
    """The longest run of whole atoms from the start of `mrkdwn` within `room` characters."""
    kept: list[str] = []
    for atom in _ATOM.findall(mrkdwn):
        if len(atom) > room:
            link = _LINK.fullmatch(atom)
            kept.append(_prefix(link.group(1), room) if link else "")
            break
        kept.append(atom)
        room -= len(atom)
    return "".join(kept)


def pack(lines: Iterable[str], *, limit: int = SECTION_TEXT) -> list[str]:
    """Lines joined with newlines into texts of at most `limit` characters, cut only between
    lines; a line longer than `limit` is shortened. Blank texts are dropped."""
    texts: list[str] = []
    current: list[str] = []
    length = 0
    for line in (shorten(line, limit) for line in lines):
        if current and length + 1 + len(line) > limit:
            texts.append("\n".join(current))
            current = []
        length = length + 1 + len(line) if current else len(line)
        current.append(line)
    texts.append("\n".join(current))
    return [text for text in texts if text.strip()]


def sections(lines: Iterable[str], *, limit: int = SECTION_TEXT) -> list[Block]:
    """mrkdwn sections holding `lines`, each as full as Slack allows."""
    return [section(text) for text in pack(lines, limit=limit)]


def plain(text: str) -> dict[str, Any]:
    """A plain_text object (Slack parses no mentions in it), within a header's 150 characters."""
    return {"type": "plain_text", "text": text[:HEADER_TEXT], "emoji": False}


def button(action_id: str, label: str, value: str, *, style: str | None = None) -> Block:
    """A button element carrying `value` (a method's or a candidate's id)."""
    element = {"type": "button", "action_id": action_id, "text": plain(label), "value": value}
    return element | ({"style": style} if style else {})


def section(markdown: str) -> Block:
    """A mrkdwn section block (the caller has escaped what came from outside); a text past
    Slack's limit is shortened, never inside a link or an escape."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": shorten(markdown, SECTION_TEXT)}}


def fallback(text: str) -> str:
    """A message's top-level `text` shortened to what Slack accepts."""
    return shorten(text, MESSAGE_TEXT)


@dataclass(frozen=True)
class Message:
    """A message for Slack: the plain-text fallback (notifications) and its blocks."""

    text: str
    blocks: list[Block]


def context(markdown: str) -> Block:
    """A small grey context line (shortened like a section's text)."""
    element = {"type": "mrkdwn", "text": shorten(markdown, TEXT_OBJECT)}
    return {"type": "context", "elements": [element]}


def blocks_as_text(blocks: list[Block]) -> list[str]:
    """The readable lines of a message's blocks: links as `label (url)`, entities decoded."""
    texts: list[str] = []
    for block in blocks:
        if block.get("type") == "section":
            parts = [block.get("text"), *block.get("fields", [])]
            texts.extend(part["text"] for part in parts if part)
        elif block.get("type") == "context":
            texts.extend(element.get("text", "") for element in block["elements"])
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    return [_plain(line) for line in lines]


def _plain(mrkdwn: str) -> str:
    linked = re.sub(r"<(https://[^|>]+)\|([^>]*)>", r"\2 (\1)", mrkdwn).replace("*", "")
    return linked.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
