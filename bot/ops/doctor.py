"""`metodevakt doctor`: every configured source read once through the real gates, then Slack.

On the day of deployment an operator wants to know, before the first cycle, that each source
answers, that its answer still parses, and what drifted when it does not (keys missing, renamed or
retyped); and that Slack takes the token, grants the scopes the bot needs and has the bot in the
alert and admin channels. Nothing is stored: no snapshot, no event, no validator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.polling.fetch import Answer, Fetcher, FetchError, StoppedError
from bot.sources.base import ParseError, Query, Source
from bot.sources.drift import SHAPES, DriftItem, describe_drift
from bot.watchlist import Method

# A handful of requests per source: its first planned queries and one next page each.
MAX_QUERIES = 3
MAX_PAGES = 2
_EXTENSIONS = {"json": "json", "feed": "xml", "html": "html", "xlsx": "xlsx"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class SourceCheck:
    """How one source answered: reached, parsed, and what drifted from its parser's shape.

    `fetch_error` is why a request failed (nothing was parsed after it); `parse_error` why an
    answer failed a gate. A source the watchlist needs nothing from is `planned` False.
    """

    source: str
    planned: bool = True
    requests: int = 0
    statuses: list[int] = field(default_factory=list)
    records: int = 0
    fetch_error: str | None = None
    parse_error: str | None = None
    drift: list[DriftItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Reached, parsed and without drift (or nothing to read for this watchlist)."""
        return self.fetch_error is None and self.parse_error is None and not self.drift


class Saver:
    """Keeps each raw answer under DIR/<source>/, with an index of what was asked and when."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, source: str, number: int, query: Query, answer: Answer) -> None:
        """Write the body and add its request to the source's index.json."""
        directory = self.folder / source
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{number:02d}-{_UNSAFE.sub('_', query.url.rsplit('/', 1)[-1])[:60]}"
        body = directory / f"{name}.{_EXTENSIONS.get(query.expect, 'bin')}"
        body.write_bytes(answer.body)
        index = directory / "index.json"
        entries = json.loads(index.read_text(encoding="utf-8")) if index.exists() else []
        entries.append(_provenance(body.name, query, answer))
        index.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _provenance(file: str, query: Query, answer: Answer) -> dict[str, object]:
    # The URL as sent: query strings hold search terms and IDs, never a key (openFDA's key
    # travels as Basic auth).
    return {
        "file": file,
        "url": query.full_url,
        "status": answer.status,
        "etag": answer.validators.etag,
        "last_modified": answer.validators.last_modified,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def check_sources(
    sources: Sequence[Source],
    methods: Sequence[Method],
    fetcher: Fetcher,
    *,
    saver: Saver | None = None,
) -> list[SourceCheck]:
    """Read each source once for `methods` (a handful of requests) and judge every answer."""
    return [check_source(source, methods, fetcher, saver=saver) for source in sources]


def check_source(
    source: Source, methods: Sequence[Method], fetcher: Fetcher, *, saver: Saver | None = None
) -> SourceCheck:
    """The first few planned queries of one source, with a next page each, through every gate."""
    check = SourceCheck(source.name)
    queries = source.plan(methods)[:MAX_QUERIES]
    check.planned = bool(queries)
    try:
        for query in queries:
            _read(source, query, methods, fetcher, check=check, saver=saver)
    except StoppedError:
        check.fetch_error = "stopped"
    except FetchError as exc:
        check.fetch_error = exc.reason
    return check


def _read(
    source: Source,
    query: Query,
    methods: Sequence[Method],
    fetcher: Fetcher,
    *,
    check: SourceCheck,
    saver: Saver | None,
) -> None:
    """One query and its next pages (up to MAX_PAGES), each answer judged and kept if asked."""
    current: Query | None = query
    for _ in range(MAX_PAGES):
        if current is None:
            return
        answer = fetcher.fetch(current)
        check.requests += 1
        check.statuses.append(answer.status)
        if saver is not None:
            saver.keep(source.name, check.requests, current, answer)
        check.drift += _drift(source.name, answer)
        current = _parse(source, current, answer, methods, check)


def _parse(
    source: Source, query: Query, answer: Answer, methods: Sequence[Method], check: SourceCheck
) -> Query | None:
    """Parse one answer through the source's gates; the next page's query, if any."""
    try:
        page = source.parse(query, answer.status, answer.body, methods)
    except ParseError as exc:
        check.parse_error = check.parse_error or str(exc)
        return None
    check.records += len(page.records)
    return page.next_query


def _drift(name: str, answer: Answer) -> list[DriftItem]:
    if answer.status not in SHAPES.get(name, {}):
        return []
    return describe_drift(name, answer.body, status=answer.status)
