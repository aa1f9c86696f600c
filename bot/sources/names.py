"""Name matching: fold case and accents, find whole words; the watched names and their methods."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.watchlist import Method

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so 'Dupixént' and 'DUPIXENT' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names that occur in `text` as whole words, ignoring case and accents."""
    folded = fold(text)
    found = []
    for name in names:
        needle = fold(name).strip()
        if needle and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
            found.append(name)
    return found


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
        return cls((method.substance, method.id) for method in methods)

    @classmethod
    def trade_names(cls, methods: Sequence[Method]) -> NameIndex:
        """The methods' trade names (handelsnavn)."""
        return cls((name, method.id) for method in methods for name in method.trade_names)

    @classmethod
    def all_names(cls, methods: Sequence[Method]) -> NameIndex:
        """Substances and trade names together."""
        pairs = [(method.substance, method.id) for method in methods]
        pairs += [(name, method.id) for method in methods for name in method.trade_names]
        return cls(pairs)

    def find(self, text: str | None) -> dict[str, set[str]]:
        """The names occurring in `text` as whole words (see `names_in`), each with its methods,
        in alphabetical order ignoring case and accents."""
        found: dict[str, set[str]] = {}
        for word in set(_WORD.findall(fold(text or ""))):
            candidates = self._by_word.get(word, {})
            for name in names_in(text or "", candidates):
                found[name] = candidates[name]
        return dict(sorted(found.items(), key=lambda item: fold(item[0])))

    def method_ids(self, text: str | None) -> set[str]:
        """The ids of the methods whose names occur in `text`."""
        return {method_id for ids in self.find(text).values() for method_id in ids}
