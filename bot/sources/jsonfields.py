"""Reading JSON answers strictly: the document, and typed optional values in it.

A value of the wrong type is a ParseError (the answer changed shape), never a silent None, so a
broken answer cannot look like a change.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sources.base import ParseError


def load_object(body: bytes) -> dict[str, Any]:
    """The answer as a JSON object; ParseError for anything else (HTML, truncated, a list)."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ParseError("the answer is not JSON") from None
    if not isinstance(document, dict):
        raise ParseError("the answer is not a JSON object")
    return document


def opt(parent: dict[str, Any], key: str, kind: type) -> Any:
    """The value at `key` when it has the expected type, None when absent; else a ParseError."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParseError(f"{key} is not {kind.__name__}")
    return value


def module(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """The object at `key` ({} when absent)."""
    value = opt(parent, key, dict)
    return value if value is not None else {}


def objects(parent: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The list of objects at `key` ([] when absent)."""
    values = opt(parent, key, list) or []
    if not all(isinstance(value, dict) for value in values):
        raise ParseError(f"{key} holds a value that is not a JSON object")
    return list(values)


def strings(parent: dict[str, Any], key: str) -> list[str]:
    """The list of texts at `key` ([] when absent)."""
    values = opt(parent, key, list) or []
    if not all(isinstance(value, str) for value in values):
        raise ParseError(f"{key} holds a value that is not text")
    return list(values)
