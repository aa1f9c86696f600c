"""Finding watched methods from what a user typed: a name or code first, then words of a title."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sources import clinicaltrials
from bot.sources.names import fold, names_in
from bot.sources.plaintext import strip_invisible
from bot.storage.tables import Snapshot
from bot.watchlist import Method

MAX_QUERY = 200
# Shorter words ("av", "til", "hos") would match nearly every title.
MIN_WORDS_QUERY = 4
_NO_KEYS: Mapping[str, Iterable[str]] = MappingProxyType({})


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
    wanted = fold(" ".join(query.split()))
    if not wanted:
        return Match()
    exact = [m for m in methods if wanted in _folded(search_keys(m, extra_keys.get(m.id, ())))]
    if exact:
        return Match(exact=exact)
    if len(wanted) >= MIN_WORDS_QUERY:
        worded = [m for m in methods if any(names_in(text, [wanted]) for text in _words(m))]
        if worded:
            return Match(exact=worded)
    return Match(suggestions=suggest(methods, wanted, extra_keys=extra_keys))


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


def suggest(
    methods: Sequence[Method],
    wanted: str,
    *,
    extra_keys: Mapping[str, Iterable[str]] = _NO_KEYS,
    count: int = 3,
) -> list[str]:
    """The searchable names closest to the folded query `wanted`, as written in the watchlist."""
    names: dict[str, str] = {}
    for method in methods:
        for name in [*search_keys(method, extra_keys.get(method.id, ())), method.title]:
            names.setdefault(fold(name).strip(), name.strip())
    close = difflib.get_close_matches(wanted, list(names), n=count, cutoff=0.6)
    return [names[folded] for folded in close]


def discovered_trials(session: Session) -> dict[str, list[str]]:
    """NCT IDs stored for each method (watched and discovered), to pass as `extra_keys`."""
    found: dict[str, list[str]] = {}
    rows = session.scalars(select(Snapshot).where(Snapshot.source == clinicaltrials.NAME))
    for row in rows:
        for method_id in row.method_ids or []:
            found.setdefault(str(method_id), []).append(row.key)
    return found


def _folded(names: Iterable[str]) -> set[str]:
    return {fold(name).strip() for name in names}


def _words(method: Method) -> list[str]:
    return [method.title, method.substance, *method.trade_names]
