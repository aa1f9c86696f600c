"""The method pages source: one request per watched page, read on the configured base URL."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.sources.base import Page, ParseError, Query, Record, remembered
from bot.sources.nyemetoder.changes import PAGE_RULES, PAGES
from bot.sources.nyemetoder.owners import Owners
from bot.sources.nyemetoder.pages import read_page
from bot.watchlist import Method

# Links for people go to the public site even when the bot reads a mirror or a test server.
PUBLIC_SITE = "https://www.nyemetoder.no"
DEFAULT_BASE_URL = PUBLIC_SITE
_SITE_HOSTS = frozenset({"nyemetoder.no", "www.nyemetoder.no"})
# A page the site does not have (a mistyped or renamed link; 410, gone) is an answer about that
# page only: it is absent, and the other pages are read as usual.
NOT_FOUND = frozenset({404, 410})
# `/metoder/<slug>` with or without its final slash; slugs are lower-case words joined by '-'.
_METHOD_PATH = re.compile(r"^/metoder/([a-z0-9][a-z0-9_-]*)/?$")


def page_path(url: str) -> str | None:
    """The page path ('/metoder/<slug>/') a watchlist link names; None for another kind of link.

    'https://nyemetoder.no/metoder/dupilumab-dupixent' is '/metoder/dupilumab-dupixent/'.
    """
    parts = urlsplit(url.strip())
    match = _METHOD_PATH.match(parts.path.lower())
    if (parts.hostname or "") not in _SITE_HOSTS or not match or parts.query:
        return None
    return f"/metoder/{match.group(1)}/"


def watched_paths(method: Method) -> list[str]:
    """The page paths of a method's `nye_metoder_url` links that are nyemetoder.no method pages."""
    paths = (page_path(url) for url in method.nye_metoder_url)
    return list(dict.fromkeys(path for path in paths if path))


def unreadable_links(method: Method) -> list[str]:
    """A method's `nye_metoder_url` links that are no nyemetoder.no method page (never read)."""
    return [url for url in method.nye_metoder_url if page_path(url) is None]


def owners_of(methods: Sequence[Method]) -> Owners:
    """Which methods own a page, indexed once for the list every page of a read is parsed with
    (scanning every method per page made a read of 1,000 pages quadratic)."""
    return remembered((PAGES, "owners"), methods, lambda: Owners(methods, watched_paths))


class MethodPages:
    """Nye metoder method pages, keyed by their path ('/metoder/dupilumab-dupixent/')."""

    name = PAGES
    rules = PAGE_RULES

    def __init__(self, base_url: str = DEFAULT_BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """One query per distinct watched page; each answer (a 404 too) is authoritative for
        its page."""
        paths = sorted({path for method in methods for path in watched_paths(method)})
        return [
            Query(
                self.name,
                self.base_url + path,
                expected_keys=frozenset({path}),
                expect="html",
                ok_statuses=frozenset({200}) | NOT_FOUND,
            )
            for path in paths
        ]

    def parse(self, query: Query, status: int, body: bytes, methods: Sequence[Method]) -> Page:
        """The page as one record; a page the site does not have as no record and a warning
        naming it; ParseError when a gate fails."""
        if status not in query.ok_statuses:
            raise ParseError(f"HTTP status {status}")
        key = self.path_of(query)
        if status in NOT_FOUND:
            named = ", ".join(owners_of(methods).of_page(key, [])) or "no watched method"
            warning = f"{key} answered {status} (not found): check nye_metoder_url of {named}"
            return Page(warnings=[warning], not_found=True)
        fields = read_page(body)
        owners = owners_of(methods).of_page(key, fields["ids"])
        return Page(records=[Record(self.name, key, fields, PUBLIC_SITE + key, owners)])

    def path_of(self, query: Query) -> str:
        """The page path a query reads (the URL less the base URL)."""
        if not query.url.startswith(self.base_url + "/metoder/"):
            raise ParseError("the query is not for a method page on the configured site")
        return query.url[len(self.base_url) :]
