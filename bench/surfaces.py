"""Every Slack surface of the bot at 1, 300 and 2,000 methods: messages, blocks and characters.

    uv run python -m bench.surfaces                   # 1, 300 and 2,000 methods
    uv run python -m bench.surfaces --methods 2000

The world is `bench.surfaceworld` (a temporary SQLite database, 37 scripted changes). Each
surface is built the way the bot builds it for Slack: outbox rows through delivery's fitting
(`bot.delivery.parts.messages_for`, which splits a summary into a thread), `/metode` answers
through `bot.lookup.answers`, App Home through `bot.slack.views.home_view`. The table gives, per
surface, the messages it takes, and for its largest message the blocks, the weight Slack's
`msg_blocks_too_long` counts (block text + 125 a block, at most 12,000) and the longest section,
and the CPU it took to build (database reads included: the overviews dominate at size).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.surfaceworld import World, seed
from bot.delivery import outbox
from bot.delivery.parts import messages_for
from bot.lookup.answers import answer
from bot.ops.summary import queue_digest
from bot.overview.read import build_overviews
from bot.slack.views import home_view
from bot.storage import db, store
from bot.storage.tables import EventRow, OutboxRow, SourceState
from bot.texts import blockkit
from bot.texts.blockkit import Message
from bot.texts.catalogue import Language

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")
CHANNEL, STORMS, ADMIN = "C0123ABCD", "C0STORM01", "C0ADMIN01"
SIZES = (1, 300, 2000)


@dataclass(frozen=True)
class Surface:
    """One surface as posted: its payloads (messages, or a view's blocks) and where they go."""

    name: str
    payloads: list[dict[str, Any]]
    kind: str = "message"  # message (chat.postMessage), response (response_url), view
    cpu: float = 0.0  # seconds of CPU to build it (reading the database included)

    def row(self) -> str:
        """One line of the table."""
        budget = blockkit.VIEW if self.kind == "view" else blockkit.MESSAGE
        blocks = [payload["blocks"] for payload in self.payloads]
        biggest = max(blocks, key=blockkit.size)
        longest = max((_longest(block) for message in blocks for block in message), default=0)
        ok = all(blockkit.fits(message, budget) for message in blocks)
        return (
            f"{self.name:<22}{len(self.payloads):>6}{max(map(len, blocks)):>8}"
            f"{blockkit.size(biggest):>9}{longest:>9}{self.cpu * 1000:>9.0f}"
            f"  {'ok' if ok else 'OVER'}"
        )


def _longest(block: dict[str, Any]) -> int:
    texts = [
        block.get("text"),
        *list(block.get("fields") or []),
        *list(block.get("elements") or []),
    ]
    return max((len(t.get("text") or "") for t in texts if isinstance(t, dict)), default=0)


@contextmanager
def world_database(methods: int, *, changes: int = 37) -> Iterator[tuple[db.SessionFactory, World]]:
    """A temporary SQLite database holding the world of `methods` methods."""
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'surfaces.db'}")
        db.upgrade(engine)
        sessions = db.session_factory(engine)
        try:
            yield sessions, seed(sessions, methods=methods, changes=changes, now=NOW)
        finally:
            engine.dispose()


def surfaces(
    sessions: db.SessionFactory, world: World, *, language: Language = "nb"
) -> list[Surface]:
    """Every surface of the world, built as the bot builds it (queues storm, catch-up, summary
    and notice rows in the database on the way)."""
    _queue_groups(sessions, world)
    with db.transaction(sessions) as session:
        methods = world.methods
        queue_digest(
            session, methods=methods, default_channel=CHANNEL, language=language, zone=OSLO, now=NOW
        )
        notice = outbox.admin_row(
            ADMIN, "dead|x", {"dead": 1, "reason": "channel_not_found", "channel": CHANNEL}
        )
        health = {"health": "down", "source": "clinicaltrials", "failures": 3, "reason": "HTTP 503"}
        store.enqueue(session, [notice, outbox.admin_row(ADMIN, "health", health)], now=NOW)
    with sessions() as session:
        found = [_timed(_outbox, session, name, kind, language) for name, kind in _ROWS]
        changed = session.scalar(select(EventRow.method_id).order_by(EventRow.id)) or methods[0].id
        found.append(_timed(_card, session, changed, language))
        found += [_timed(_answer, session, n, q, language) for n, q in _asked(world, changed)]
        found.append(_timed(_home, session, language))
    return found


def _timed(build: Callable[..., Surface], *args: Any) -> Surface:
    began = time.process_time()
    surface = build(*args)
    return replace(surface, cpu=time.process_time() - began)


_ROWS = (
    ("alert", "alert"),
    ("summary", "digest"),
    ("catch-up", "catch_up"),
    ("storm", "storm"),
    ("admin notice", "admin"),
)


def _queue_groups(sessions: db.SessionFactory, world: World) -> None:
    """The world's events once more as a catch-up, and once as storms (threshold 0)."""
    with db.transaction(sessions) as session:
        events = list(session.scalars(select(EventRow).order_by(EventRow.id)))
        by_id = {m.id: m for m in world.methods}
        since = outbox.CatchUp(NOW - timedelta(days=1))
        outbox.queue_alerts(session, events, by_id, default_channel=ADMIN, now=NOW, catch_up=since)
        outbox.queue_alerts(session, events, by_id, default_channel=STORMS, now=NOW, threshold=0)


def _outbox(session: Any, name: str, kind: str, language: Language) -> Surface:
    """The messages delivery would post for the first row of this kind (groups by reason)."""
    query = select(OutboxRow).order_by(OutboxRow.id)
    rows = [r for r in session.scalars(query) if _kind(r) == kind]
    return Surface(name, [_payload(m) for m in messages_for(session, rows[0], language=language)])


def _kind(row: OutboxRow) -> str:
    if row.kind == "group":
        return str((row.payload or {}).get("reason"))
    return row.kind


def _card(session: Any, method_id: str, language: Language) -> Surface:
    row = OutboxRow(**outbox.card_row(method_id, CHANNEL), payload=None)
    return Surface(
        "status card", [_payload(m) for m in messages_for(session, row, language=language)]
    )


def _asked(world: World, method_id: str) -> list[tuple[str, str]]:
    """The `/metode` questions measured: a card, the list's first two pages, one area."""
    area = next((m.area for m in world.methods if m.area), None) or "onkologi"
    return [
        ("lookup card", method_id),
        ("liste", "liste"),
        ("liste side 2", "liste side 2"),
        ("liste <område>", f"liste {area.split(',')[0]}"),
    ]


def _answer(session: Any, name: str, query: str, language: Language) -> Surface:
    message = answer(session, query, language=language, zone=OSLO).message
    return Surface(name, [_payload(message)], kind="response")


def _home(session: Any, language: Language) -> Surface:
    methods = store.active_methods(session)
    overviews = build_overviews(session, methods, events=0)
    sources = [
        (s.source, s.health, s.last_success_at) for s in session.scalars(select(SourceState))
    ]
    view = home_view(overviews, sources, language=language, zone=OSLO)
    return Surface("App Home", [view], kind="view")


def _payload(message: Message) -> dict[str, Any]:
    return {"text": message.text, "blocks": message.blocks}


HEADER = f"{'surface':<22}{'msgs':>6}{'blocks':>8}{'weight':>9}{'longest':>9}{'cpu ms':>9}  limits"


def main(argv: list[str] | None = None) -> int:
    """Print the table for each size; exit 1 when any surface is over a limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", type=int, action="append", help="default: 1, 300, 2000")
    sizes = parser.parse_args(argv).methods or list(SIZES)
    over = False
    for methods in sizes:
        with world_database(methods) as (sessions, world):
            found = surfaces(sessions, world)
        print(f"\n{methods} methods, {world.events} events\n{HEADER}")
        for surface in found:
            print(surface.row())
            over |= "OVER" in surface.row()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
