"""The synthetic world in a child process, so its CPU time and memory stay out of the bot's."""

from __future__ import annotations

import selectors
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

ROOT = Path(__file__).parents[1]
START_TIMEOUT = 60.0


class WorldProcess:
    """`python -m bench.syntheticworld` as a child; control through its `/_bench/` paths."""

    def __init__(
        self,
        *,
        methods: int,
        trials: int,
        ema_medicines: int,
        per_day: int,
        now: datetime,
        fda_recent: int,
    ) -> None:
        self.command = [
            sys.executable,
            "-m",
            "bench.syntheticworld",
            f"--methods={methods}",
            f"--trials={trials}",
            f"--ema-medicines={ema_medicines}",
            f"--per-day={per_day}",
            f"--now={now.isoformat()}",
            f"--fda-recent={fda_recent}",
        ]
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(
            self.command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.url = _first_line(self._process, timeout=START_TIMEOUT)
        if not self.url.startswith("http://127.0.0.1:"):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the synthetic world did not start (said {self.url!r})")
        self._client = httpx.Client(base_url=self.url, timeout=300)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
        if self._process is not None and self._process.stdin is not None:
            self._process.stdin.close()  # the child's signal to stop
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)

    def apply_changes(self, n: int, seed: int) -> list[str]:
        """Run the world's change script; what changed, one line per record."""
        changes: list[str] = self._call("POST", "changes", n=n, seed=seed)
        return changes

    def advance(self, hours: float) -> datetime:
        """Move the registry's clock on by `hours`; the new time."""
        return datetime.fromisoformat(self._call("POST", "advance", hours=hours))

    def traffic(self) -> dict[str, Any]:
        """Requests per path since the last call (and every request target), then reset."""
        taken: dict[str, Any] = self._call("GET", "traffic")
        return taken

    def _call(self, method: str, name: str, **params: float) -> Any:
        if self._client is None:
            raise RuntimeError("the world process is not running")
        response = self._client.request(method, f"/_bench/{name}", params=params)
        response.raise_for_status()
        return response.json()


def _first_line(process: subprocess.Popen[bytes], *, timeout: float) -> str:
    """The child's first line of output, waiting at most `timeout` seconds for it."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
    return process.stdout.readline().decode("utf-8", errors="replace").strip()
