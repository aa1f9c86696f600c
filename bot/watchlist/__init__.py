"""The watchlist: the methods to watch (the model) and the strict reading of its file.

The rest of the bot uses `Method` and `Discovery` (the model), `Scope` (the team's field, whose
unwatched news become candidates) and `load_watchlist` / `read_watchlist` (the file); the YAML
reader (`yamlnodes`) is private to this package.
"""

from bot.watchlist.loader import (
    WatchlistError,
    WatchlistFile,
    WatchlistIssue,
    load_watchlist,
    parse_watchlist,
    parse_watchlist_file,
    read_watchlist,
    read_watchlist_file,
    watchlist_from_bytes,
)
from bot.watchlist.model import Discovery, Method
from bot.watchlist.scope import Scope

__all__ = [
    "Discovery",
    "Method",
    "Scope",
    "WatchlistError",
    "WatchlistFile",
    "WatchlistIssue",
    "load_watchlist",
    "parse_watchlist",
    "parse_watchlist_file",
    "read_watchlist",
    "read_watchlist_file",
    "watchlist_from_bytes",
]
