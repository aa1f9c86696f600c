"""The decision workbook's row and archive gates, on small workbooks built in memory."""

from __future__ import annotations

import io
from typing import Any

import pytest
import xlsxwriter

from bot.sources.base import ParseError
from bot.sources.nyemetoder.decisions import read_decisions
from bot.sources.nyemetoder.workbook import HEADER
from tests.golden import FIXTURES

SEED = ["2019_015", "Dupilumab", "Dupixent", "Atopisk dermatitt 12-17 år", "Legemidler", "Hud"]
DECIDED = [43885, "Innført", "1. Dupilumab (Dupixent) kan innføres."]  # 43885 is 2020-02-24


def workbook(*rows: list[Any]) -> bytes:
    """A one-sheet workbook: the documented header, then `rows` as given."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for number, row in enumerate([list(HEADER), *rows]):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(number, column, value)
    book.close()
    return out.getvalue()


def test_a_well_formed_row_reads() -> None:
    """The in-memory builder makes a readable workbook (so the failures below are the rows')."""
    (fields,) = read_decisions(workbook([*SEED, *DECIDED])).values()
    assert (fields["id"], fields["decision_date"]) == ("ID2019_015", "2020-02-24")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["ID2019_015", *SEED[1:], *DECIDED], "cell A2 (ID-nr) is 'ID2019_015', not an ID"),
        ([*SEED[:4], None, SEED[5], *DECIDED], "cell E2 (Metodetype) is empty"),
        ([*SEED, *DECIDED[:2], None], "cell I2 (Gjeldende beslutning (Hele)) is empty"),
        (
            [*SEED, 40000, *DECIDED[1:]],
            "cell G2 (Dato siste beslutning) is 2009-07-06, before 2013",
        ),
        ([*SEED, "24.02.2020", *DECIDED[1:]], "cell G2 (Dato siste beslutning) is not a date"),
        ([*SEED[:3], 12, *SEED[4:], *DECIDED], "cell D2 (Bruksområde (indikasjon)) is not text"),
    ],
)
def test_a_row_that_breaks_the_documented_domain_fails(row: list[Any], reason: str) -> None:
    """An ID with a prefix, an empty required cell, a date out of range or of another type."""
    with pytest.raises(ParseError) as failure:
        read_decisions(workbook(row))
    assert reason in str(failure.value)


def test_conflicting_rows_for_one_identity_fail() -> None:
    """One ID and indication listed twice with two decision dates cannot both be current."""
    later = [*SEED, 44000, *DECIDED[1:]]
    with pytest.raises(ParseError, match="ID2019_015 is listed twice for one indication"):
        read_decisions(workbook([*SEED, *DECIDED], later))


def test_a_workbook_with_only_its_header_fails() -> None:
    """A header without decisions is a failed export, never an answer that lists nothing."""
    with pytest.raises(ParseError, match="lists no decisions"):
        read_decisions(workbook())


def test_an_encrypted_archive_member_fails() -> None:
    """A ZIP member flagged as encrypted is refused before openpyxl reads anything."""
    raw = bytearray((FIXTURES / "nyemetoder" / "decisions.xlsx").read_bytes())
    central = raw.find(b"PK\x01\x02")  # the first central directory header
    raw[central + 8] |= 0x1  # bit 0 of its general-purpose flags: encrypted
    with pytest.raises(ParseError, match="encrypted members"):
        read_decisions(bytes(raw))
