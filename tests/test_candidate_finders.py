"""Finding candidates in answers, purely: what is in scope, new, and not watched or ignored.

Real answers where they exist (ClinicalTrials.gov and openFDA samples, tests/fixtures/README.md);
EMA's files are the built fixtures, read on days chosen against their dates.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bot.sources.base import Query
from bot.sources.clinicaltrials import ClinicalTrials
from bot.sources.clinicaltrials.candidates import trial_evidence
from bot.sources.ema import EmaMedicines, EmaPostAuthorisation
from bot.sources.evidence import ATC, CONDITION, Evidence, Term, candidate_identity
from bot.sources.openfda import OpenFda
from bot.sources.openfda.candidates import recent_query
from bot.sources.scanning import ScanContext, ScannedPage
from bot.watchlist import Method, Scope
from tests.golden import FIXTURES

DUPILUMAB = Method(
    id="dupilumab", title="Dupilumab", substance="dupilumab", trade_names=["Dupixent"]
)
STUDY = "https://clinicaltrials.gov/study/{nct}"


def context(
    *,
    today: date,
    atc: list[str] | None = None,
    conditions: list[str] | None = None,
    ignore: list[str] | None = None,
    methods: list[Method] | None = None,
    known: dict[str, Term] | None = None,
) -> ScanContext:
    scope = Scope(atc=atc or [], conditions=conditions or [], ignore=ignore or [])
    return ScanContext.build(scope, methods or [], today=today, known=known)


def studies(name: str) -> list[Any]:
    return list(json.loads((FIXTURES / "clinicaltrials" / name).read_text())["studies"])


def facts(found: list[Evidence]) -> list[tuple[str, str, str, str]]:
    return sorted((e.identity, e.source, e.key, e.kind) for e in found)


# ClinicalTrials.gov -----------------------------------------------------------------------------


def test_a_new_phase3_trial_for_a_condition_in_scope_is_evidence() -> None:
    """Real page: the phase 3 NNZ-2591 trial (started 12.11.2025) is found; its placebo arm is no
    substance and the phase 2 trials are not found."""
    ctx = context(today=date(2025, 11, 20), conditions=["Phelan-McDermid syndrome"])
    found = trial_evidence(studies("pagination_page2.json"), ctx, link=STUDY)
    assert facts(found) == [
        (
            "nnz-2591|condition:phelan-mcdermid syndrome",
            "clinicaltrials",
            "NCT07281079",
            "trial_phase3",
        )
    ]
    (item,) = found
    assert item.date == "2025-11-12" and item.facts["status"] == "RECRUITING"
    assert item.url == "https://clinicaltrials.gov/study/NCT07281079"


def test_an_old_trial_a_watched_or_ignored_substance_is_no_evidence() -> None:
    """Started before the window, watched, or ignored: nothing."""
    page = studies("pagination_page2.json")
    late = context(today=date(2026, 3, 1), conditions=["Phelan-McDermid syndrome"])
    watched = Method(id="nnz", title="NNZ", substance="NNZ-2591")
    kwargs: dict[str, Any] = {
        "today": date(2025, 11, 20),
        "conditions": ["phelan-mcdermid syndrome"],
    }
    assert trial_evidence(page, late, link=STUDY) == []
    assert trial_evidence(page, context(**kwargs, methods=[watched]), link=STUDY) == []
    assert trial_evidence(page, context(**kwargs, ignore=["nnz-2591"]), link=STUDY) == []


def test_each_drug_of_a_trial_is_a_candidate_named_as_ema_knows_it() -> None:
    """Real page: both arms of the NSCLC phase 3 trial are substances; one EMA's file put in scope
    is named as EMA names it; an ignored one is dropped."""
    page = studies("real/biomcp_search_nsclc_egfr_l858r_20260811.json")
    known = {"docetaxel": Term(ATC, "L01")}
    ctx = context(today=date(2024, 6, 1), conditions=["non-small cell lung cancer"], known=known)
    found = trial_evidence(page, ctx, link=STUDY)
    assert [e.substance for e in found] == ["BL-B01D1", "docetaxel"]
    assert {e.term for e in found} == {Term(CONDITION, "non-small cell lung cancer")}
    ignoring = context(
        today=date(2024, 6, 1), conditions=["non-small cell lung cancer"], ignore=["docetaxel"]
    )
    assert [e.substance for e in trial_evidence(page, ignoring, link=STUDY)] == ["BL-B01D1"]


def test_the_parser_gives_evidence_beside_unchanged_records() -> None:
    """With a scan the page carries the evidence and the very records it has without one."""
    source = ClinicalTrials("https://clinicaltrials.gov/api/v2")
    body = (FIXTURES / "clinicaltrials" / "pagination_page2.json").read_bytes()
    query = Query("clinicaltrials", source.url)
    plain = source.parse(query, 200, body, [DUPILUMAB])
    ctx = context(today=date(2025, 11, 20), conditions=["Phelan-McDermid syndrome"])
    scanned = source.parse(query, 200, body, [DUPILUMAB], scan=ctx)
    assert isinstance(scanned, ScannedPage) and not isinstance(plain, ScannedPage)
    assert scanned.records == plain.records and len(scanned.evidence) == 1


# openFDA ----------------------------------------------------------------------------------------


def openfda_page(name: str, ctx: ScanContext) -> ScannedPage:
    source = OpenFda("https://api.fda.gov")
    query = source.scan_plan(ctx)[0]
    page = source.parse(query, 200, (FIXTURES / "openfda" / name).read_bytes(), [], scan=ctx)
    assert isinstance(page, ScannedPage)
    return page


def test_the_recent_approvals_query_is_bounded_by_the_window() -> None:
    """One search by submission status date over the window, openFDA's range syntax."""
    ctx = context(today=date(2024, 12, 20), atc=["A10"])
    query = recent_query("https://api.fda.gov/drug/drugsfda.json", ctx, limit="1000")
    assert dict(query.params) == {
        "search": "submissions.submission_status_date:[20241120 TO 20241220]",
        "limit": "1000",
    }
    assert "submission_status_date:%5B20241120+TO+20241220%5D" in query.full_url


def test_efficacy_supplements_of_a_substance_in_scope_are_evidence() -> None:
    """Real answer: Rybelsus' and Wegovy's efficacy supplements of 9.12 and 27.11.2024 are found
    for semaglutide (in scope by EMA's file); labeling supplements and tirzepatide are not."""
    known = {"semaglutide": Term(ATC, "A10")}
    ctx = context(today=date(2024, 12, 20), atc=["A10"], known=known)
    page = openfda_page("real/drugsfda_semaglutide_limit2_page1.json", ctx)
    assert page.records == []
    assert facts(page.evidence) == [
        ("semaglutide|atc:a10", "openfda", "NDA213051 SUPPL-20", "fda_efficacy"),
        ("semaglutide|atc:a10", "openfda", "NDA215256 SUPPL-15", "fda_efficacy"),
    ]
    assert openfda_page("real/drugsfda_tirzepatide_limit1.json", ctx).evidence == []


def test_an_fda_approval_of_a_substance_not_known_in_scope_is_missed() -> None:
    """Drugs@FDA has no ATC code or indication: without EMA's word, no candidate."""
    ctx = context(today=date(2024, 12, 20), atc=["A10"])
    assert openfda_page("real/drugsfda_semaglutide_limit2_page1.json", ctx).evidence == []


def test_a_watched_substance_is_never_a_candidate_from_fda() -> None:
    """Semaglutide watched: its approvals are the method's alerts, not a candidate."""
    watched = Method(id="sema", title="Semaglutid", substance="semaglutide")
    known = {"semaglutide": Term(ATC, "A10")}
    ctx = context(today=date(2024, 12, 20), atc=["A10"], known=known, methods=[watched])
    assert openfda_page("real/drugsfda_semaglutide_limit2_page1.json", ctx).evidence == []


# EMA ---------------------------------------------------------------------------------------------


def ema_scan(source: Any, name: str, ctx: ScanContext, **changes: Any) -> ScannedPage:
    """The fixture parsed for the dupilumab method (`ctx` must watch it too), rows changed."""
    document = json.loads((FIXTURES / "ema" / name).read_text())
    for index, row in changes.items():
        document["data"][int(index.removeprefix("row"))].update(row)
    query = Query(source.name, "https://www.ema.europa.eu/en/documents/report/x.json")
    page = source.parse(query, 200, json.dumps(document).encode(), [DUPILUMAB], scan=ctx)
    assert isinstance(page, ScannedPage)
    return page


def test_a_recent_ec_decision_in_scope_is_evidence_and_the_file_says_what_is_in_scope() -> None:
    """Ebglyss' EC decision of 16.11.2023 is news on 30.11.2023; the whole file says which
    substances are in scope (dupilumab is watched; Keytruda is not in scope)."""
    ctx = context(
        today=date(2023, 11, 30), atc=["D11"], conditions=["atopic dermatitis"], methods=[DUPILUMAB]
    )
    page = ema_scan(EmaMedicines("https://www.ema.europa.eu"), "medicines_dupilumab.json", ctx)
    assert facts(page.evidence) == [
        (
            "lebrikizumab|condition:atopic dermatitis",
            "ema_medicines",
            "EMEA/H/C/005894",
            "ema_decision",
        )
    ]
    assert page.in_scope is not None
    assert {"tralokinumab", "abrocitinib", "lebrikizumab", "exampleumab"} <= set(page.in_scope)
    assert "dupilumab" not in page.in_scope and "pembrolizumab" not in page.in_scope
    assert page.evidence[0].url == "https://www.ema.europa.eu/en/medicines/human/EPAR/ebglyss"


@pytest.mark.parametrize(
    ("atc", "conditions", "term"),
    [
        (["D11"], ["atopic dermatitis"], Term(CONDITION, "atopic dermatitis")),
        (["D11", "D11AH"], [], Term(ATC, "D11AH")),
        (["D11"], ["psoriasis"], Term(ATC, "D11")),
    ],
)
def test_a_condition_names_the_candidate_before_an_atc_prefix(
    atc: list[str], conditions: list[str], term: Term
) -> None:
    """A matching condition wins; else the longest matching ATC prefix."""
    ctx = context(today=date(2023, 11, 30), atc=atc, conditions=conditions, methods=[DUPILUMAB])
    page = ema_scan(EmaMedicines("https://www.ema.europa.eu"), "medicines_dupilumab.json", ctx)
    assert [e.term for e in page.evidence] == [term]
    assert page.evidence[0].identity == candidate_identity("Lebrikizumab", term)


def test_a_bad_row_no_one_watches_is_skipped_not_a_failed_file() -> None:
    """An unreadable date in an unwatched row costs that row only; the watched rows stand."""
    ctx = context(today=date(2023, 11, 30), atc=["D11"], methods=[DUPILUMAB])
    source = EmaMedicines("https://www.ema.europa.eu")
    page = ema_scan(
        source, "medicines_dupilumab.json", ctx, row11={"opinion_adopted_date": "2023-11-20"}
    )
    assert page.evidence == [] and any(r.key == "EMEA/H/C/004390" for r in page.records)


def test_a_recent_procedure_opinion_in_scope_is_evidence() -> None:
    """Keytruda's procedure opinion of 30.01.2025 is news for an L01 scope on 10.02.2025; the
    watched Dupixent's procedures are not candidates."""
    ctx = context(today=date(2025, 2, 10), atc=["L01", "D11"], methods=[DUPILUMAB])
    page = ema_scan(
        EmaPostAuthorisation("https://www.ema.europa.eu"), "post_authorisation_dupilumab.json", ctx
    )
    assert facts(page.evidence) == [
        (
            "pembrolizumab|atc:l01",
            "ema_post_authorisation",
            "EMEA/H/C/003820 2025-01-31 2025-01-30",
            "ema_procedure_opinion",
        )
    ]
    assert page.in_scope is None
