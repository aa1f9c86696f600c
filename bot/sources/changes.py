"""What a change of a record is, and how a source says which changes matter (its rules).

Each source module declares its own `SourceRules`: how two snapshots of a record compare, what
the first sight of an unexpected record means, its version marker, the closed vocabularies of
its fields and how people recognise its records. Detection (bot.detection) applies them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.sources.plaintext import truncate

Fields = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One change of one record, before it is tied to a method.

    `identity` names a piece of news that more than one record or source may report (a
    Beslutningsforum decision on a method page and in the decision workbook): findings of one
    kind with one identity are one change per method, whichever record reports it first.
    """

    kind: str
    importance: str
    old: Fields | None
    new: Fields | None
    identity: str | None = None


Compare = Callable[[Fields, Fields], list[Finding]]
Appear = Callable[[Fields], list[Finding]]
Subject = Callable[[str, Mapping[str, Any]], str]

# The fields of a method (bot.watchlist.Method) that decide what the first sources read; a change
# of one of them starts a new, silent baseline for the method at the sources that watch it.
WATCHED_FIELDS = frozenset(
    {"substance", "trade_names", "trials", "fda_applications", "ema_products", "discover"}
)


def titled(key: str, fields: Mapping[str, Any]) -> str:
    """A record named by its title (news items), else by its key."""
    return truncate(str(fields.get("title") or ""), 120) or key


@dataclass(frozen=True)
class SourceRules:
    """How one source's records are compared and named.

    `compare` finds the changes between two snapshots of a record; `appear` those of a record
    first seen outside what was watched (when `alert_on_unexpected`); `marker` names the field
    that versions a record (so A→B→A→B is told from seeing A→B twice); `vocabularies` the
    fields whose values come from a closed set (a value outside it is schema drift, not a
    change); `subject` how people recognise a record (`NCT03054428 (LIBERTY AD ADOL)`);
    `watches` the method fields the source's plan and parser read (its baseline fingerprint).
    """

    source: str
    compare: Compare
    appear: Appear
    alert_on_unexpected: bool = True
    marker: str | None = None
    vocabularies: Mapping[str, frozenset[str]] = field(default_factory=dict)
    subject: Subject = titled
    watches: frozenset[str] = WATCHED_FIELDS


def pick(fields: Fields, *names: str) -> Fields:
    """The named fields only (None for a missing one)."""
    return {name: fields.get(name) for name in names}


def differs(old: Fields, new: Fields, *names: str) -> bool:
    """Whether any of the named fields changed."""
    return any(old.get(name) != new.get(name) for name in names)
