"""Schema drift: the keys an answer lacks, seems to have renamed, or holds as another type.

Pure: a source name and an answer's bytes in, a list of DriftItem out, judged against the shape
its parser reads (bot.sources.drift.shapes). Meant for `metodevakt doctor`, which also runs the
parser and its gates; drift says *why* an answer no longer reads, or what it silently lost.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.sources.drift.feedtree import feed_tree
from bot.sources.drift.shapes import FEEDS, SHAPES, Kind, Shape

MISSING = "missing"
RENAMED = "renamed"
TYPE = "type"

# How alike a missing key and an unexpected one must be (difflib ratio on lower-case names
# without separators) to suggest a rename: nctId/nctID and pubDate/publishDate pass;
# medicine_url/medicine_name (0.70) and medicine_status/medicine_name (0.69) do not.
SIMILARITY = 0.7
_SEPARATORS = re.compile(r"[_\-\s]")


@dataclass(frozen=True)
class DriftItem:
    """One departure from the expected shape, at `path` (dotted; `[]` marks list elements).

    `problem` is MISSING, RENAMED (missing, with `found` the key that seems to replace it) or
    TYPE (`found` describes the value). `count` of the `of` objects at that level show it.
    """

    path: str
    problem: str
    expected: str
    found: str | None = None
    count: int = 1
    of: int = 1

    def __str__(self) -> str:
        where = f"in {self.count} of {self.of}" if self.of > 1 else ""
        if self.problem == RENAMED:
            text = f"{self.path}: missing {where}; did you mean {self.found!r}?"
        elif self.problem == TYPE:
            text = f"{self.path}: expected {self.expected}, found {self.found} {where}"
        else:
            text = f"{self.path}: missing {where} (expected {self.expected})"
        return " ".join(text.split()).replace(" ;", ";")


def describe_drift(source_name: str, body: bytes, *, status: int = 200) -> list[DriftItem]:
    """How `body` departs from what `source_name`'s parser reads for an HTTP `status` answer.

    ValueError for a source or status without a known shape.
    """
    shapes = SHAPES.get(source_name)
    if shapes is None or status not in shapes:
        raise ValueError(f"no expected shape for {source_name!r} answering HTTP {status}")
    document, problem = _document(body, feed=source_name in FEEDS)
    if problem is not None:
        return [problem]
    tally = _Tally()
    _check(document, _tree(shapes[status]), "", tally)
    return tally.items()


def _document(body: bytes, *, feed: bool) -> tuple[Any, DriftItem | None]:
    try:
        document = feed_tree(body) if feed else json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        expected = "an RSS feed" if feed else "a JSON object"
        return None, DriftItem("", TYPE, expected, f"unreadable body ({exc})")
    if not isinstance(document, dict):
        return None, DriftItem("", TYPE, "a JSON object", _describe(document))
    return document, None


@dataclass
class _Node:
    """One expected key: optional or not, a list of objects or not, a leaf kind or children."""

    optional: bool
    many: bool
    kind: Kind | None = None
    children: dict[str, _Node] = field(default_factory=dict)

    @property
    def expected(self) -> str:
        if self.kind is not None:
            return self.kind.name
        return "list of objects" if self.many else "object"


def _tree(shape: Shape) -> dict[str, _Node]:
    """The shape's paths as a tree of expected keys."""
    root: dict[str, _Node] = {}
    for path, kind in shape:
        level, node = root, None
        for part in path.split("."):
            name = part.rstrip("?").removesuffix("[]")
            node = level.setdefault(
                name, _Node(optional=part.endswith("?"), many=part.rstrip("?").endswith("[]"))
            )
            level = node.children
        if node is not None:
            node.kind = kind
    return root


def _check(obj: dict[str, Any], expected: dict[str, _Node], path: str, tally: _Tally) -> None:
    """Compare one object with its expected keys, then descend into the ones present."""
    missing = [name for name, node in expected.items() if not node.optional and name not in obj]
    renames = _renames(missing, obj, expected)
    for name, node in expected.items():
        where = f"{path}.{name}" if path else name
        tally.seen(where)
        value = obj.get(name)
        if value is None:
            if not node.optional:
                tally.note(where, node.expected, rename=renames.get(name))
        elif node.kind is not None:
            if not node.kind.accepts(value):
                tally.note(where, node.expected, found=_describe(value))
        else:
            _descend(value, node, where, tally)


def _descend(value: Any, node: _Node, where: str, tally: _Tally) -> None:
    if not node.many:
        if isinstance(value, dict):
            _check(value, node.children, where, tally)
        else:
            tally.note(where, node.expected, found=_describe(value))
        return
    if not isinstance(value, list):
        tally.note(where, node.expected, found=_describe(value))
        return
    for element in value:
        tally.seen(f"{where}[]")
        if isinstance(element, dict):
            _check(element, node.children, f"{where}[]", tally)
        else:
            tally.note(f"{where}[]", "object", found=_describe(element))


def _renames(missing: list[str], obj: dict[str, Any], expected: dict[str, _Node]) -> dict[str, str]:
    """Missing key → the unexpected key most like it; each unexpected key suggested once."""
    unknown = [key for key in obj if key not in expected]
    pairs = sorted((-_likeness(name, key), name, key) for name in missing for key in unknown)
    found: dict[str, str] = {}
    for score, name, key in pairs:
        if -score >= SIMILARITY and name not in found and key not in found.values():
            found[name] = key
    return found


def _likeness(a: str, b: str) -> float:
    plain = (_SEPARATORS.sub("", a.lower()), _SEPARATORS.sub("", b.lower()))
    return difflib.SequenceMatcher(None, *plain).ratio()


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false {value!r}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, list):
        shown = repr(value)
        return f"list {shown if len(shown) <= 40 else shown[:39] + '…'}"
    return "object" if isinstance(value, dict) else "null"


class _Tally:
    """Drift by path, in the order first met, with how many objects showed it."""

    def __init__(self) -> None:
        self.visits: Counter[str] = Counter()
        # (path, MISSING or TYPE) → (expected, Counter of suggested renames or values found)
        self.found: dict[tuple[str, str], tuple[str, Counter[str | None]]] = {}

    def seen(self, path: str) -> None:
        self.visits[path] += 1

    def note(self, path: str, expected: str, *, rename: str | None = None, found: str = "") -> None:
        problem = TYPE if found else MISSING
        _, examples = self.found.setdefault((path, problem), (expected, Counter()))
        examples[found or rename] += 1

    def items(self) -> list[DriftItem]:
        """The drift found, in the order of the expected keys as first met."""
        order = {path: index for index, path in enumerate(self.visits)}
        drift = []
        for (path, problem), (expected, examples) in self.found.items():
            named = Counter({name: n for name, n in examples.items() if name is not None})
            example = named.most_common(1)[0][0] if named else None
            kind = RENAMED if problem == MISSING and example else problem
            count = sum(examples.values())
            drift.append(DriftItem(path, kind, expected, example, count, self.visits[path]))
        return sorted(drift, key=lambda item: order[item.path])
