"""Tidsperspektiv MT i Norge: one decision from every source's evidence (`outlook_of`), and
what the summary lists as due (`due`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.overview.outlook import outlook_of
from bot.overview.state import Item, Overview
from bot.overview.upcoming import due
from bot.sources import ema
from bot.storage.tables import EventRow
from bot.watchlist import Method

DUPIXENT = "EMEA/H/C/004390"
EXTENSION = Method(
    id="dupi",
    title="Dupilumab til ungdom",
    substance="dupilumab",
    ema_products=[DUPIXENT],
    trials=["NCT03054428"],
    population=["adolescents atopic dermatitis"],
)
UNNAMED = EXTENSION.model_copy(update={"population": []})
ADULTS = "Dupixent is indicated for moderate-to-severe atopic dermatitis in adults."
ADOLESCENTS = "Dupixent is indicated for atopic dermatitis in adults and adolescents 12 years."
TODAY = date(2019, 7, 15)


def medicine(number: str = DUPIXENT, **fields: Any) -> Item:
    values = {"product_number": number, "name": "Dupixent"} | fields
    return Item(number, values, "https://www.ema.europa.eu/")


def authorised(**fields: Any) -> Item:
    """Dupixent as authorised in 2017, for adults."""
    values = {"medicine_status": "Authorised", "marketing_authorisation_date": "2017-09-26"}
    return medicine(
        **(values | {"ec_decision_date": "2017-09-26", "therapeutic_indication": ADULTS} | fields)
    )


def procedure(status: str, opinion: str | None = "2019-06-27", **fields: Any) -> Item:
    values = {"product_number": DUPIXENT, "name": "Dupixent", "procedure_status": status}
    values |= {"opinion_status": "Positive", "opinion_date": opinion} | fields
    return Item(f"{DUPIXENT} 2019-06-28", values, "https://www.ema.europa.eu/")


def trial(status: str = "RECRUITING") -> Item:
    return Item("NCT03054428", {"overall_status": status}, "https://clinicaltrials.gov/")


def event(
    kind: str, key: str = DUPIXENT, *, old: Any = None, new: Any = None, **row: Any
) -> EventRow:
    """A stored event as the poll records it (a change since the method was first watched)."""
    source = ema.POST_AUTHORISATION if kind.startswith("ema_procedure") else ema.MEDICINES
    return EventRow(
        method_id="dupi",
        source=row.get("source", source),
        record_key=key,
        kind=kind,
        importance="high",
        old=old,
        new=new or {},
        url="https://www.ema.europa.eu/",
        subject="Dupixent",
        observed_at=datetime(2019, 8, 5, tzinfo=UTC),
    )


def overview(method: Method = EXTENSION, **parts: Any) -> Overview:
    return Overview(method, today=parts.pop("today", TODAY), **parts)


def test_an_extension_ignores_the_products_old_authorisation() -> None:
    """Authorised since 2017, nothing pending: running trials say Om 2 år, nothing says Uklart."""
    running = outlook_of(overview(medicines=[authorised()], trials=[trial()]))
    assert (running.kind, running.label, running.fact and running.fact.kind) == (
        "extension",
        "2y",
        "trials_running",
    )
    assert outlook_of(overview(medicines=[authorised()])).label == "unclear"


def test_kind_is_the_watchlists_or_whether_the_product_was_authorised_first() -> None:
    """No history: extension; the product arriving or being authorised since: a new product."""
    plain = EXTENSION.model_copy(update={"kind": None})
    assert outlook_of(overview(plain, medicines=[authorised()])).kind == "extension"
    arrived = [event("ema_new_product", new={"medicine_status": "Opinion"})]
    assert outlook_of(overview(plain, medicines=[authorised()], history=arrived)).kind == (
        "new_product"
    )
    decided = [event("ema_status", old={"medicine_status": "Opinion"}, new={})]
    assert outlook_of(overview(plain, medicines=[authorised()], history=decided)).kind == (
        "new_product"
    )
    told = plain.model_copy(update={"kind": "new_product"})
    assert outlook_of(overview(told, medicines=[authorised()])).label == "now"


def test_a_pending_procedure_means_six_months_with_the_legal_deadline() -> None:
    """A procedure at Opinion: Om 6 mnd, EC decision due 67 days after the opinion."""
    outlook = outlook_of(overview(medicines=[authorised()], procedures=[procedure("Opinion")]))
    assert (outlook.state, outlook.label) == ("opinion", "6m")
    assert outlook.fact is not None and (outlook.fact.kind, outlook.fact.date) == (
        "procedure_opinion",
        "2019-06-27",
    )
    (milestone,) = outlook.expected
    assert (milestone.kind, milestone.by, milestone.overdue) == ("ec_decision", "2019-09-02", False)


def test_a_later_ec_decision_beats_a_procedure_still_at_opinion() -> None:
    """The file still says Opinion, but the product's EC decision came after: Nå, MT by +30."""
    gained = event(
        "ema_indication",
        old={"therapeutic_indication": ADULTS},
        new={"therapeutic_indication": ADOLESCENTS},
    )
    parts = {
        "medicines": [
            authorised(ec_decision_date="2019-08-01", therapeutic_indication=ADOLESCENTS)
        ],
        "procedures": [procedure("Opinion")],
        "history": [gained],
    }
    outlook = outlook_of(overview(today=date(2019, 8, 10), **parts))
    assert (outlook.state, outlook.label) == ("decision", "now")
    assert outlook.fact is not None and (outlook.fact.kind, outlook.fact.date) == (
        "ec_decision",
        "2019-08-01",
    )
    assert [(m.kind, m.by) for m in outlook.expected] == [("mt_norway", "2019-08-31")]
    later = outlook_of(overview(today=date(2019, 9, 1), **parts))
    assert (later.state, later.label, later.expected) == ("authorised", "now", ())


def test_another_extensions_decision_is_not_taken_for_this_one() -> None:
    """With a population, an EC decision whose indication does not name it is another one's."""
    parts = {
        "medicines": [authorised(ec_decision_date="2019-08-01")],
        "procedures": [procedure("Opinion")],
    }
    assert outlook_of(overview(**parts)).label == "6m"
    assert outlook_of(overview(UNNAMED, **parts)).label == "now"


def test_population_named_from_the_start_is_authorised_before_watching() -> None:
    """The indication names the population at the first read: Nå, whatever else is pending."""
    outlook = outlook_of(
        overview(
            medicines=[authorised(therapeutic_indication=ADOLESCENTS)],
            procedures=[procedure("Opinion", "2024-12-12")],
        )
    )
    assert (outlook.state, outlook.label) == ("authorised", "now")
    assert outlook.fact is not None and outlook.fact.kind == "indication_before"


def test_news_naming_the_population_is_an_opinion() -> None:
    """An EMA news item naming the population (and no procedure yet): Om 6 mnd from its date."""
    news = Item(
        "60416",
        {
            "title": "Meeting highlights from the CHMP 24-27 June 2019",
            "summary": "Dupixent: extension to adolescents 12 to 17 years with atopic dermatitis",
            "published": "2019-06-28T09:30:00+00:00",
        },
        "https://www.ema.europa.eu/en/news/x",
    )
    other = Item("60999", {"title": "Extension for children with atopic dermatitis"}, "")
    outlook = outlook_of(overview(medicines=[authorised()], news=[news, other]))
    assert outlook.label == "6m"
    assert outlook.fact is not None and (outlook.fact.kind, outlook.fact.date) == (
        "news",
        "2019-06-28",
    )
    assert outlook_of(overview(medicines=[authorised()], news=[other])).label == "unclear"


def test_a_new_revision_after_the_opinion_shows_the_decision() -> None:
    """Without a population, a revision after the opinion counts; an update date alone does not."""
    parts = {"medicines": [authorised()], "procedures": [procedure("Opinion")]}
    touched = event(
        "ema_revision",
        old={"revision_number": "10"},
        new={"revision_number": "10", "last_updated_date": "2019-07-01"},
    )
    revised = event(
        "ema_revision",
        old={"revision_number": "10"},
        new={"revision_number": "11", "last_updated_date": "2019-07-20"},
    )
    assert outlook_of(overview(UNNAMED, history=[touched], **parts)).label == "6m"
    outlook = outlook_of(overview(UNNAMED, history=[revised], **parts))
    assert outlook.fact is not None and (outlook.label, outlook.fact.kind) == ("now", "revision")


def test_a_decided_procedure_counts_only_when_it_changed_since_first_watched() -> None:
    """A procedure decided before watching is an earlier extension's; one decided since counts."""
    decided = procedure("Authorised")
    assert outlook_of(overview(UNNAMED, medicines=[authorised()], procedures=[decided])).label == (
        "unclear"
    )
    changed = [event("ema_procedure_opinion", decided.key, old={}, new={})]
    outlook = outlook_of(
        overview(UNNAMED, medicines=[authorised()], procedures=[decided], history=changed)
    )
    assert outlook.fact is not None and (outlook.label, outlook.fact.kind) == (
        "now",
        "procedure_decided",
    )


def test_an_overdue_decision_is_unclear_and_not_any_moment() -> None:
    """Past the 67-day deadline without a decision: Uklart, the deadline kept as overdue."""
    outlook = outlook_of(
        overview(
            medicines=[authorised()], procedures=[procedure("Opinion")], today=date(2026, 1, 5)
        )
    )
    assert (outlook.label, outlook.reason) == ("unclear", "overdue")
    assert outlook.overdue is not None and outlook.overdue.by == "2019-09-02"


def test_new_product_road() -> None:
    """A new product: evaluation Om 1 år, positive opinion Om 6 mnd, negative none, decision Nå."""
    example = "EMEA/H/C/009990"
    method = Method(id="ex", title="Example", substance="dupilumab", ema_products=[example])
    steps = [
        ({"start_of_evaluation_date": "2024-03-28"}, "evaluation", "1y"),
        ({"opinion_adopted_date": "2025-01-30", "opinion_status": "Positive"}, "opinion", "6m"),
        (
            {"opinion_adopted_date": "2025-01-30", "opinion_status": "Negative"},
            "unclear",
            "unclear",
        ),
        ({"ec_decision_date": "2025-03-27", "medicine_status": "Authorised"}, "decision", "now"),
        ({"ec_decision_date": "2025-03-27", "medicine_status": "Withdrawn"}, "unclear", "unclear"),
    ]
    arrived = [event("ema_new_product", example, new={})]  # after the method was first watched
    for fields, state, label in steps:
        found = [medicine(example, **fields)]
        outlook = outlook_of(
            Overview(method, medicines=found, history=arrived, today=date(2025, 4, 1))
        )
        assert (outlook.kind, outlook.state, outlook.label) == ("new_product", state, label), fields


def test_another_product_with_the_substance_does_not_decide() -> None:
    """A different product's pending opinion is news, not this method's outlook."""
    other = medicine(
        "EMEA/H/C/009990", medicine_status="Opinion", opinion_adopted_date="2019-07-01"
    )
    assert outlook_of(overview(medicines=[authorised(), other])).label == "unclear"


def test_due_lists_the_expected_decision_and_an_overdue_one_once() -> None:
    """Within six months: the EC decision by its deadline; past it, only in the period it passed."""
    case = overview(medicines=[authorised()], procedures=[procedure("Opinion")])
    (item,) = due(case, today=TODAY)
    assert (item.kind, item.label, item.when, item.after) == (
        "decision",
        "Dupixent",
        "2019-09-02",
        "2019-06-27",
    )
    (late,) = due(case, today=date(2019, 9, 9), since=date(2019, 9, 2))
    assert late.kind == "decision_overdue"
    assert due(case, today=date(2019, 9, 16), since=date(2019, 9, 9)) == []
    assert due(case, today=date(2026, 1, 5), since=date(2025, 12, 29)) == []
