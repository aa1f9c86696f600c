"""openFDA drug/drugsfda: plans application searches for watched methods and parses the answers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from bot.names import fold, names_in
from bot.sources.base import JsonValue, Page, ParseError, Query, Record
from bot.watchlist import Method

APPLICATION_URL = (
    "https://www.accessdata.fda.gov/scripts/cder/daf/index.cfm?event=overview.process&ApplNo={}"
)

# openFDA's maximum `limit` (open.fda.gov query-parameters.md); one page covers a whole batch.
LIMIT = "1000"

# openFDA answers a search that matches nothing with 404 and a NOT_FOUND error object.
_OK_STATUSES = frozenset({200, 404})

_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class OpenFda:
    """Applications of watched methods: by application number and by generic name, batched."""

    name = "openfda"

    def __init__(self, base_url: str, *, max_url_chars: int = 2000) -> None:
        self.url = base_url.rstrip("/") + "/drug/drugsfda.json"
        self.max_url_chars = max_url_chars

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """As few queries as fit the URL limit, each ORing application and substance terms."""
        applications = sorted({number for m in methods for number in m.fda_applications})
        substances = sorted({fold(m.substance).strip() for m in methods} - {""})
        terms = [_term("application_number", number) for number in applications]
        terms += [_term("openfda.generic_name", substance) for substance in substances]
        return [self._query(batch, applications) for batch in self._batches(terms)]

    def parse(self, query: Query, status: int, body: bytes, methods: Sequence[Method]) -> Page:
        """One record per application; 404 NOT_FOUND is openFDA's empty answer."""
        if status == 404:
            _check_not_found(body)
            return Page()
        if status != 200:
            raise ParseError(f"unexpected HTTP status {status}")
        document = _load(body)
        results, meta = document.get("results"), document.get("meta")
        if not isinstance(results, list) or not isinstance(meta, dict):
            raise ParseError("the answer lacks a 'results' list or a 'meta' object")
        records = [_record(application, methods) for application in results]
        return Page(records, _next_query(query, meta, count=len(results)))

    def _batches(self, terms: list[str]) -> list[list[str]]:
        batches: list[list[str]] = []
        for term in terms:
            if batches and self._fits([*batches[-1], term]):
                batches[-1].append(term)
            else:
                batches.append([term])
        return batches

    def _fits(self, terms: list[str]) -> bool:
        # urlencode quotes as httpx does (' ' as '+', '"' as %22), so this is the sent length.
        return len(f"{self.url}?{urlencode(_params(terms))}") < self.max_url_chars

    def _query(self, terms: list[str], applications: list[str]) -> Query:
        expected = frozenset(a for a in applications if _term("application_number", a) in terms)
        return Query(
            self.name, self.url, _params(terms), expected_keys=expected, ok_statuses=_OK_STATUSES
        )


def _term(field: str, value: str) -> str:
    phrase = value.replace('"', "")  # a quote inside the phrase would end it early
    return f'{field}:"{phrase}"'


def _params(terms: list[str]) -> tuple[tuple[str, str], ...]:
    # A literal space around OR: openFDA reads '+' or space as the separator, and httpx sends a
    # space as '+'. A literal '+' would go out as %2B, which openFDA takes as part of the term.
    # The API key is not a parameter: the fetcher sends it as the Basic-auth user name.
    return (("search", " OR ".join(terms)), ("limit", LIMIT))


def _load(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ParseError("the answer is not JSON") from None
    if not isinstance(document, dict):
        raise ParseError("the answer is not a JSON object")
    return document


def _check_not_found(body: bytes) -> None:
    try:
        error = _load(body).get("error")
    except ParseError:
        error = None
    if not isinstance(error, dict) or error.get("code") != "NOT_FOUND":
        raise ParseError("a 404 answer that is not openFDA's NOT_FOUND")


def _next_query(query: Query, meta: dict[str, Any], *, count: int) -> Query | None:
    paging = _module(meta, "results")
    total, skip = _opt(paging, "total", int), _opt(paging, "skip", int)
    if total is None or skip is None:
        raise ParseError("meta.results lacks total or skip")
    # Continue after what came back (equal to skip + limit for a full page).
    if count == 0 or skip + count >= total:
        return None
    return query.with_params(skip=str(skip + count))


def _record(application: Any, methods: Sequence[Method]) -> Record:
    if not isinstance(application, dict):
        raise ParseError("a result is not a JSON object")
    number = _opt(application, "application_number", str)
    if not number:
        raise ParseError("a result has no application_number")
    products = _objects(application, "products")
    fields: dict[str, JsonValue] = {
        "sponsor_name": _opt(application, "sponsor_name", str),
        "brand_names": _unique(_opt(p, "brand_name", str) for p in products),
        "active_ingredients": _unique(_ingredients(products)),
        "marketing_statuses": _unique(_opt(p, "marketing_status", str) for p in products),
        "submissions": _submissions(application),
    }
    url = APPLICATION_URL.format("".join(ch for ch in number if ch.isdigit()))
    return Record("openfda", number, fields, url, _method_ids(application, number, methods=methods))


def _method_ids(
    application: dict[str, Any], number: str, *, methods: Sequence[Method]
) -> tuple[str, ...]:
    names = _strings(_module(application, "openfda"), "generic_name")
    names += _ingredients(_objects(application, "products"))
    # Whole words, folded: the search for "imatinib" also finds "IMATINIB MESYLATE".
    return tuple(
        m.id
        for m in methods
        if number in m.fda_applications or any(names_in(name, [m.substance]) for name in names)
    )


def _ingredients(products: list[dict[str, Any]]) -> list[str]:
    found = []
    for product in products:
        for ingredient in _objects(product, "active_ingredients"):
            name = _opt(ingredient, "name", str)
            if name:
                found.append(name)
    return found


def _submissions(application: dict[str, Any]) -> list[JsonValue]:
    submissions = [_submission(raw) for raw in _objects(application, "submissions")]
    return sorted(submissions, key=_submission_order)


def _submission(raw: dict[str, Any]) -> dict[str, JsonValue]:
    return {
        "type": _opt(raw, "submission_type", str),
        "number": _opt(raw, "submission_number", str),
        "status": _opt(raw, "submission_status", str),
        "status_date": _iso_date(_opt(raw, "submission_status_date", str)),
        "class_code": _opt(raw, "submission_class_code", str),
        "class_description": _opt(raw, "submission_class_code_description", str),
        "review_priority": _opt(raw, "review_priority", str),
    }


def _submission_order(submission: dict[str, Any]) -> tuple[str, str, int, str]:
    number = submission["number"] or ""
    numeric = int(number) if number.isdigit() else 0
    return (submission["status_date"] or "", submission["type"] or "", numeric, number)


def _iso_date(value: str | None) -> str | None:
    # Drugs@FDA dates are YYYYMMDD; anything else is kept as given rather than failing the batch.
    match = _DATE_RE.match(value or "")
    return "-".join(match.groups()) if match else value


def _unique(values: Any) -> list[str]:
    return sorted({value for value in values if value})


def _module(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParseError(f"{key} is not a JSON object")
    return value


def _objects(parent: dict[str, Any], key: str) -> list[dict[str, Any]]:
    values = _opt(parent, key, list) or []
    if not all(isinstance(value, dict) for value in values):
        raise ParseError(f"{key} holds a value that is not a JSON object")
    return list(values)


def _strings(parent: dict[str, Any], key: str) -> list[str]:
    values = _opt(parent, key, list) or []
    if not all(isinstance(value, str) for value in values):
        raise ParseError(f"{key} holds a value that is not text")
    return list(values)


def _opt(parent: dict[str, Any], key: str, kind: type) -> Any:
    """The value at `key` when it has the expected type, None when absent; else a ParseError."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParseError(f"{key} is not {kind.__name__}")
    return value
