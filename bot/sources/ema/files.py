"""EMA's JSON data files (medicines, post-authorisation procedures) as records for watched methods.

Field names follow the documented lists in reference/sources.md §3b: the OHDSI SQL schema, a Java
mapper of the JSON reports, and genomoncology/biomcp `src/sources/ema.rs`. EMA regenerates these
files twice a day, at 06:00 and 18:00 Amsterdam time; they are megabytes with thousands of rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from bot.sources.base import Page, ParseError, Query, Record
from bot.sources.changes import SourceRules
from bot.sources.ema.candidates import medicine_evidence, procedure_evidence
from bot.sources.ema.changes import MEDICINE_RULES, MEDICINES, POST_AUTHORISATION, PROCEDURE_RULES
from bot.sources.ema.rows import Row, ema_link, medicine_fields, procedure_fields, text
from bot.sources.evidence import Evidence, Term
from bot.sources.names import NameIndex, fold
from bot.sources.scanning import ScanContext, scanned
from bot.watchlist import Method

MEDICINES_FILE = "medicines-output-medicines_json-report_en.json"
POST_AUTHORISATION_FILE = "medicines-output-post_authorisation_json-report_en.json"

# Keys every row must carry: without them a row cannot be filtered or identified, and a file
# whose rows lack them has changed shape (schema drift), so the whole answer is rejected.
_ROW_KEYS = ("category", "ema_product_number", "name_of_medicine")
_NAME_KEYS = ("international_non_proprietary_name_common_name", "active_substance")


class _EmaFile:
    """What both files share: one query for the whole file, one pass over its rows."""

    name: str
    rules: SourceRules
    file: str
    required: tuple[str, ...] = _ROW_KEYS

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """One query for the whole file (it is not searchable), unless nothing is watched."""
        if not methods:
            return []
        url = report_url(self.base_url, self.file)
        return [Query(source=self.name, url=url, expected_keys=self.expected_keys(methods))]

    def scan_plan(self, context: ScanContext) -> list[Query]:
        """The whole file, read for candidates even when no method is watched."""
        return [Query(source=self.name, url=report_url(self.base_url, self.file))]

    def parse(
        self,
        query: Query,
        status: int,
        body: bytes,
        methods: Sequence[Method],
        *,
        scan: ScanContext | None = None,
    ) -> Page:
        """The rows of watched methods as records (and with `scan` the evidence for candidates);
        ParseError when a gate fails."""
        if status not in query.ok_statuses:
            raise ParseError(f"HTTP status {status}")
        records: dict[str, Record] = {}
        rows, stamp = _rows(body)
        for row, method_ids in _watched_rows(rows, methods, required=self.required):
            fields = self.fields(row)
            key = self.key(fields, taken=records)
            url = ema_link(row.get("medicine_url")) or search_url(self.base_url, fields["name"])
            records[key] = Record(self.name, key, fields, url, method_ids)
        page = Page(records=list(records.values()), data_timestamp=stamp)
        if scan is None:
            return page
        evidence, in_scope = self.scan(rows, scan)
        return scanned(page, evidence, in_scope)

    def scan(
        self, rows: list[Any], context: ScanContext
    ) -> tuple[list[Evidence], dict[str, Term] | None]:
        """Evidence for candidates in the file's rows, and the substances in scope (if known)."""
        raise NotImplementedError

    def link(self, name: str | None) -> str:
        """EMA's search for a medicine (for a row without a page of its own)."""
        return search_url(self.base_url, name)

    def expected_keys(self, methods: Sequence[Method]) -> frozenset[str]:
        """The keys a complete answer is authoritative for."""
        return frozenset()

    def fields(self, row: Row) -> dict[str, Any]:
        """The normalised fields of one row."""
        raise NotImplementedError

    def key(self, fields: dict[str, Any], *, taken: dict[str, Record]) -> str:
        """The record key of one row, given the keys already taken in this answer."""
        raise NotImplementedError


class EmaMedicines(_EmaFile):
    """Medicines evaluated by EMA (EPARs), keyed by product number (EMEA/H/C/nnnnnn)."""

    name = MEDICINES
    rules = MEDICINE_RULES
    file = MEDICINES_FILE

    def expected_keys(self, methods: Sequence[Method]) -> frozenset[str]:
        """The watched product numbers."""
        return frozenset(product for method in methods for product in method.ema_products)

    def fields(self, row: Row) -> dict[str, Any]:
        """The normalised fields of one medicines row."""
        return medicine_fields(row)

    def scan(
        self, rows: list[Any], context: ScanContext
    ) -> tuple[list[Evidence], dict[str, Term] | None]:
        """Recent events of unwatched medicines in scope; every substance in scope."""
        return medicine_evidence(rows, context, search=self.link)

    def key(self, fields: dict[str, Any], *, taken: dict[str, Record]) -> str:
        """The product number, which a medicines file lists once."""
        key = str(fields["product_number"])
        if key in taken:
            raise ParseError(f"product {key} appears twice in the medicines file")
        return key


class EmaPostAuthorisation(_EmaFile):
    """Post-authorisation procedures (extensions of indication, other variations) of medicines.

    Procedures are discovered rows, so no key is expected: a missing one is never "removed".
    """

    name = POST_AUTHORISATION
    rules = PROCEDURE_RULES
    file = POST_AUTHORISATION_FILE
    required = (*_ROW_KEYS, "first_published_date")

    def fields(self, row: Row) -> dict[str, Any]:
        """The normalised fields of one post-authorisation row."""
        return procedure_fields(row)

    def scan(
        self, rows: list[Any], context: ScanContext
    ) -> tuple[list[Evidence], dict[str, Term] | None]:
        """Recent opinions on procedures of unwatched products in scope."""
        return procedure_evidence(rows, context, search=self.link), None

    def key(self, fields: dict[str, Any], *, taken: dict[str, Record]) -> str:
        """`<product number> <first published date>`, numbered when a product has two that day.

        No procedure number is documented for this file (sources.md §3b lists the medicine's
        identity columns, statuses, dates and medicine_url only), so a procedure is identified
        by its product and the date EMA first published it, which does not change afterwards.
        """
        base = f"{fields['product_number']} {fields['first_published_date']}"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base} #{n}"
        return key


def report_url(base_url: str, file: str) -> str:
    """Where EMA publishes one of its JSON data files."""
    return f"{base_url.rstrip('/')}/en/documents/report/{file}"


def search_url(base_url: str, name: str | None) -> str:
    """EMA's site search for a medicine: the link when a row has no usable page of its own."""
    return f"{base_url.rstrip('/')}/en/search?search_api_fulltext={quote(name or '')}"


def _watched_rows(
    rows: list[Any], methods: Sequence[Method], *, required: tuple[str, ...]
) -> Iterator[tuple[Row, tuple[str, ...]]]:
    """Rows of human medicines that concern a watched method, with those methods' ids."""
    matcher = _Matcher(methods)
    for index, row in enumerate(rows):
        _check_keys(row, index, required=required)
        if fold(text(row["category"]) or "") != "human":
            continue
        method_ids = matcher.methods_for(row)
        if method_ids:
            _check_identity(row, index, required=required)
            yield row, method_ids


def _rows(body: bytes) -> tuple[list[Any], str | None]:
    """The `data` rows of the envelope (after the shape and completeness gates) and the file's
    own `meta.timestamp` (when EMA generated it)."""
    try:
        document = json.loads(body)
    except ValueError as exc:  # also UnicodeDecodeError
        raise ParseError(f"not JSON: {exc}") from None
    if not isinstance(document, dict) or "data" not in document:
        raise ParseError("not the EMA envelope {meta, data}")
    rows, meta = document["data"], document.get("meta", {})
    if not isinstance(rows, list) or not isinstance(meta, dict):
        raise ParseError("`data` is not a list or `meta` is not an object")
    if not rows:
        # Each file lists thousands of medicines; an empty one is a failed export, and read as
        # an answer it would make every watched product absent.
        raise ParseError("`data` holds no rows")
    total = meta.get("total_records")
    if total is not None and str(total).strip() != str(len(rows)):
        # A cut or partial download: fewer rows than the file says it has.
        raise ParseError(f"meta.total_records is {total!r} but data holds {len(rows)} rows")
    stamp = meta.get("timestamp")
    return rows, stamp if isinstance(stamp, str) and stamp else None


def _check_keys(row: Any, index: int, *, required: tuple[str, ...]) -> None:
    if not isinstance(row, dict):
        raise ParseError(f"row {index} is not an object")
    missing = [key for key in required if key not in row]
    if missing:
        raise ParseError(f"row {index} lacks {', '.join(missing)}")


def _check_identity(row: Row, index: int, *, required: tuple[str, ...]) -> None:
    # An unrelated row with an empty value is EMA's business; a watched one cannot be recorded.
    empty = [key for key in required if text(row[key]) is None]
    if empty:
        raise ParseError(f"row {index} has no {', '.join(empty)}")


class _Matcher:
    """Which watched methods a row concerns: product number, substance, or trade name."""

    def __init__(self, methods: Sequence[Method]) -> None:
        self.products: dict[str, set[str]] = {}
        for method in methods:
            for product in method.ema_products:
                self.products.setdefault(product, set()).add(method.id)
        self.substances = NameIndex.substances(methods)
        self.trade_names = NameIndex.trade_names(methods)

    def methods_for(self, row: Row) -> tuple[str, ...]:
        """The ids of the methods this row concerns, sorted; empty when it concerns none."""
        found = set(self.products.get(text(row["ema_product_number"]) or "", ()))
        for key in _NAME_KEYS:
            found |= self.substances.method_ids(text(row.get(key)))
        found |= self.trade_names.method_ids(text(row["name_of_medicine"]))
        return tuple(sorted(found))
