"""Scanning: what a source's parser needs to find candidates, and how a source says it finds them.

Polling builds one `ScanContext` per cycle from the team's scope, the watched methods and what
the database knows (the substances EMA's medicines file puts in scope); the parser of a
`Scanning` source takes it as a keyword argument and returns evidence beside its records (a
`ScannedPage`). Pure: no clock (polling passes today), no I/O.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from functools import cached_property
from typing import Protocol, runtime_checkable

from bot.sources.base import Page, Query
from bot.sources.evidence import ATC, CONDITION, Evidence, Term, substance_key
from bot.sources.names import NameIndex, words
from bot.watchlist import Method, Scope

# Only events this recent are news: older ones are history, not candidates (a first scan of a
# scope proposes what happened in the last month, never the whole archive).
WINDOW = timedelta(days=30)

_SENTENCE = re.compile(r"[.;\n]+")


class ScanQuery(Query):
    """A request made for candidates only: its answer yields evidence, never records."""


@dataclass(frozen=True)
class ScannedPage(Page):
    """A page read with a scan: its evidence for candidates beside its records, and, from an
    answer that lists every product (EMA's medicines file), the substances in scope (folded)."""

    evidence: list[Evidence] = field(default_factory=list)
    in_scope: dict[str, Term] | None = None


def scanned(page: Page, evidence: list[Evidence], in_scope: dict[str, Term] | None = None) -> Page:
    """`page` with the evidence a scan found in the same answer."""
    kept = {item.name: getattr(page, item.name) for item in fields(Page)}
    return ScannedPage(**kept, evidence=evidence, in_scope=in_scope)


@dataclass(frozen=True)
class ScanContext:
    """What one cycle's scan needs.

    `since`..`today` is the window of news; `known` maps substances (folded) that EMA's medicines
    file puts in scope to the term they fell in by (how an FDA approval, which carries no ATC
    code or indication, is known to be in scope).
    """

    scope: Scope
    since: date
    today: date
    watched: NameIndex
    ignored: NameIndex
    known: Mapping[str, Term] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        scope: Scope,
        methods: Sequence[Method],
        *,
        today: date,
        known: Mapping[str, Term] | None = None,
    ) -> ScanContext:
        """The context for `scope` and the watched `methods`, on `today`."""
        ignored = NameIndex((name, "ignored") for name in scope.ignore)
        return cls(
            scope,
            today - WINDOW,
            today,
            NameIndex.all_names(methods),
            ignored,
            dict(known or {}),
        )

    def fingerprint(self) -> str:
        """What the scan asks of the answers: the scope and the substances known in scope. A new
        one means the answers are read afresh (an unchanged answer may hold new candidates)."""
        known = sorted((name, term.key) for name, term in self.known.items())
        text = json.dumps([self.scope.fingerprint(), known], separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def excluded(self, names: Iterable[str | None]) -> bool:
        """Whether any of these names is watched already or ignored by the scope."""
        return any(self.watched.find(name) or self.ignored.find(name) for name in names if name)

    def recent(self, iso: str | None, *, upcoming: bool = False) -> bool:
        """Whether an ISO date (or `YYYY-MM`) falls in the window; with `upcoming`, a later date
        counts too (a trial's estimated start)."""
        if not iso:
            return False
        day = iso[: len("YYYY-MM-DD")]
        after = day >= self.since.isoformat()[: len(day)]
        return after and (upcoming or day <= self.today.isoformat()[: len(day)])

    def term_for(self, *, atc: str | None, texts: Iterable[str | None]) -> Term | None:
        """The scope entry a thing falls in by: the first condition whose words all occur in one
        sentence of `texts`, else the longest ATC prefix of `atc`; None when out of scope."""
        sentences = [words(part) for text in texts if text for part in _SENTENCE.split(text)]
        for condition, wanted in self._condition_words:
            if any(wanted <= sentence for sentence in sentences):
                return Term(CONDITION, condition)
        code = (atc or "").replace(" ", "").upper()
        matching = [prefix for prefix in self.scope.atc if code.startswith(prefix)]
        return Term(ATC, max(matching, key=len)) if code and matching else None

    @cached_property
    def _condition_words(self) -> list[tuple[str, frozenset[str]]]:
        """Each scope condition with its words, split once per scan (not once per row)."""
        return [(condition, words(condition)) for condition in self.scope.conditions]

    @cached_property
    def _known_index(self) -> NameIndex:
        return NameIndex((substance, substance) for substance in self.known)

    def known_term(self, names: Iterable[str]) -> tuple[str, Term] | None:
        """A substance EMA's file put in scope named among `names` (whole words), with its term."""
        for name in names:
            for found in self._known_index.find(name):
                return found, self.known[substance_key(found)]
        return None


@runtime_checkable
class Scanning(Protocol):
    """A source whose answers also show candidates: evidence beside its records."""

    def scan_plan(self, context: ScanContext) -> list[Query]:
        """Requests made for candidates only (ScanQuery), beside the source's own plan."""
        ...

    def parse(
        self,
        query: Query,
        status: int,
        body: bytes,
        methods: Sequence[Method],
        *,
        scan: ScanContext | None = None,
    ) -> Page:
        """Records for `methods`, and with `scan` the evidence for candidates."""
        ...
