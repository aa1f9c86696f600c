"""Which watched methods own a Nye metoder page or ID: an index of one list of methods."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from bot.watchlist import Method

PathsOf = Callable[[Method], Iterable[str]]


def no_paths(method: Method) -> Iterable[str]:
    """For a source that finds its methods by ID only (the decisions)."""
    return ()


class Owners:
    """The methods by page path and by Nye metoder ID, in watchlist order."""

    def __init__(self, methods: Sequence[Method], paths_of: PathsOf = no_paths) -> None:
        self.position = {method.id: place for place, method in enumerate(methods)}
        self.by_path: dict[str, list[str]] = defaultdict(list)
        self.by_id: dict[str, list[str]] = defaultdict(list)
        for method in methods:
            for path in dict.fromkeys(paths_of(method)):
                self.by_path[path].append(method.id)
            for nye_id in dict.fromkeys(method.nye_metoder):
                self.by_id[nye_id].append(method.id)

    def of_id(self, nye_id: str) -> tuple[str, ...]:
        """The methods that list the ID."""
        return tuple(self.by_id.get(nye_id, ()))

    def of_page(self, path: str, ids: Iterable[str]) -> tuple[str, ...]:
        """The methods that link the page or list one of the IDs it carries."""
        found = set(self.by_path.get(path, ()))
        for nye_id in ids:
            found.update(self.by_id.get(nye_id, ()))
        return tuple(sorted(found, key=self.position.__getitem__))
