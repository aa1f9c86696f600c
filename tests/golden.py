"""Golden files: compare a value with the JSON stored beside a fixture; regenerate on request.

Run with REGENERATE_GOLDEN=1 to rewrite the expected files, then review the diff in git. A
rewritten file fails its test ("regenerated: review the diff"): a regeneration is never green.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples and frozensets as plain JSON-compatible data (a dataclass's fields
    that take no part in its equality, such as a query's prepared context, are left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [f for f in dataclasses.fields(value) if f.compare]
        return {f.name: to_plain(getattr(value, f.name)) for f in fields}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_plain(v) for v in value)
    return value


def assert_golden(actual: Any, expected_file: Path) -> None:
    """`actual` (made plain) equals the JSON in `expected_file`."""
    plain = to_plain(actual)
    text = json.dumps(plain, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _regenerate(text, expected_file)
    assert expected_file.exists(), f"{expected_file} is missing; run with REGENERATE_GOLDEN=1"
    assert plain == json.loads(expected_file.read_text(encoding="utf-8"))


def assert_golden_text(actual: str, path: Path) -> None:
    """`actual` equals the text stored in `path` (rewritten when REGENERATE_GOLDEN=1)."""
    _regenerate(actual, path)
    assert path.exists(), f"{path} is missing; run with REGENERATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def _regenerate(text: str, path: Path) -> None:
    """With REGENERATE_GOLDEN=1, write `text` to `path`; fail when that changed the file.

    Comparing a file just written with itself would pass by construction: a changed golden file
    must be looked at (`git diff`) before a run can be green again. An unchanged one passes.
    """
    if os.environ.get("REGENERATE_GOLDEN") != "1":
        return
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if before == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    pytest.fail(f"regenerated: review the diff of {path}", pytrace=False)
