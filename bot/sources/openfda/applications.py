"""openFDA drug/drugsfda: plans application searches for watched methods and parses the answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.sources.base import (
    JsonValue,
    Page,
    ParseError,
    Query,
    Record,
    encoded_length,
    remembered,
    url_with_params,
)
from bot.sources.jsonfields import load_object, module, objects, opt, strings
from bot.sources.names import NameIndex, fold
from bot.sources.openfda.candidates import approval_evidence, recent_query
from bot.sources.openfda.changes import NAME, RULES
from bot.sources.openfda.submissions import ingredients, submissions
from bot.sources.scanning import ScanContext, ScanQuery, scanned
from bot.watchlist import Method

APPLICATION_URL = (
    "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process&ApplNo={}"
)

# openFDA's maximum `limit` (open.fda.gov query-parameters.md); one page covers a whole batch.
LIMIT = "1000"

# openFDA answers a search that matches nothing with 404 and a NOT_FOUND error object.
_OK_STATUSES = frozenset({200, 404})

APPLICATION = "application_number"
GENERIC_NAME = "openfda.generic_name"

_WORD = re.compile(r"\w+")


class OpenFda:
    """Applications of watched methods: by application number and by generic name, batched."""

    name = NAME
    rules = RULES

    def __init__(self, base_url: str, *, max_url_chars: int = 2000) -> None:
        self.url = base_url.rstrip("/") + "/drug/drugsfda.json"
        self.max_url_chars = max_url_chars

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """As few queries as fit the URL limit: application numbers and substances, grouped."""
        kind = ("openfda plan", self.url, self.max_url_chars)
        return remembered(kind, methods, lambda: self._plan(methods))

    def _plan(self, methods: Sequence[Method]) -> list[Query]:
        applications = sorted({number for m in methods for number in m.fda_applications})
        substances = sorted({fold(m.substance).strip() for m in methods} - {""})
        terms = [(APPLICATION, number) for number in applications]
        terms += [(GENERIC_NAME, substance) for substance in substances]
        return [self._query(batch) for batch in self._batches(terms)]

    def scan_plan(self, context: ScanContext) -> list[Query]:
        """Candidates' own query: recent approvals of any application (paged like the others)."""
        return [recent_query(self.url, context, limit=LIMIT)]

    def parse(
        self,
        query: Query,
        status: int,
        body: bytes,
        methods: Sequence[Method],
        *,
        scan: ScanContext | None = None,
    ) -> Page:
        """One record per application; 404 NOT_FOUND is openFDA's empty answer. The answer to a
        ScanQuery yields evidence for candidates only (its applications are no records)."""
        if status == 404:
            _check_not_found(body)
            return Page()
        if status != 200:
            raise ParseError(f"unexpected HTTP status {status}")
        document = load_object(body)
        results, meta = document.get("results"), document.get("meta")
        if not isinstance(results, list) or not isinstance(meta, dict):
            raise ParseError("the answer lacks a 'results' list or a 'meta' object")
        next_query = _next_query(query, meta, count=len(results))
        if isinstance(query, ScanQuery):
            found = approval_evidence(results, scan, link=APPLICATION_URL) if scan else []
            return scanned(Page(next_query=next_query), found)
        owners = remembered("openfda owners", methods, lambda: _Owners(methods))
        records = [_record(application, owners) for application in results]
        return Page(records, next_query)

    def _batches(self, terms: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
        """`terms` (grouped by field, in order) in as few batches as fit the URL limit.

        Each term adds its encoded length to the URL (percent-encoding is per character), so
        the length is counted as terms are added rather than the URL re-encoded each time.
        """
        room = self.max_url_chars - len(url_with_params(self.url, _params([])))
        found: list[list[tuple[str, str]]] = []
        used = room
        for field, value in terms:
            grouped = bool(found) and found[-1][-1][0] == field
            piece = f"{_shown(value)}" if grouped else f"{field}:({_shown(value)})"
            size = encoded_length(piece) + (encoded_length(" OR ") if found else 0)
            if found and used + size < room:
                found[-1].append((field, value))
                used += size
            else:
                found.append([(field, value)])
                used = encoded_length(f"{field}:({_shown(value)})")
        return found

    def _query(self, terms: list[tuple[str, str]]) -> Query:
        expected = frozenset(value for field, value in terms if field == APPLICATION)
        return Query(
            self.name, self.url, _params(terms), expected_keys=expected, ok_statuses=_OK_STATUSES
        )


def _search(terms: list[tuple[str, str]]) -> str:
    """`application_number:(A OR B) OR openfda.generic_name:("x" OR "y")`: grouping with
    parentheses is openFDA's documented syntax (open.fda.gov advanced-syntax), and it spends
    the field name once per query instead of once per term."""
    groups: dict[str, list[str]] = {}
    for field, value in terms:
        groups.setdefault(field, []).append(_shown(value))
    return " OR ".join(f"{field}:({' OR '.join(values)})" for field, values in groups.items())


def _shown(value: str) -> str:
    # Single words go as they are; a substance with spaces is a phrase (a quote inside a
    # phrase would end it early).
    return value if _WORD.fullmatch(value) else f'"{value.replace(chr(34), "")}"'


def _params(terms: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    # A literal space around OR: openFDA reads '+' or space as the separator, and httpx sends a
    # space as '+'. A literal '+' would go out as %2B, which openFDA takes as part of the term.
    # The API key is not a parameter: the fetcher sends it as the Basic-auth user name.
    return (("search", _search(terms)), ("limit", LIMIT))


def _check_not_found(body: bytes) -> None:
    try:
        error = load_object(body).get("error")
    except ParseError:
        error = None
    if not isinstance(error, dict) or error.get("code") != "NOT_FOUND":
        raise ParseError("a 404 answer that is not openFDA's NOT_FOUND")


def _next_query(query: Query, meta: dict[str, Any], *, count: int) -> Query | None:
    total = opt(module(meta, "results"), "total", int)
    if total is None:
        raise ParseError("meta.results lacks total")
    # Continue after what came back, from the skip this query sent: meta.results.skip does not
    # always tell the position (a real second page, fetched with search_after, says skip 0).
    skip = int(dict(query.params).get("skip", "0"))
    if count == 0 or skip + count >= total:
        return None
    return query.with_params(skip=str(skip + count))


class _Owners:
    """Which methods an application concerns: by number, or by a substance in its names."""

    def __init__(self, methods: Sequence[Method]) -> None:
        self.by_number: dict[str, list[str]] = {}
        for method in methods:
            for number in method.fda_applications:
                self.by_number.setdefault(number, []).append(method.id)
        self.substances = NameIndex.substances(methods)

    def of(self, number: str, names: list[str]) -> tuple[str, ...]:
        # Whole words, folded: the search for "imatinib" also finds "IMATINIB MESYLATE".
        found = list(self.by_number.get(number, []))
        for name in names:
            found += sorted(self.substances.method_ids(name))
        return tuple(dict.fromkeys(found))


def _record(application: Any, owners: _Owners) -> Record:
    if not isinstance(application, dict):
        raise ParseError("a result is not a JSON object")
    number = opt(application, "application_number", str)
    if not number:
        raise ParseError("a result has no application_number")
    products = objects(application, "products")
    fields: dict[str, JsonValue] = {
        "sponsor_name": opt(application, "sponsor_name", str),
        "brand_names": _unique(opt(p, "brand_name", str) for p in products),
        "active_ingredients": _unique(ingredients(products)),
        "marketing_statuses": _unique(opt(p, "marketing_status", str) for p in products),
        "submissions": submissions(application),
    }
    names = strings(module(application, "openfda"), "generic_name") + ingredients(products)
    url = APPLICATION_URL.format("".join(ch for ch in number if ch.isdigit()))
    return Record(NAME, number, fields, url, owners.of(number, names))


def _unique(values: Any) -> list[str]:
    return sorted({value for value in values if value})
