"""The process steps a method page shows: Bestillerforum orders, the assessment, documents and
Beslutningsforum's decision, each read from text lines by the labels of the stored pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.sources.base import ParseError
from bot.sources.nyemetoder.labels import Section, first_point
from bot.sources.nyemetoder.text import DATE, iso_date
from bot.sources.plaintext import truncate

Fields = dict[str, Any]

PROPOSAL_LABELS = ("Sendt inn", "Sendt inn av", "ID-nummer", "Om metoden")
ASSESSMENT_LABELS = ("Oppdrag gitt", "Type", "Utreder", "Påbegynt", "Ferdigstilt", "Status")
DECISION_LABELS = ("Beslutning tatt", "Ansvarlig")
TEXT_LIMIT = 6000  # the workbook's full decision texts run to about 6,000 characters
POINTS_LIMIT = 40

# "Bestillerforum for nye metoder (25.10.2021):" (P1), "… (26.09.2022)" without colon (VII),
# "Beslutning i Bestillerforum RHF (23.09.2019)" (P2), "Beslutning fra Bestillerforum RHF (…):".
ORDER_HEADING = re.compile(
    rf"^(?:Beslutning (?:i|fra) )?(Bestillerforum (?:RHF|for nye metoder)) \(({DATE})\):?$"
)
DECISION_HEADING = re.compile(rf"^Beslutning i Beslutningsforum for nye metoder \(({DATE})\):?$")
# "Prisnotat (publisert 23.05.2022)", "Metodevurdering ID2022_114 (PDF) (Publisert 29.01.2024)",
# "Prisnotat (datert 02.09.2022)", "Innspillsskjema (mottatt 20.11.2020)", "Forslagsskjema
# (20.06.2019)", "Metodevarsel (18.08.2022)".
DOCUMENT = re.compile(rf"^(.+?)\s+\((?:(publisert|datert|mottatt)\s+)?({DATE})\)$", re.IGNORECASE)
_PDF = re.compile(r"\s*\(PDF\)$", re.IGNORECASE)
# "Protokoll … finner du her, se sak 197-21." / "Se sak 142-19."
CASE = re.compile(r"\b[Ss]ak (\d{1,3}-\d{2})\b")
# "Rapporten er klarert av medlemmene i Bestillerforum RHF den 04.02.2020" (P2), "Oppdraget er
# utkvittert av medlemmene i Bestillerforum for nye metoder den 03.05.2022" (P1).
CLEARED = re.compile(rf"\b(?:klarert|utkvittert) av medlemmene i Bestillerforum\b.*?\bden ({DATE})")


def proposal(lines: Sequence[str]) -> Fields:
    """Forslag: when it was sent in, by whom, and what the method is."""
    section = Section("Forslag", lines, labels=PROPOSAL_LABELS)
    return {
        "submitted": section.date("Sendt inn"),
        "submitted_by": section.text("Sendt inn av"),
        "about": section.text("Om metoden"),
    }


def assessment(lines: Sequence[str]) -> Fields:
    """Metodevurdering: ordered, type, assessor, started, finished, cleared, and its status."""
    section = Section("Metodevurdering", lines, labels=ASSESSMENT_LABELS)
    cleared = next((m for m in map(CLEARED.search, lines) if m), None)
    status = section.text("Status") or (cleared.string if cleared else None)
    return {
        "ordered": section.date("Oppdrag gitt"),
        "type": section.text("Type"),
        "assessor": section.text("Utreder"),
        "started": section.date("Påbegynt"),
        "finished": section.date("Ferdigstilt"),
        "cleared": iso_date(cleared.group(1), what="the clearing date") if cleared else None,
        "status": status,
    }


def decision(lines: Sequence[str]) -> Fields:
    """Beslutning: the date, the forum responsible, and the decision's points in order.

    The section must show a decision date, as "Beslutning tatt" or as the heading "Beslutning i
    Beslutningsforum for nye metoder (dd.mm.yyyy)"; without either its layout has changed.
    """
    section = Section("Beslutning", lines, labels=DECISION_LABELS)
    heading, forum_date = _decision_heading(lines)
    taken = section.date("Beslutning tatt")
    if forum_date is None and taken is None:
        raise ParseError(
            "section 'Beslutning' has neither 'Beslutning tatt' nor "
            "'Beslutning i Beslutningsforum for nye metoder (dd.mm.yyyy)'"
        )
    points = list(lines[heading + 1 :][:POINTS_LIMIT]) if forum_date else []
    return {
        "date": taken,
        "forum_date": forum_date,
        "responsible": section.text("Ansvarlig"),
        "points": truncate("\n".join(points), TEXT_LIMIT) if points else None,
        "first_point": first_point(points[0]) if points else None,
    }


def decision_points_start(lines: Sequence[str]) -> int:
    """Where a Beslutning section's decision points begin (its length when it has none)."""
    heading, forum_date = _decision_heading(lines)
    return heading + 1 if forum_date else len(lines)


def _decision_heading(lines: Sequence[str]) -> tuple[int, str | None]:
    for index, line in enumerate(lines):
        match = DECISION_HEADING.match(line)
        if match:
            return index, iso_date(match.group(1), what="section 'Beslutning': the decision date")
    return len(lines), None


def no_decision() -> Fields:
    """The decision fields of a page without a Beslutning section."""
    return dict.fromkeys(("date", "forum_date", "responsible", "points", "first_point"))


def no_assessment() -> Fields:
    """The assessment fields of a page without a Metodevurdering section."""
    keys = ("ordered", "type", "assessor", "started", "finished", "cleared", "status")
    return dict.fromkeys(keys)


def orders(lines: Sequence[str], *, headings: frozenset[str]) -> list[Fields]:
    """Every Bestillerforum decision on the page, in page order; each runs to the next heading."""
    starts = [index for index, line in enumerate(lines) if ORDER_HEADING.match(line)]
    found = []
    for start in starts:
        end = next(
            (i for i in range(start + 1, len(lines)) if _ends_order(lines[i], headings)),
            len(lines),
        )
        found.append(_order(lines[start], lines[start + 1 : end]))
    return found


def _ends_order(line: str, headings: frozenset[str]) -> bool:
    return line in headings or ORDER_HEADING.match(line) is not None


def _order(heading: str, lines: Sequence[str]) -> Fields:
    match = ORDER_HEADING.match(heading)
    assert match is not None  # only headings that match start an order
    forum, day = match.groups()
    section = Section(forum, lines, labels=("Beslutning",))
    left_out = set(section.value_lines("Beslutning"))
    cases = [m.group(1) for m in map(CASE.search, lines) if m]
    text = [line for i, line in enumerate(lines) if i not in left_out and not CASE.search(line)]
    return {
        "forum": forum,
        "date": iso_date(day, what=f"the date of {heading!r}"),
        "text": truncate("\n".join(text), TEXT_LIMIT) or None,
        "decision": section.text("Beslutning"),
        "case": cases[0] if cases else None,
    }


def documents(lines: Sequence[str]) -> list[Fields]:
    """The dated documents listed on the page ("Prisnotat (publisert 23.05.2022)"), in order."""
    found = []
    for line in lines:
        if ORDER_HEADING.match(line) or DECISION_HEADING.match(line):
            continue
        match = DOCUMENT.match(line)
        if match:
            title, label, day = match.groups()
            found.append(
                {
                    "title": _PDF.sub("", title).strip(),
                    "date": iso_date(day, what=f"the date of the document {title!r}"),
                    "label": label.lower() if label else None,
                }
            )
    return found
