"""The command line: every contract command exists; the working ones work end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from tests.replay import ReplayServer
from tests.world import DupilumabWorld

SEED = Path(__file__).parents[1] / "config" / "watchlist.yaml"
runner = CliRunner()

CONTRACT = ["run", "web", "worker", "poll", "digest", "lookup", "status", "demo", "watchlist", "db"]


def test_help_lists_every_contract_command() -> None:
    """`metodevakt --help` names each command of the public contract."""
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in CONTRACT:
        assert command in result.output


def test_version() -> None:
    """`--version` prints the package version."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("metodevakt ")


def test_watchlist_check_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed watchlist checks out as one method."""
    monkeypatch.setenv("WATCHLIST_FILE", str(SEED))
    result = runner.invoke(app, ["watchlist", "check"])
    assert (result.exit_code, result.output) == (0, "ok: 1 methods\n")


def test_watchlist_check_error_exits_1(tmp_path: Path) -> None:
    """A broken watchlist prints file:line: field: message and exits 1."""
    path = tmp_path / "w.yaml"
    path.write_text("methods:\n  - id: x\n    title: T\n    substance: s\n    trails: [NCT1]\n")
    result = runner.invoke(app, ["watchlist", "check", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}:5: methods[0].trails: unknown key 'trails' (did you mean 'trials'?)"
        in result.output
    )


def test_bad_setting_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """An invalid environment variable is reported by name with exit status 2."""
    monkeypatch.setenv("PORT", "many")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "PORT: Input should be a valid integer" in result.output


def test_db_upgrade_and_export(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """`db upgrade` migrates; `watchlist export` writes the active methods back as YAML."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WATCHLIST_FILE", str(SEED))
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "database at revision 0005" in upgraded.output
    exported = runner.invoke(app, ["watchlist", "export"])
    assert exported.exit_code == 0
    document = yaml.safe_load(exported.stdout)
    assert document == yaml.safe_load(SEED.read_text())


def world_env(monkeypatch: pytest.MonkeyPatch, world: DupilumabWorld, database_url: str) -> None:
    """Point every setting at the replay world (no Slack token: the console)."""
    for name, value in world.settings(database_url=database_url).model_dump().items():
        if value is not None and name not in {"slack_bot_token", "openfda_api_key"}:
            monkeypatch.setenv(name.upper(), str(value))


def test_status_shows_sources_and_outbox(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, database_url: str
) -> None:
    """`status` lists each source's health and last read, and the outbox counts."""
    world_env(monkeypatch, DupilumabWorld(replay), database_url)
    assert runner.invoke(app, ["poll", "--once"]).exit_code == 0
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0
    for source in ("clinicaltrials", "openfda", "ema_medicines", "fda_rss"):
        assert source in result.stdout
    assert "pending" in result.stdout and "dead" in result.stdout


def test_digest_prints_the_summary_on_the_console(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, database_url: str
) -> None:
    """`digest` builds the summary now and delivers it (to the console without a token)."""
    world_env(monkeypatch, DupilumabWorld(replay), database_url)
    assert runner.invoke(app, ["poll", "--once"]).exit_code == 0
    result = runner.invoke(app, ["digest"])
    assert result.exit_code == 0
    assert "Oppsummering fra Metodevakt" in result.stdout
    assert "summary: 1 queued" in result.stderr


def test_run_without_slack_credentials_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """`run` needs the Slack app's token and secret and says so instead of starting."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WATCHLIST_FILE", str(SEED))
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in result.output


def test_poll_once_prints_alerts_without_a_slack_token(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, database_url: str
) -> None:
    """Without SLACK_BOT_TOKEN, `poll --once` prints the status card and the alert."""
    world = DupilumabWorld(replay)
    world_env(monkeypatch, world, database_url)
    baseline = runner.invoke(app, ["poll", "--once"])
    assert baseline.exit_code == 0
    assert "clinicaltrials: ok, 2 requests" in baseline.stderr
    assert baseline.stdout == ""
    world.change_trial_status("NCT02612454", "WITHDRAWN", updated="2026-11-24")
    changed = runner.invoke(app, ["poll", "--once"])
    assert changed.exit_code == 0
    lines = changed.stdout.splitlines()
    assert lines[0].startswith("● Dupilumab (Dupixent) til behandling av atopisk eksem")
    assert any(line.startswith("    ↳ Dupilumab (Dupixent)") for line in lines), changed.stdout
    assert "Pågående, rekrutterer ikke → Trukket før oppstart" in changed.stdout
    assert "delivery: 1 sent, 0 waiting, 0 dead" in changed.stderr


def test_web_without_slack_credentials_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """`web` needs the bot token and signing secret, and says so instead of starting."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WATCHLIST_FILE", str(SEED))
    result = runner.invoke(app, ["web"])
    assert result.exit_code == 2
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in result.output


def test_poll_without_once_is_refused() -> None:
    """`poll` alone points to the worker instead of running forever."""
    result = runner.invoke(app, ["poll"])
    assert result.exit_code == 2


def test_console_entry_point_runs() -> None:
    """`python -m bot` is the same program as the console script."""
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "watchlist", "check", str(SEED)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (0, "ok: 1 methods\n")
