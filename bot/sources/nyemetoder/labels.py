"""Finding a value by its label in a section's lines, as the stored method pages show them.

On the stored pages a label stands on its own line with its value on the next ("Sendt inn" /
"17.09.2021"); "Label: value" on one line is read too. A label without a value, or a date label
whose value is no date, is drift and a ParseError naming the section and the label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.sources.base import ParseError
from bot.sources.nyemetoder.text import DATE, iso_date

# A numbered or bulleted point's marker: "1.", "2)", "-", "•".
_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[-•*])\s+")
# Where a second numbered point starts inside one line of text ("… beslutningen. 2. Det …").
_SECOND_POINT = re.compile(r"\s2[.)]\s")


class Section:
    """The lines of one section of a method page (without its heading), and its known labels."""

    def __init__(self, name: str, lines: Sequence[str], *, labels: Sequence[str]) -> None:
        self.name = name
        self.lines = list(lines)
        self.labels = frozenset(labels)

    def text(self, label: str) -> str | None:
        """The value after `label`, or None when the section does not show the label."""
        for index, line in enumerate(self.lines):
            if line in (label, f"{label}:"):
                return self._next(index, label)
            if line.startswith(f"{label}:") and line[len(label) + 1 :].strip():
                return line[len(label) + 1 :].strip()
        return None

    def value_lines(self, label: str) -> tuple[int, ...]:
        """The indices of the lines that carry `label` and its value (to leave them out)."""
        for index, line in enumerate(self.lines):
            if line in (label, f"{label}:"):
                return (index, index + 1)
            if line.startswith(f"{label}:"):
                return (index,)
        return ()

    def date(self, label: str) -> str | None:
        """The ISO date after `label` ("Påbegynt 02.11.2021" on one line is read too)."""
        inline = re.compile(rf"^{re.escape(label)}:?\s+({DATE})$")
        for line in self.lines:
            match = inline.match(line)
            if match:
                return iso_date(match.group(1), what=self._where(label))
        value = self.text(label)
        return None if value is None else iso_date(value, what=self._where(label))

    def _next(self, index: int, label: str) -> str:
        following = self.lines[index + 1] if index + 1 < len(self.lines) else None
        if following is None or following in self.labels:
            raise ParseError(f"{self._where(label)} has no value")
        return following

    def _where(self, label: str) -> str:
        return f"section {self.name!r}: {label!r}"


def unmarked(point: str) -> str:
    """A decision point without its number or bullet ("1. Dupilumab …" → "Dupilumab …")."""
    return _MARKER.sub("", point, count=1).strip()


def first_point(text: str | None) -> str | None:
    """The first point of a decision text: its first line, without its number, and cut where a
    second numbered point begins on the same line."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return None
    first = unmarked(lines[0])
    return _SECOND_POINT.split(first, maxsplit=1)[0].strip() or None
