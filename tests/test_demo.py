"""`metodevakt demo`: offline, and showing the alerts, the summary and the card.

How long it takes is measured by `bench/guards.py` (the README promises well under 30 s); here
the run is only bounded by a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from bot.ops.demoserver import DECIDED, FILES
from tests.golden import FIXTURES

SEED = Path(__file__).parents[1] / "config" / "watchlist.yaml"
# TEST-NET-1 (RFC 5737): a proxy nobody answers at, so a request leaving loopback fails.
NOWHERE = "http://192.0.2.1:3128"
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")

EXPECTED = [
    "Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år",
    "har endret status: Pågående, rekrutterer ikke → Avsluttet",
    "BLA761055 (DUPIXENT): FDA godkjente tilleggssøknad (ny indikasjon eller dosering)",
    "Nyhet fra FDA: FDA approves Dupixent for a new use (Metodevakt demo)",
    "ID2019_015 (Dupilumab (Dupixent)): beslutning i Beslutningsforum 24. februar 2020 (Innført)",
    "Oppsummering fra Metodevakt",
    "Svaret på /metode dupilumab",
]


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot demo` in an empty home, without Slack settings, behind a dead proxy."""
    home = tmp_path_factory.mktemp("home")
    # A bare environment: no Slack token, no LANGUAGE, nothing of the developer's.
    env = {name: NOWHERE for name in PROXIES}
    env |= {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env |= {"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=home,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_demo_runs_offline(demo: subprocess.CompletedProcess[str]) -> None:
    """The demo exits 0 behind a dead proxy: every source is read through loopback only."""
    result = demo
    assert result.returncode == 0, result.stderr
    assert "feilet" not in result.stdout
    assert "Utgangspunkt lagret: ingen varsler" in result.stdout


def test_demo_shows_the_alerts_summary_and_card(
    demo: subprocess.CompletedProcess[str],
) -> None:
    """The output holds the status card, the three alerts, the summary and the lookup card."""
    output = demo.stdout
    for expected in EXPECTED:
        assert expected in output
    lookup = output.index("Svaret på /metode dupilumab")
    assert output.index("Oppsummering fra Metodevakt") < lookup
    assert "Tidsperspektiv MT i Norge:" in output[lookup:]


def test_bundled_data_are_copies_of_the_fixtures() -> None:
    """The demo serves the same recorded payloads the test world replays, and the seed list."""
    data = files("bot.ops") / "demodata"
    for name in [name for name, _ in FILES.values()] + [DECIDED]:
        assert (data / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    assert (data / "watchlist.yaml").read_bytes() == SEED.read_bytes()
