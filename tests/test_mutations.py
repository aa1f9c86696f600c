"""The mutation check's own logic: a target that moved stops it; the table names the catchers."""

from __future__ import annotations

from pathlib import Path

from bench.mutations import FAILED, MUTATIONS, Mutation, Outcome, misplaced, table

ROOT = Path(__file__).parents[1]


def mutation(path: str, old: str) -> Mutation:
    return Mutation("m", path, ((old, "broken"),), "a promise", ("tests/test_x.py",))


def test_every_target_text_is_found_once_in_this_tree() -> None:
    """The table matches the code as it is (else `--check` and every run stop at once)."""
    assert misplaced(ROOT, MUTATIONS) == []
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS)


def test_moved_or_repeated_text_is_reported_not_skipped(tmp_path: Path) -> None:
    """A missing file, a missing text and a text found twice are each a problem."""
    (tmp_path / "a.py").write_text("x = 1\nx = 1\ny = 2\n")
    problems = misplaced(
        tmp_path,
        (mutation("gone.py", "x"), mutation("a.py", "z = 3"), mutation("a.py", "x = 1")),
    )
    endings = ("file missing", "found 0 times", "found 2 times")
    assert len(problems) == 3
    assert all(problem.endswith(end) for problem, end in zip(problems, endings, strict=True))
    assert misplaced(tmp_path, (mutation("a.py", "y = 2"),)) == []


def test_every_mutation_names_test_files_that_exist() -> None:
    """A mutation run on a test file that is gone would be 'broken', not a finding."""
    missing = [(m.name, t) for m in MUTATIONS for t in m.tests if not (ROOT / t).is_file()]
    assert missing == []


def test_table_lists_the_catching_tests_and_counts_the_rest() -> None:
    """One row per mutation with its status and the first three tests that failed."""
    caught = Outcome(mutation("bot/x.py", "x"), "caught", [f"tests/t.py::test_{i}" for i in "abcd"])
    survived = Outcome(mutation("bot/y.py", "y"), "survived")
    rows = table([caught, survived])
    assert rows[2].endswith("| caught | `t.py::test_a`, `t.py::test_b`, `t.py::test_c` +1 more |")
    assert rows[3].endswith("| survived | — |")


def test_failed_test_ids_are_read_whole_from_pytests_summary() -> None:
    """Parameter ids with spaces stay whole; the message after " - " is not part of the id; a
    captured log line at level ERROR is no failed test."""
    summary = (
        "ERROR    slack_sdk.web.base_client:base_client.py:316 Failed to decode Slack API\n"
        "FAILED tests/t.py::test_a[application/json-<!DOCTYPE html>] - AssertionError: a - b\n"
        "ERROR tests/t.py::test_b\n"
        "ERROR tests/t_broken.py - ImportError: no module\n"
        "SKIPPED [1] tests/t.py:3: PostgreSQL variant not run\n"
    )
    assert FAILED.findall(summary) == [
        "tests/t.py::test_a[application/json-<!DOCTYPE html>]",
        "tests/t.py::test_b",
        "tests/t_broken.py",
    ]
