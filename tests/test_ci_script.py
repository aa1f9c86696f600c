"""`.ci/run`'s own logic, with stand-in tools: how it gets uv, and when PostgreSQL fails the run.

The stand-ins (uv, pipx, python3) are small shell scripts on a PATH that holds nothing else but
the few system tools the script uses, so no test installs anything or touches a real server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / ".ci" / "run"
# What the script calls, and what the stand-ins below need (sh, mkdir, cp, chmod).
SYSTEM_TOOLS = ("bash", "dirname", "mktemp", "rm", "ls", "seq", "sleep")
STAND_IN_TOOLS = ("sh", "mkdir", "cp", "chmod")
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
# A stand-in uv: `run … python -c` is the PostgreSQL probe (it answers when the URL is $PG_UP);
# every other `run` only records its command and the TEST_DATABASE_URL it was given.
FAKE_UV = r"""#!/bin/sh
case "$1" in
  --version) echo "uv (stand-in)";;
  sync) echo "synced";;
  run)
    if [ "$4" = "-c" ]; then shift 5; [ "$1" = "$PG_UP" ]; exit; fi
    shift; echo "$* TEST_DATABASE_URL=${TEST_DATABASE_URL:-unset}" >> "$RAN";;
esac
"""
# pipx and pip put the stand-in uv where they would put the real one.
FAKE_PIPX = """#!/bin/sh
echo "pipx $*" >> "$RAN"; mkdir -p "$HOME/.local/bin"; cp "$FAKE_UV" "$HOME/.local/bin/uv"
"""
FAKE_PYTHON = """#!/bin/sh
echo "python3 $*" >> "$RAN"
if [ "$1 $2" = "-m venv" ]; then
  [ -n "$NO_VENV" ] && exit 1
  mkdir -p "$3/bin"; pip="$3/bin/pip"
  printf '#!/bin/sh\\necho "venv pip $*" >> "$RAN"; cp "$FAKE_UV" "%s/bin/uv"\\n' "$3" > "$pip"
  chmod +x "$pip"
elif [ "$1 $2" = "-m pip" ]; then
  mkdir -p "$HOME/.local/bin"; cp "$FAKE_UV" "$HOME/.local/bin/uv"
fi
"""


@dataclass
class Run:
    """What one run of .ci/run did."""

    code: int
    output: str
    ran: list[str]


def script(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A bin directory with the system tools the script needs and a stand-in python3."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in SYSTEM_TOOLS + STAND_IN_TOOLS:
        found = shutil.which(name)
        assert found is not None, name
        (bin_dir / name).symlink_to(found)
    script(bin_dir / "python3", FAKE_PYTHON)
    script(tmp_path / "fake-uv", FAKE_UV)
    return bin_dir


def run_ci(tools: Path, *, uv: bool = True, pipx: bool = False, **env: str) -> Run:
    """Run .ci/run with only `tools` on PATH (plus uv and pipx stand-ins when asked)."""
    if uv:
        script(tools / "uv", FAKE_UV)
    if pipx:
        script(tools / "pipx", FAKE_PIPX)
    home, ran = tools.parent / "home", tools.parent / "ran.log"
    home.mkdir(exist_ok=True)
    ran.touch()
    base = {"PATH": str(tools), "HOME": str(home), "TMPDIR": str(tools.parent)}
    base |= {"RAN": str(ran), "FAKE_UV": str(tools.parent / "fake-uv")}
    done = subprocess.run(
        ["bash", str(SCRIPT)],
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Run(done.returncode, done.stdout + done.stderr, ran.read_text().splitlines())


def test_ci_fails_when_postgresql_cannot_be_reached(tools: Path) -> None:
    """CI=true and no answering server: non-zero, a message saying why, and no tests run."""
    outcome = run_ci(tools, CI="true", PG_UP="nowhere")
    assert outcome.code != 0
    assert "PostgreSQL cannot be reached" in outcome.output and "CI=true" in outcome.output
    assert not any(line.startswith("pytest") for line in outcome.ran)


def test_local_run_without_postgresql_goes_on_and_says_so(tools: Path) -> None:
    """Not on CI: the run goes on without TEST_DATABASE_URL and says the variants are skipped."""
    outcome = run_ci(tools, PG_UP="nowhere")
    assert outcome.code == 0, outcome.output
    assert "its test variants are skipped" in outcome.output
    assert "pytest TEST_DATABASE_URL=unset" in outcome.ran


def test_answering_postgresql_is_used_by_the_tests(tools: Path) -> None:
    """A server answering at the default URL is handed to pytest as TEST_DATABASE_URL."""
    outcome = run_ci(tools, CI="true", PG_UP=DEFAULT_URL)
    assert outcome.code == 0, outcome.output
    assert f"pytest TEST_DATABASE_URL={DEFAULT_URL}" in outcome.ran


def test_configured_url_is_checked_not_replaced(tools: Path) -> None:
    """A TEST_DATABASE_URL from the environment is the one probed and passed on."""
    url = "postgresql://ci@db.internal:5432/ci"
    outcome = run_ci(tools, CI="true", PG_UP=url, TEST_DATABASE_URL=url)
    assert outcome.code == 0, outcome.output
    assert f"pytest TEST_DATABASE_URL={url}" in outcome.ran


def test_missing_uv_comes_from_pipx_when_there_is_one(tools: Path) -> None:
    """No uv, pipx present: `pipx install uv`, never pip into the system Python."""
    outcome = run_ci(tools, uv=False, pipx=True, PG_UP=DEFAULT_URL)
    assert outcome.code == 0, outcome.output
    assert "installed with pipx" in outcome.output
    assert "pipx install uv" in outcome.ran
    assert not any(line.startswith("python3") for line in outcome.ran)


def test_missing_uv_without_pipx_goes_into_a_throwaway_venv(tools: Path) -> None:
    """No uv, no pipx: a fresh virtual environment gets uv (PEP 668 forbids the system pip)."""
    outcome = run_ci(tools, uv=False, PG_UP=DEFAULT_URL)
    assert outcome.code == 0, outcome.output
    assert "throwaway virtual environment" in outcome.output
    assert "venv pip install --quiet uv" in outcome.ran
    assert "pytest TEST_DATABASE_URL=" + DEFAULT_URL in outcome.ran


def test_last_resort_is_pip_user_with_break_system_packages(tools: Path) -> None:
    """No uv, no pipx, no venv module: pip --user --break-system-packages, said out loud."""
    outcome = run_ci(tools, uv=False, PG_UP=DEFAULT_URL, NO_VENV="1")
    assert outcome.code == 0, outcome.output
    assert "pip --user --break-system-packages" in outcome.output
    assert "python3 -m pip install --quiet --user --break-system-packages uv" in outcome.ran


def test_the_checks_are_the_developers_commands(tools: Path) -> None:
    """After sync: ruff check, ruff format --check, mypy bot, pytest, in that order."""
    outcome = run_ci(tools, PG_UP=DEFAULT_URL)
    commands = [line.split(" TEST_DATABASE_URL=")[0] for line in outcome.ran]
    assert commands == ["ruff check .", "ruff format --check .", "mypy bot", "pytest"]
    assert os.access(SCRIPT, os.X_OK)
