"""What the synthetic world was asked: requests, 304s and bytes per route, and every target."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Traffic:
    """Requests, 304s and body bytes per path, and every request target (with the ETag it
    sent, so that the floor can ask the same conditional question), since the last reset."""

    paths: dict[str, dict[str, int]] = field(default_factory=dict)
    targets: list[tuple[str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, path: str, target: str, *, status: int, sent: int, etag: str | None) -> None:
        """Record one answered request."""
        with self.lock:
            counts = self.paths.setdefault(path, {"requests": 0, "not_modified": 0, "bytes": 0})
            counts["requests"] += 1
            counts["not_modified"] += status == 304
            counts["bytes"] += sent
            self.targets.append((target, etag))

    def take(self) -> dict[str, Any]:
        """The counts so far, and start counting afresh."""
        with self.lock:
            taken = {"paths": self.paths, "targets": self.targets}
            self.paths, self.targets = {}, []
        return taken
