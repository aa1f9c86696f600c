"""The decisions source: the decision page, its one workbook link, and the watched decisions.

The workbook's URL changes after every Beslutningsforum meeting (reference/nyemetoder.md §1), so
the decision page is read on every cycle and the workbook is its "next page" (`Page.next_query`),
a `LinkedDocument`: fetched conditionally, so an unchanged workbook is not downloaded again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from bot.sources.base import LinkedDocument, Page, ParseError, Query, Record
from bot.sources.nyemetoder.changes import DECISION_RULES, DECISIONS
from bot.sources.nyemetoder.labels import first_point
from bot.sources.nyemetoder.methodpages import DEFAULT_BASE_URL, PUBLIC_SITE
from bot.sources.nyemetoder.owners import Owners
from bot.sources.nyemetoder.text import links
from bot.sources.nyemetoder.workbook import WORKBOOK_ID, Row, decision_date, read_rows
from bot.watchlist import Method

Fields = dict[str, Any]

DECISION_PAGE = "/innforing-av-nye-metoder/beslutning/"
# Fields that must agree when the workbook lists one identity twice (2013_036 is listed twice
# with two full decision texts, which are kept together; reference/nyemetoder.md §1).
_SAME_FOR_AN_IDENTITY = (
    "substance",
    "trade_name",
    "method_type",
    "area",
    "decision_date",
    "decision_short",
)
_TEXTS_APART = "\n\n---\n\n"


class Decisions:
    """Beslutningsforum's current decisions for the watched IDs, keyed by ID and indication.

    A decision missing from a workbook is never "removed": no key is expected (the workbook lists
    current decisions only, and an identity is known only once it is seen).
    """

    name = DECISIONS
    rules = DECISION_RULES

    def __init__(self, base_url: str = DEFAULT_BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """The decision page, once, when any method has a Nye metoder ID."""
        if not any(method.nye_metoder for method in methods):
            return []
        return [Query(self.name, self.base_url + DECISION_PAGE, expect="html")]

    def parse(self, query: Query, status: int, body: bytes, methods: Sequence[Method]) -> Page:
        """The decision page yields the workbook query; the workbook the watched decisions."""
        if status not in query.ok_statuses:
            raise ParseError(f"HTTP status {status}")
        if query.expect == "html":
            url = workbook_link(query.url, body)
            workbook = LinkedDocument(self.name, url, expect="xlsx", page=query.page + 1)
            return Page(next_query=workbook)
        return Page(records=watched_records(self.name, body, methods))


def workbook_link(page_url: str, body: bytes) -> str:
    """The one `.xlsx` link on the page's own host; ParseError naming what was found instead."""
    found = list(dict.fromkeys(urldefrag(urljoin(page_url, href)).url for href in links(body)))
    sheets = [url for url in found if urlsplit(url).path.lower().endswith(".xlsx")]
    site = urlsplit(page_url)
    own = [url for url in sheets if urlsplit(url).netloc == site.netloc]
    if len(own) != 1:
        elsewhere = [url for url in sheets if url not in own]
        raise ParseError(
            f"expected one .xlsx link on {site.netloc}, found {len(own)}"
            + (f": {', '.join(own)}" if own else "")
            + (f" (and elsewhere: {', '.join(elsewhere)})" if elsewhere else "")
        )
    link = urlsplit(own[0])
    if link.scheme not in (site.scheme, "https") or link.query:
        raise ParseError(f"the .xlsx link {own[0]} changes scheme or carries a query")
    return own[0]


def read_decisions(body: bytes) -> dict[str, Fields]:
    """Every decision of the workbook by identity key, after every gate (all rows are checked)."""
    rows, epoch = read_rows(body)
    decisions: dict[str, Fields] = {}
    for row in rows:
        fields = decision_fields(row, epoch=epoch)
        key = identity_key(fields["id"], fields["indication"])
        decisions[key] = _merged(decisions[key], fields) if key in decisions else fields
    if not decisions:
        raise ParseError("the workbook lists no decisions")
    return decisions


def watched_records(source: str, body: bytes, methods: Sequence[Method]) -> list[Record]:
    """The decisions whose ID a watched method lists."""
    url = PUBLIC_SITE + DECISION_PAGE
    records = []
    index = Owners(methods)
    for key, fields in read_decisions(body).items():
        owners = index.of_id(fields["id"])
        if owners:
            records.append(Record(source, key, fields, url, owners))
    return records


def decision_fields(row: Row, *, epoch: datetime) -> Fields:
    """One row as normalised fields; the ID gets the "ID" prefix the method pages use."""
    raw_id = row.text(0, required=True) or ""
    if not WORKBOOK_ID.match(raw_id):
        raise ParseError(f"cell {row.cell(0)} (ID-nr) is {raw_id!r}, not an ID like 2019_015")
    text = row.text(8, required=True)
    return {
        "id": "ID" + raw_id.replace(" ", ""),
        "substance": row.text(1),
        "trade_name": row.text(2),
        "indication": row.text(3),
        "method_type": row.text(4, required=True),
        "area": row.text(5),
        "decision_date": decision_date(row, 6, epoch=epoch),
        "decision_short": row.text(7, required=True),
        "decision_text": text,
        "first_point": first_point(text),
    }


def identity_key(nye_id: str, indication: str | None) -> str:
    """'ID2019_015 <hash>': the ID and its whitespace-collapsed, casefolded indication."""
    normalised = " ".join((indication or "").split()).casefold()
    return f"{nye_id} {hashlib.sha256(normalised.encode('utf-8')).hexdigest()[:16]}"


def _merged(first: Fields, second: Fields) -> Fields:
    for name in _SAME_FOR_AN_IDENTITY:
        if first[name] != second[name]:
            raise ParseError(f"{first['id']} is listed twice for one indication with two {name}s")
    texts = sorted({*first["decision_text"].split(_TEXTS_APART), second["decision_text"]})
    return first | {"decision_text": _TEXTS_APART.join(texts), "first_point": first_point(texts[0])}
