"""The decision workbook (XLSX) behind nyemetoder.no's decision page, read through its gates.

Facts from reference/nyemetoder.md §1: row 1 holds exactly nine header cells in a fixed order;
dates are Excel serial numbers (0 or empty: unknown) in the workbook's 1900 or 1904 date system;
IDs are written without the "ID" prefix; there are no formulas; a decision's identity is its ID
plus its normalised indication. openpyxl (maintained, typed stubs) reads the file read-only and
with `data_only=False`, so a formula shows as a formula, never as a stale cached value.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.sources.base import ParseError

HEADER = (
    "ID-nr",
    "Virkestoff",
    "Handelsenavn",
    "Bruksområde (indikasjon)",
    "Metodetype",
    "Fagområde",
    "Dato siste beslutning",
    "Gjeldende beslutning Kortversjon",
    "Gjeldende beslutning (Hele)",
)
COLUMNS = "ABCDEFGHI"
WORKBOOK_ID = re.compile(r"^\d{4}_\d{3}(?: ?[A-Z])?$")
# Bestillerforum first met in June 2013; an earlier date means a wrong date system or column.
EARLIEST = date(2013, 1, 1)
# The real workbook was 222,850 bytes with 1,005 rows (2026-09-11); these bounds leave room.
MAX_UNPACKED_BYTES = 30_000_000
MAX_MEMBERS = 200
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Row:
    """One data row of the workbook, typed and validated; `number` is its row in the sheet."""

    number: int
    values: tuple[Any, ...]

    def text(self, column: int, *, required: bool = False) -> str | None:
        """A text cell with its whitespace trimmed; ParseError for another type or when empty and
        required."""
        value = self.values[column]
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ParseError(f"cell {self.cell(column)} ({HEADER[column]}) is empty")
            return None
        if not isinstance(value, str):
            raise ParseError(f"cell {self.cell(column)} ({HEADER[column]}) is not text")
        return value.strip()

    def cell(self, column: int) -> str:
        """The cell's reference, e.g. 'G12'."""
        return f"{COLUMNS[column]}{self.number}"


def read_rows(body: bytes) -> tuple[list[Row], datetime]:
    """The data rows under the nine-column header, and the workbook's epoch (1900 or 1904)."""
    _check_archive(body)
    import openpyxl  # here, so that a command which reads no workbook never loads it

    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ParseError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if not book.worksheets:
            raise ParseError("the workbook has no worksheet")
        rows = list(_rows(book.worksheets[0].iter_rows()))
        return rows, book.epoch
    finally:
        book.close()


def _check_archive(body: bytes) -> None:
    """ZIP gates before any XML is read: bounded size and members, nothing encrypted."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ParseError("not an XLSX file (not a ZIP archive)") from None
    if len(members) > MAX_MEMBERS or len({m.filename for m in members}) != len(members):
        raise ParseError("the XLSX archive has too many or repeated members")
    if any(member.flag_bits & 0x1 for member in members):
        raise ParseError("the XLSX archive has encrypted members")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ParseError("the XLSX archive unpacks to more than 30 MB")


def _rows(sheet_rows: Iterator[tuple[Any, ...]]) -> Iterator[Row]:
    """Row 1 checked against HEADER, then every non-empty row with exactly nine columns."""
    number = 0
    for number, cells in enumerate(sheet_rows, start=1):
        if number > MAX_ROWS + 1:
            raise ParseError(f"the sheet has more than {MAX_ROWS} rows")
        values = tuple(_value(cell) for cell in cells)
        if number == 1:
            _check_header(values)
            continue
        _check_width(values, number)
        padded = (*values, *([None] * len(HEADER)))[: len(HEADER)]
        if any(value is not None for value in padded):
            yield Row(number, padded)
    if number == 0:
        raise ParseError("the first sheet is empty; the header belongs in its row 1")


def _value(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        raise ParseError(f"cell {cell.coordinate} holds a formula ({cell.value})")
    value = getattr(cell, "value", None)
    return None if isinstance(value, str) and not value.strip() else value


def _check_header(values: tuple[Any, ...]) -> None:
    if all(value is None for value in values):
        raise ParseError("row 1 of the first sheet is empty; the header belongs there")
    for column, expected in enumerate(HEADER):
        found = values[column] if column < len(values) else None
        found = found.strip() if isinstance(found, str) else found
        if found != expected:
            raise ParseError(f"header cell {COLUMNS[column]}1 is {found!r}, expected {expected!r}")
    _check_width(values, 1)


def _check_width(values: tuple[Any, ...], number: int) -> None:
    extra = [index for index in range(len(HEADER), len(values)) if values[index] is not None]
    if extra:
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter(extra[0] + 1)}{number}"
        raise ParseError(f"cell {cell} holds {values[extra[0]]!r}; the sheet ends at column I")


def decision_date(row: Row, column: int, *, epoch: datetime) -> str | None:
    """A date cell as ISO 8601: an Excel serial number (or the date openpyxl made of a cell
    formatted as a date), 0 or empty meaning unknown."""
    value = row.values[column]
    if value is None or (isinstance(value, int | float) and value == 0):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | datetime):
        raise ParseError(f"cell {row.cell(column)} ({HEADER[column]}) is not a date")
    try:
        from openpyxl.utils.datetime import from_excel

        moment = value if isinstance(value, datetime) else from_excel(value, epoch=epoch)
    except (ValueError, OverflowError):
        raise ParseError(f"cell {row.cell(column)} ({HEADER[column]}) is no Excel date") from None
    day = moment.date()
    if day < EARLIEST:
        raise ParseError(f"cell {row.cell(column)} ({HEADER[column]}) is {day}, before 2013")
    return day.isoformat()
