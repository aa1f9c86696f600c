"""LibYAML's fast reading gives exactly what the careful reading gives, or steps aside."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.lookupworld import write_watchlist
from bot.watchlist.fastyaml import NotPlain, read_plain
from bot.watchlist.yamlnodes import (
    MAX_DEPTH,
    Marked,
    YamlShapeError,
    read_yaml,
    read_yaml_carefully,
)
from tests.world import SEED

# Characters that make YAML interesting: syntax, quotes, breaks, BOM, NEL, controls, accents.
TRICKY = "ab :-[]{},'\"\n#&*!|>~\t%@`?\\\x85\u2028\ufeff\x00\x07éø0"


def outcome(read: Any, text: str) -> tuple[Any, ...]:
    """(value, lines) of a reading, or the located error it raised."""
    try:
        marked: Marked = read(text)
    except YamlShapeError as exc:
        return ("error", exc.line, exc.field, exc.message)
    except yaml.YAMLError as exc:  # what the careful reading lets through (a control character)
        return ("raised", type(exc), str(exc))
    return ("ok", marked.value, marked.lines)


def test_the_shipped_watchlist_takes_the_fast_path() -> None:
    """The seed file is plain: LibYAML reads it, with the same values and lines as before."""
    text = SEED.read_text(encoding="utf-8")
    value, lines = read_plain(text, max_depth=MAX_DEPTH)
    careful = read_yaml_carefully(text)
    assert (value, lines) == (careful.value, careful.lines)
    assert len(lines) > 20


def test_a_generated_watchlist_reads_the_same_both_ways(tmp_path: Any) -> None:
    """300 generated methods with flow lists and discovery: same values, same lines."""
    text = write_watchlist(tmp_path / "w.yaml", 300).read_text(encoding="utf-8")
    value, lines = read_plain(text, max_depth=MAX_DEPTH)
    careful = read_yaml_carefully(text)
    assert value == careful.value
    assert lines == careful.lines


def test_unusual_documents_step_aside() -> None:
    """Tags, anchors, aliases, duplicate keys, two documents, control characters, what the two
    grammars read differently, a missing final line break and a root that is not a mapping are
    not read by the fast path (the careful path reports or reads them)."""
    for text in [
        "a: !!str 3\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "a: 1\n---\nb: 2\n",
        "a: \x07\n",
        "a: b\tc\n",
        "a: [b?]\n",
        "a: |#\n  b\n",
        "a: 1",
        "---\n",
        "- a\n",
        "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2),
        "a: [unclosed\n",
    ]:
        try:
            read_plain(text, max_depth=MAX_DEPTH)
        except NotPlain:
            continue
        raise AssertionError(f"the fast path read {text!r}")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=TRICKY, max_size=80))
def test_any_text_reads_as_the_careful_reading_does(text: str) -> None:
    """For arbitrary text (mostly broken YAML) the result, or the located error, is the same."""
    assert outcome(read_yaml, text) == outcome(read_yaml_carefully, text)


_KEYS = st.text(alphabet="abc~ 0", max_size=3)
_VALUES = st.recursive(
    st.none() | st.text(alphabet="abNo0~ é:-#'\"\n", max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)
_PLAIN = st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _PLAIN,
    st.booleans(),
    st.integers(min_value=0, max_value=200),
    st.sampled_from(["", " ", "\n", "-", ":", "'", "&", "#", "[", "\t", "\ufeff"]),
)
def test_dumped_documents_read_as_the_careful_reading_does(
    data: Any, flow: bool, at: int, insert: str
) -> None:
    """Documents dumped in block or flow style, optionally with one character inserted, read
    the same both ways (values, lines, or the error)."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    text = text[:at] + insert + text[at:]
    assert outcome(read_yaml, text) == outcome(read_yaml_carefully, text)
