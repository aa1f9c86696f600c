"""Which watched methods a ClinicalTrials.gov study concerns, decided locally.

The change feed answers every study updated since the watermark, thousands a day, nearly all of
no concern to us. Each is matched here against the watched NCT IDs, the studies already stored
for a method, and every method's discovery terms, as the registry's own discovery search
(`query.intr=<substance>&query.cond=<condition>`) would match them, approximately:

- `query.intr` searches the registry's InterventionSearch area: intervention names and other
  names, but also intervention descriptions, arm groups and MeSH terms, with synonyms. Here: the
  words of the InterventionName and InterventionOtherName pieces only.
- `query.cond` searches ConditionSearch: the conditions, but also titles, keywords and MeSH
  terms, with synonyms ("eczema" for "atopic dermatitis"). Here: the words of Condition only.
- A term of several words, unquoted, matches when every word occurs in any order (a phrase only
  ranks higher): here too, each as a whole word, ignoring case and accents ("Dermatitis,
  Atopic" matches "atopic dermatitis").

So a study matched here is one the registry's search would also find, but not every study it
finds is matched here. A study the registry did find for a method (its first search) stays that
method's through `known`: its later changes are not lost to the approximation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.sources.base import remembered
from bot.sources.jsonfields import module, objects, opt, strings
from bot.sources.names import words
from bot.watchlist import Method


@dataclass(frozen=True)
class Terms:
    """One method's discovery terms as word sets; `order` keeps the watchlist's order."""

    order: int
    method_id: str
    substance: frozenset[str]
    condition: frozenset[str]


class Matcher:
    """The methods a study concerns: asked once per study of a cycle's answers."""

    def __init__(
        self,
        methods: Sequence[Method],
        *,
        known: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        # The index of the methods is the same from cycle to cycle while they are.
        self.index = remembered("clinicaltrials matching", methods, lambda: _Index(methods))
        self.known: Mapping[str, tuple[str, ...]] = known or {}

    def owners(
        self, nct: str, protocol: dict[str, Any], *, search: tuple[str, str] | None = None
    ) -> tuple[str, ...]:
        """The methods watching `nct`, whose search `search` is, that found it before, and
        whose discovery terms it matches; each once, in that order."""
        index = self.index
        found = [*index.watching.get(nct, ()), *index.searches.get(search or ("", ""), ())]
        # Found before for a method that still discovers: followed, whatever matching says.
        found += [m for m in self.known.get(nct, ()) if m in index.discoverers]
        if index.by_word:
            found += self.discovering(protocol)
        return tuple(dict.fromkeys(found))

    def discovering(self, protocol: dict[str, Any]) -> list[str]:
        """The methods whose discovery terms the study matches (see the module's docstring)."""
        by_word = self.index.by_word
        interventions = words("\n".join(_intervention_names(protocol)))
        hits = interventions & by_word.keys()
        if not hits:  # nearly every study of the change feed
            return []
        candidates = [t for word in hits for t in by_word[word] if t.substance <= interventions]
        if not candidates:
            return []
        conditions = words("\n".join(strings(module(protocol, "conditionsModule"), "conditions")))
        matched = sorted({t for t in candidates if t.condition <= conditions}, key=_order)
        return [t.method_id for t in matched]


class _Index:
    """Who watches which NCT ID, whose search is which, every method's terms by word."""

    def __init__(self, methods: Sequence[Method]) -> None:
        self.watching: dict[str, list[str]] = {}
        self.searches: dict[tuple[str, str], list[str]] = {}
        self.by_word: dict[str, list[Terms]] = {}
        self.discoverers = {m.id for m in methods if m.discover is not None}
        conditions: dict[str, frozenset[str]] = {}  # many methods share a condition
        for order, method in enumerate(methods):
            for nct in method.trials:
                self.watching.setdefault(nct, []).append(method.id)
            if method.discover is None:
                continue
            condition = method.discover.condition
            self.searches.setdefault((method.substance, condition), []).append(method.id)
            if condition not in conditions:
                conditions[condition] = words(condition)
            self._add(Terms(order, method.id, words(method.substance), conditions[condition]))

    def _add(self, terms: Terms) -> None:
        if terms.substance and terms.condition:
            # Indexed by one word every match must contain: the longest, as the most selective.
            word = max(sorted(terms.substance), key=len)
            self.by_word.setdefault(word, []).append(terms)


def _order(terms: Terms) -> int:
    return terms.order


def _intervention_names(protocol: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for intervention in objects(module(protocol, "armsInterventionsModule"), "interventions"):
        name = opt(intervention, "name", str)
        if name:
            names.append(name)
        if intervention.get("otherNames") is not None:
            names += strings(intervention, "otherNames")
    return names
