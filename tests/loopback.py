"""What the loopback test servers share: a threaded HTTP server on 127.0.0.1:0 and its handler."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

# Every sleep a fault asks for is capped, so a forgotten fault cannot stall a test run.
MAX_WAIT_SECONDS = 30.0


class _Server(ThreadingHTTPServer):
    # Daemon threads that nobody joins: a handler mid-drip must not block shutdown.
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: LoopbackServer, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.owner = owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, resets) are what the faults provoke: stay quiet."""


class LoopbackServer:
    """A `ThreadingHTTPServer` on a free loopback port, served from a daemon thread.

    Use it as a context manager, or call start() and close(). Subclasses name their handler.
    """

    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.lock = threading.RLock()
        # Notified on every request, so tests wait for a subprocess's calls without sleeping.
        self.changed = threading.Condition(self.lock)
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        self._server = _Server(self, self.handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Wake every waiting handler, stop serving and release the port."""
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:<port>`, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def wait_until(self, predicate: Callable[[], bool], *, timeout: float = 5.0) -> bool:
        """Block until `predicate()` holds (checked after every request); False on timeout."""
        with self.changed:
            return self.changed.wait_for(predicate, timeout=timeout)

    def notify(self) -> None:
        """Wake wait_until() callers; call after recording a request."""
        with self.changed:
            self.changed.notify_all()

    def pause(self, seconds: float) -> bool:
        """Wait up to `seconds` (capped); False when the server began closing meanwhile."""
        return not self._closing.wait(min(max(seconds, 0.0), MAX_WAIT_SECONDS))

    @property
    def closing(self) -> bool:
        return self._closing.is_set()


class Handler(BaseHTTPRequestHandler):
    """Request plumbing both servers use: body reading, answering, hanging up."""

    # A client that connects and sends nothing must not hold a thread for long.
    timeout = 10

    @property
    def owner(self) -> Any:
        server: _Server = self.server  # type: ignore[assignment]
        return server.owner

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr log; the servers record requests themselves."""

    def read_body(self) -> bytes:
        length = self.headers.get("Content-Length", "")
        return self.rfile.read(int(length)) if length.isdigit() else b""

    def lower_headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        """Status line and headers, flushed; the caller writes (or withholds) the body."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def answer(
        self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> int:
        """A complete response; returns the body bytes written (none for HEAD)."""
        self.send_head(status, {**(headers or {}), "Content-Length": str(len(body))})
        if self.command == "HEAD":
            return 0
        self.wfile.write(body)
        return len(body)

    def hang_up(self, *, reset: bool = False) -> None:
        """Close without answering; `reset` sends a TCP RST instead of an orderly FIN."""
        self.close_connection = True
        if reset:
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.connection.close()
