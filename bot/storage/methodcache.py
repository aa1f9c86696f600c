"""The active methods, parsed again only when a method's stored definition changes.

A long-running process reads the methods every poll; parsing 2,000 definitions with pydantic
costs more than the rest of a quiet cycle. The rows are read as text, and a row whose text is
what it was last time gives back the method parsed then (methods are immutable).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from bot.storage.tables import MethodRow
from bot.watchlist import Method


def _as_stored(method: Method) -> Method:
    return method


class MethodCache:
    """The active methods by id; `adjust` is applied once to each method as it is parsed."""

    def __init__(self, adjust: Callable[[Method], Method] = _as_stored) -> None:
        self._adjust = adjust
        self._parsed: dict[str, tuple[str, Method]] = {}
        self._lock = threading.Lock()

    def active(self, session: Session) -> list[Method]:
        """The methods being watched now, file and Slack alike, by id."""
        query = select(MethodRow.id, cast(MethodRow.definition, Text))
        rows = session.execute(query.where(MethodRow.active).order_by(MethodRow.id)).all()
        with self._lock:
            known = self._parsed
        parsed = {}
        for method_id, text in rows:
            hit = known.get(method_id)
            if hit is None or hit[0] != text:
                hit = (text, self._adjust(Method.model_validate(json.loads(text))))
            parsed[method_id] = hit
        with self._lock:
            self._parsed = parsed
        return [method for _text, method in parsed.values()]
