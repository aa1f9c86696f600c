"""Settings: defaults of the public contract, overrides from the environment, readable errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings


def test_defaults_match_the_contract() -> None:
    """With an empty environment every variable has the default the design promises."""
    settings = load_settings()
    assert settings.slack_bot_token is None
    assert settings.slack_alert_channel is None
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///var/metodevakt.db"
    assert settings.watchlist_file == Path("config/watchlist.yaml")
    assert settings.ctgov_api_url == "https://clinicaltrials.gov/api/v2"
    assert settings.openfda_api_url == "https://api.fda.gov"
    assert settings.ema_base_url == "https://www.ema.europa.eu"
    assert settings.fda_base_url == "https://www.fda.gov"
    assert settings.poll_interval_minutes == 60
    assert settings.ema_poll_hours == 6
    assert settings.digest_cron == "0 8 * * MON"
    assert settings.timezone == "Europe/Oslo"
    assert settings.language == "nb"
    assert settings.port == 3000
    assert settings.admins == frozenset()


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Variables from the environment override the defaults, with types converted."""
    monkeypatch.setenv("POLL_INTERVAL_MINUTES", "15")
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("METODEVAKT_ADMINS", "U123, U456 ,")
    monkeypatch.setenv("SLACK_ALERT_CHANNEL", "C0123ABCD")
    settings = load_settings()
    assert settings.poll_interval_minutes == 15
    assert settings.language == "en"
    assert settings.admins == frozenset({"U123", "U456"})
    assert settings.admin_channel == "C0123ABCD"


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .env file in the working directory is read; the environment wins over it."""
    (tmp_path / ".env").write_text("PORT=8080\nTIMEZONE=UTC\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TIMEZONE", "Europe/Berlin")
    settings = load_settings()
    assert settings.port == 8080
    assert settings.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/app", "postgresql+psycopg://u:p@db.example:5432/app"),
        ("postgresql://u@h/app", "postgresql+psycopg://u@h/app"),
        ("postgresql+psycopg://u@h/app", "postgresql+psycopg://u@h/app"),
        ("sqlite:///var/x.db", "sqlite:///var/x.db"),
    ],
)
def test_database_url_is_normalised(given: str, expected: str) -> None:
    """Heroku's postgres:// is accepted and turned into a URL SQLAlchemy can load."""
    assert Settings(database_url=given).database_url == expected


def test_tokens_never_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets are masked in repr and str of the settings."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-very-secret")
    monkeypatch.setenv("OPENFDA_API_KEY", "fda-very-secret")
    settings = load_settings()
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in str(settings)
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "POLL_INTERVAL_MINUTES",
            "often",
            "POLL_INTERVAL_MINUTES: Input should be a valid integer",
        ),
        (
            "POLL_INTERVAL_MINUTES",
            "0",
            "POLL_INTERVAL_MINUTES: Input should be greater than or equal to 1",
        ),
        ("LANGUAGE", "de", "LANGUAGE: Input should be 'nb' or 'en'"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE: unknown time zone 'Mars/Olympus'"),
        ("DIGEST_CRON", "every monday", "DIGEST_CRON: not a crontab expression"),
        ("CANDIDATES_CRON", "weekly", "CANDIDATES_CRON: not a crontab expression"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: expected a sqlite:/// or postgresql:// URL"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL: expected an http(s):// URL"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    """A bad value gives one readable line: the variable and what was expected."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert message in str(caught.value)


def test_error_does_not_echo_secret_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """An invalid secret-bearing setting is reported without its value."""
    monkeypatch.setenv("DATABASE_URL", "mysql://user:hunter2@db/app")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "hunter2" not in str(caught.value)
