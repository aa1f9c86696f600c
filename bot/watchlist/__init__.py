"""The watchlist: the methods to watch (the model) and the strict reading of its file.

The rest of the bot uses `Method` and `Discovery` (the model) and `load_watchlist` (the file);
the YAML reader (`yamlnodes`) is private to this package.
"""

from bot.watchlist.loader import (
    WatchlistError,
    WatchlistIssue,
    load_watchlist,
    parse_watchlist,
    read_watchlist_file,
    watchlist_from_bytes,
)
from bot.watchlist.model import Discovery, Method

__all__ = [
    "Discovery",
    "Method",
    "WatchlistError",
    "WatchlistIssue",
    "load_watchlist",
    "parse_watchlist",
    "read_watchlist_file",
    "watchlist_from_bytes",
]
