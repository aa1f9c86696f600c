"""LibYAML's fast reading of an ordinary watchlist, with the line of every value.

Only plain documents are read here: one document of mappings, lists and untagged scalars, no
anchors or aliases, unique keys, within the nesting limit, printable characters only. Anything
else (an error, or just something unusual) raises NotPlain, and `yamlnodes.read_yaml` reads the
text again with PyYAML's own Python reader, which reports every problem at file:line exactly as
before. For a plain document both readers give the same values and lines (tests/test_fastyaml.py
compares them on the shipped watchlist, the fixtures and generated documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

# PyYAML's Reader refuses these characters; LibYAML may not. Such a text takes the slow path.
# So does anything on which the two grammars are known to differ (found by comparing them on
# generated text, tests/test_fastyaml.py): tabs, a byte-order mark, the Unicode line breaks NEL,
# LS and PS, "?" (which LibYAML accepts inside flow scalars) and a block scalar header followed
# at once by "#" ("|#", which LibYAML reads as a comment).
_UNUSUAL = re.compile("[\t\ufeff\x85\u2028\u2029?]|[|>][-+0-9]*#")
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_NULLS = ("", "~", "null", "Null", "NULL")
_LOADER: Any = getattr(yaml, "CBaseLoader", None)

Path = tuple[Any, ...]


class NotPlain(Exception):  # noqa: N818 -- a signal to take the slow path, not an error
    """The text is not a plain watchlist document (or not valid): read it the careful way."""


@dataclass
class _Open:
    """A collection being read: its value and path; for a mapping, whether a key comes next,
    the key read last, its line and every key so far (`awaits_key` is None for a list)."""

    value: Any
    path: Path
    awaits_key: bool | None = None
    key: str = ""
    key_line: int = 0
    keys: set[str] = field(default_factory=set)


def read_plain(text: str, *, max_depth: int) -> tuple[Any, dict[Path, int]]:
    """The document's plain data and the 1-based line of every path; NotPlain otherwise."""
    # A text not ending in a line break can leave an empty value marked on a different line.
    if _LOADER is None or not text.endswith("\n"):
        raise NotPlain
    if _UNUSUAL.search(text) or _NOT_PRINTABLE.search(text):
        raise NotPlain
    reader = _Reader(max_depth)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            reader.take(event)
    except yaml.YAMLError:
        raise NotPlain from None
    if not isinstance(reader.root, dict):  # a watchlist is a mapping; anything else is an error
        raise NotPlain
    return reader.root, reader.lines


class _Reader:
    """Builds plain data from parser events, as yamlnodes' composer-based reading does."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.root: Any = None
        self.lines: dict[Path, int] = {}
        self.stack: list[_Open] = []
        self.documents = 0
        nothing = self._nothing
        self._handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._mapping,
            yaml.SequenceStartEvent: self._sequence,
            yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end,
            yaml.DocumentStartEvent: self._document,
            yaml.StreamStartEvent: nothing,
            yaml.StreamEndEvent: nothing,
            yaml.DocumentEndEvent: nothing,
        }

    def take(self, event: yaml.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is None:  # an alias, or an event this reader does not know
            raise NotPlain
        handler(event)

    def _nothing(self, event: yaml.Event) -> None:
        pass

    def _document(self, event: yaml.Event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise NotPlain

    def _end(self, event: yaml.Event) -> None:
        self.stack.pop()

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        _refuse_anchor_and_tag(event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.awaits_key:
            if event.value in parent.keys:
                raise NotPlain
            parent.key, parent.key_line = event.value, _line(event)
            parent.keys.add(event.value)
            parent.awaits_key = False
            return
        # A plain scalar's style is None in PyYAML's parser and "" in LibYAML's.
        value = None if not event.style and event.value in _NULLS else event.value
        self._add(parent, value, _line(event))

    def _mapping(self, event: yaml.MappingStartEvent) -> None:
        self._collection(event, {})

    def _sequence(self, event: yaml.SequenceStartEvent) -> None:
        self._collection(event, [])

    def _collection(self, event: yaml.CollectionStartEvent, value: Any) -> None:
        _refuse_anchor_and_tag(event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.awaits_key:  # a key that is not plain text
            raise NotPlain
        path = self._add(parent, value, _line(event))
        self.stack.append(_Open(value, path, awaits_key=True if isinstance(value, dict) else None))

    def _add(self, parent: _Open | None, value: Any, line: int) -> Path:
        """Put a value in its place; its path, at the line it starts on."""
        if parent is None:
            path: Path = ()
            self.root = value
        elif parent.awaits_key is None:  # a list
            path = (*parent.path, len(parent.value))
            parent.value.append(value)
        else:
            path = (*parent.path, parent.key)
            parent.value[parent.key] = value
            parent.awaits_key = True
        if len(path) > self.max_depth:
            raise NotPlain
        # As in yamlnodes: a key's path is found at the key's line, not the value's.
        self.lines[path] = line if parent is None or parent.awaits_key is None else parent.key_line
        return path


def _refuse_anchor_and_tag(event: yaml.NodeEvent) -> None:
    if event.anchor is not None or getattr(event, "tag", None) is not None:
        raise NotPlain


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1
