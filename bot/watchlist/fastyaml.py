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
_FRAME_EVENTS = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)

Path = tuple[Any, ...]


class NotPlain(Exception):  # noqa: N818 -- a signal to take the slow path, not an error
    """The text is not a plain watchlist document (or not valid): read it the careful way."""


@dataclass
class _Open:
    """A collection being read: its value, its path, and for a mapping the key read last."""

    value: Any
    path: Path
    key: str | None = None
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

    def take(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.NodeEvent):
            self._node(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise NotPlain
        elif not isinstance(event, _FRAME_EVENTS):
            raise NotPlain

    def _node(self, event: yaml.NodeEvent) -> None:
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise NotPlain
        if getattr(event, "tag", None) is not None:
            raise NotPlain
        line = event.start_mark.line + 1 if event.start_mark else 1
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:
            self._key(parent, event, line)
            return
        path = self._path_of_next(parent)
        if len(path) > self.max_depth:
            raise NotPlain
        self.lines[path] = line
        value = self._value(event)
        self._place(parent, value, line)
        if isinstance(event, yaml.CollectionStartEvent):
            self.stack.append(_Open(value, path))

    def _key(self, parent: _Open, event: yaml.NodeEvent, line: int) -> None:
        if not isinstance(event, yaml.ScalarEvent) or event.value in parent.keys:
            raise NotPlain
        parent.key, parent.key_line = event.value, line
        parent.keys.add(event.value)

    def _path_of_next(self, parent: _Open | None) -> Path:
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        return (*parent.path, parent.key)

    def _value(self, event: yaml.NodeEvent) -> Any:
        if isinstance(event, yaml.MappingStartEvent):
            return {}
        if isinstance(event, yaml.SequenceStartEvent):
            return []
        assert isinstance(event, yaml.ScalarEvent)
        # A plain scalar's style is None in PyYAML's parser and "" in LibYAML's.
        if not event.style and event.value in _NULLS:
            return None
        return event.value

    def _place(self, parent: _Open | None, value: Any, line: int) -> None:
        if parent is None:
            self.root = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        else:
            assert parent.key is not None
            parent.value[parent.key] = value
            # As in yamlnodes: a key's path is found at the key's line, not the value's.
            self.lines[(*parent.path, parent.key)] = parent.key_line
            parent.key = None
