"""Fitting whole blocks into Slack's limits: blocks that keep them, messages split, lists cut
with a count of what was left out. Limits and measuring: bot/texts/blockkit.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.texts.blockkit import (
    BLOCK_COST,
    BLOCKS_SIZE,
    CONTEXT_ELEMENTS,
    FIELD_TEXT,
    FIELDS,
    HEADER_TEXT,
    MESSAGE,
    TEXT_OBJECT,
    Block,
    Budget,
    block_fits,
    fits,
    pack,
    sections,
    shorten,
    text_size,
)
from bot.texts.catalogue import Language, number
from bot.texts.catalogue import text as t

Tail = Callable[[int, Language], Block]
# What only the first of the blocks a section is split into may keep.
_ONCE = ("block_id", "accessory")


def fit_block(block: Block) -> list[Block]:
    """One block as blocks that keep the per-block limits: a long section becomes several
    (cut between lines), long fields and headers are shortened, crowded ones are split."""
    if block_fits(block):
        return [block]
    kind = block.get("type")
    if kind == "section":
        return _fit_section(block)
    if kind == "header":
        text = {**block["text"], "text": shorten(block["text"]["text"], HEADER_TEXT)}
        return [{**block, "text": text}]
    if kind == "context":
        groups = _groups(block["elements"], most=CONTEXT_ELEMENTS, longest=TEXT_OBJECT)
        return [{"type": "context", "elements": group} for group in groups]
    return [block]


def _fit_section(block: Block) -> list[Block]:
    """Text sections cut between lines, then the fields shortened and grouped; only the first
    part keeps the block_id and the accessory."""
    base = {key: value for key, value in block.items() if key not in {"text", "fields"}}
    text = block.get("text")
    parts: list[Block] = []
    if isinstance(text, dict):
        lines = str(text.get("text") or "").split("\n")
        parts = [{**base, "text": {**text, "text": piece}} for piece in pack(lines)]
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
    blocks: Iterable[Block], *, heading: Sequence[Block] = (), budget: Budget = MESSAGE
) -> list[list[Block]]:
    """Blocks spread in order over as few messages as Slack accepts; `heading` opens the first."""
    messages: list[list[Block]] = []
    current: list[Block] = []
    weight = 0
    for block in (part for whole in [*heading, *blocks] for part in fit_block(whole)):
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
