"""Detection: the previous snapshot and a fresh answer in, the changes worth telling out (pure).

The rules users rely on: a method's first poll is its silent baseline; a record missing from one
answer is not removed (only `ABSENCES_TO_REMOVE` authoritative absences in a row are, and none
from an answer that lost implausibly many at once); a value a closed vocabulary does not know is
schema drift, not a change; the same change always gets the same dedupe key (news with an
identity the same key whichever source tells it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from typing import Any

from bot.sources.base import Record
from bot.sources.changes import Finding, SourceRules

ABSENCES_TO_REMOVE = 3

# A watched record rarely leaves a registry. When many leave one answer at once, the answer is at
# fault (an empty export, a broken replica, a search backend glitch), so none of its absences
# count. Fewer losses are judged key by key, through ABSENCES_TO_REMOVE absences in a row.
SUSPICIOUS_LOSS = 3
SUSPICIOUS_SHARE = 0.2


@dataclass(frozen=True)
class Known:
    """What the last good snapshot said about one key."""

    fields: dict[str, Any]
    url: str
    method_ids: tuple[str, ...]
    missing_count: int = 0


@dataclass(frozen=True)
class Change:
    """A change of one record for one method, with its deterministic dedupe key."""

    method_id: str
    source: str
    key: str
    kind: str
    importance: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    url: str
    subject: str
    marker: str | None = None
    identity: str | None = None

    @property
    def dedupe_key(self) -> str:
        """The same change of the same record for the same method hashes the same, always.

        A change with an identity (`Finding.identity`) is the same change for the method whichever
        source and record report it, so the second report is never a second event.
        """
        if self.identity is not None:
            parts: list[Any] = ["identity", self.method_id, self.kind, self.identity]
        else:
            # The source's version marker (e.g. lastUpdatePostDate) tells a genuine A→B→A→B
            # apart from seeing the same A→B again.
            parts = [self.method_id, self.source, self.key, self.kind, self.old, self.new]
            parts.append(self.marker)
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Detection:
    """The outcome of comparing one source's answer with its snapshot."""

    changes: list[Change] = field(default_factory=list)
    present: list[Record] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    drift: list[str] = field(default_factory=list)


def detect(
    rules: SourceRules,
    previous: Mapping[str, Known],
    records: Sequence[Record],
    *,
    expected_keys: frozenset[str],
    baselined: frozenset[str],
) -> Detection:
    """Compare a complete, validated answer with the previous snapshot of the same source.

    `expected_keys` are the keys the answer is authoritative for; `baselined` the methods whose
    baseline for this source is already recorded (the others learn silently).
    """
    outcome = Detection()
    for record in merge_duplicates(records):
        known = previous.get(record.key)
        record = _understood(record, known, rules.vocabularies, drift=outcome.drift)
        outcome.present.append(record)
        findings = _findings(record, known, rules, expected_keys)
        outcome.changes += _for_methods(record, findings, baselined, rules=rules)
    seen = {record.key for record in outcome.present}
    for key in sorted((expected_keys & previous.keys()) - seen):
        outcome.missing[key] = previous[key].missing_count + 1
        if outcome.missing[key] == ABSENCES_TO_REMOVE:
            outcome.changes += _no_longer_listed(rules, key, previous[key], baselined)
    outcome.changes = first_of_each(outcome.changes)
    return outcome


def first_of_each(changes: Iterable[Change]) -> list[Change]:
    """One change per dedupe key, the first reported (news several records tell at once, like
    one Beslutningsforum meeting in two rows of the workbook, is told by its first record)."""
    found: dict[str, Change] = {}
    for change in changes:
        found.setdefault(change.dedupe_key, change)
    return list(found.values())


def implausible_loss(listed: Set[str], seen: Set[str]) -> frozenset[str]:
    """The keys `listed` in the last answer and not `seen` in this one, when so many are gone
    that the answer itself is suspect (SUSPICIOUS_LOSS or more, over SUSPICIOUS_SHARE of them);
    otherwise nothing."""
    lost = frozenset(listed - seen)
    if len(lost) >= SUSPICIOUS_LOSS and len(lost) > SUSPICIOUS_SHARE * len(listed):
        return lost
    return frozenset()


def _understood(
    record: Record,
    known: Known | None,
    vocabularies: Mapping[str, frozenset[str]],
    *,
    drift: list[str],
) -> Record:
    """`record` with every value its vocabulary lacks noted in `drift` and, when the record is
    known, replaced by the last understood value (so a later real change is told against it)."""
    fields = dict(record.fields)
    for name, vocabulary in vocabularies.items():
        value = fields.get(name)
        if value in vocabulary:
            continue
        drift.append(f"{record.key}: {name} {value!r} is not a known value")
        if known is not None:
            fields[name] = known.fields.get(name)
    return record if fields == record.fields else replace(record, fields=fields)


def _findings(
    record: Record, known: Known | None, rules: SourceRules, expected: frozenset[str]
) -> list[Finding]:
    if known is not None:
        return list(rules.compare(known.fields, record.fields))
    if record.key in expected or not rules.alert_on_unexpected:
        return []  # a newly watched record: its first sight is its baseline
    return list(rules.appear(record.fields))


def _for_methods(
    record: Record, findings: Iterable[Finding], baselined: frozenset[str], *, rules: SourceRules
) -> list[Change]:
    subject = rules.subject(record.key, record.fields)
    marker = rules.marker
    version = str(record.fields.get(marker)) if marker else None
    return [
        Change(
            method_id,
            record.source,
            record.key,
            f.kind,
            f.importance,
            f.old,
            f.new,
            record.url,
            subject,
            version,
            identity=f.identity,
        )
        for f in findings
        for method_id in record.method_ids
        if method_id in baselined
    ]


def _no_longer_listed(
    rules: SourceRules, key: str, known: Known, baselined: frozenset[str]
) -> list[Change]:
    source, subject = rules.source, rules.subject(key, known.fields)
    return [
        Change(method_id, source, key, "no_longer_listed", "low", None, None, known.url, subject)
        for method_id in known.method_ids
        if method_id in baselined
    ]


def merge_duplicates(records: Iterable[Record]) -> list[Record]:
    """One record per key (a trial can come from a watched batch and a discovery search)."""
    merged: dict[str, Record] = {}
    for record in records:
        first = merged.get(record.key)
        if first is None:
            merged[record.key] = record
        else:
            ids = tuple(dict.fromkeys(first.method_ids + record.method_ids))
            merged[record.key] = Record(first.source, first.key, first.fields, first.url, ids)
    return list(merged.values())
