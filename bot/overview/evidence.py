"""The evidence for the outlook: facts read from each source's records and the method's history.

A fact says which state of the road to an MA it shows (`STATES`, in order), what it is, when,
and from which source. Facts about a new product come from its EMA medicine row; facts about an
extension of indication from the product's post-authorisation procedures, its EC decision date,
revision and indication text, and EMA news, and never from the product's own first authorisation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.overview.population import names_population, population_named
from bot.overview.state import RUNNING, Event, Fields, Item, Overview, fold_status, own
from bot.sources import clinicaltrials, ema, news

# The road to a marketing authorisation in Norway, in order.
STATES = ("unclear", "trials", "evaluation", "opinion", "decision", "authorised")
# Among facts of one state, the more telling one decides (an EC decision date over a revision).
STRENGTH = {
    "trials_running": 1,
    "medicine_evaluation": 2,
    "procedure_evaluation": 2,
    "news": 1,
    "medicine_opinion": 3,
    "procedure_opinion": 3,
    "revision": 1,
    "procedure_decided": 2,
    "indication": 3,
    "ec_decision": 4,
    "indication_before": 1,
}
# Decision evidence about the product as a whole: for an extension, it may be another one's.
PRODUCT_WIDE = {"ec_decision", "revision", "procedure_decided"}
STOPPED = {"withdrawn", "refused", "suspended"}


@dataclass(frozen=True)
class Fact:
    """One piece of evidence: the state it shows, what it is (`kind`), when, where from."""

    state: str
    kind: str
    source: str
    subject: str = ""  # the product, trial or news item it is about
    date: str | None = None  # ISO date

    @property
    def rank(self) -> tuple[int, int, str]:
        """Orders facts: the later state, then the more telling kind, then the later date."""
        return STATES.index(self.state), STRENGTH[self.kind], self.date or ""


def method_kind(overview: Overview) -> str:
    """`extension` or `new_product`: the watchlist's word, else whether the EMA product the
    method names was authorised when the bot first read it for the method."""
    if overview.method.kind:
        return overview.method.kind
    named = [m for m in overview.medicines if m.key in overview.method.ema_products]
    first = any(_authorised_from_the_start(item, overview.history) for item in named)
    return "extension" if first else "new_product"


def _authorised_from_the_start(item: Item, history: Sequence[Event]) -> bool:
    """Authorised now, and the method's history shows it neither arriving nor being authorised."""
    if not authorised(item.fields):
        return False
    for event in history:
        if event.source != ema.MEDICINES or event.record_key != item.key:
            continue
        old = event.old or {}
        if event.kind == "ema_new_product":
            return False
        if event.kind == "ema_status" and not authorised(old):
            return False
        if event.kind == "ema_decision" and not old.get("ec_decision_date"):
            return False
    return True


def authorised(fields: Fields) -> bool:
    """An EMA medicine with a marketing authorisation."""
    status = fold_status(fields.get("medicine_status"))
    return status == "authorised" or bool(fields.get("marketing_authorisation_date"))


def trial_facts(overview: Overview) -> Iterator[Fact]:
    """Running trials: the method's own (those it names), else any found for it."""
    named = overview.method.trials
    trials = [t for t in overview.trials if not named or t.key in named]
    running = [t.key for t in trials if t.fields.get("overall_status") in RUNNING]
    if running:
        yield Fact("trials", "trials_running", clinicaltrials.NAME, subject=", ".join(running[:3]))


def product_facts(overview: Overview) -> Iterator[Fact]:
    """A new product: its EMA medicine row's evaluation, CHMP opinion and EC decision."""
    for item in own(overview.medicines, overview.method):
        fields = item.fields
        if fold_status(fields.get("medicine_status")) in STOPPED:
            continue  # no MA to expect from a refused, withdrawn or suspended product
        name = str(fields.get("name") or item.key)
        decided = fields.get("ec_decision_date") or fields.get("marketing_authorisation_date")
        if decided:
            yield Fact("decision", "ec_decision", ema.MEDICINES, subject=name, date=decided)
        elif fields.get("opinion_adopted_date") and _positive(fields):
            date = fields["opinion_adopted_date"]
            yield Fact("opinion", "medicine_opinion", ema.MEDICINES, subject=name, date=date)
        elif fields.get("start_of_evaluation_date") and not fields.get("opinion_adopted_date"):
            date = fields["start_of_evaluation_date"]
            yield Fact("evaluation", "medicine_evaluation", ema.MEDICINES, subject=name, date=date)


def extension_facts(overview: Overview) -> list[Fact]:
    """An extension: its procedure, news naming its population, and what followed the opinion.

    With `population` set, the product's indication decides: naming it, the extension is
    authorised; not naming it, the product's decisions belong to another extension.
    """
    tracked = tracked_procedures(overview)
    facts = [*procedure_facts(tracked), *news_facts(overview)]
    facts += decision_facts(overview, since=_latest_opinion(tracked, facts))
    if population_named(overview) is False:
        facts = [fact for fact in facts if fact.kind not in PRODUCT_WIDE]
    return facts


def _latest_opinion(tracked: list[Item], facts: list[Fact]) -> str | None:
    """The extension's CHMP opinion date: its procedure's, or a news item's naming it."""
    dates = [str(p.fields["opinion_date"]) for p in tracked if p.fields.get("opinion_date")]
    dates += [f.date for f in facts if f.kind == "news" and f.date]
    return max(dates, default=None)


def tracked_procedures(overview: Overview) -> list[Item]:
    """The product's procedures under way now or changed since the method was first watched
    (one decided before is an earlier extension's)."""
    changed = {e.record_key for e in overview.history if e.source == ema.POST_AUTHORISATION}
    return [
        item
        for item in own(overview.procedures, overview.method)
        if item.key in changed or pending_decision(item.fields) or under_evaluation(item.fields)
    ]


def procedure_facts(tracked: list[Item]) -> Iterator[Fact]:
    """Each tracked procedure's state: under evaluation, at its CHMP opinion, or decided."""
    for item in tracked:
        fields = item.fields
        name = str(fields.get("name") or item.key)
        source = ema.POST_AUTHORISATION
        if pending_decision(fields) and _positive(fields):
            date = fields.get("opinion_date")
            yield Fact("opinion", "procedure_opinion", source, subject=name, date=date)
        elif under_evaluation(fields):
            date = fields.get("first_published_date")
            yield Fact("evaluation", "procedure_evaluation", source, subject=name, date=date)
        elif fold_status(fields.get("procedure_status")) == "authorised" and _positive(fields):
            yield Fact("decision", "procedure_decided", source, subject=name)


def news_facts(overview: Overview) -> Iterator[Fact]:
    """EMA news naming the method's population: a CHMP opinion (as the CHMP's highlights say)."""
    for item in overview.news:
        fields = item.fields
        text = f"{fields.get('title') or ''}\n{fields.get('summary') or ''}"
        if names_population(text, overview.method.population):
            date = str(fields.get("published") or "")[:10] or None
            title = str(fields.get("title") or item.key)
            yield Fact("opinion", "news", news.EMA_NEWS, subject=title, date=date)


def decision_facts(overview: Overview, *, since: str | None) -> Iterator[Fact]:
    """What shows the EC decision after the opinion `since`: the product's EC decision date, a
    decided procedure, a new revision, an indication that gained the population."""
    for item in own(overview.medicines, overview.method):
        fields, name = item.fields, _name(item)
        decided = fields.get("ec_decision_date")
        if since and decided and decided > since:
            yield Fact("decision", "ec_decision", ema.MEDICINES, subject=name, date=decided)
        for event in _revisions(overview.history, item.key):
            updated = (event.new or {}).get("last_updated_date")
            if since and updated and updated > since:
                yield Fact("decision", "revision", ema.MEDICINES, subject=name, date=updated)
        yield from _indication_facts(overview, item, since=since)


def _indication_facts(overview: Overview, item: Item, *, since: str | None) -> Iterator[Fact]:
    terms = overview.method.population
    if not names_population(item.fields.get("therapeutic_indication"), terms):
        return
    if not _gained(overview.history, item.key, terms):
        yield Fact("authorised", "indication_before", ema.MEDICINES, subject=_name(item))
        return
    decided = item.fields.get("ec_decision_date")
    date = decided if decided and (since is None or decided > since) else None
    yield Fact("decision", "indication", ema.MEDICINES, subject=_name(item), date=date)


def _gained(history: Sequence[Event], key: str, terms: Sequence[str]) -> bool:
    """Whether the method's history shows the indication gaining the population."""
    return any(
        event.kind == "ema_indication"
        and event.record_key == key
        and not names_population((event.old or {}).get("therapeutic_indication"), terms)
        for event in history
    )


def _revisions(history: Sequence[Event], key: str) -> Iterator[Event]:
    """The product's new revisions (a changed `last_updated_date` alone is no new revision)."""
    for event in history:
        if event.kind != "ema_revision" or event.record_key != key:
            continue
        old, new = event.old or {}, event.new or {}
        if new.get("revision_number") and old.get("revision_number") != new["revision_number"]:
            yield event


def pending_decision(fields: Fields) -> bool:
    """A procedure at "Opinion": its CHMP opinion is adopted, the Commission's decision awaited
    (earlier procedures of the same product read "Authorised" once decided)."""
    status = fold_status(fields.get("procedure_status"))
    return status == "opinion" or ("pending" in status and "decision" in status)


def under_evaluation(fields: Fields) -> bool:
    """A procedure still under evaluation (no opinion yet)."""
    status = fold_status(fields.get("procedure_status"))
    return "evaluation" in status or ("ongoing" in status and not fields.get("opinion_date"))


def _positive(fields: Fields) -> bool:
    # A negative CHMP opinion is no step towards an MA.
    return fold_status(fields.get("opinion_status")) != "negative"


def _name(item: Item) -> str:
    return str(item.fields.get("name") or item.key)
