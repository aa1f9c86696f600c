"""Block Kit within Slack's limits: the limits, measuring a message, fitting text into sections.

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


def section(mrkdwn: str) -> Block:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def fallback(text: str) -> str:
    """A message's top-level `text` shortened to what Slack accepts."""
    return shorten(text, MESSAGE_TEXT)
