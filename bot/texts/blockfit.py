"""Fitting whole blocks into Slack's limits: blocks that keep them, messages split, lists cut
with a count of what was left out. Limits and measuring: bot/texts/blockkit.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.texts.blockkit import (
    BLOCK_COST,
    BLOCKS_SIZE,
    CONTEXT_ELEMENTS,
    FIELD_TEXT,
    FIELDS,
    HEADER_TEXT,
    MESSAGE,
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    SECTION_TEXT,
    TEXT_OBJECT,
    Block,
    Budget,
    Message,
    block_fits,
    fits,
    pack,
    sections,
    shorten,
    size,
    text_size,
)
from bot.texts.catalogue import Language, number
from bot.texts.catalogue import text as t

Tail = Callable[[int, Language], Block]
# What only the first of the blocks a section is split into may keep.
_ONCE = ("block_id", "accessory")


def fit_block(block: Block, *, section_limit: int = SECTION_TEXT) -> list[Block]:
    """One block as blocks that keep the per-block limits: a long section becomes several
    (cut between lines, each at most `section_limit`), long fields and headers are shortened,
    crowded ones are split."""
    long_text = len(str((block.get("text") or {}).get("text") or "")) > section_limit
    kind = block.get("type")
    if block_fits(block) and not (kind == "section" and long_text):
        return [block]
    if kind == "section":
        return _fit_section(block, limit=section_limit)
    if kind == "header":
        text = {**block["text"], "text": shorten(block["text"]["text"], HEADER_TEXT)}
        return [{**block, "text": text}]
    if kind == "context":
        groups = _groups(block["elements"], most=CONTEXT_ELEMENTS, longest=TEXT_OBJECT)
        return [{"type": "context", "elements": group} for group in groups]
    return [block]


def _fit_section(block: Block, *, limit: int = SECTION_TEXT) -> list[Block]:
    """Text sections cut between lines, then the fields shortened and grouped; only the first
    part keeps the block_id and the accessory."""
    base = {key: value for key, value in block.items() if key not in {"text", "fields"}}
    text = block.get("text")
    parts: list[Block] = []
    if isinstance(text, dict):
        lines = str(text.get("text") or "").split("\n")
        parts = [{**base, "text": {**text, "text": piece}} for piece in pack(lines, limit=limit)]
    groups = _groups(block.get("fields") or [], most=FIELDS, longest=FIELD_TEXT)
    parts += [{**base, "fields": group} for group in groups]
    rest = [{k: v for k, v in part.items() if k not in _ONCE} for part in parts[1:]]
    return parts[:1] + rest


def _groups(objects: list[Block], *, most: int, longest: int) -> list[list[Block]]:
    """Text objects shortened to `longest`, in groups of at most `most` that a message holds."""
    groups: list[list[Block]] = []
    weight = BLOCKS_SIZE
    for whole in objects:
        item = {**whole, "text": shorten(str(whole.get("text") or ""), longest)}
        if len(groups[-1] if groups else []) >= most or weight + len(item["text"]) > BLOCKS_SIZE:
            groups.append([])
            weight = BLOCK_COST
        groups[-1].append(item)
        weight += len(item["text"])
    return groups


def split(
    blocks: Iterable[Block],
    *,
    heading: Sequence[Block] = (),
    budget: Budget = MESSAGE,
    section_limit: int = SECTION_TEXT,
) -> list[list[Block]]:
    """Blocks spread in order over as few messages as Slack accepts; `heading` opens the first."""
    messages: list[list[Block]] = []
    current: list[Block] = []
    weight = 0
    parts = (
        part
        for whole in [*heading, *blocks]
        for part in fit_block(whole, section_limit=section_limit)
    )
    for block in parts:
        cost = text_size(block) + BLOCK_COST
        heavy = budget.size is not None and weight + cost > budget.size
        if current and (len(current) >= budget.blocks or heavy):
            messages.append(current)
            current, weight = [], 0
        current.append(block)
        weight += cost
    return [*messages, current] if current else messages


def more(hidden: int, language: Language) -> Block:
    """The counted tail of a cut list: "… og 1 742 til"."""
    line = t(language, "more_left_out", count=number(hidden, language))
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": line}]}


def fit_lines(
    lines: Sequence[str],
    *,
    language: Language,
    heading: Sequence[Block] = (),
    budget: Budget = MESSAGE,
    tail: Tail = more,
) -> list[Block]:
    """One message or view: `heading`, as many of `lines` as fit, then a counted tail for the
    rest. ValueError when not even the heading and the tail fit."""
    head = [part for block in heading for part in fit_block(block)]
    whole = head + sections(lines)
    if fits(whole, budget):
        return whole
    if not fits(_shown(head, lines, 0, tail=tail, language=language), budget):
        raise ValueError("the heading and the counted tail alone exceed the budget")
    low, high = 0, len(lines) - 1
    while low < high:  # the most lines that fit, found by bisection
        middle = (low + high + 1) // 2
        if fits(_shown(head, lines, middle, tail=tail, language=language), budget):
            low = middle
        else:
            high = middle - 1
    return _shown(head, lines, low, tail=tail, language=language)


def _shown(
    head: list[Block], lines: Sequence[str], count: int, *, tail: Tail, language: Language
) -> list[Block]:
    return [*head, *sections(lines[:count]), tail(len(lines) - count, language)]


# Whole messages ---------------------------------------------------------------------------

# Room kept in each part of a split message for its label ("Del 2 av 5") or continuation line.
_LABEL_ROOM = 300
_SMALLEST = 100  # no limit is halved below this many characters


@dataclass(frozen=True)
class Limits:
    """What one message may hold: blocks, weight (text + BLOCK_COST a block), one section's
    text, and the top-level text."""

    blocks: int = MESSAGE_BLOCKS
    size: int = BLOCKS_SIZE
    section: int = SECTION_TEXT
    text: int = MESSAGE_TEXT

    def as_list(self) -> list[int]:
        """The four numbers (for an outbox row's payload)."""
        return [self.blocks, self.size, self.section, self.text]


SLACK = Limits()


def below(message: Message) -> Limits:
    """Limits half of what a refused message held, so what is sent next can never be it."""
    texts = [len(str((b.get("text") or {}).get("text") or "")) for b in message.blocks]
    return Limits(
        blocks=max(1, len(message.blocks) // 2),
        size=max(_SMALLEST + BLOCK_COST, size(message.blocks) // 2),
        section=max(_SMALLEST, max(texts, default=0) // 2),
        text=max(_SMALLEST, len(message.text) // 2),
    )


def fit_message(
    message: Message,
    *,
    language: Language,
    limits: Limits = SLACK,
    single: bool = False,
    labelled: bool = True,
) -> list[Message]:
    """`message` as the messages Slack accepts within `limits`: itself when it fits; otherwise
    its blocks spread over several messages, in order (a parent and replies in its thread, each
    labelled, or, not `labelled`, plain replies in the thread the message is in), or (`single`,
    for a message edited in place later) the first part alone with a counted tail.
    """
    text = shorten(message.text, limits.text)
    if limits == SLACK and fits(message.blocks):
        return [Message(text, message.blocks)]
    room = Budget(max(1, limits.blocks - 1), max(limits.size - _LABEL_ROOM, limits.size // 2))
    parts = split(message.blocks, budget=room, section_limit=limits.section) or [[]]
    if len(parts) == 1:
        return [Message(text, parts[0])]
    if single:
        hidden = sum(len(part) for part in parts[1:])
        return [Message(text, [*parts[0], more(hidden, language)])]
    if not labelled:
        return [Message(text, blocks) for blocks in parts]
    return _labelled(text, parts, language=language, room_for_text=limits.text)


def _labelled(
    text: str, parts: list[list[Block]], *, language: Language, room_for_text: int
) -> list[Message]:
    """The parent says the rest is in its thread; each reply says which part it is."""
    first = [*parts[0], _context(t(language, "split_continued", parts=len(parts)))]
    messages = [Message(text, first)]
    for index, blocks in enumerate(parts[1:], start=2):
        label = t(language, "split_part", part=index, parts=len(parts))
        reply = shorten(f"{label}: {text}", room_for_text)
        messages.append(Message(reply, [_context(label), *blocks]))
    return messages


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}
