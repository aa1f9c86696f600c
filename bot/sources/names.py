"""Name matching: fold case and accents, find whole words; the watched names and their methods."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.sources.base import remembered
from bot.watchlist import Method

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so 'Dupixént' and 'DUPIXENT' compare equal."""
    if text.isascii():  # nothing to decompose: most texts, read thousands of times a cycle
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def words(text: str) -> frozenset[str]:
    """The whole words of `text`, folded (lower case, no accents)."""
    return frozenset(_WORD.findall(fold(text)))


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names that occur in `text` as whole words, ignoring case and accents."""
    folded = fold(text)
    return [name for name in names if _occurs(fold(name).strip(), folded)]


def _occurs(needle: str, folded: str) -> bool:
    return bool(needle) and _whole(needle).search(folded) is not None


@functools.lru_cache(maxsize=16384)
def _whole(needle: str) -> re.Pattern[str]:
    """`needle` as a whole word or words; compiled once (re's own cache holds only 512, fewer
    than the names of a long watchlist, and compiling costs more than searching)."""
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


class NameIndex:
    """Names indexed by their first folded word, so a text costs a few dictionary look-ups
    rather than one regular expression per watched name (thousands of rows, many methods)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._by_word: dict[str, dict[str, set[str]]] = {}
        for name, method_id in pairs:
            words = _WORD.findall(fold(name))
            if words:
                self._by_word.setdefault(words[0], {}).setdefault(name, set()).add(method_id)

    @classmethod
    def substances(cls, methods: Sequence[Method]) -> NameIndex:
        """The methods' substances (virkestoff, INN)."""
        return remembered("substances", methods, lambda: cls(_substances(methods)))

    @classmethod
    def trade_names(cls, methods: Sequence[Method]) -> NameIndex:
        """The methods' trade names (handelsnavn)."""
        return remembered("trade names", methods, lambda: cls(_trade_names(methods)))

    @classmethod
    def all_names(cls, methods: Sequence[Method]) -> NameIndex:
        """Substances and trade names together."""
        return remembered("all names", methods, lambda: cls(_all_names(methods)))

    def find(self, text: str | None) -> dict[str, set[str]]:
        """The names occurring in `text` as whole words (see `names_in`), each with its methods,
        in alphabetical order ignoring case and accents."""
        found: dict[str, set[str]] = {}
        folded = fold(text or "")
        for word in set(_WORD.findall(folded)) & self._by_word.keys():
            candidates = self._by_word[word]
            for name in candidates:
                if _occurs(fold(name).strip(), folded):
                    found[name] = candidates[name]
        return dict(sorted(found.items(), key=lambda item: fold(item[0])))

    def method_ids(self, text: str | None) -> set[str]:
        """The ids of the methods whose names occur in `text`."""
        return {method_id for ids in self.find(text).values() for method_id in ids}


def _substances(methods: Sequence[Method]) -> list[tuple[str, str]]:
    return [(method.substance, method.id) for method in methods]


def _trade_names(methods: Sequence[Method]) -> list[tuple[str, str]]:
    return [(name, method.id) for method in methods for name in method.trade_names]


def _all_names(methods: Sequence[Method]) -> list[tuple[str, str]]:
    return _substances(methods) + _trade_names(methods)
