"""What every source shares: the query it plans, the page it parses, the record it yields."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol, TypeVar
from urllib.parse import quote_plus, urlencode

from bot.sources.changes import SourceRules
from bot.watchlist import Method

JsonValue = Any
T = TypeVar("T")


# Characters left as they are in a query string: RFC 3986 allows them there, and percent-encoding
# them triples the length of every NCT-ID separator and openFDA search group.
SAFE_IN_QUERY = ",:()|"


# What urlencode leaves one character long: the unreserved characters, SAFE_IN_QUERY, and the
# space (sent as '+').
_ONE_CHARACTER = re.compile(r"[A-Za-z0-9_.~ ,:()|-]*")


def url_with_params(url: str, params: tuple[tuple[str, str], ...]) -> str:
    """The URL exactly as it is sent (spaces as '+', commas and colons as they are)."""
    return f"{url}?{urlencode(params, safe=SAFE_IN_QUERY)}" if params else url


def encoded_length(text: str) -> int:
    """How long `text` is in a query string as `url_with_params` encodes it (percent-encoding
    works character by character, so lengths of parts add up)."""
    if _ONE_CHARACTER.fullmatch(text):
        return len(text)
    return len(quote_plus(text, safe=SAFE_IN_QUERY))


# The last thing built for a watchlist, per kind: a cycle's answers and the cycles after it ask
# again and again for the same plans and indexes of the same (unchanged) methods.
_LAST: dict[Hashable, tuple[list[Method], Any]] = {}


def remembered(kind: Hashable, methods: Sequence[Method], build: Callable[[], T]) -> T:
    """What `build()` gives for `methods`, built again only when the methods are not the ones
    of the last call of this `kind` (the same method objects compare at once). `build` must be
    a pure function of `methods`."""
    wanted = list(methods)
    last = _LAST.get(kind)
    if last is not None and last[0] == wanted:
        found: T = last[1]
        return found
    built = build()
    _LAST[kind] = (wanted, built)
    return built


class ParseError(ValueError):
    """An answer that failed a validation gate (not JSON, HTML in place of a feed, keys missing).

    A parse error is a source failure: nothing from that answer may become a snapshot.
    """


@dataclass(frozen=True)
class Record:
    """One thing a source says about one key (an NCT ID, an application, a product, a news item).

    `fields` holds normalised, JSON-compatible values only; `url` is a link for people to the
    source's own page; `method_ids` are the watched methods the record concerns.
    """

    source: str
    key: str
    fields: dict[str, JsonValue]
    url: str
    method_ids: tuple[str, ...] = ()

    def content_hash(self) -> str:
        """A stable hash of the normalised fields (key order does not matter)."""
        text = json.dumps(self.fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Query:
    """One planned request, built from a configured base URL.

    `expected_keys` are the keys this answer is authoritative for: a complete answer without
    one of them counts towards that key's absence. `expect` names the body kind the gates check
    ("json", "feed", "html" or "xlsx"); `ok_statuses` lists the HTTP statuses the parser can
    read. A next page is a slice of one answer and is always read whole, unless it is a
    `LinkedDocument`. `context` is what the source's parser needs besides the answer and the
    methods, prepared once by the plan (e.g. an index of what to match); it is not part of the
    request and never compared.
    """

    source: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    expected_keys: frozenset[str] = frozenset()
    expect: str = "json"
    ok_statuses: frozenset[int] = frozenset({200})
    page: int = 1
    context: Any = field(default=None, compare=False, repr=False)
    standalone: ClassVar[bool] = False

    @property
    def full_url(self) -> str:
        """The URL with its parameters, as the fetcher sends it (its length is what counts)."""
        return url_with_params(self.url, self.params)

    def with_params(self, **changes: str) -> Query:
        """The same query with some parameters replaced or added (for the next page)."""
        params = dict(self.params)
        params.update(changes)
        return replace(self, params=tuple(params.items()), page=self.page + 1)


@dataclass(frozen=True)
class LinkedDocument(Query):
    """A next page that is a document of its own, which a page links to (the decision workbook):
    fetched conditionally with its own validators, so an unchanged one is not downloaded again."""

    standalone: ClassVar[bool] = True


@dataclass(frozen=True)
class Page:
    """What one answer held: its records, and the query for the next page if there is one."""

    records: list[Record] = field(default_factory=list)
    next_query: Query | None = None
    # When the data itself says when it was generated (EMA's files), for staleness checks.
    data_timestamp: str | None = None
    # What an admin should know of a good answer (a watched page that does not exist): logged
    # and reported with the poll, never alerted.
    warnings: list[str] = field(default_factory=list)
    # The answer says what was asked for does not exist (a page's 404): it keeps no validators,
    # and a read where most answers say so is a failure of the site, not of each page.
    not_found: bool = False


class Source(Protocol):
    """A registry the bot reads: plans requests for a watchlist and parses answers (purely)."""

    name: str
    rules: SourceRules

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """The first-page queries that cover every watched method, batched."""
        ...

    def parse(self, query: Query, status: int, body: bytes, methods: Sequence[Method]) -> Page:
        """Turn one answer into records; raise ParseError when a gate fails."""
        ...
