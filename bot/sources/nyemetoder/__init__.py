"""Nye metoder (nyemetoder.no): the team's own system, read as two sources.

Owns: reading method pages (`methodpages.MethodPages`, key: page path) and Beslutningsforum's
decision workbook (`decisions.Decisions`, key: ID + normalised indication), the page and workbook
parsers with their gates (`pages`, `steps`, `labels`, `text`, `workbook`), and what counts as a
change (`changes`: kinds, importance, subjects, `decision_identity`, `PAGE_RULES`,
`DECISION_RULES`).
Others may use `nyemetoder_sources`, the two classes, `changes` and `methodpages.page_path`.
"""

from __future__ import annotations

from bot.sources.nyemetoder.changes import DECISIONS, PAGES
from bot.sources.nyemetoder.decisions import Decisions
from bot.sources.nyemetoder.methodpages import DEFAULT_BASE_URL, MethodPages


def nyemetoder_sources(base_url: str = DEFAULT_BASE_URL) -> list[MethodPages | Decisions]:
    """The method pages and the decisions, both read on `base_url` (NYEMETODER_BASE_URL)."""
    return [MethodPages(base_url), Decisions(base_url)]


__all__ = ["DECISIONS", "PAGES", "Decisions", "MethodPages", "nyemetoder_sources"]
