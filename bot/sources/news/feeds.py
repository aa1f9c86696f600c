"""EMA and FDA news feeds (RSS 2.0) as records for the items that name a watched method."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.sources.base import Page, ParseError, Query, Record
from bot.sources.names import NameIndex
from bot.sources.news.changes import EMA_NEWS, FDA_NEWS, news_rules
from bot.sources.news.links import normal_key, own_link
from bot.sources.plaintext import html_to_text, one_line, truncate
from bot.watchlist import Method

# The publishers whose feeds we read, and the host their own pages live on.
PUBLISHER_HOSTS = {"EMA": "ema.europa.eu", "FDA": "fda.gov"}
SUMMARY_LIMIT = 1000
TITLE_LIMIT = 500

# Entity declarations have no business in a news feed; they are how billion-laughs and XXE
# attacks start. feedparser and expat already refuse to read files and cap amplification, but
# smaller bombs get through (measured, feedparser 6.0.14: four nested levels expand 10,000-fold
# with bozo unset), so a feed that declares entities is refused outright.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# The content types feedparser gives HTML titles and summaries (RSS descriptions, Atom html).
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class NewsFeed:
    """One publisher's news feeds, read as one source so an item in two feeds is one record.

    EMA's whats-new.xml lists new content of every kind, news included, so a news item can be
    in both EMA feeds; as one source an item's guid is one key, and one item one alert.
    """

    def __init__(self, name: str, urls: Sequence[str], *, publisher: str) -> None:
        if publisher not in PUBLISHER_HOSTS:
            raise ValueError(f"unknown publisher {publisher!r}")
        self.name = name
        self.rules = news_rules(name)
        self.urls = tuple(urls)
        self.publisher = publisher

    def plan(self, methods: Sequence[Method]) -> list[Query]:
        """One query per feed; an item dropping out of a feed is not a deletion, so no key is
        expected."""
        if not methods:
            return []
        return [Query(source=self.name, url=url, expect="feed") for url in self.urls]

    def parse(self, query: Query, status: int, body: bytes, methods: Sequence[Method]) -> Page:
        """The items naming a watched substance or trade name; ParseError when a gate fails."""
        feed = read_feed(status, body, ok_statuses=query.ok_statuses)
        names = NameIndex.all_names(methods)
        records: dict[str, Record] = {}
        for entry in feed.entries:
            record = self._record(entry, names, site=_site(query.url))
            if record is not None:
                records.setdefault(record.key, record)
        return Page(records=list(records.values()))

    def _record(self, entry: Any, names: NameIndex, *, site: str) -> Record | None:
        title = truncate(one_line(plain_text(entry, "title")), TITLE_LIMIT)
        summary = truncate(plain_text(entry, "summary"), SUMMARY_LIMIT)
        found = names.find(f"{title}\n{summary}")
        if not found:
            return None
        link = one_line(entry.get("link") or "") or None
        fields = {
            "title": title,
            "summary": summary,
            "link": link,
            "published": _published(entry),
            "publisher": self.publisher,
            "matched": list(found),
        }
        method_ids = tuple(sorted({i for ids in found.values() for i in ids}))
        url = own_link(link, host=PUBLISHER_HOSTS[self.publisher]) or site
        return Record(
            self.name, item_key(entry, title=title, summary=summary), fields, url, method_ids
        )


def news_sources(ema_base_url: str, fda_base_url: str) -> list[NewsFeed]:
    """The EMA news feeds (news, what's new) and the FDA press releases."""
    ema, fda = ema_base_url.rstrip("/"), fda_base_url.rstrip("/")
    ema_feeds = [f"{ema}/en/news.xml", f"{ema}/en/whats-new.xml"]
    fda_feed = f"{fda}/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
    return [
        NewsFeed(EMA_NEWS, ema_feeds, publisher="EMA"),
        NewsFeed(FDA_NEWS, [fda_feed], publisher="FDA"),
    ]


def read_feed(status: int, body: bytes, *, ok_statuses: frozenset[int]) -> Any:
    """The feed parsed from bytes (never a URL), after the gates that make it trustworthy."""
    if status not in ok_statuses:
        raise ParseError(f"HTTP status {status}")
    if _ENTITY_DECLARATION.search(body):
        raise ParseError("the feed declares XML entities")
    import feedparser  # here, so that a command which reads no feed never loads it

    try:
        feed = feedparser.parse(io.BytesIO(body))
    except Exception as exc:  # feedparser raises for some malformed input (feedparser#277)
        raise ParseError(f"feedparser failed: {exc!r}") from None
    _check_feed(feed)
    return feed


def _check_feed(feed: Any) -> None:
    import feedparser

    # An HTML page served with 200 parses as version '' with no entries; an empty body as None.
    if not feed.get("version"):
        raise ParseError("not a feed (no RSS or Atom version)")
    # bozo means "not well-formed"; a truncated feed is bozo and yields a partial last entry.
    # A charset that had to be guessed (CharacterEncodingOverride) is only a warning.
    error = feed.get("bozo_exception")
    if feed.get("bozo") and not isinstance(error, feedparser.CharacterEncodingOverride):
        raise ParseError(f"malformed feed: {error!r}")
    for index, entry in enumerate(feed.entries):
        if not entry.get("title") and not entry.get("link"):
            raise ParseError(f"item {index} has neither title nor link")


def plain_text(entry: Any, field: str) -> str:
    """An entry's title or summary as plain text, one line per paragraph.

    HTML (which feedparser has sanitised, `<b>` and all) loses its tags; text declared plain is
    kept as written, `<b>` included, since escaping for Slack happens when posting.
    """
    value = str(entry.get(field) or "")
    kind = (entry.get(f"{field}_detail") or {}).get("type", "text/html")
    if kind in _HTML_TYPES:
        return html_to_text(value)
    return "\n".join(one_line(line) for line in value.splitlines() if line.strip())


def item_key(entry: Any, *, title: str, summary: str) -> str:
    """The item's guid, else its link, else a hash of its text (as rss2email identifies items).

    A URL in the key is normalised (bot.sources.news.links.normal_key), so that http and https,
    host case and a trailing slash name the same item.
    """
    for candidate in (entry.get("id"), entry.get("link")):
        if candidate and candidate.strip():
            return normal_key(str(candidate))
    digest = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
    return f"sha256:{digest}"


def _published(entry: Any) -> str | None:
    """The item's date in ISO 8601 UTC (feedparser gives it as a UTC struct_time)."""
    parsed = entry.get("published_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()


def _site(feed_url: str) -> str:
    """The site a feed belongs to: the link for items that have no page of their own there."""
    parts = urlsplit(feed_url)
    return f"{parts.scheme}://{parts.netloc}/"
