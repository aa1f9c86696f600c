"""Drift report: real answers read clean; drifted copies name what is missing, renamed, retyped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.sources.drift.report import MISSING, RENAMED, TYPE, DriftItem, describe_drift
from tests.golden import FIXTURES

CT_PAGE = "clinicaltrials/full_records_page.json"
SEMAGLUTIDE = "openfda/real/drugsfda_semaglutide_limit2_page1.json"
MEDICINES = "ema/medicines_dupilumab.json"
ORPHANS = "ema/real/orphan_designations_TRIMMED_first6_of_3310.json"
FDA_FEED = "rss/real/fda_press_releases_rss_capture_from_code_idx67655592673.xml"


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def drifted(name: str, old: str, new: str) -> bytes:
    """A copy of a fixture with every `old` replaced by `new` (a simulated change at the source)."""
    body = raw(name)
    assert old.encode() in body
    return body.replace(old.encode(), new.encode())


def problems(items: list[DriftItem]) -> list[tuple[str, str, str | None]]:
    return [(item.path, item.problem, item.found) for item in items]


@pytest.mark.parametrize(
    ("source", "case", "status"),
    [
        ("clinicaltrials", CT_PAGE, 200),
        ("openfda", SEMAGLUTIDE, 200),
        ("openfda", "openfda/real/drugsfda_semaglutide_limit2_page2_search_after.json", 200),
        ("openfda", "openfda/real/drugsfda_tirzepatide_limit1.json", 200),
        ("openfda", "openfda/imatinib_nda021588.json", 200),
        ("openfda", "openfda/real/drugsfda_404_not_found_no_match.json", 404),
        ("openfda", "openfda/real/drugsfda_404_not_found_skip_past_end.json", 404),
        ("fda_rss", FDA_FEED, 200),
        (
            "fda_rss",
            "rss/real/fda_press_releases_rss_RECONSTRUCTED_from_stored_page_2023-12-05.xml",
            200,
        ),
        ("ema_medicines", MEDICINES, 200),
        ("ema_post_authorisation", "ema/post_authorisation_dupilumab.json", 200),
        ("ema_rss", "rss/ema_news.xml", 200),
        ("ema_rss", "rss/encoding_override.xml", 200),
    ],
)
def test_answers_in_the_expected_shape_show_no_drift(source: str, case: str, status: int) -> None:
    """Real answers (and the built EMA files) hold every key the parser reads, typed as read."""
    assert describe_drift(source, raw(case), status=status) == []


@pytest.mark.parametrize(
    "case",
    [
        "clinicaltrials/keytruda_search.json",
        "clinicaltrials/real/biomcp_search_melanoma_recruiting_limit3_20260811.json",
        "clinicaltrials/real/biomcp_search_nsclc_egfr_l858r_20260811.json",
    ],
)
def test_pieces_a_real_search_did_not_ask_for_are_reported_missing(case: str) -> None:
    """biomcp's searches asked for neither HasResults nor LastUpdatePostDate: both are named."""
    items = describe_drift("clinicaltrials", raw(case))
    studies = len(json.loads(raw(case))["studies"])
    assert problems(items) == [
        ("studies[].protocolSection.statusModule.lastUpdatePostDateStruct", MISSING, None),
        ("studies[].hasResults", MISSING, None),
    ]
    assert {(item.count, item.of) for item in items} == {(studies, studies)}


def test_a_single_study_answer_lacks_the_studies_list() -> None:
    """A real GET /studies/{nctId} answer is reported as missing 'studies' at the top."""
    body = raw("clinicaltrials/real/biomcp_get_nct06382129_20260811.json")
    assert problems(describe_drift("clinicaltrials", body)) == [("studies", MISSING, None)]


def test_a_renamed_trial_key_gets_a_did_you_mean() -> None:
    """nctId spelt nctID in all ten studies: renamed, did you mean 'nctID'."""
    body = drifted(CT_PAGE, '"nctId"', '"nctID"')
    (item,) = describe_drift("clinicaltrials", body)
    assert (item.path, item.problem, item.found) == (
        "studies[].protocolSection.identificationModule.nctId",
        RENAMED,
        "nctID",
    )
    assert (item.count, item.of) == (10, 10)
    assert str(item) == (
        "studies[].protocolSection.identificationModule.nctId: missing in 10 of 10; "
        "did you mean 'nctID'?"
    )


def test_a_value_of_another_type_is_named_with_what_was_found() -> None:
    """An enrollment count sent as text is a type drift: expected a whole number."""
    document = json.loads(raw(CT_PAGE))
    document["studies"][3]["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "251"
    (item,) = describe_drift("clinicaltrials", json.dumps(document).encode())
    assert item == DriftItem(
        "studies[].protocolSection.designModule.enrollmentInfo.count",
        TYPE,
        "whole number",
        "text '251'",
        1,
        10,
    )


def test_openfda_renamed_field_and_changed_date_format() -> None:
    """A renamed submission date and ISO dates in place of YYYYMMDD are both reported."""
    renamed = drifted(SEMAGLUTIDE, '"submission_status_date"', '"submission_status_dt"')
    iso = drifted(SEMAGLUTIDE, '"20200116"', '"2020-01-16"')
    path = "results[].submissions[].submission_status_date"
    assert problems(describe_drift("openfda", renamed)) == [(path, RENAMED, "submission_status_dt")]
    assert problems(describe_drift("openfda", iso)) == [(path, TYPE, "text '2020-01-16'")]


def test_ema_keys_renamed_to_camel_case_are_recognised() -> None:
    """An EMA export switching name_of_medicine to nameOfMedicine gets a did you mean."""
    body = drifted(MEDICINES, '"name_of_medicine"', '"nameOfMedicine"')
    (item,) = describe_drift("ema_medicines", body)
    assert (item.path, item.problem, item.found, item.count, item.of) == (
        "data[].name_of_medicine",
        RENAMED,
        "nameOfMedicine",
        30,
        30,
    )


def test_ema_dates_in_another_format_are_a_type_drift() -> None:
    """'2017-09-26' where DD/MM/YYYY is read is reported, per date field, with the row count."""
    body = drifted(MEDICINES, '"26/09/2017"', '"2017-09-26"')
    items = describe_drift("ema_medicines", body)
    assert {item.path for item in items} == {
        "data[].marketing_authorisation_date",
        "data[].european_commission_decision_date",
    }
    for item in items:
        assert (item.problem, item.expected) == (TYPE, "date DD/MM/YYYY or empty")
        # The Dupixent row holds one-element lists (as biomcp's fixture does), the others text.
        assert item.found in {"text '2017-09-26'", "list ['2017-09-26']"}
        assert item.of == 30


def test_the_real_orphan_export_passes_the_envelope_and_fails_the_rows() -> None:
    """EMA's real orphan-designation file has the envelope (meta.total_records, timestamp,
    data); read as the medicines file, its rows lack the medicine keys, one with a did you mean."""
    items = describe_drift("ema_medicines", raw(ORPHANS))
    assert not [item for item in items if not item.path.startswith("data[].")]
    assert {(item.count, item.of) for item in items} == {(6, 6)}
    by_path = {item.path: item for item in items}
    assert by_path["data[].category"].problem == MISSING
    renamed = by_path["data[].ema_product_number"]
    assert (renamed.problem, renamed.found) == (RENAMED, "related_ema_product_number")
    assert "data[].active_substance" not in by_path  # the orphan file has that key too
    assert "data[].first_published_date" not in by_path


def test_a_renamed_feed_element_gets_a_did_you_mean() -> None:
    """pubDate written as publishDate in every real FDA item is a rename."""
    body = drifted(FDA_FEED, "pubDate>", "publishDate>")
    assert problems(describe_drift("fda_rss", body)) == [
        ("rss.channel.item[].pubDate", RENAMED, "publishDate")
    ]


def test_feed_values_that_do_not_read_are_a_type_drift() -> None:
    """A relative link and an unparseable date are reported as another type."""
    body = drifted(FDA_FEED, "<link>http://www.fda.gov/news", "<link>/news")
    body = body.replace(b"Tue, 04 Aug 2026 09:00:00 EDT", b"04.08.2026")
    assert problems(describe_drift("fda_rss", body)) == [
        ("rss.channel.item[].link", TYPE, "text '/news-events/press-announcements/fda-iss'"),
        ("rss.channel.item[].pubDate", TYPE, "text '04.08.2026'"),
    ]


def test_an_atom_feed_in_place_of_rss_lacks_the_rss_root() -> None:
    """A feed that moved to Atom is missing the rss element at the top."""
    body = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'
    assert problems(describe_drift("ema_rss", body)) == [("rss", MISSING, None)]


@pytest.mark.parametrize(
    ("source", "body", "expected"),
    [
        ("clinicaltrials", b"<!DOCTYPE html><html></html>", "a JSON object"),
        ("openfda", b"[]", "a JSON object"),
        ("ema_medicines", b'{"meta": {}, "data": [', "a JSON object"),
        ("fda_rss", b"", "an RSS feed"),
        ("fda_rss", raw("rss/billion_laughs.xml"), "an RSS feed"),
    ],
    ids=["html", "array", "truncated", "empty", "entities"],
)
def test_an_unreadable_body_is_one_drift_at_the_top(
    source: str, body: bytes, expected: str
) -> None:
    """A body that does not read as JSON or XML at all is one type drift at the root."""
    (item,) = describe_drift(source, body)
    assert (item.path, item.problem, item.expected) == ("", TYPE, expected)


def test_keys_the_parser_treats_as_optional_may_be_absent() -> None:
    """Studies without acronym, whyStopped or results dates show no drift (real full page)."""
    document: dict[str, Any] = json.loads(raw(CT_PAGE))
    status = document["studies"][0]["protocolSection"]["statusModule"]
    assert "whyStopped" not in status and "resultsFirstPostDateStruct" not in status
    assert describe_drift("clinicaltrials", raw(CT_PAGE)) == []


def test_a_list_holding_something_else_than_objects_is_named() -> None:
    """`studies` holding a text is a type drift of the list element."""
    (item,) = describe_drift("clinicaltrials", b'{"studies": ["NCT03054428"]}')
    assert (item.path, item.problem, item.expected, item.found) == (
        "studies[]",
        TYPE,
        "object",
        "text 'NCT03054428'",
    )


@pytest.mark.parametrize(("source", "status"), [("nye_metoder", 200), ("openfda", 500)])
def test_a_source_or_status_without_a_shape_is_refused(source: str, status: int) -> None:
    """Drift is judged only where a parser reads the answer; anything else is a caller error."""
    with pytest.raises(ValueError, match="no expected shape"):
        describe_drift(source, b"{}", status=status)
