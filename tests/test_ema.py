"""EMA JSON data files: golden records for the dupilumab fixtures, and every validation gate."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.sources.base import ParseError, Query
from bot.sources.ema import (
    MEDICINES_FILE,
    POST_AUTHORISATION_FILE,
    EmaMedicines,
    EmaPostAuthorisation,
)
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden

BASE = "https://www.ema.europa.eu"
DUPILUMAB = Method(
    id="dupilumab-ad-12-17",
    title="Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år",
    substance="dupilumab",
    trade_names=["Dupixent"],
    ema_products=["EMEA/H/C/004390"],
)
METHODS = [DUPILUMAB]


def fixture(name: str) -> bytes:
    return (FIXTURES / "ema" / name).read_bytes()


def medicines_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(fixture("medicines_dupilumab.json"))
    return document


def encode(document: Any) -> bytes:
    return json.dumps(document).encode("utf-8")


def envelope(rows: list[dict[str, Any]]) -> bytes:
    return encode(
        {"meta": {"total_records": len(rows), "timestamp": "2025-02-14T05:00:12Z"}, "data": rows}
    )


def medicine_row(**changes: Any) -> dict[str, Any]:
    row = {
        "category": "Human",
        "name_of_medicine": "Dupixent",
        "ema_product_number": "EMEA/H/C/004390",
        "active_substance": "dupilumab",
        "international_non_proprietary_name_common_name": "dupilumab",
        "marketing_authorisation_date": "26/09/2017",
        "medicine_url": "https://www.ema.europa.eu/en/medicines/human/EPAR/dupixent",
    }
    row.update(changes)
    return row


def parse_medicines(body: bytes, methods: list[Method] = METHODS, status: int = 200) -> Any:
    source = EmaMedicines(BASE)
    return source.parse(source.plan(methods)[0], status, body, methods)


def parse_procedures(body: bytes) -> Any:
    source = EmaPostAuthorisation(BASE)
    return source.parse(source.plan(METHODS)[0], 200, body, METHODS)


def by_key(page: Any) -> dict[str, Any]:
    return {record.key: record for record in page.records}


# Planning


def test_medicines_plan_is_one_query_expecting_the_watched_products() -> None:
    """The medicines file is one query, authoritative for the watched product numbers."""
    [query] = EmaMedicines("https://ema.test/").plan(METHODS)
    assert query.url == f"https://ema.test/en/documents/report/{MEDICINES_FILE}"
    assert query.params == ()
    assert query.expected_keys == frozenset({"EMEA/H/C/004390"})
    assert query.source == "ema_medicines"


def test_post_authorisation_plan_expects_no_keys() -> None:
    """Procedures are discovered rows, so the post-authorisation query expects none."""
    [query] = EmaPostAuthorisation(BASE).plan(METHODS)
    assert query.url == f"{BASE}/en/documents/report/{POST_AUTHORISATION_FILE}"
    assert query.expected_keys == frozenset()
    assert query.source == "ema_post_authorisation"


def test_nothing_is_planned_for_an_empty_watchlist() -> None:
    """With no methods there is no reason to download megabytes."""
    assert EmaMedicines(BASE).plan([]) == []
    assert EmaPostAuthorisation(BASE).plan([]) == []


# Golden records


def test_medicines_golden() -> None:
    """The dupilumab medicines file yields exactly the expected records."""
    page = parse_medicines(fixture("medicines_dupilumab.json"))
    assert_golden(page, FIXTURES / "ema" / "medicines_dupilumab.expected.json")


def test_post_authorisation_golden() -> None:
    """The dupilumab post-authorisation file yields exactly the expected procedures."""
    page = parse_procedures(fixture("post_authorisation_dupilumab.json"))
    assert_golden(page, FIXTURES / "ema" / "post_authorisation_dupilumab.expected.json")


# What is kept


def test_only_rows_of_watched_methods_are_kept() -> None:
    """Of 30 rows only Dupixent and the new dupilumab product concern the watchlist."""
    records = by_key(parse_medicines(fixture("medicines_dupilumab.json")))
    assert sorted(records) == ["EMEA/H/C/004390", "EMEA/H/C/009990"]
    assert all(r.method_ids == ("dupilumab-ad-12-17",) for r in records.values())


def test_new_product_of_a_watched_substance_is_a_record_outside_the_expected_keys() -> None:
    """A new dupilumab product (upper-case INN) is kept; its key is not one we expected."""
    query = EmaMedicines(BASE).plan(METHODS)[0]
    records = by_key(parse_medicines(fixture("medicines_dupilumab.json")))
    assert "EMEA/H/C/009990" in records
    assert "EMEA/H/C/009990" not in query.expected_keys
    assert records["EMEA/H/C/009990"].fields["inn"] == "DUPILUMAB"


def test_veterinary_rows_are_ignored() -> None:
    """A veterinary medicine of a watched substance (Dupivet) is not a record."""
    medicines = by_key(parse_medicines(fixture("medicines_dupilumab.json")))
    procedures = parse_procedures(fixture("post_authorisation_dupilumab.json"))
    assert "EMEA/V/C/009991" not in medicines
    assert not [r for r in procedures.records if "/V/" in r.key]


def test_a_name_containing_a_trade_name_is_not_a_match() -> None:
    """Dupixentol does not match Dupixent: names match as whole words only."""
    medicines = by_key(parse_medicines(fixture("medicines_dupilumab.json")))
    assert "EMEA/H/C/009992" not in medicines


def test_a_trade_name_alone_matches_ignoring_case_and_accents() -> None:
    """A method known only by trade name 'DUPIXÉNT' finds the Dupixent row."""
    method = Method(id="by-name", title="t", substance="unrelated", trade_names=["DUPIXÉNT"])
    page = parse_medicines(envelope([medicine_row(active_substance="x")]), [method])
    assert [r.method_ids for r in page.records] == [("by-name",)]


def test_a_product_number_alone_matches() -> None:
    """A watched product number keeps its row whatever the names say."""
    method = Method(id="by-number", title="t", substance="zzz", ema_products=["EMEA/H/C/004390"])
    row = medicine_row(active_substance="x", international_non_proprietary_name_common_name="x")
    assert [r.key for r in parse_medicines(envelope([row]), [method]).records] == [
        "EMEA/H/C/004390"
    ]


def test_list_values_read_like_strings() -> None:
    """A one-element list and a plain string give the same fields."""
    listed = {key: [value] for key, value in medicine_row().items()}
    assert parse_medicines(envelope([listed])) == parse_medicines(envelope([medicine_row()]))


def test_dates_become_iso_and_empty_values_none() -> None:
    """DD/MM/YYYY becomes YYYY-MM-DD; '' becomes None."""
    row = medicine_row(opinion_adopted_date="", european_commission_decision_date="26/09/2017")
    [record] = parse_medicines(envelope([row])).records
    assert record.fields["ec_decision_date"] == "2017-09-26"
    assert record.fields["opinion_adopted_date"] is None
    assert record.fields["refusal_date"] is None


def test_indication_html_becomes_plain_text_with_line_breaks() -> None:
    """Tags go, entities decode, paragraphs and list items stay on their own lines."""
    records = by_key(parse_medicines(fixture("medicines_dupilumab.json")))
    indication = records["EMEA/H/C/004390"].fields["therapeutic_indication"]
    assert "adults and adolescents 12 years and older" in indication
    assert "<" not in indication and "&nbsp;" not in indication and "\xa0" not in indication
    assert indication.startswith("Atopic dermatitis\nAdults and adolescents\nDupixent is")
    assert "(FeNO),\nwho are" in indication


def test_a_row_without_an_ema_page_links_to_the_ema_search() -> None:
    """A missing or foreign medicine_url gives EMA's search page, never the foreign link."""
    row = medicine_row(medicine_url="https://evil.example/dupixent")
    [record] = parse_medicines(envelope([row])).records
    assert record.url == f"{BASE}/en/search?search_api_fulltext=Dupixent"


def test_same_day_procedures_get_distinct_keys() -> None:
    """Two procedures of one product first published the same day are two records."""
    keys = by_key(parse_procedures(fixture("post_authorisation_dupilumab.json")))
    assert {"EMEA/H/C/004390 2022-12-16", "EMEA/H/C/004390 2022-12-16 #2"} <= set(keys)


def test_data_timestamp_reads_the_file_meta() -> None:
    """The file's generation time comes with the parsed page, apart from the records."""
    page = parse_medicines(fixture("medicines_dupilumab.json"))
    assert page.data_timestamp == "2025-02-14T05:00:12Z"
    document = json.loads(fixture("medicines_dupilumab.json"))
    del document["meta"]["timestamp"]
    assert parse_medicines(encode(document)).data_timestamp is None


def test_a_large_file_with_many_methods_finds_each_watched_product() -> None:
    """3,000 rows against 500 watched methods: each watched product found once (timed in
    `bench/guards.py`)."""
    rows = [
        medicine_row(
            name_of_medicine=f"Med {i}",
            ema_product_number=f"EMEA/H/C/{i:06d}",
            active_substance=f"substance{i}mab",
        )
        for i in range(3000)
    ]
    methods = [Method(id=f"m{i}", title="t", substance=f"substance{i * 6}mab") for i in range(500)]
    page = parse_medicines(envelope(rows), methods)
    assert len(page.records) == 500
    assert {record.method_ids for record in page.records} == {(f"m{i}",) for i in range(500)}


# Gates


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "not JSON"),
        (b"", "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"[]", "envelope"),
        (b'{"meta": {}}', "envelope"),
        (b'{"data": {"rows": []}}', "not a list"),
        (b'{"meta": [], "data": []}', "not an object"),
        (b'{"data": ["Dupixent"]}', "not an object"),
    ],
)
def test_an_answer_that_is_not_the_envelope_is_rejected(body: bytes, reason: str) -> None:
    """HTML, empty or non-JSON bodies and other shapes are parse errors."""
    with pytest.raises(ParseError, match=reason):
        parse_medicines(body)


def test_a_truncated_download_is_rejected() -> None:
    """A body cut in the middle is not JSON."""
    body = fixture("medicines_dupilumab.json")
    with pytest.raises(ParseError, match="not JSON"):
        parse_medicines(body[: len(body) // 2])


def test_a_partial_file_is_rejected() -> None:
    """Fewer rows than meta.total_records says is a partial file."""
    document = medicines_document()
    document["data"] = document["data"][:12]
    with pytest.raises(ParseError, match="total_records"):
        parse_medicines(encode(document))


def test_a_file_without_total_records_is_accepted() -> None:
    """The plausibility check applies only when the file states its size."""
    document = medicines_document()
    del document["meta"]
    assert len(parse_medicines(encode(document)).records) == 2


def test_a_row_lacking_an_identity_field_is_rejected() -> None:
    """A renamed identity key in any row, watched or not, is schema drift."""
    document = medicines_document()
    del document["data"][0]["ema_product_number"]
    with pytest.raises(ParseError, match="row 0 lacks ema_product_number"):
        parse_medicines(encode(document))


def test_a_watched_row_with_an_empty_identity_is_rejected() -> None:
    """A dupilumab row without a product number cannot be recorded."""
    with pytest.raises(ParseError, match="has no ema_product_number"):
        parse_medicines(envelope([medicine_row(ema_product_number="")]))


def test_an_unrelated_row_with_an_empty_identity_is_ignored() -> None:
    """An empty product number on an unwatched row is no reason to fail."""
    rows = [
        medicine_row(),
        medicine_row(
            name_of_medicine="Other",
            ema_product_number="",
            active_substance="x",
            international_non_proprietary_name_common_name="x",
        ),
    ]
    assert len(parse_medicines(envelope(rows)).records) == 1


def test_a_procedure_without_a_first_published_date_is_rejected() -> None:
    """The procedure identity needs its first published date."""
    with pytest.raises(ParseError, match="has no first_published_date"):
        parse_procedures(envelope([medicine_row(first_published_date="")]))


def test_a_malformed_date_in_a_watched_row_is_rejected() -> None:
    """A date that is not DD/MM/YYYY means the format changed."""
    with pytest.raises(ParseError, match="DD/MM/YYYY"):
        parse_medicines(envelope([medicine_row(marketing_authorisation_date="2017-09-26")]))


def test_an_unexpected_value_type_is_rejected() -> None:
    """An object where text belongs is schema drift."""
    with pytest.raises(ParseError, match="expected text"):
        parse_medicines(envelope([medicine_row(active_substance={"name": "dupilumab"})]))


def test_a_product_listed_twice_is_rejected() -> None:
    """Two rows for one product number make the answer ambiguous."""
    with pytest.raises(ParseError, match="appears twice"):
        parse_medicines(envelope([medicine_row(), medicine_row()]))


def test_an_unreadable_status_is_rejected() -> None:
    """Only the statuses the query lists are parsed."""
    with pytest.raises(ParseError, match="HTTP status 503"):
        parse_medicines(fixture("medicines_dupilumab.json"), status=503)


def test_parse_accepts_any_query_of_its_file() -> None:
    """Parsing depends on the body, not on the query's URL (a local server in tests)."""
    query = Query(source="ema_medicines", url="http://127.0.0.1:9/x.json")
    page = EmaMedicines(BASE).parse(query, 200, envelope([medicine_row()]), METHODS)
    assert [r.key for r in page.records] == ["EMEA/H/C/004390"]
