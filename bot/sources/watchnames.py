"""The watched names (substances, trade names) and which methods they belong to, found in text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.names import fold, names_in
from bot.watchlist import Method

_WORD = re.compile(r"\w+")


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
        """The names occurring in `text` as whole words (bot.names rules), each with its methods,
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
