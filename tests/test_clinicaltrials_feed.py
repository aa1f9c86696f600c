"""ClinicalTrials.gov's change feed: the cycle's plan from the cursor, and local matching."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.sources.base import Query
from bot.sources.clinicaltrials import FIELDS, ClinicalTrials
from bot.sources.clinicaltrials.matching import Matcher
from bot.sources.cursor import Cursor, Plan, PlanState
from bot.watchlist import Discovery, Method
from tests.golden import FIXTURES, assert_golden

BASE = "http://127.0.0.1:8765/api/v2"
CASES = FIXTURES / "clinicaltrials"
NOW = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
SOURCE = ClinicalTrials(BASE)


def method(
    slug: str, substance: str, *, condition: str | None = None, trials: list[str] | None = None
) -> Method:
    discover = Discovery(condition=condition) if condition else None
    return Method(id=slug, title=slug, substance=substance, trials=trials or [], discover=discover)


DUPILUMAB = method(
    "dupilumab", "dupilumab", condition="atopic dermatitis", trials=["NCT03054428", "NCT02612454"]
)
PEMBRO = method("pembro-melanoma", "pembrolizumab", condition="melanoma")
FLUCYTOSINE = method("flucytosine", "Flucytosíne", condition="LYMPHOMA")  # accent, case
OXYTOCIN = method("oxytocin", "oxytocin", condition="phelan-mcdermid syndrome")
PARTIAL = method("partial", "oxy", condition="phelan")  # parts of words: never a match
SWAPPED = method("swapped", "melanoma", condition="pembrolizumab")  # condition as substance
WATCHER = method("watcher", "iza-bren", trials=["NCT06382129"])  # watches, no discovery
FEED_METHODS = [DUPILUMAB, PEMBRO, FLUCYTOSINE, OXYTOCIN, PARTIAL, SWAPPED, WATCHER]


def state(**changes: Any) -> PlanState:
    values: dict[str, Any] = {
        "now": NOW,
        "cursor": Cursor(date(2026, 12, 8), NOW - timedelta(hours=1)),
        "baselined": frozenset(m.id for m in FEED_METHODS),
    }
    return PlanState(**(values | changes))


def feed_of(plan: Plan) -> Query:
    (feed,) = [q for q in plan.queries if "query.term" in dict(q.params)]
    return feed


def kinds(plan: Plan) -> list[str]:
    """What each planned query is: the feed, a full read of watched IDs, or a search."""
    names = {"query.term": "feed", "filter.ids": "full read", "query.intr": "search"}
    return [next(names[p] for p in dict(q.params) if p in names) for q in plan.queries]


def test_first_cycle_reads_every_watched_id_and_runs_every_search() -> None:
    """Without a watermark the plan is a first cycle's: full reads and searches, no feed."""
    plan = SOURCE.plan_cycle(FEED_METHODS, PlanState(NOW))
    assert kinds(plan) == ["full read", "search", "search", "search", "search", "search", "search"]
    assert plan.queries == SOURCE.plan(FEED_METHODS)
    assert plan.cursor == Cursor(date(2026, 12, 8), NOW, None)


def test_feed_query_reads_from_the_day_before_the_watermark() -> None:
    """The feed asks for every study updated since the day before the last read began."""
    plan = SOURCE.plan_cycle(FEED_METHODS, state())
    feed = feed_of(plan)
    assert feed.params == (
        ("query.term", "AREA[LastUpdatePostDate]RANGE[2026-12-07,MAX]"),
        ("sort", "LastUpdatePostDate:asc"),
        ("fields", FIELDS),
        ("pageSize", "1000"),
    )
    assert "InterventionName" in FIELDS.split(",") and "Condition" in FIELDS.split(",")
    assert feed.expected_keys == frozenset()  # never authoritative for absence
    assert kinds(plan) == ["feed"]  # baselined methods, the full read not yet due


@pytest.mark.parametrize(
    "moments",
    [
        ["2026-12-08T23:50", "2026-12-09T00:10", "2026-12-09T01:10"],
        ["2026-12-08T12:00", "2026-12-09T12:00", "2026-12-11T03:00", "2026-12-11T04:00"],
        ["2026-12-31T23:59", "2027-01-01T00:01"],
    ],
)
def test_the_watermark_never_skips_a_day(moments: list[str]) -> None:
    """Each read starts no later than the day before the previous read began, across
    midnights, year ends and pauses: a study posted on any day since is read."""
    cursor = Cursor()
    began: datetime | None = None
    for moment in moments:
        now = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        plan = SOURCE.plan_cycle(FEED_METHODS, state(now=now, cursor=cursor))
        if began is not None:
            since = dict(feed_of(plan).params)["query.term"][
                len("AREA[LastUpdatePostDate]RANGE[") :
            ]
            assert date.fromisoformat(since[:10]) <= began.date() - timedelta(days=1)
        assert plan.cursor is not None
        cursor, began = plan.cursor, now


def test_a_new_method_gets_its_full_read_and_its_own_search_at_once() -> None:
    """A method not yet baselined is read in full and searched; the others only by the feed."""
    trials = ["NCT04021940"]
    newcomer = method("newcomer", "tralokinumab", condition="atopic dermatitis", trials=trials)
    plan = SOURCE.plan_cycle([*FEED_METHODS, newcomer], state())
    assert kinds(plan) == ["full read", "search", "feed"]
    full, search = plan.queries[:2]
    assert full.expected_keys == set(trials)
    assert dict(search.params)["query.intr"] == "tralokinumab"


def test_a_changed_method_is_read_again() -> None:
    """A method whose baseline was taken with other terms is read and searched again."""
    changed = state(baselined=frozenset(m.id for m in FEED_METHODS) - {"pembro-melanoma"})
    plan = SOURCE.plan_cycle(FEED_METHODS, changed)
    assert kinds(plan) == ["search", "feed"]


def many_methods(count: int) -> list[Method]:
    return [
        method(
            f"m{i}", f"synth{i}mab", trials=[f"NCT{10_000_000 + i * 5 + j:08d}" for j in range(5)]
        )
        for i in range(count)
    ]


def ids(methods: list[Method]) -> frozenset[str]:
    return frozenset(m.id for m in methods)


def test_the_safety_net_reads_every_watched_id_once_a_day_a_share_each_hour() -> None:
    """Hourly cycles read a share of the watched batches each; in 24 hours every ID is read
    once, the rest of each cycle's batches rest (their validators kept)."""
    methods = many_methods(400)  # 2,000 IDs, several batches
    cursor = Cursor(date(2026, 12, 8), NOW)  # a full reading began now
    read: list[str] = []
    for hour in range(1, 25):
        now = NOW + timedelta(hours=hour)
        plan = SOURCE.plan_cycle(methods, state(now=now, cursor=cursor, baselined=ids(methods)))
        batches = [q for q in plan.queries if q.expected_keys]
        read += [nct for q in batches for nct in q.expected_keys]
        assert len(plan.resting) + len(batches) == len(SOURCE.plan(methods))
        assert plan.cursor is not None
        cursor = plan.cursor
    assert sorted(read) == sorted(nct for m in methods for nct in m.trials)
    assert cursor.full_read_at == NOW + timedelta(hours=24) and cursor.full_read_after is None


def test_after_a_long_pause_the_rest_of_the_pass_is_read_at_once() -> None:
    """A cycle more than a pass after the last reads every batch not yet read in that pass."""
    methods = many_methods(400)
    begun = Cursor(date(2026, 12, 8), NOW - timedelta(hours=30), "NCT10000999")
    plan = SOURCE.plan_cycle(methods, state(cursor=begun, baselined=ids(methods)))
    batches = [sorted(q.expected_keys) for q in plan.queries if q.expected_keys]
    read = [nct for batch in batches for nct in batch]
    # From the batch holding the first ID after the last one read, to the end.
    assert batches[0][0] <= "NCT10001000" <= batches[0][-1] and read[-1] == "NCT10001999"
    assert read == sorted(read) and len(read) == len(set(read))
    assert plan.cursor == Cursor(date(2026, 12, 8), NOW, None)


@pytest.mark.parametrize(
    "cursor_or_failures",
    [Cursor(date(2026, 11, 20), NOW - timedelta(days=18)), 6],
    ids=["gap of 18 days", "six failed cycles"],
)
def test_a_long_gap_or_a_failing_feed_reads_as_a_first_cycle(cursor_or_failures: Any) -> None:
    """After a gap longer than the feed should cover, or six failures in a row, the cycle reads
    every watched ID and runs every search, and the watermark moves on to today."""
    if isinstance(cursor_or_failures, Cursor):
        plan = SOURCE.plan_cycle(FEED_METHODS, state(cursor=cursor_or_failures))
    else:
        plan = SOURCE.plan_cycle(FEED_METHODS, state(failures=cursor_or_failures))
    assert "feed" not in kinds(plan) and kinds(plan).count("search") == 6
    assert plan.cursor == Cursor(date(2026, 12, 8), NOW, None)


def parse_feed(methods: list[Method], *, known: dict[str, tuple[str, ...]] | None = None) -> Any:
    plan = SOURCE.plan_cycle(methods, state(known=known or {}))
    return SOURCE.parse(feed_of(plan), 200, (CASES / "feed_page.json").read_bytes(), methods)


def test_golden_feed_page() -> None:
    """A feed page of real study objects keeps only the studies the methods watch or whose
    discovery terms they match, for exactly those methods; the next page repeats the query."""
    page = parse_feed(FEED_METHODS)
    assert_golden(page, CASES / "feed_page.expected.json")


def test_feed_matching_by_terms_and_by_watched_id() -> None:
    """Which study each method got from the feed page, and why it did or did not match."""
    page = parse_feed(FEED_METHODS)
    owners = {record.key: record.method_ids for record in page.records}
    assert owners == {
        "NCT03590054": ("pembro-melanoma",),  # Pembrolizumab; Metastatic Melanoma
        "NCT04114136": ("pembro-melanoma",),  # "Nivolumab or Pembrolizumab (…)"; Melanoma
        "NCT04318717": ("pembro-melanoma",),  # Pembrolizumab; Mucosal Melanoma of the Head…
        "NCT06382129": ("watcher",),  # watched by ID, whatever its terms
        "NCT02576665": ("flucytosine",),  # other name "Flucytosine"; Lymphoma
        "NCT02710084": ("oxytocin",),  # Oxytocin; Phelan-McDermid Syndrome
        "NCT03346434": ("dupilumab",),  # Dupilumab; "Dermatitis, Atopic" (any order)
        "NCT03054428": ("dupilumab",),
        "NCT02612454": ("dupilumab",),
    }


def protocol(interventions: list[dict[str, Any]], conditions: list[str]) -> dict[str, Any]:
    return {
        "armsInterventionsModule": {"interventions": interventions},
        "conditionsModule": {"conditions": conditions},
    }


@pytest.mark.parametrize(
    ("interventions", "conditions", "matched"),
    [
        ([{"name": "DUPILUMAB"}], ["Atopic Dermatitis"], True),
        ([{"name": "Dupilumáb"}], ["atopic dermatítis"], True),  # accents ignored
        ([{"name": "Placebo", "otherNames": ["REGN668", "dupilumab"]}], ["AD, atopic"], False),
        ([{"name": "Placebo", "otherNames": ["dupilumab"]}], ["Dermatitis, Atopic"], True),
        ([{"name": "Dupilumab-like"}], ["Atopic Dermatitis"], True),  # hyphen ends a word
        ([{"name": "Predupilumab"}], ["Atopic Dermatitis"], False),  # inside a word
        ([{"name": "Placebo"}], ["Atopic Dermatitis treated with dupilumab"], False),
        ([{"name": "Dupilumab"}], ["Atopic Asthma", "Contact Dermatitis"], True),  # as Essie
        ([{"name": "Dupilumab"}], ["Asthma"], False),
        ([], ["Atopic Dermatitis"], False),
    ],
)
def test_local_matching_as_the_registry_would(
    interventions: list[dict[str, Any]], conditions: list[str], matched: bool
) -> None:
    """Substance in intervention (other) names, condition in conditions; every word of each,
    whole words in any order, ignoring case and accents; a condition never matches a
    substance nor the other way round."""
    found = Matcher([DUPILUMAB]).owners("NCT09999999", protocol(interventions, conditions))
    assert found == (("dupilumab",) if matched else ())


def test_a_study_found_before_stays_followed_while_its_method_discovers() -> None:
    """A stored study found by a method's own search (the registry's synonyms) stays that
    method's, though local matching would not find it; not once the method stops discovering."""
    known = {"NCT07119606": ("oxytocin",)}  # "SHANK3 mutation"; "Genetic Disease"
    page = parse_feed(FEED_METHODS, known=known)
    assert {r.key: r.method_ids for r in page.records}["NCT07119606"] == ("oxytocin",)
    plain = OXYTOCIN.model_copy(update={"discover": None})
    others = [m for m in FEED_METHODS if m is not OXYTOCIN]
    page = parse_feed([*others, plain], known=known)
    assert "NCT07119606" not in {r.key for r in page.records}


def test_full_reads_keep_every_study_and_add_matching_methods() -> None:
    """A full read (filter.ids) keeps every study it names, with the watching method and any
    method whose terms it matches."""
    twin = method("dupilumab-twin", "dupilumab", condition="dermatitis")
    plan = SOURCE.plan_cycle([DUPILUMAB, twin], PlanState(NOW))
    body = (CASES / "dupilumab_watched.json").read_bytes()
    page = SOURCE.parse(plan.queries[0], 200, body, [DUPILUMAB, twin])
    assert {r.key: r.method_ids for r in page.records} == {
        "NCT03054428": ("dupilumab", "dupilumab-twin"),
        "NCT02612454": ("dupilumab", "dupilumab-twin"),
    }


def test_feed_studies_without_interventions_or_conditions_are_skipped() -> None:
    """A study with neither module concerns no method unless it is watched."""
    bare = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}
    body = json.dumps({"studies": [bare]}).encode()
    page = SOURCE.parse(feed_of(SOURCE.plan_cycle(FEED_METHODS, state())), 200, body, FEED_METHODS)
    assert page.records == [] and page.next_query is None
