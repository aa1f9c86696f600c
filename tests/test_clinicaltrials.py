"""ClinicalTrials.gov source: request planning and golden-file parsing of API v2 answers."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from bot.sources.base import Page, ParseError, Query
from bot.sources.clinicaltrials import FIELDS, ClinicalTrials
from bot.watchlist import Discovery, Method
from tests.golden import FIXTURES, assert_golden

BASE = "http://127.0.0.1:8765/api/v2"
CASES = FIXTURES / "clinicaltrials"


def make_method(
    slug: str, *, substance: str = "dupilumab", trials: list[str], condition: str | None = None
) -> Method:
    discover = Discovery(condition=condition) if condition else None
    return Method(id=slug, title=slug, substance=substance, trials=trials, discover=discover)


DUPILUMAB = make_method(
    "dupilumab-ad-12-17", trials=["NCT03054428", "NCT02612454"], condition="atopic dermatitis"
)
FULL_PAGE = make_method("results-watch", substance="x", trials=["NCT01126879", "NCT03058679"])
SUBSET = make_method("toca", substance="Toca 511", trials=["NCT02576665"])
PHELAN = make_method(
    "phelan", substance="oxytocin", trials=[], condition="Phelan-McDermid Syndrome"
)
KEYTRUDA = make_method("keytruda", substance="Keytruda", trials=[], condition="cancer")
SOURCE = ClinicalTrials(BASE)


def fixture(name: str) -> bytes:
    return (CASES / name).read_bytes()


def watched_query(method: Method) -> Query:
    return SOURCE.plan([method])[0]


def discovery_query(method: Method) -> Query:
    return SOURCE.plan([method])[-1]


def sent_length(query: Query) -> int:
    """The length of the URL as httpx sends it."""
    return len(str(httpx.URL(query.full_url)))


def parse(query: Query, body: bytes, methods: list[Method]) -> Page:
    return SOURCE.parse(query, 200, body, methods)


def test_plan_for_dupilumab_watches_both_trials_and_discovers_by_condition() -> None:
    """The seed method plans one filter.ids query and one query.intr/query.cond search."""
    watched, discovery = SOURCE.plan([DUPILUMAB])
    assert watched.url == f"{BASE}/studies"
    assert watched.params == (
        ("filter.ids", "NCT02612454,NCT03054428"),
        ("fields", FIELDS),
        ("pageSize", "1000"),
    )
    assert watched.expected_keys == {"NCT02612454", "NCT03054428"}
    assert discovery.params[:2] == (
        ("query.intr", "dupilumab"),
        ("query.cond", "atopic dermatitis"),
    )
    assert discovery.params[2:] == watched.params[1:]
    assert discovery.expected_keys == frozenset()


def test_plan_batches_many_trials_under_the_url_limit() -> None:
    """250 watched NCT IDs become several queries, each URL under 2000 chars, each ID once."""
    ids = [f"NCT{n:08d}" for n in range(10_000_000, 10_000_250)]
    methods = [make_method(f"m{i}", trials=ids[i::3]) for i in range(3)]
    methods.append(make_method("overlap", trials=ids[:5]))
    queries = ClinicalTrials(BASE, max_url_chars=2000).plan(methods)
    assert len(queries) > 1
    assert all(sent_length(query) < 2000 for query in queries)
    batches = [dict(query.params)["filter.ids"].split(",") for query in queries]
    assert sorted(nct for batch in batches for nct in batch) == ids
    assert [set(batch) for batch in batches] == [query.expected_keys for query in queries]


def test_plan_is_deterministic_whatever_the_watchlist_order() -> None:
    """The same watchlist in another order plans the same queries with the same params."""
    methods = [DUPILUMAB, FULL_PAGE, PHELAN, KEYTRUDA]
    assert SOURCE.plan(methods) == SOURCE.plan(list(reversed(methods)))


def test_plan_shares_one_search_between_methods_with_the_same_discovery() -> None:
    """Two methods discovering the same substance and condition share one search."""
    twin = make_method("dupilumab-ad-adults", trials=[], condition="atopic dermatitis")
    queries = SOURCE.plan([DUPILUMAB, twin])
    assert len(queries) == 2
    page = parse(queries[1], fixture("dupilumab_discovery.json"), [DUPILUMAB, twin])
    assert {r.method_ids for r in page.records} == {("dupilumab-ad-12-17", "dupilumab-ad-adults")}


def test_plan_is_empty_without_trials_or_discovery() -> None:
    """A method with neither trials nor discovery plans no request."""
    assert SOURCE.plan([make_method("quiet", trials=[])]) == []


GOLDEN_CASES = [
    ("full_records_page", FULL_PAGE, watched_query),
    ("fields_subset_study", SUBSET, watched_query),
    ("pagination_page1", PHELAN, discovery_query),
    ("keytruda_search", KEYTRUDA, discovery_query),
    ("dupilumab_watched", DUPILUMAB, watched_query),
    ("dupilumab_discovery", DUPILUMAB, discovery_query),
]


@pytest.mark.parametrize(("case", "method", "plan_query"), GOLDEN_CASES)
def test_golden(case: str, method: Method, plan_query: Callable[[Method], Query]) -> None:
    """Each fixture parses to the records stored beside it."""
    page = parse(plan_query(method), fixture(f"{case}.json"), [method])
    assert_golden(page, CASES / f"{case}.expected.json")


def test_golden_second_page_follows_the_first() -> None:
    """Page 2 of a search parses with the query page 1 asked for next."""
    first = parse(discovery_query(PHELAN), fixture("pagination_page1.json"), [PHELAN])
    assert first.next_query is not None
    second = parse(first.next_query, fixture("pagination_page2.json"), [PHELAN])
    assert_golden(second, CASES / "pagination_page2.expected.json")


def test_next_page_repeats_every_parameter_and_adds_the_token() -> None:
    """nextPageToken yields the same query plus pageToken, one page further on."""
    query = discovery_query(PHELAN)
    page = parse(query, fixture("pagination_page1.json"), [PHELAN])
    token = "ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw"
    assert page.next_query == Query(
        "clinicaltrials", query.url, (*query.params, ("pageToken", token)), page=2
    )
    after = parse(page.next_query, fixture("pagination_page2.json"), [PHELAN])
    assert after.next_query is not None
    assert dict(after.next_query.params)["pageToken"] != token
    assert after.next_query.page == 3
    assert len(after.next_query.params) == len(query.params) + 1


def test_last_page_has_no_next_query() -> None:
    """An answer without nextPageToken is the last page."""
    page = parse(watched_query(DUPILUMAB), fixture("dupilumab_watched.json"), [DUPILUMAB])
    assert page.next_query is None


def test_partial_dates_and_missing_types_are_kept_as_given() -> None:
    """A 'YYYY-MM' date stays as it is, and an absent date type is None."""
    page = parse(watched_query(FULL_PAGE), fixture("full_records_page.json"), [FULL_PAGE])
    record = next(r for r in page.records if r.key == "NCT00517179")
    assert record.fields["start"] == {"date": "2006-04", "type": None}
    assert record.fields["completion"] == {"date": "2007-05", "type": "ACTUAL"}
    assert record.fields["primary_completion"] == {"date": None, "type": None}


def test_has_results_is_derived_from_the_results_date_when_absent() -> None:
    """Without hasResults, a resultsFirstPostDateStruct means results are posted."""
    posted = {"statusModule": {"resultsFirstPostDateStruct": {"date": "2019-07-23"}}}
    studies = [
        {"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}, **posted}},
        {"protocolSection": {"identificationModule": {"nctId": "NCT00000002"}}},
    ]
    page = parse(watched_query(DUPILUMAB), json.dumps({"studies": studies}).encode(), [])
    assert [r.fields["has_results"] for r in page.records] == [True, False]
    assert page.records[0].fields["results_first_posted"] == "2019-07-23"


def test_empty_studies_is_an_empty_last_page() -> None:
    """{"studies": []} parses to no records and no next page."""
    assert parse(watched_query(DUPILUMAB), b'{"studies": []}', [DUPILUMAB]) == Page()


def test_unicode_in_titles_and_sponsors_is_preserved() -> None:
    """'≥' in a title and 'ô' in a sponsor name come through unchanged."""
    page = parse(watched_query(DUPILUMAB), fixture("dupilumab_watched.json"), [DUPILUMAB])
    assert "Participants ≥12 to <18 Years" in page.records[0].fields["brief_title"]
    page1 = parse(discovery_query(PHELAN), fixture("pagination_page1.json"), [PHELAN])
    sponsors = {r.fields["lead_sponsor"] for r in page1.records}
    assert "Assistance Publique - Hôpitaux de Paris" in sponsors


def test_records_link_to_the_study_page_and_the_watching_method() -> None:
    """Each record carries its study URL and the methods that watch or discovered it."""
    page = parse(discovery_query(DUPILUMAB), fixture("dupilumab_discovery.json"), [DUPILUMAB])
    record = next(r for r in page.records if r.key == "NCT03346434")
    assert record.url == "https://clinicaltrials.gov/study/NCT03346434"
    assert record.method_ids == ("dupilumab-ad-12-17",)
    other = parse(discovery_query(DUPILUMAB), fixture("dupilumab_discovery.json"), [KEYTRUDA])
    assert {r.method_ids for r in other.records} == {()}


BAD_BODIES = {
    "html": b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>",
    "truncated": fixture("dupilumab_watched.json")[:700],
    "array": b"[]",
    "no_studies": b'{"nextPageToken": "abc"}',
    "studies_not_list": b'{"studies": {"nctId": "NCT03054428"}}',
    "bare_study": fixture("fields_subset_bare_study.json"),
    "missing_nct": b'{"studies": [{"protocolSection": {"identificationModule": {}}}]}',
    "wrong_type": b'{"studies": [{"protocolSection": {"identificationModule": '
    b'{"nctId": "NCT03054428"}, "statusModule": {"overallStatus": 5}}}]}',
    "not_utf8": b'{"studies": [\xff]}',
}


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_malformed_answers_raise_parse_error(kind: str) -> None:
    """HTML, truncated JSON, a missing studies list or nctId, or a wrong type fail the gate."""
    with pytest.raises(ParseError):
        parse(watched_query(DUPILUMAB), BAD_BODIES[kind], [DUPILUMAB])


def test_unexpected_status_raises_parse_error() -> None:
    """A status the query does not accept is a failure, whatever the body."""
    with pytest.raises(ParseError, match="503"):
        SOURCE.parse(watched_query(DUPILUMAB), 503, b'{"studies": []}', [DUPILUMAB])
