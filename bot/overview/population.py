"""Whether EMA's English texts (an indication, a news item) name a method's new patients."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.overview.state import Overview, own
from bot.sources.names import fold

_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n")


def population_named(overview: Overview) -> bool | None:
    """Whether the product's EU indication names the population; None when either is unknown."""
    terms = overview.method.population
    texts = [
        m.fields.get("therapeutic_indication")
        for m in own(overview.medicines, overview.method)
        if m.fields.get("therapeutic_indication")
    ]
    if not terms or not texts:
        return None
    return any(names_population(text, terms) for text in texts)


def names_population(text: object, terms: Sequence[str]) -> bool:
    """Whether one sentence of `text` holds every word of one entry of `terms` (ignoring case
    and accents; a word also matches longer words: "adolescent" finds "adolescents")."""
    if not text or not terms:
        return False
    wanted = [_WORDS.findall(fold(term)) for term in terms]
    for sentence in _SENTENCE_END.split(fold(str(text))):
        words = _WORDS.findall(sentence)
        for needed in wanted:
            if needed and all(any(w.startswith(n) for w in words) for n in needed):
                return True
    return False
