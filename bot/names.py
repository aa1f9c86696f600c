"""Name matching: fold case and accents, find whole words (substances, trade names, queries)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


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
