"""The golden-file helper: a regeneration writes the file and fails until the diff is reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import assert_golden, assert_golden_text


def test_regeneration_writes_the_file_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REGENERATE_GOLDEN=1 with a changed value: the file is rewritten and the test fails."""
    monkeypatch.setenv("REGENERATE_GOLDEN", "1")
    expected = tmp_path / "case.expected.json"
    expected.write_text('{"status": "RECRUITING"}\n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="regenerated: review the diff"):
        assert_golden({"status": "COMPLETED"}, expected)
    assert expected.read_text(encoding="utf-8") == '{\n  "status": "COMPLETED"\n}\n'


def test_regeneration_of_a_missing_text_file_fails_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A golden text that did not exist is written, and its first run is not green."""
    monkeypatch.setenv("REGENERATE_GOLDEN", "1")
    path = tmp_path / "new" / "week.nb.txt"
    with pytest.raises(pytest.fail.Exception, match="regenerated: review the diff"):
        assert_golden_text("Oppsummering\n", path)
    assert path.read_text(encoding="utf-8") == "Oppsummering\n"


def test_regeneration_leaves_an_unchanged_file_green(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing to review when the value is what the file already holds."""
    monkeypatch.setenv("REGENERATE_GOLDEN", "1")
    path = tmp_path / "same.txt"
    path.write_text("same\n", encoding="utf-8")
    assert_golden_text("same\n", path)


def test_without_the_flag_a_difference_fails_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ordinary run compares only; the stored file stays as it was."""
    monkeypatch.delenv("REGENERATE_GOLDEN", raising=False)
    path = tmp_path / "stored.txt"
    path.write_text("stored\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        assert_golden_text("changed\n", path)
    assert path.read_text(encoding="utf-8") == "stored\n"
