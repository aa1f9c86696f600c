"""The team's scope: what falls in it and is not watched yet becomes a candidate.

A top-level `scope:` in the watchlist file: `atc` (ATC prefixes, e.g. D11 or L01), `conditions`
(English condition words as the registries write them, e.g. "atopic dermatitis"), `ignore`
(substances never proposed) and an optional `channel` for the weekly "Nye kandidater". Without a
scope, or with neither ATC prefixes nor conditions, nothing is proposed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from bot.watchlist.model import ATC_RE, CHANNEL_RE

MAX_ENTRIES = 200  # per list: a scope is a team's field, not a catalogue
MAX_ENTRY = 120


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Entries = Annotated[list[str], BeforeValidator(_as_list)]


def _entries(values: list[str], what: str) -> list[str]:
    """Entries with their whitespace collapsed; none empty, too long or given twice."""
    cleaned = [" ".join(value.split()) for value in values]
    if any(not value for value in cleaned):
        raise ValueError(f"an entry is empty (give {what})")
    if any(len(value) > MAX_ENTRY for value in cleaned):
        raise ValueError(f"an entry is longer than {MAX_ENTRY} characters")
    if len(cleaned) > MAX_ENTRIES:
        raise ValueError(f"lists more than {MAX_ENTRIES} entries")
    if len({value.casefold() for value in cleaned}) != len(cleaned):
        raise ValueError("lists the same value twice")
    return cleaned


class Scope(BaseModel):
    """The team's field: ATC prefixes and conditions that make a candidate, substances ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    atc: Entries = []
    conditions: Entries = []
    ignore: Entries = []
    channel: str | None = None

    @field_validator("atc")
    @classmethod
    def _atc(cls, value: list[str]) -> list[str]:
        prefixes = [prefix.upper() for prefix in _entries(value, "an ATC prefix, e.g. D11")]
        for prefix in prefixes:
            if not ATC_RE.match(prefix):
                raise ValueError(f"{prefix!r} is not an ATC code or prefix (e.g. D11, L01, D11AH)")
        return prefixes

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, value: list[str]) -> list[str]:
        return _entries(value, "the words the registries use, e.g. 'atopic dermatitis'")

    @field_validator("ignore")
    @classmethod
    def _ignore(cls, value: list[str]) -> list[str]:
        return _entries(value, "a substance (INN)")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_RE.match(value):
            raise ValueError(f"{value!r} is not a Slack channel ID (e.g. C0123ABCD)")
        return value

    @property
    def proposes(self) -> bool:
        """Whether anything can fall in this scope (an ATC prefix or a condition is given)."""
        return bool(self.atc or self.conditions)

    def definition(self) -> dict[str, Any]:
        """The scope as stored and exported (empty lists and an unset channel left out)."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    def fingerprint(self) -> str:
        """What the scope asks of the sources: a new one means the sources are read afresh."""
        text = json.dumps(self.definition(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
