"""openFDA's real answers: golden records, paging from what was sent, and the real error bodies."""

from __future__ import annotations

import random

import httpx
import pytest

from bot.polling.fetch import Fetcher, FetchError, build_client
from bot.sources.base import Page, ParseError, Query
from bot.sources.openfda import OpenFda
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden

REAL = FIXTURES / "openfda" / "real"
SOURCE = OpenFda("https://api.fda.gov")
SEMAGLUTIDE = Method(id="semaglutide", title="Semaglutid", substance="semaglutide")
TIRZEPATIDE = Method(
    id="tirzepatide", title="Tirzepatid", substance="tirzepatide", fda_applications=["NDA215866"]
)
PAGE_1 = "drugsfda_semaglutide_limit2_page1"
PAGE_2 = "drugsfda_semaglutide_limit2_page2_search_after"
NOT_FOUND = ["drugsfda_404_not_found_no_match", "drugsfda_404_not_found_skip_past_end"]


def body(case: str) -> bytes:
    return (REAL / f"{case}.json").read_bytes()


def query_for(method: Method) -> Query:
    (query,) = SOURCE.plan([method])
    return query


def test_semaglutide_first_page_golden() -> None:
    """Page 1 (Rybelsus, Wegovy) yields both applications and asks for the rest from skip=2."""
    page = SOURCE.parse(query_for(SEMAGLUTIDE), 200, body(PAGE_1), [SEMAGLUTIDE])
    assert_golden(page, REAL / f"{PAGE_1}.expected.json")


def test_semaglutide_second_page_golden_ends_the_search() -> None:
    """Page 2 (Ozempic) parsed with the query page 1 asked for is the last page."""
    first = SOURCE.parse(query_for(SEMAGLUTIDE), 200, body(PAGE_1), [SEMAGLUTIDE])
    assert first.next_query is not None
    second = SOURCE.parse(first.next_query, 200, body(PAGE_2), [SEMAGLUTIDE])
    assert_golden(second, REAL / f"{PAGE_2}.expected.json")
    assert second.next_query is None


def test_paging_trusts_the_skip_sent_not_the_skip_echoed() -> None:
    """The real page 2 says meta.results.skip 0; read as the position, it would ask for skip=1
    (an overlap) instead of ending after the third of three applications."""
    first = SOURCE.parse(query_for(SEMAGLUTIDE), 200, body(PAGE_1), [SEMAGLUTIDE])
    assert first.next_query is not None
    assert dict(first.next_query.params)["skip"] == "2"
    second = SOURCE.parse(first.next_query, 200, body(PAGE_2), [])
    assert [r.key for r in first.records + second.records] == [
        "NDA213051",
        "NDA215256",
        "NDA209637",
    ]
    assert second.next_query is None


def test_tirzepatide_golden() -> None:
    """Mounjaro (one of total 2) is a record of the method watching NDA215866."""
    page = SOURCE.parse(
        query_for(TIRZEPATIDE), 200, body("drugsfda_tirzepatide_limit1"), [TIRZEPATIDE]
    )
    assert_golden(page, REAL / "drugsfda_tirzepatide_limit1.expected.json")


def test_semaglutide_products_concern_the_method_by_ingredient_word() -> None:
    """'ORAL SEMAGLUTIDE' and 'SEMAGLUTIDE' both name the watched substance as a whole word."""
    page = SOURCE.parse(query_for(SEMAGLUTIDE), 200, body(PAGE_1), [SEMAGLUTIDE])
    assert {r.key: r.method_ids for r in page.records} == {
        "NDA213051": ("semaglutide",),
        "NDA215256": ("semaglutide",),
    }


@pytest.mark.parametrize("case", NOT_FOUND)
def test_real_not_found_bodies_are_an_empty_answer(case: str) -> None:
    """Both real 404 NOT_FOUND bodies (no match; skip past the end) parse to an empty page."""
    assert SOURCE.parse(query_for(SEMAGLUTIDE), 404, body(case), [SEMAGLUTIDE]) == Page()


def fetcher(status: int, case: str, requests: list[httpx.Request]) -> Fetcher:
    """A fetcher whose every request gets the real body with `status`, as api.fda.gov sends it."""

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(
            status, content=body(case), headers={"content-type": "application/json"}
        )

    client = build_client(transport=httpx.MockTransport(answer))
    return Fetcher(client, sleep=lambda _: None, rng=random.Random(7))


@pytest.mark.parametrize("case", NOT_FOUND)
def test_a_real_404_passes_the_fetcher_and_parses_empty(case: str) -> None:
    """The fetcher hands openFDA's 404 on (the query accepts it); the parser makes it empty."""
    requests: list[httpx.Request] = []
    query = query_for(SEMAGLUTIDE)
    answer = fetcher(404, case, requests).fetch(query)
    assert SOURCE.parse(query, answer.status, answer.body, [SEMAGLUTIDE]) == Page()
    assert len(requests) == 1


def test_a_real_400_bad_request_is_a_source_failure_not_retried() -> None:
    """BAD_REQUEST fails the source at once: asking again would get the same answer."""
    requests: list[httpx.Request] = []
    with pytest.raises(FetchError, match="HTTP 400") as failure:
        fetcher(400, "drugsfda_400_bad_request", requests).fetch(query_for(SEMAGLUTIDE))
    assert not failure.value.retryable
    assert len(requests) == 1


def test_a_real_500_server_error_is_a_source_failure_after_retries() -> None:
    """SERVER_ERROR is retried (transient) and then fails the source."""
    requests: list[httpx.Request] = []
    with pytest.raises(FetchError, match="HTTP 500"):
        fetcher(500, "drugsfda_500_server_error", requests).fetch(query_for(SEMAGLUTIDE))
    assert len(requests) == 3


@pytest.mark.parametrize(
    ("status", "case"),
    [(400, "drugsfda_400_bad_request"), (500, "drugsfda_500_server_error")],
)
def test_the_parser_never_reads_an_error_body_as_an_answer(status: int, case: str) -> None:
    """Handed a real 400 or 500 body, the parser fails instead of yielding no records."""
    with pytest.raises(ParseError, match=str(status)):
        SOURCE.parse(query_for(SEMAGLUTIDE), status, body(case), [SEMAGLUTIDE])


@pytest.mark.parametrize("case", ["drugsfda_400_bad_request", "drugsfda_500_server_error"])
def test_an_error_body_served_as_404_is_not_an_empty_answer(case: str) -> None:
    """Only the NOT_FOUND code makes a 404 empty; BAD_REQUEST or SERVER_ERROR bodies fail."""
    with pytest.raises(ParseError, match="NOT_FOUND"):
        SOURCE.parse(query_for(SEMAGLUTIDE), 404, body(case), [SEMAGLUTIDE])
