"""The synthetic nyemetoder.no: a page per method, the decision page and the decision workbook.

Pages are the fixture pages (tests/fixtures/nyemetoder: the seed method's steps seed_0 … seed_3,
and the decided pages P1, IV and VII) with the method's ID, names and dates put in: each method
is at one step by its index (decided, proposed, assessment ordered, "Til beslutning"), its dates
moved back by up to a year. The site has a page for every method; the watchlist links a share.
The workbook (built with XlsxWriter, fixed properties: the same bytes for the same rows) holds a
row for every decided method's ID (and one for half of the second IDs), then the site's other
decisions up to the 1,005 rows the real workbook had (reference/nyemetoder.md §1). The change
script's decision: a method "til beslutning" is decided today; the workbook gains its row under a
new URL (as after every meeting), and its page shows the decision and the badge that says so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import xlsxwriter

from bench.payloads import FIXTURES, Watched, letters

HTML = "text/html; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DECISION_PAGE = "/innforing-av-nye-metoder/beslutning/"
PAGES = "/metoder/"
WORKBOOKS = "/globalassets/beslutninger/"
_FIXTURE_WORKBOOK = "/globalassets/beslutninger/oversikt-beslutninger.xlsx"
# Steps by method index (index % 4); a decided page is one of four fixture layouts.
STEPS = ("decided", "proposed", "ordered", "finished")
UNDECIDED = {
    "proposed": "seed_0_proposed.html",
    "ordered": "seed_1_ordered.html",
    "finished": "seed_2_finished.html",
}
# (fixture, the date of its Beslutningsforum decision)
DECIDED = (
    ("seed_3_decided.html", date(2020, 2, 24)),
    ("p1_dupilumab_indikasjon_vi.html", date(2022, 5, 23)),
    ("vii_dupilumab_indikasjon_vii.html", date(2024, 5, 27)),
    ("iv_dupilumab_indikasjon_iv.html", date(2022, 10, 18)),
)
REAL_ROWS = 1005  # data rows of the real workbook on 2026-09-11
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
METHOD_TYPES = (
    "Legemidler",
    "Legemidler",
    "Medisinsk utstyr, diagnostikk og tester",
    "Prosedyrer og organisatoriske tiltak",
)
AREAS = ("Onkologi", "Nevrologi", "Hud", "Lunge", "Revmatologi", "Hematologi", "Kirurgi")
PRICE = "2. Det forutsetter at prisen er lik eller lavere enn prisen beslutningen bygger på."
EXCEL_EPOCH = date(1899, 12, 30)
_CREATED = datetime(2026, 1, 5, 12, 0, 0)  # fixed document properties: reproducible bytes

_ID = re.compile(r"ID\d{4}_\d{3}", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")
_NAMES = (("Dupilumab", "{Substance}"), ("dupilumab", "{substance}"), ("Dupixent", "{Trade}"))


def step(index: int) -> str:
    """The step method `index`'s page is at."""
    return STEPS[index % len(STEPS)]


def shift(index: int) -> timedelta:
    """How far back method `index`'s dates are moved from the fixture's."""
    return timedelta(days=index % 365)


def _decided_fixture(index: int) -> tuple[str, date]:
    return DECIDED[index // len(STEPS) % len(DECIDED)]


def decision_date(index: int) -> date:
    """The date of a decided method's Beslutningsforum decision (page and workbook agree)."""
    return _decided_fixture(index)[1] - shift(index)


@cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / "nyemetoder" / name).read_text(encoding="utf-8")


def page(owner: Watched, *, decided_on: date | None = None) -> bytes:
    """The method page of `owner` at its step, or decided on `decided_on` (the change script)."""
    index = owner.index
    if decided_on is not None:
        name, when = DECIDED[0]  # seed_2 (finished) becomes seed_3: badge and decision added
    elif step(index) == "decided":
        name, when = _decided_fixture(index)
    else:
        name, when = UNDECIDED[step(index)], None
    nye_id = owner.nye_ids[0]
    # IDs as written on the page, and in lower case in document links ("prisnotat-id2021_121.pdf")
    text = _ID.sub(lambda m: nye_id.lower() if m[0].islower() else nye_id, _fixture_text(name))
    for old, new in _NAMES:
        text = text.replace(old, new)
    text = text.replace("{Substance}", owner.substance.capitalize())
    text = text.replace("{substance}", owner.substance).replace("{Trade}", owner.trade_name)
    moved = {when.strftime("%d.%m.%Y"): decided_on} if when and decided_on else {}
    return _DATE.sub(lambda m: _moved(m, shift(index), moved), text).encode("utf-8")


def _moved(match: re.Match[str], back: timedelta, pinned: dict[str, date]) -> str:
    day = pinned.get(match[0]) or date(int(match[3]), int(match[2]), int(match[1])) - back
    return day.strftime("%d.%m.%Y")


class NyeMetoder:
    """nyemetoder.no for `owners`: pages by slug, the decision page, the current workbook."""

    def __init__(self, owners: Sequence[Watched]) -> None:
        self.owners = owners
        self.by_slug = {owner.page_slug: owner for owner in owners}
        self.decided: dict[int, date] = {}  # decided by the change script, on that day
        self.version = 1
        self._workbook: bytes | None = None

    @property
    def workbook_path(self) -> str:
        """Where the current workbook is (a new name after every meeting)."""
        return f"{WORKBOOKS}oversikt-beslutninger-{self.version}.xlsx"

    def page(self, path: str) -> bytes | None:
        """The page at `/metoder/<slug>/`, or None."""
        owner = self.by_slug.get(path.removeprefix(PAGES).strip("/"))
        if owner is None:
            return None
        return page(owner, decided_on=self.decided.get(owner.index))

    def decision_page(self) -> bytes:
        """The decision page; its workbook link (twice, as in the fixture) names the current one."""
        text = _fixture_text("beslutning.html")
        text = text.replace("https://www.nyemetoder.no" + _FIXTURE_WORKBOOK, _FIXTURE_WORKBOOK)
        return text.replace(_FIXTURE_WORKBOOK, self.workbook_path).encode("utf-8")

    def workbook(self, path: str) -> bytes | None:
        """The current workbook (an earlier name is gone)."""
        if path != self.workbook_path:
            return None
        if self._workbook is None:
            self._workbook = workbook(self.rows())
        return self._workbook

    def eligible(self, index: int) -> bool:
        """Whether the change script may decide method `index` (it is "til beslutning")."""
        return step(index) == "finished" and index not in self.decided

    def decide(self, owner: Watched, today: date) -> str:
        """Beslutningsforum decides `owner`'s method today: a new workbook, the page updated."""
        self.decided[owner.index] = today
        self.version += 1
        self._workbook = None
        return f"{owner.method_id} {owner.nye_ids[0]} decided {today.isoformat()}"

    def rows(self) -> list[tuple[Any, ...]]:
        """The workbook's rows: the watched decisions, the site's others, today's new ones."""
        rows = []
        for owner in self.owners:
            if step(owner.index) == "decided":
                rows.append(_row(owner, owner.nye_ids[0], decision_date(owner.index)))
                if len(owner.nye_ids) > 1 and owner.index % 14 == 6:
                    rows.append(_row(owner, owner.nye_ids[1], decision_date(owner.index)))
        rows += [_other(k) for k in range(max(0, REAL_ROWS - len(rows)))]
        decided = sorted(self.decided.items(), key=lambda item: (item[1], item[0]))
        return rows + [_row(self.owners[i], self.owners[i].nye_ids[0], day) for i, day in decided]


def _row(owner: Watched, nye_id: str, decided: date) -> tuple[Any, ...]:
    name = f"{owner.substance.capitalize()} ({owner.trade_name})"
    text = (
        f"1. {name} kan innføres til behandling av pasienter med {owner.condition.lower()} der "
        f"systemisk behandling er indisert.\n{PRICE}\n{_conditions(owner.index, decided)}"
    )
    return (
        nye_id.removeprefix("ID"),
        owner.substance.capitalize(),
        owner.trade_name,
        f"Behandling av {owner.condition.lower()} ({nye_id})",
        "Legemidler",
        AREAS[owner.index % len(AREAS)],
        decided,
        "Innført",
        text,
    )


def _other(k: int) -> tuple[Any, ...]:
    """One of the site's other decisions (IDs numbered 800-999, which no method has)."""
    kind = METHOD_TYPES[k % len(METHOD_TYPES)]
    drug = kind == "Legemidler"
    substance = f"Fillerstat{letters(k, width=3)}" if drug or k % 3 else None
    short = ("Innført", "Ikke innført", "Innført med vilkår")[k % 3]
    when = date(2014, 1, 1) + timedelta(days=k * 11 % 4300)
    text = f"1. {substance or 'Metoden'} {short.lower()} til indikasjon {k}.\n{PRICE}"
    text += f"\n{_conditions(k, when)}"
    return (
        f"{2013 + k // 200}_{800 + k % 200:03d}",
        substance,
        f"Filler{letters(k, width=3)}" if drug else None,
        f"Illustrativ indikasjon {k}",
        kind,
        AREAS[k % len(AREAS)],
        when if k % 50 else 0,
        short,
        text,
    )


def _conditions(k: int, decided: date) -> str:
    """Further points of a decision (the real texts run to about 6,000 characters)."""
    return (
        f"3. Behandlingen skal startes og følges opp av spesialist (sak {k % 200}-{decided:%y}).\n"
        f"4. Beslutningen gjelder fra {decided + timedelta(days=14):%d.%m.%Y}, når ny pris kan "
        f"gjelde fra dette tidspunktet. Regionale fagmiljøer skal utarbeide kriterier for start "
        f"og stopp av behandlingen, og effekt skal følges opp i kvalitetsregister {k % 17 + 1}."
    )


def workbook(rows: list[tuple[Any, ...]]) -> bytes:
    """The workbook of `rows` under the documented header, dates as Excel serial numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"author": "Metodevakt benchmark", "created": _CREATED})
    sheet = book.add_worksheet("Beslutninger")
    shown = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(rows, start=1):
        *before, when = row[:7]
        sheet.write_row(number, 0, before)
        serial = (when - EXCEL_EPOCH).days if isinstance(when, date) else when
        sheet.write_number(number, 6, serial, shown if number % 2 else None)
        sheet.write_row(number, 7, row[7:])
    book.close()
    return out.getvalue()
