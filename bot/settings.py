"""Settings: the one reader of the environment (and of `.env`), validated once at start."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/metodevakt.db"


class SettingsError(ValueError):
    """The environment holds a value the bot cannot use; the message names the variable."""


class Settings(BaseSettings):
    """Every variable of the public contract, with its default.

    Precedence (pydantic-settings): explicit arguments, then the process environment, then `.env`,
    then the defaults below.
    """

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_alert_channel: str | None = None
    slack_admin_channel: str | None = None
    metodevakt_admins: str = ""
    # Optional: the Slack workspace (team) ID this app answers; requests from others are refused.
    slack_team_id: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = DEFAULT_DATABASE_URL
    watchlist_file: Path = Path("config/watchlist.yaml")
    ctgov_api_url: str = "https://clinicaltrials.gov/api/v2"
    openfda_api_url: str = "https://api.fda.gov"
    openfda_api_key: SecretStr | None = None
    ema_base_url: str = "https://www.ema.europa.eu"
    fda_base_url: str = "https://www.fda.gov"
    nyemetoder_base_url: str = "https://www.nyemetoder.no"
    poll_interval_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    ema_poll_hours: int = Field(default=6, ge=1, le=7 * 24)
    # Nye metoder's method pages change rarely, on a small public site: read every few hours.
    nyemetoder_poll_hours: int = Field(default=6, ge=1, le=7 * 24)
    # ClinicalTrials.gov is read through its change feed; every watched trial is also read in
    # full this often, as a safety net (the feed is never trusted to say a trial is gone).
    ctgov_full_read_hours: int = Field(default=24, ge=1, le=30 * 24)
    digest_cron: str = "0 8 * * MON"
    # When the week's "Nye kandidater" is posted (bot/ops/candidates.py), in TIMEZONE.
    candidates_cron: str = "30 8 * * MON"
    timezone: str = "Europe/Oslo"
    language: Literal["nb", "en"] = "nb"
    port: int = Field(default=3000, ge=1, le=65535)
    # Politeness: the least time between two requests to one source's host, in seconds.
    ctgov_min_interval: float = Field(default=1.0, ge=0, le=60)
    openfda_min_interval: float = Field(default=0.25, ge=0, le=60)
    ema_min_interval: float = Field(default=2.0, ge=0, le=60)
    fda_min_interval: float = Field(default=1.0, ge=0, le=60)
    # nyemetoder.no is a small public site: 2 s between requests.
    nyemetoder_min_interval: float = Field(default=2.0, ge=0, le=60)
    # Least time between two Slack posts to one channel (Slack allows about one per second).
    slack_min_interval: float = Field(default=1.0, ge=0, le=60)
    # Tests only: die like `kill -9` at a point of delivery ("before_post:N", "after_post:N").
    metodevakt_crashpoint: str | None = None

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str) -> str:
        # Heroku hands out postgres://; SQLAlchemy 1.4+ only knows postgresql://.
        # psycopg 3 is the driver we ship, so name it explicitly.
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        if not (value.startswith("sqlite:") or value.startswith("postgresql+")):
            raise ValueError("expected a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Oslo)") from exc
        return value

    @field_validator("digest_cron", "candidates_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger  # loads tzlocal: only when validating

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a crontab expression ({exc})") from exc
        return value

    @field_validator(
        "slack_api_url",
        "ctgov_api_url",
        "openfda_api_url",
        "ema_base_url",
        "fda_base_url",
        "nyemetoder_base_url",
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("expected an http(s):// URL")
        return value

    @property
    def admins(self) -> frozenset[str]:
        """Slack user IDs allowed to change the watchlist."""
        return frozenset(part.strip() for part in self.metodevakt_admins.split(",") if part.strip())

    @property
    def admin_channel(self) -> str | None:
        """Where source-health warnings go; the alert channel unless set."""
        return self.slack_admin_channel or self.slack_alert_channel

    @property
    def zone(self) -> ZoneInfo:
        """The time zone for schedules and for dates shown to people."""
        return ZoneInfo(self.timezone)


def load_settings(**overrides: object) -> Settings:
    """Read the settings once, turning a validation failure into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """One line per bad variable: its name, what was expected; never the (possibly secret) value."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        name = str(error["loc"][0]).upper() if error["loc"] else "?"
        lines.append(f"{name}: {str(error['msg']).removeprefix('Value error, ')}")
    return "invalid configuration:\n  " + "\n  ".join(lines)
