"""Suggestions when nothing matched: the names difflib finds closest, found without scoring the
names that cannot be close.

`difflib.get_close_matches` scores every name against the query. Its ratio is 2·M/T, where M
(the matched characters) is at most the number of the query's characters that occur in the name,
and T is the two lengths together. Names are grouped by their alphabet, so a whole group whose
best possible ratio is under the cutoff is skipped in one step (all NCT IDs are one group, all
EMA numbers another). The answer is exactly difflib's: a skipped name could not have reached
the cutoff, and the best matches do not depend on the order of the names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from bot.sources.names import fold

CUTOFF = 0.6
DIGIT = "0"  # in an alphabet, stands for every digit
_NOTHING: Mapping[str, str] = MappingProxyType({})


def folded(name: str) -> str:
    """`fold(name).strip()`, with a shortcut for ASCII (which folds to its lower case)."""
    return (name.casefold() if name.isascii() else fold(name)).strip()


def alphabet(name: str) -> frozenset[str]:
    """The characters of `name`, every digit standing for all digits."""
    return frozenset(DIGIT if ch.isdigit() else ch for ch in name)


def could_be_close(wanted: str, letters: frozenset[str], shortest: int) -> bool:
    """Whether a name written with `letters`, at least `shortest` long, may reach the cutoff."""
    shared = sum(1 for ch in wanted if ch in letters or (ch.isdigit() and DIGIT in letters))
    return 2 * shared / (len(wanted) + max(shortest, shared)) >= CUTOFF


class Names:
    """Searchable names by folded form (the first spelling kept), grouped by alphabet."""

    def __init__(self, names: Iterable[str]) -> None:
        self.written: dict[str, str] = {}
        for name in names:
            self.written.setdefault(folded(name), name.strip())
        groups: dict[frozenset[str], list[str]] = {}
        for name in self.written:
            groups.setdefault(alphabet(name), []).append(name)
        self._groups = [
            (letters, min(len(name) for name in members), members)
            for letters, members in groups.items()
        ]

    def closest(
        self, wanted: str, *, more: Mapping[str, str] = _NOTHING, count: int = 3
    ) -> list[str]:
        """The names (as written) closest to the folded `wanted`; `more` adds names by folded
        form (kept after the names of the index that fold the same)."""
        candidates = [
            name
            for letters, shortest, members in self._groups
            if could_be_close(wanted, letters, shortest)
            for name in members
        ]
        written = self.written
        if more:
            written = dict(written)
            for name, spelling in more.items():
                if name not in written:
                    written[name] = spelling
                    candidates.append(name)
        close = difflib.get_close_matches(wanted, candidates, n=count, cutoff=CUTOFF)
        return [written[name] for name in close]
