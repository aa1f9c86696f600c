"""Evidence for a candidate: what one answer says about a substance in scope that is not watched.

A candidate is identified by its substance (folded: case, accents and spacing do not count) and
the scope entry it fell in by: a condition when one matches, else an ATC prefix. So the same
substance for the same condition seen again, or by two sources, is one candidate; each piece of
evidence is identified by (source, key, kind), so the same fact read again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sources.names import fold

CONDITION = "condition"
ATC = "atc"


@dataclass(frozen=True)
class Term:
    """The scope entry something fell in by: `kind` CONDITION or ATC, `value` as scoped."""

    kind: str
    value: str

    @property
    def key(self) -> str:
        """`condition:atopic dermatitis`, `atc:d11`: compared without case or accents."""
        return f"{self.kind}:{fold(self.value)}"


def substance_key(name: str) -> str:
    """A substance as compared: folded, its whitespace collapsed."""
    return " ".join(fold(name).split())


def candidate_identity(substance: str, term: Term) -> str:
    """`lebrikizumab|condition:atopic dermatitis`: one candidate, whichever source saw it."""
    return f"{substance_key(substance)}|{term.key}"


@dataclass(frozen=True)
class Evidence:
    """One fact about a candidate from one source.

    `key` is the record's key at the source (a product number, a procedure, an application's
    submission, an NCT ID); `kind` what the fact is (e.g. `ema_opinion`, `fda_efficacy`,
    `trial_phase3`); `date` the ISO date of the event; `facts` what people are shown (names,
    statuses, dates), JSON values only; `url` the source's own page.
    """

    source: str
    key: str
    kind: str
    substance: str
    term: Term
    date: str | None
    url: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        """The identity of the candidate this evidence is for."""
        return candidate_identity(self.substance, self.term)
