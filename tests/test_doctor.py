"""`metodevakt doctor`: every source read once through the gates, drift named, Slack checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.ops.slackcheck import REQUIRED_SCOPES
from tests.fakeslack import FakeSlack
from tests.replay import ReplayServer
from tests.world import (
    MEDICINES,
    NYE_WORKBOOK,
    XLSX,
    DupilumabWorld,
    fixture_json,
    fresh_ema_file,
    nye_fixture,
)

runner = CliRunner()
ALERTS, ADMINS = "C0ALERTS", "C0ADMINS"


def doctor_env(
    monkeypatch: pytest.MonkeyPatch,
    world: DupilumabWorld,
    tmp_path: Path,
    *,
    slack: FakeSlack | None = None,
    language: str = "en",
) -> None:
    """Every source at the replay world, a fresh SQLite file, and (optionally) the fake Slack."""
    settings = world.settings(database_url=f"sqlite:///{tmp_path / 'doctor.db'}")
    for name, value in settings.model_dump().items():
        if value is not None and name not in {"slack_bot_token", "openfda_api_key"}:
            monkeypatch.setenv(name.upper(), str(value))
    monkeypatch.setenv("LANGUAGE", language)
    if slack is not None:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-doctor")
        monkeypatch.setenv("SLACK_API_URL", slack.url)
        monkeypatch.setenv("SLACK_ALERT_CHANNEL", ALERTS)
        monkeypatch.setenv("SLACK_ADMIN_CHANNEL", ADMINS)


def drift_medicines(world: DupilumabWorld) -> None:
    """EMA's medicines file with `name_of_medicine` renamed in every row (schema drift)."""
    document = fixture_json("ema/medicines_dupilumab.json")
    for row in document["data"]:
        row["nameOfMedicine"] = row.pop("name_of_medicine")
    world.server.route(MEDICINES, json.dumps(document).encode())


def test_a_healthy_world_is_all_well(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Every source reached and parsed without drift, the token, scopes and channels in order:
    exit 0 and "All is well."."""
    doctor_env(monkeypatch, DupilumabWorld(replay), tmp_path, slack=fake_slack)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[-1] == "All is well."
    for source in ("ClinicalTrials.gov", "FDA (Drugs@FDA)", "EMA (medicines)", "FDA (press"):
        assert any(line.startswith(source) and "reached" in line for line in lines), source
    assert not any("NOT" in line for line in lines)
    assert f"Slack: the bot is in the alert channel ({ALERTS})" in lines
    assert fake_slack.calls_to("auth.test")


def test_a_drifted_source_is_named_with_did_you_mean_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """A renamed EMA key fails the parser's gate and is reported as missing, with the key that
    seems to replace it; the doctor exits 1; the other sources are still reported reached."""
    world = DupilumabWorld(replay)
    drift_medicines(world)
    doctor_env(monkeypatch, world, tmp_path)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    text = result.stdout
    assert "the answer could NOT be read: row 0 lacks name_of_medicine" in text
    assert "data[].name_of_medicine" in text and "Did you mean “nameOfMedicine”?" in text
    assert "ClinicalTrials.gov: reached" in text
    assert text.rstrip().endswith("1 problem found.")


def test_an_unreachable_source_is_reported_and_nothing_is_stored(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """openFDA answering 500 three times is "NOT reached" with the reason; no snapshot, event or
    source state is written by the doctor."""
    world = DupilumabWorld(replay)
    replay.fault("/drug/drugsfda.json", "status", status=500, times=None)
    doctor_env(monkeypatch, world, tmp_path)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "FDA (Drugs@FDA): NOT reached: HTTP 500" in result.stdout
    status = runner.invoke(app, ["status"])
    assert "no source has been read yet" in status.stdout


def test_slack_problems_are_named(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """A token without a history scope and a bot outside the admin channel: both named, exit 1."""
    scopes = [scope for scope in REQUIRED_SCOPES if scope != "groups:history"]
    with FakeSlack(scopes=scopes) as slack:
        slack.leave(ADMINS)
        doctor_env(monkeypatch, DupilumabWorld(replay), tmp_path, slack=slack)
        result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "Slack: the app lacks scopes: groups:history" in result.stdout
    assert f"the admin channel ({ADMINS}): the bot is not a member" in result.stdout


def test_a_revoked_token_is_a_problem_without_a_secret_in_the_output(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """A token Slack refuses: "the token does NOT work: invalid_auth", the token never shown."""
    with FakeSlack(token="xoxb-other") as slack:
        doctor_env(monkeypatch, DupilumabWorld(replay), tmp_path, slack=slack)
        result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "Slack: the token does NOT work: invalid_auth" in result.stdout
    assert "xoxb-doctor" not in result.output


def test_without_a_token_the_console_is_a_working_setup(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """No SLACK_BOT_TOKEN: said in Norwegian by default, and not counted as a problem."""
    doctor_env(monkeypatch, DupilumabWorld(replay), tmp_path, language="nb")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.stdout
    assert "SLACK_BOT_TOKEN er ikke satt" in result.stdout
    assert result.stdout.rstrip().endswith("Alt er i orden.")


def test_save_keeps_every_raw_answer_with_its_request(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """`--save DIR` writes each answer byte for byte beside an index of URL, status and time."""
    world = DupilumabWorld(replay)
    served = fresh_ema_file("ema/medicines_dupilumab.json")
    world.server.route(MEDICINES, served)
    doctor_env(monkeypatch, world, tmp_path)
    saved = tmp_path / "answers"
    assert runner.invoke(app, ["doctor", "--save", str(saved)]).exit_code == 0
    (index,) = json.loads((saved / "ema_medicines" / "index.json").read_text())
    body = (saved / "ema_medicines" / index["file"]).read_bytes()
    assert body == served
    assert index["status"] == 200 and index["url"].endswith("_json-report_en.json")
    feeds = json.loads((saved / "ema_rss" / "index.json").read_text())
    assert [entry["url"].rsplit("/", 1)[-1] for entry in feeds] == ["news.xml", "whats-new.xml"]


def test_the_scopes_checked_are_the_manifests() -> None:
    """The doctor checks exactly the bot scopes config/slack-app-manifest.yaml asks for."""
    import yaml

    manifest = Path(__file__).parents[1] / "config" / "slack-app-manifest.yaml"
    scopes = yaml.safe_load(manifest.read_text(encoding="utf-8"))["oauth_config"]["scopes"]["bot"]
    assert sorted(scopes) == sorted(REQUIRED_SCOPES)


def test_a_changed_nye_metoder_workbook_header_is_named(
    monkeypatch: pytest.MonkeyPatch, replay: ReplayServer, tmp_path: Path
) -> None:
    """Nye metoder has no JSON shape: its gates speak instead. A workbook whose header changed is
    "could NOT be read" with the header cell that differs, and the doctor exits 1."""
    world = DupilumabWorld(replay)
    replay.route(NYE_WORKBOOK, nye_fixture("bad_header.xlsx"), content_type=XLSX)
    doctor_env(monkeypatch, world, tmp_path)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = lines.index("Nye metoder (decisions): reached (HTTP 200, 200)")
    assert lines[at + 1].startswith("  the answer could NOT be read: header cell")
    assert "Nye metoder (method pages): reached" in result.stdout
