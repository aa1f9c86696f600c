"""What counts as news in a feed: a new item naming a watched name; items never "change"."""

from __future__ import annotations

from bot.sources.changes import Fields, Finding, SourceRules, pick

EMA_NEWS = "ema_rss"
FDA_NEWS = "fda_rss"


def appear_news(new: Fields) -> list[Finding]:
    """A news item that names a watched substance or trade name."""
    return [Finding("news", "normal", None, pick(new, "title", "publisher", "published"))]


def never(_old: Fields, _new: Fields) -> list[Finding]:
    """News items do not change; a re-published item is not news again."""
    return []


def news_rules(name: str) -> SourceRules:
    """The rules of one publisher's news source (named by the item's title)."""
    return SourceRules(name, never, appear_news)
