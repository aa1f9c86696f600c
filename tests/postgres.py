"""Whether the PostgreSQL variants run: with TEST_DATABASE_URL, else a visible skip (CI: a failure).

A run without a server must say what it did not run, never pass quietly; on CI (`CI=true`) a
missing server is an error, because there the PostgreSQL cases are part of the promise.
"""

from __future__ import annotations

import os

import pytest

EXAMPLE_URL = "postgresql://postgres@127.0.0.1:5432/test"
NOT_CONFIGURED = f"PostgreSQL variant not run: TEST_DATABASE_URL is not set (e.g. {EXAMPLE_URL})"


def on_ci() -> bool:
    """True when the run is CI's (`CI=true`, as GitHub Actions, GitLab and others set it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def configured() -> str | None:
    """The base URL of the test server, if one is configured."""
    return os.environ.get("TEST_DATABASE_URL") or None


# Skipped where no server is configured, except on CI, where the fixture fails instead.
needs_postgres = pytest.mark.skipif(configured() is None and not on_ci(), reason=NOT_CONFIGURED)


def base_url() -> str:
    """TEST_DATABASE_URL; fails the test (with the reason) when it is missing."""
    url = configured()
    if url is None:
        pytest.fail(f"{NOT_CONFIGURED}; CI=true requires PostgreSQL", pytrace=False)
    return url
