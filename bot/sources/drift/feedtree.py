"""A feed's XML elements as nested dicts, with element names exactly as written (for drift).

feedparser maps many element names onto one (`summary` and `description`, `pubDate` and
`dc:date`), which hides a renamed element; this keeps the names. Entity declarations are refused
before parsing, as in bot.sources.news.feeds, so no entity is ever expanded.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Elements that are a list even when they occur once.
_MANY = frozenset({"item", "entry"})


def feed_tree(body: bytes) -> dict[str, Any]:
    """{root name: element}; an element is its text when it has no child elements, else a dict
    of its children (a list for a repeated name). ValueError when the body is not XML."""
    if _ENTITY_DECLARATION.search(body):
        raise ValueError("the feed declares XML entities")
    builder = _Builder()
    # Read as feedparser does: the bytes as UTF-8, else as Windows-1252 (a declared charset
    # that had to be overridden is only a warning there, so it is no drift here either).
    parser = expat.ParserCreate(encoding="utf-8")
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    try:
        parser.Parse(_as_utf8(body), True)
    except expat.ExpatError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    return builder.root()


def _as_utf8(body: bytes) -> bytes:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace").encode("utf-8")
    return body


class _Builder:
    """Collects elements on a stack: (children, text parts) per open element."""

    def __init__(self) -> None:
        self.stack: list[tuple[dict[str, Any], list[str]]] = [({}, [])]

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        self.stack.append(({}, []))

    def text(self, data: str) -> None:
        self.stack[-1][1].append(data)

    def end(self, name: str) -> None:
        children, parts = self.stack.pop()
        value: Any = children or "".join(parts).strip()
        parent = self.stack[-1][0]
        if name in _MANY:
            parent.setdefault(name, []).append(value)
        elif name in parent:
            earlier = parent[name]
            parent[name] = [*earlier, value] if isinstance(earlier, list) else [earlier, value]
        else:
            parent[name] = value

    def root(self) -> dict[str, Any]:
        return self.stack[0][0]
