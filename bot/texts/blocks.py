"""Slack messages as data: Block Kit blocks, the plain-text fallback, and blocks read as text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.texts.blockkit import SECTION_TEXT, TEXT_OBJECT, shorten

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """A message for Slack: the plain-text fallback (notifications) and its blocks."""

    text: str
    blocks: list[Block]


def section(markdown: str) -> Block:
    """A mrkdwn section block (the caller has escaped what came from outside); a text past
    Slack's limit is shortened, never inside a link or an escape."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": shorten(markdown, SECTION_TEXT)}}


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
