"""Strict YAML reading: plain data (strings, lists, mappings) with the line of every value.

Scalars are kept exactly as written (YAML 1.1 would turn `NO` into False and `0123` into 83),
explicit tags, anchors and aliases are refused, and duplicate keys are an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.watchlist.fastyaml import NotPlain, read_plain

MAX_DEPTH = 12

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Path = tuple[Any, ...]


class YamlShapeError(ValueError):
    """YAML that cannot be read as plain data; `line` is 1-based."""

    def __init__(self, line: int, field: str, message: str) -> None:
        self.line, self.field, self.message = line, field, message
        super().__init__(f"{line}: {field}: {message}")


@dataclass
class Marked:
    """Plain data read from YAML, with the line on which each path starts."""

    value: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of the deepest part of `path` that exists in the document."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def read_yaml(text: str) -> Marked:
    """Plain data and lines: LibYAML for an ordinary document, else the careful reading below."""
    try:
        value, lines = read_plain(text, max_depth=MAX_DEPTH)
    except NotPlain:
        return read_yaml_carefully(text)
    return Marked(value, lines)


def read_yaml_carefully(text: str) -> Marked:
    """Compose `text` without resolving any type, then convert it to plain data."""
    _check_events(text)
    try:
        # BaseLoader resolves every plain scalar to a string: nothing is coerced.
        node = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlShapeError(line, "", f"not valid YAML: {exc.problem}") from None
    marked = Marked(None)
    if node is not None:
        marked.value = _convert(node, (), marked.lines)
    return marked


def _check_events(text: str) -> None:
    """Refuse anchors, aliases and deep nesting before composing.

    The parser streams events without recursion, but PyYAML's composer recurses once per level:
    `[[[[…` a few thousand deep would end in RecursionError instead of a located error.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.BaseLoader):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlShapeError(line, "", "anchors and aliases (&, *) are not allowed")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the root collection is level 1, at path ()
                    raise YamlShapeError(line, "", "nested too deeply")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError:
        return  # reported with its position by compose()


def _convert(node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    where = dotted_path(path)
    if node.tag not in _PLAIN_TAGS:
        raise YamlShapeError(lines[path], where, f"tag {node.tag!r} is not allowed")
    if len(path) > MAX_DEPTH:
        raise YamlShapeError(lines[path], where, "nested too deeply")
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, lines)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return node.value


def _convert_mapping(node: yaml.MappingNode, path: Path, lines: dict[Path, int]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlShapeError(key_line, dotted_path(path), "keys must be plain text")
        key = key_node.value
        if key in result:
            first = lines[(*path, key)]
            message = f"duplicate key {key!r} (first on line {first})"
            raise YamlShapeError(key_line, dotted_path((*path, key)), message)
        result[key] = _convert(value_node, (*path, key), lines)
        lines[(*path, key)] = key_line
    return result


def dotted_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
