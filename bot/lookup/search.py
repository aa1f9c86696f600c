"""Finding watched methods from what a user typed: a name or code first, then words of a title."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.lookup.suggest import Names, alphabet, could_be_close, folded
from bot.sources import clinicaltrials
from bot.sources.names import fold
from bot.sources.plaintext import strip_invisible
from bot.storage.tables import SnapshotMethod
from bot.watchlist import Method

MAX_QUERY = 200
# Shorter words ("av", "til", "hos") would match nearly every title.
MIN_WORDS_QUERY = 4
_NO_KEYS: Mapping[str, Iterable[str]] = MappingProxyType({})
NCT_EXAMPLE = "nct03054428"
NCT_LETTERS = alphabet(NCT_EXAMPLE)


class QueryTooLong(ValueError):  # noqa: N818 -- the name the Slack handlers and CLI catch
    """The query is longer than MAX_QUERY characters after cleaning."""


@dataclass(frozen=True)
class Match:
    """The methods a query found (exact key or title words) or, when none, the closest names."""

    exact: list[Method] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def clean_query(text: str) -> str:
    """`text` in NFC without control, bidi and zero-width characters, spaces collapsed, trimmed.

    Raises QueryTooLong when more than MAX_QUERY characters remain.
    """
    normalised = strip_invisible(unicodedata.normalize("NFC", text))
    # Other format characters (soft hyphen, Arabic letter mark) are as invisible as those above.
    visible = "".join(ch for ch in normalised if unicodedata.category(ch) != "Cf")
    cleaned = " ".join(visible.split())
    if len(cleaned) > MAX_QUERY:
        raise QueryTooLong(f"the query has {len(cleaned)} characters; at most {MAX_QUERY}")
    return cleaned


class ExtraKeys(Protocol):
    """Keys kept beside the watchlist (trials found by discovery), asked for one query at a time."""

    def owners(self, wanted: str) -> set[str]:
        """The ids of the methods one of whose extra keys folds to `wanted`."""
        ...

    def names(self, wanted: str) -> Iterable[tuple[str, str]]:
        """(method id, key) of every extra key that may be close to `wanted`, for suggestions."""
        ...


class SearchIndex:
    """Methods prepared for finding: keys and words folded once, not on every query (the words
    and the suggestion names only when a query first needs them)."""

    def __init__(
        self, methods: Sequence[Method], extra_keys: Mapping[str, Iterable[str]] = _NO_KEYS
    ) -> None:
        self.methods = list(methods)
        self.by_id = {method.id: method for method in self.methods}
        self._extra = extra_keys
        self._keys: dict[str, set[str]] = {}
        for method in self.methods:
            for key in {folded(key) for key in self._keys_of(method)}:
                self._keys.setdefault(key, set()).add(method.id)

    def _keys_of(self, method: Method) -> list[str]:
        return list(search_keys(method, self._extra.get(method.id, ())))

    @cached_property
    def _names(self) -> Names:
        return Names(name for m in self.methods for name in [*self._keys_of(m), m.title])

    @cached_property
    def _words(self) -> list[tuple[Method, list[str]]]:
        return [(m, [fold(text) for text in _words(m)]) for m in self.methods]

    def find(self, query: str, *, extra: ExtraKeys | None = None) -> Match:
        """Methods whose keys equal `query`; else whose title or names contain it as whole
        words; else the closest names (see `find_methods`)."""
        wanted = fold(" ".join(query.split()))
        if not wanted:
            return Match()
        owners = self._keys.get(wanted, set()) | (extra.owners(wanted) if extra else set())
        exact = [method for method in self.methods if method.id in owners]
        if exact:
            return Match(exact=exact)
        if len(wanted) >= MIN_WORDS_QUERY:
            worded = self._worded(wanted)
            if worded:
                return Match(exact=worded)
        return Match(suggestions=self.suggest(wanted, extra=extra))

    def _worded(self, wanted: str) -> list[Method]:
        # names_in() on texts folded in advance: the needle as a whole word.
        needle = fold(wanted).strip()
        if not needle:
            return []
        pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
        return [m for m, texts in self._words if any(pattern.search(text) for text in texts)]

    def suggest(self, wanted: str, *, extra: ExtraKeys | None = None, count: int = 3) -> list[str]:
        """The searchable names closest to the folded query `wanted`, as written."""
        more: dict[str, str] = {}
        for method_id, name in extra.names(wanted) if extra is not None else ():
            if method_id in self.by_id:
                more.setdefault(folded(name), name.strip())
        return self._names.closest(wanted, more=more, count=count)


def find_methods(
    methods: Sequence[Method],
    query: str,
    *,
    extra_keys: Mapping[str, Iterable[str]] = _NO_KEYS,
) -> Match:
    """Methods whose keys equal `query`; else whose title or names contain it as whole words.

    Keys are the substance, trade names, ATC code, NCT IDs (watched, plus `extra_keys[method.id]`),
    Nye metoder IDs, EMA and FDA numbers and the slug, compared without case, accents or spaces.
    """
    return SearchIndex(methods, extra_keys).find(query)


def search_keys(method: Method, extra: Iterable[str] = ()) -> Iterator[str]:
    """Every name or code that finds `method` exactly."""
    yield method.substance
    yield from method.trade_names
    if method.atc:
        yield method.atc
    yield from method.trials
    yield from extra
    yield from method.nye_metoder
    yield from method.ema_products
    yield from method.fda_applications
    yield method.id


def discovered_trials(session: Session) -> dict[str, list[str]]:
    """NCT IDs stored for each method (watched and discovered), to pass as `extra_keys`."""
    found: dict[str, list[str]] = {}
    query = select(SnapshotMethod.method_id, SnapshotMethod.key).where(
        SnapshotMethod.source == clinicaltrials.NAME
    )
    for method_id, key in session.execute(query.order_by(SnapshotMethod.key)):
        found.setdefault(method_id, []).append(key)
    return found


_TRIAL_OWNERS = select(SnapshotMethod.method_id).where(
    SnapshotMethod.source == clinicaltrials.NAME, SnapshotMethod.key == bindparam("key")
)


class StoredTrials:
    """The trials stored for each method (watched and discovered) as extra keys, read from
    `snapshot_methods` one query at a time."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def owners(self, wanted: str) -> set[str]:
        """Methods with a stored trial whose NCT ID folds to `wanted`.

        Registry keys are NCT IDs (upper-case ASCII), so the only key that can fold to `wanted`
        is `wanted` in upper case.
        """
        key = wanted.upper()
        if fold(key).strip() != wanted:
            return set()
        return set(self.session.scalars(_TRIAL_OWNERS, {"key": key}))

    def names(self, wanted: str) -> Iterable[tuple[str, str]]:
        """Every (method id, NCT ID) stored, when an NCT ID may be close to `wanted` at all."""
        if not could_be_close(wanted, NCT_LETTERS, len(NCT_EXAMPLE)):
            return []
        query = select(SnapshotMethod.method_id, SnapshotMethod.key).where(
            SnapshotMethod.source == clinicaltrials.NAME
        )
        return [(method_id, key) for method_id, key in self.session.execute(query)]


def _words(method: Method) -> list[str]:
    return [method.title, method.substance, *method.trade_names]
