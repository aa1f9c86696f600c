"""A Nye metoder method page (`/metoder/<slug>/`) as normalised fields, or a ParseError.

The page is read as text lines in document order (`text.text_lines`), then split the way the
stored pages P1 and P2 show it (reference/nyemetoder.md §2): a header of an ID line ("ID2021_121"
or "ID2017_055, ID2018_113, ID2019_082"), the title, in the current layout an indication line and
the status badge; then the sections "Forslag", "Metodevarsel", "Metodevurdering", "Beslutning".
A page without an ID line before a "Forslag" section is not a method page the parser knows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.sources.base import ParseError
from bot.sources.nyemetoder import steps
from bot.sources.nyemetoder.text import text_lines

Fields = dict[str, Any]

SECTIONS = ("Forslag", "Metodevarsel", "Metodevurdering", "Beslutning")
REQUIRED_SECTION = "Forslag"
ID_LINE = re.compile(r"^ID\d{4}_\d{3}(?:\s*,\s*ID\d{4}_\d{3})*$")
_ID = re.compile(r"ID\d{4}_\d{3}")

# Badges seen on a stored page ("Beslutning foreligger", P1) or documented as a status filter of
# "Finn metode" ("Til beslutning"). Any other badge is stored verbatim and is a new status.
KNOWN_STATUSES = frozenset({"Beslutning foreligger", "Til beslutning"})
# Header lines after the ID line: the title alone (P2), or title, indication and badge (P1).
_MAX_HEADER = 3


@dataclass(frozen=True)
class Layout:
    """A method page split into its ID line, header lines and sections (with their lines)."""

    ids: list[str]
    header: list[str]
    sections: dict[str, list[str]]


def read_page(body: bytes) -> Fields:
    """The normalised fields of one method page; ParseError naming what is missing."""
    layout = split(text_lines(body))
    sections = layout.sections
    return {
        "ids": layout.ids,
        **header_fields(layout.header),
        "sections": list(sections),
        "proposal": steps.proposal(sections[REQUIRED_SECTION]),
        "orders": steps.orders(_all_lines(sections), headings=frozenset(SECTIONS)),
        "assessment": _assessment(sections.get("Metodevurdering")),
        "documents": steps.documents(_document_lines(sections)),
        "decision": _decision(sections.get("Beslutning")),
    }


def split(lines: Sequence[str]) -> Layout:
    """The ID line, the header and the sections; ParseError when the known layout is not there."""
    forslag = _first_forslag_after_an_id(lines)
    id_index = max(i for i in range(forslag) if ID_LINE.match(lines[i]))
    first = next(i for i in range(id_index + 1, len(lines)) if _starts_section(lines, i))
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in lines[first:]:
        if line in SECTIONS:
            current = sections.setdefault(line, [])
        else:
            current.append(line)
    ids = _ID.findall(lines[id_index])
    return Layout(
        ids=list(dict.fromkeys(ids)), header=list(lines[id_index + 1 : first]), sections=sections
    )


def _starts_section(lines: Sequence[str], index: int) -> bool:
    # A badge may read like a section ("Forslag"); the heading of that name then follows it.
    following = lines[index + 1] if index + 1 < len(lines) else None
    return lines[index] in SECTIONS and following != lines[index]


def _first_forslag_after_an_id(lines: Sequence[str]) -> int:
    forslag = [index for index, line in enumerate(lines) if line == REQUIRED_SECTION]
    if not forslag:
        raise ParseError("no 'Forslag' section (the first section of a method page)")
    first_id = next((i for i, line in enumerate(lines) if ID_LINE.match(line)), len(lines))
    after = [index for index in forslag if index > first_id]
    if not after:
        raise ParseError("no ID line (e.g. 'ID2021_121') before the 'Forslag' section")
    return after[0]


def header_fields(header: Sequence[str]) -> Fields:
    """Title, indication and status badge from the header lines after the ID line.

    One line is the title (older layout); three are title, indication and badge (current
    layout); with two, the second is the badge when it is a known one, else the indication.
    """
    if not header:
        raise ParseError("the header has no title after the ID line")
    if len(header) > _MAX_HEADER:
        raise ParseError(
            f"the header has {len(header)} lines after the ID line; "
            f"the known layouts have title, indication and status badge at most"
        )
    title, *rest = header
    status = rest.pop() if len(rest) == 2 or (rest and rest[0] in KNOWN_STATUSES) else None
    return {"title": title, "indication": rest[0] if rest else None, "status": status}


def _assessment(lines: list[str] | None) -> Fields:
    return steps.assessment(lines) if lines is not None else steps.no_assessment()


def _decision(lines: list[str] | None) -> Fields:
    return steps.decision(lines) if lines is not None else steps.no_decision()


def _all_lines(sections: dict[str, list[str]]) -> list[str]:
    """Every section's lines in order, each after its heading (orders may sit in any section)."""
    return [line for name, lines in sections.items() for line in (name, *lines)]


def _document_lines(sections: dict[str, list[str]]) -> list[str]:
    """The lines documents are listed in: all but a decision's own points."""
    lines: list[str] = []
    for name, section in sections.items():
        keep = steps.decision_points_start(section) if name == "Beslutning" else len(section)
        lines += section[:keep]
    return lines
