"""EMA's real orphan-designation export (same download system, not read by the bot): the gates."""

from __future__ import annotations

import json

import pytest

from bot.sources.base import ParseError
from bot.sources.ema import EmaMedicines, EmaPostAuthorisation
from bot.watchlist import Method
from tests.golden import FIXTURES

ORPHANS = FIXTURES / "ema" / "real" / "orphan_designations_TRIMMED_first6_of_3310.json"
# A method the real rows name (daratumumab, dasatinib), so nothing is skipped as unrelated.
DARATUMUMAB = Method(id="daratumumab", title="Daratumumab", substance="daratumumab")
SOURCES = [
    EmaMedicines("https://www.ema.europa.eu"),
    EmaPostAuthorisation("https://www.ema.europa.eu"),
]


def parse(source: EmaMedicines | EmaPostAuthorisation, body: bytes) -> object:
    return source.parse(source.plan([DARATUMUMAB])[0], 200, body, [DARATUMUMAB])


def test_the_real_envelope_is_the_documented_one() -> None:
    """meta.total_records (a number), meta.timestamp (ISO 8601 UTC) and the data rows."""
    document = json.loads(ORPHANS.read_bytes())
    assert sorted(document) == ["data", "meta"]
    assert document["meta"] == {"total_records": 3310, "timestamp": "2026-10-06T18:05:23Z"}
    assert len(document["data"]) == 6


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_a_real_export_cut_short_is_refused_by_the_record_count(
    source: EmaMedicines | EmaPostAuthorisation,
) -> None:
    """The trimmed real file still says 3,310 records over 6 rows: the partial-file gate fails."""
    with pytest.raises(ParseError, match="total_records is 3310 but data holds 6 rows"):
        parse(source, ORPHANS.read_bytes())


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.name)
def test_a_real_export_of_another_dataset_is_refused_by_its_row_keys(
    source: EmaMedicines | EmaPostAuthorisation,
) -> None:
    """With the count made true, the envelope passes; rows without category, product number
    and medicine name (the orphan file's own columns) fail the row-key gate."""
    document = json.loads(ORPHANS.read_bytes())
    document["meta"]["total_records"] = len(document["data"])
    with pytest.raises(
        ParseError, match="row 0 lacks category, ema_product_number, name_of_medicine"
    ):
        parse(source, json.dumps(document).encode())
