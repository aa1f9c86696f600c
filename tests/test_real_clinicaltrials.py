"""ClinicalTrials.gov's real answers: golden records for search pages, bare studies refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.sources.base import ParseError, Query
from bot.sources.clinicaltrials import ClinicalTrials
from bot.watchlist import Discovery, Method
from tests.golden import FIXTURES, assert_golden

CASES = FIXTURES / "clinicaltrials"
REAL = CASES / "real"
SOURCE = ClinicalTrials("https://clinicaltrials.gov/api/v2")
WATCHING_ONE = Method(id="postop-pain", title="x", substance="x", trials=["NCT01595035"])
EGFR = Method(id="egfr", title="x", substance="x", trials=["NCT06382129", "NCT06604689"])
MELANOMA = Method(
    id="melanoma", title="x", substance="exercise", discover=Discovery(condition="melanoma")
)
PHELAN = Method(
    id="phelan", title="x", substance="oxytocin", discover=Discovery(condition="Phelan-McDermid")
)
# Each real search page, with the method whose planned query stands in for the request made.
SEARCH_PAGES = {
    "biomcp_search_age_count_20260811": WATCHING_ONE,
    "biomcp_search_melanoma_recruiting_limit3_20260811": MELANOMA,
    "biomcp_search_nsclc_egfr_l858r_20260811": EGFR,
    "biomcp_search_phelan_limit50_20260811": PHELAN,
}
BARE_STUDIES = [
    REAL / "biomcp_get_nct06382129_20260811.json",
    REAL / "biomcp_get_nct06604689_20260811.json",
    CASES / "fields_subset_bare_study.json",  # biomcp get_nct02576665_20260811.json
]


def query_for(method: Method) -> Query:
    return SOURCE.plan([method])[-1]


@pytest.mark.parametrize("case", sorted(SEARCH_PAGES))
def test_real_search_page_golden(case: str) -> None:
    """Each real /studies page parses to the records stored beside it."""
    method = SEARCH_PAGES[case]
    page = SOURCE.parse(query_for(method), 200, (REAL / f"{case}.json").read_bytes(), [method])
    assert_golden(page, REAL / f"{case}.expected.json")


@pytest.mark.parametrize("case", sorted(SEARCH_PAGES))
def test_every_study_of_a_real_page_becomes_one_record(case: str) -> None:
    """No study is dropped or doubled: the records are the page's NCT IDs, in order."""
    body = (REAL / f"{case}.json").read_bytes()
    ids = [
        s["protocolSection"]["identificationModule"]["nctId"] for s in json.loads(body)["studies"]
    ]
    page = SOURCE.parse(query_for(SEARCH_PAGES[case]), 200, body, [])
    assert [record.key for record in page.records] == ids


def test_a_page_with_a_token_asks_for_the_next_and_one_without_ends() -> None:
    """nextPageToken (age_count, melanoma) leads on; the EGFR and Phelan pages are the last."""
    has_next = {
        case: SOURCE.parse(
            query_for(method), 200, (REAL / f"{case}.json").read_bytes(), []
        ).next_query
        is not None
        for case, method in SEARCH_PAGES.items()
    }
    assert has_next == {
        "biomcp_search_age_count_20260811": True,
        "biomcp_search_melanoma_recruiting_limit3_20260811": True,
        "biomcp_search_nsclc_egfr_l858r_20260811": False,
        "biomcp_search_phelan_limit50_20260811": False,
    }


def test_an_observational_study_has_no_phases() -> None:
    """The real observational study NCT06604689 has no phases list: the record says []."""
    page = SOURCE.parse(
        query_for(EGFR),
        200,
        (REAL / "biomcp_search_nsclc_egfr_l858r_20260811.json").read_bytes(),
        [],
    )
    phases = {record.key: record.fields["phases"] for record in page.records}
    assert phases == {"NCT06382129": ["PHASE3"], "NCT06604689": []}


@pytest.mark.parametrize("path", BARE_STUDIES, ids=lambda path: path.stem)
def test_a_real_single_study_answer_is_refused_as_a_page(path: Path) -> None:
    """GET /studies/{nctId} answers a bare study; the /studies parser names it and fails,
    rather than reading an answer without 'studies' as a page holding nothing."""
    with pytest.raises(ParseError, match="a single study"):
        SOURCE.parse(query_for(EGFR), 200, path.read_bytes(), [EGFR])
