"""Shared test fixtures: a hermetic environment and the databases the store runs on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests import postgres
from tests.postgres import needs_postgres

_CLEARED_PREFIXES = (
    "SLACK_",
    "METODEVAKT_",
    "OPENFDA_",
    "CTGOV_",
    "EMA_",
    "FDA_",
    "NYEMETODER_",
)
_CLEARED = {
    "DATABASE_URL",
    "WATCHLIST_FILE",
    "POLL_INTERVAL_MINUTES",
    "DIGEST_CRON",
    "TIMEZONE",
    "LANGUAGE",
    "PORT",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
}


@pytest.fixture(autouse=True)
def hermetic_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test sees the developer's Slack tokens, database, proxies or .env file."""
    for name in list(os.environ):
        if name in _CLEARED or name.startswith(_CLEARED_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    yield


def _database_kinds() -> list[Any]:
    """SQLite always; PostgreSQL too, reported as skipped (with the reason) when not configured."""
    return ["sqlite", pytest.param("postgresql", marks=needs_postgres)]


@pytest.fixture(params=_database_kinds())
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, and a private PostgreSQL schema when configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'metodevakt.db'}"
        return
    yield from _postgres_schema(postgres.base_url())


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A private PostgreSQL schema (for tests marked `needs_postgres`)."""
    yield from _postgres_schema(postgres.base_url())


def _postgres_schema(base_url: str) -> Iterator[str]:
    import uuid

    from sqlalchemy import create_engine, text

    from bot.settings import Settings

    url = Settings(database_url=base_url).database_url
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


from tests.fakeslack import fake_slack as _fake_slack  # noqa: E402
from tests.replay import replay as _replay  # noqa: E402

fake_slack = pytest.fixture(_fake_slack)
replay = pytest.fixture(_replay)


@pytest.fixture
def sessions(database_url: str) -> Iterator[Any]:
    """Sessions on a freshly migrated, empty database (both kinds)."""
    from bot.storage import db

    engine = db.make_engine(database_url)
    db.upgrade(engine)
    yield db.session_factory(engine)
    engine.dispose()
