"""openFDA drugsfda source: request planning and golden-file parsing of real and built answers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bot.sources.base import Page, ParseError, Query
from bot.sources.openfda import OpenFda
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden

BASE = "http://127.0.0.1:8765"
CASES = FIXTURES / "openfda"
SOURCE = OpenFda(BASE)


def make_method(slug: str, substance: str, applications: list[str]) -> Method:
    return Method(id=slug, title=slug, substance=substance, fda_applications=applications)


DUPILUMAB = make_method("dupilumab-ad-12-17", "dupilumab", ["BLA761055"])
IMATINIB = make_method("imatinib-gist", "imatinib", ["NDA021588"])


def fixture(name: str) -> bytes:
    return (CASES / name).read_bytes()


def only_query(method: Method) -> Query:
    (query,) = SOURCE.plan([method])
    return query


def page_body(results: list[dict[str, Any]], *, skip: int, total: int) -> bytes:
    meta = {"results": {"skip": skip, "limit": 1000, "total": total}}
    return json.dumps({"meta": meta, "results": results}).encode()


def test_plan_for_dupilumab_searches_application_and_substance() -> None:
    """One query ORs the application number and the generic name, 200 and 404 readable."""
    query = only_query(DUPILUMAB)
    assert query.url == f"{BASE}/drug/drugsfda.json"
    assert query.params == (
        ("search", "application_number:(BLA761055) OR openfda.generic_name:(dupilumab)"),
        ("limit", "1000"),
    )
    assert query.expected_keys == {"BLA761055"}
    assert query.ok_statuses == {200, 404}


def test_plan_never_puts_the_api_key_in_the_url() -> None:
    """The key travels as Basic auth from the fetcher, so no planned param names it."""
    assert all("api_key" not in dict(q.params) for q in SOURCE.plan([DUPILUMAB, IMATINIB]))


def test_plan_covers_many_methods_in_few_queries_under_the_url_limit() -> None:
    """120 methods fit in a handful of queries, each URL under 2000 chars, each term once."""
    methods = [make_method(f"m{n}", f"substance{n}", [f"BLA{n:06d}"]) for n in range(120)]
    queries = SOURCE.plan(methods)
    assert 1 < len(queries) < 20
    assert all(len(str(httpx.URL(q.full_url))) < 2000 for q in queries)
    terms = [t for q in queries for t in dict(q.params)["search"].split(" OR ")]
    assert len(terms) == len(set(terms)) == 240
    expected = [key for q in queries for key in q.expected_keys]
    assert sorted(expected) == sorted(f"BLA{n:06d}" for n in range(120))


def test_plan_searches_a_substance_once_whatever_its_case() -> None:
    """Methods naming the same substance differently share one generic-name term."""
    methods = [DUPILUMAB, make_method("dupixent-asthma", "Dupilumab", [])]
    (query,) = SOURCE.plan(methods)
    assert dict(query.params)["search"].count("openfda.generic_name") == 1


def test_plan_is_deterministic_whatever_the_watchlist_order() -> None:
    """The same watchlist in another order plans the same queries."""
    assert SOURCE.plan([DUPILUMAB, IMATINIB]) == SOURCE.plan([IMATINIB, DUPILUMAB])


@pytest.mark.parametrize(
    ("case", "method"), [("imatinib_nda021588", IMATINIB), ("dupilumab_bla761055", DUPILUMAB)]
)
def test_golden(case: str, method: Method) -> None:
    """Each fixture parses to the records stored beside it."""
    page = SOURCE.parse(only_query(method), 200, fixture(f"{case}.json"), [method])
    assert_golden(page, CASES / f"{case}.expected.json")


def test_submissions_are_sorted_with_iso_dates() -> None:
    """Submissions come out by status date, type and number, with YYYY-MM-DD dates."""
    page = SOURCE.parse(only_query(DUPILUMAB), 200, fixture("dupilumab_bla761055.json"), [])
    submissions = page.records[0].fields["submissions"]
    assert [(s["type"], s["number"]) for s in submissions] == [
        ("ORIG", "1"),
        ("SUPPL", "7"),
        ("SUPPL", "9"),
        ("SUPPL", "11"),
        ("SUPPL", "12"),
    ]
    assert submissions[0]["status_date"] == "2017-03-28"


def test_records_concern_methods_by_application_or_substance_word() -> None:
    """A method matches by application number or by its substance as a whole word."""
    body = fixture("imatinib_nda021588.json")
    by_name = make_method("imatinib-cml", "Imatinib", [])
    by_part = make_method("imatin", "imatin", [])
    page = SOURCE.parse(only_query(IMATINIB), 200, body, [IMATINIB, by_name, by_part])
    record = page.records[0]
    assert record.method_ids == ("imatinib-gist", "imatinib-cml")
    assert record.url.endswith("index.cfm?event=overview.process&ApplNo=021588")


def test_paging_continues_after_the_results_received() -> None:
    """A total beyond skip plus the results asks for the next page with a new skip."""
    query = only_query(DUPILUMAB)
    results = [{"application_number": f"ANDA{n:06d}"} for n in range(1000)]
    page = SOURCE.parse(query, 200, page_body(results, skip=0, total=1500), [])
    assert page.next_query == query.with_params(skip="1000")
    last = SOURCE.parse(page.next_query, 200, page_body(results[:500], skip=1000, total=1500), [])
    assert last.next_query is None


def test_minimised_real_sample_pages_on_from_what_it_holds() -> None:
    """The real imatinib sample (1 of total 17 kept) asks for the rest from skip=1."""
    page = SOURCE.parse(only_query(IMATINIB), 200, fixture("imatinib_nda021588.json"), [])
    assert page.next_query is not None
    assert dict(page.next_query.params)["skip"] == "1"


def test_not_found_404_is_an_empty_page() -> None:
    """openFDA's 404 NOT_FOUND (no match) is an empty, complete answer."""
    assert SOURCE.parse(only_query(DUPILUMAB), 404, fixture("not_found_404.json"), []) == Page()


@pytest.mark.parametrize(
    "body",
    [
        fixture("not_found_404.html"),
        b'{"error": {"code": "SERVER_ERROR", "message": "Check your request"}}',
        b"[]",
    ],
    ids=["html", "other_code", "not_an_object"],
)
def test_other_404_bodies_raise_parse_error(body: bytes) -> None:
    """A 404 that is not openFDA's NOT_FOUND JSON is a failure, not an empty answer."""
    with pytest.raises(ParseError):
        SOURCE.parse(only_query(DUPILUMAB), 404, body, [])


BAD_BODIES = {
    "html": fixture("not_found_404.html"),
    "truncated": fixture("dupilumab_bla761055.json")[:600],
    "no_meta": b'{"results": []}',
    "results_not_list": b'{"meta": {"results": {"skip": 0, "total": 1}}, "results": {}}',
    "no_total": b'{"meta": {"results": {"skip": 0}}, "results": []}',
    "no_application_number": page_body([{"sponsor_name": "X"}], skip=0, total=1),
    "wrong_type": page_body([{"application_number": "BLA761055", "products": {}}], skip=0, total=1),
}


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_malformed_200_answers_raise_parse_error(kind: str) -> None:
    """HTML, truncated JSON, missing results/meta/total or application number fail the gate."""
    with pytest.raises(ParseError):
        SOURCE.parse(only_query(DUPILUMAB), 200, BAD_BODIES[kind], [DUPILUMAB])


def test_unexpected_status_raises_parse_error() -> None:
    """A status other than 200 or 404 is a failure."""
    with pytest.raises(ParseError, match="500"):
        SOURCE.parse(only_query(DUPILUMAB), 500, b"{}", [])
