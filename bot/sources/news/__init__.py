"""EMA and FDA news feeds (RSS): items that name a watched method, and their rules."""

from bot.sources.news.changes import EMA_NEWS, FDA_NEWS
from bot.sources.news.feeds import PUBLISHER_HOSTS, NewsFeed, item_key, news_sources, read_feed

__all__ = [
    "EMA_NEWS",
    "FDA_NEWS",
    "PUBLISHER_HOSTS",
    "NewsFeed",
    "item_key",
    "news_sources",
    "read_feed",
]
