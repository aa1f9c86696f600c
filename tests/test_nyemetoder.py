"""Nye metoder parsers: golden fields for every page and workbook fixture, and every gate."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sources.base import ParseError
from bot.sources.nyemetoder.decisions import identity_key, read_decisions, workbook_link
from bot.sources.nyemetoder.pages import read_page
from bot.sources.nyemetoder.text import text_lines
from tests.golden import FIXTURES, assert_golden

HERE = FIXTURES / "nyemetoder"
SITE = "https://www.nyemetoder.no"
DECISION_PAGE = f"{SITE}/innforing-av-nye-metoder/beslutning/"

PAGES = [
    "p1_dupilumab_indikasjon_vi",
    "p2_dupilumab_dupixent",
    "iv_dupilumab_indikasjon_iv",
    "vii_dupilumab_indikasjon_vii",
    "unknown_badge",
    "seed_0_proposed",
    "seed_1_ordered",
    "seed_2_finished",
    "seed_3_decided",
]


def fixture(name: str) -> bytes:
    return (HERE / name).read_bytes()


def page(name: str) -> dict[str, Any]:
    return read_page(fixture(f"{name}.html"))


# Method pages: golden fields


@pytest.mark.parametrize("name", PAGES)
def test_method_page_fields_match_golden(name: str) -> None:
    """Each method page fixture reads to the reviewed fields in <name>.expected.json."""
    assert_golden(page(name), HERE / f"{name}.expected.json")


def test_current_layout_reads_header_badge_and_every_step() -> None:
    """P1: ID, title, indication, badge, Bestillerforum order, assessment dates and decision."""
    fields = page("p1_dupilumab_indikasjon_vi")
    assert fields["ids"] == ["ID2021_121"]
    assert fields["status"] == "Beslutning foreligger"
    assert fields["orders"] == [
        {
            "forum": "Bestillerforum for nye metoder",
            "date": "2021-10-25",
            "text": "Bestillerforum ser ikke behov for en egen metodevurdering av "
            "indikasjonsutvidelsen til barn fra 6 til 11 år.",
            "decision": "Prisnotat utarbeides av Sykehusinnkjøp HF, LIS.",
            "case": "197-21",
        }
    ]
    assessment = fields["assessment"]
    assert (assessment["ordered"], assessment["started"], assessment["finished"]) == (
        "2021-10-25",
        "2021-11-02",
        "2022-04-26",
    )
    assert assessment["cleared"] == "2022-05-03"


def test_older_layout_reads_several_ids_a_joint_report_and_numbered_points() -> None:
    """P2: three IDs in the header, Bestillerforum RHF, the clearing date, '1.' stripped."""
    fields = page("p2_dupilumab_dupixent")
    assert fields["ids"] == ["ID2017_055", "ID2018_113", "ID2019_082"]
    assert (fields["title"], fields["indication"], fields["status"]) == (
        "Dupilumab (Dupixent)",
        None,
        None,
    )
    decision = fields["decision"]
    assert decision["forum_date"] == "2020-02-24"
    assert decision["first_point"].startswith("Dupilumab (Dupixent®) kan innføres")


def test_an_unknown_badge_is_kept_verbatim() -> None:
    """A status badge the parser has not seen is stored as it stands, not dropped."""
    assert page("unknown_badge")["status"] == "Under revurdering"


def test_a_badge_that_reads_like_a_section_stays_the_badge() -> None:
    """A badge "Forslag" just above the section "Forslag" is the status, not the section."""
    body = fixture("unknown_badge.html").replace(b"Under revurdering", b"Forslag")
    fields = read_page(body)
    assert (fields["status"], fields["proposal"]["submitted"]) == ("Forslag", "2021-09-17")


def test_documents_are_read_with_their_dates_and_labels() -> None:
    """'(PDF) (Publisert …)', '(datert …)' and a bare '(dd.mm.yyyy)' are dated documents."""
    titles = {
        (d["title"], d["date"], d["label"])
        for d in page("vii_dupilumab_indikasjon_vii")["documents"]
    }
    assert ("Metodevurdering ID2022_114", "2024-01-29", "publisert") in titles
    assert ("Prisnotat", "2024-01-26", "datert") in titles
    assert ("Metodevarsel", "2022-08-18", None) in titles


def test_site_chrome_is_not_read_as_page_text() -> None:
    """Scripts, styles, navigation and footers are left out; blocks become lines."""
    lines = text_lines(fixture("p1_dupilumab_indikasjon_vi.html"))
    assert "Finn metode" not in lines and "Personvern" not in lines
    assert not any("dataLayer" in line or "font-weight" in line for line in lines)
    assert lines[0] == "ID2021_121"


@pytest.mark.parametrize(
    ("html", "lines"),
    [
        ("<p>a<br>b</p>c<br/>d", ["a", "b", "c", "d"]),  # <br> ends a line, in a block or not
        ("<div>d<span>e</span><div>f</div>g</div>", ["de", "f", "g"]),  # inline stays on its line
        ("<p>x<!-- hidden --><![CDATA[y]]><?pi z?></p>", ["xy"]),  # as get_text(): CDATA is text
        ("<p>one<script>var a;</script>two</p><nav><p>n</p></nav>end", ["onetwo", "end"]),
        ("<table><tr><td>a</td><td>b  c</td></tr></table>tail", ["a", "b c", "tail"]),
        ("<p>unclosed <b>bold <i>it</p> after", ["unclosed bold it", "after"]),
        ("<div>" * 3000 + "deep" + "</div>" * 3000, ["deep"]),  # no recursion limit on nesting
    ],
)
def test_text_lines_are_blocks_in_document_order(html: str, lines: list[str]) -> None:
    """Each block and each <br> ends a line; comments, processing instructions and skipped
    elements are no text; whitespace is collapsed and empty lines dropped."""
    assert text_lines(html.encode()) == lines


def test_label_and_value_on_one_line_are_read_too() -> None:
    """'Påbegynt: 02.11.2021' or 'Utreder: …' in one block reads like label and value in two."""
    body = (
        fixture("p1_dupilumab_indikasjon_vi.html")
        .replace(
            b"<dt>P\xc3\xa5begynt</dt><dd>02.11.2021</dd>", b"<p>P\xc3\xa5begynt: 02.11.2021</p>"
        )
        .replace(b"<dt>Utreder</dt><dd>", b"<p>Utreder: ")
    )
    assessment = read_page(body)["assessment"]
    assert (assessment["started"], assessment["assessor"]) == (
        "2021-11-02",
        "Sykehusinnkjøp HF, LIS.",
    )


# Method pages: gates


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("drift_no_forslag", "no 'Forslag' section"),
        ("drift_no_id_line", "no ID line (e.g. 'ID2021_121') before the 'Forslag' section"),
        ("drift_label_without_date", "section 'Metodevurdering': 'Påbegynt' is 'Q4 2021'"),
        ("drift_beslutning_without_date", "section 'Beslutning' has neither 'Beslutning tatt'"),
    ],
)
def test_a_page_that_drifted_from_the_known_layout_fails_with_its_reason(
    name: str, reason: str
) -> None:
    """A missing section, ID line or label value is a ParseError naming what is missing."""
    with pytest.raises(ParseError) as failure:
        page(name)
    assert reason in str(failure.value)


def test_a_label_without_a_value_fails() -> None:
    """A known label followed by another label (an empty value) is a ParseError."""
    body = fixture("p1_dupilumab_indikasjon_vi.html").replace(
        b"<dt>Utreder</dt><dd>Sykehusinnkj\xc3\xb8p HF, LIS.</dd>", b"<dt>Utreder</dt>"
    )
    with pytest.raises(ParseError, match="'Utreder' has no value"):
        read_page(body)


def test_an_impossible_date_fails() -> None:
    """31.02.2022 has the shape of a date but is none; it is drift, not a value."""
    body = fixture("p1_dupilumab_indikasjon_vi.html").replace(b"26.04.2022", b"31.02.2022")
    with pytest.raises(ParseError, match=r"'Ferdigstilt' is '31\.02\.2022', not a real date"):
        read_page(body)


def test_a_header_longer_than_any_known_layout_fails() -> None:
    """More than title, indication and badge after the ID line is an unknown header."""
    body = fixture("unknown_badge.html").replace(
        b"<div>Under revurdering</div>", b"<div>Under revurdering</div><div>Ny linje</div>"
    )
    with pytest.raises(ParseError, match="the header has 4 lines"):
        read_page(body)


def test_a_page_that_is_not_utf8_fails() -> None:
    """Bytes that are not UTF-8 are no page the parser can read."""
    with pytest.raises(ParseError, match="not UTF-8"):
        read_page(b"\xff\xfe<html></html>")


# Decision page: the workbook link


def test_the_decision_page_names_its_one_workbook() -> None:
    """The one .xlsx link on the site's own host, found twice (icon and text), is the workbook."""
    assert workbook_link(DECISION_PAGE, fixture("beslutning.html")) == (
        f"{SITE}/globalassets/beslutninger/oversikt-beslutninger.xlsx"
    )


def test_the_workbook_link_is_read_on_the_configured_host() -> None:
    """On a test server, only links on that server count as the site's own."""
    local = "http://127.0.0.1:8123/innforing-av-nye-metoder/beslutning/"
    assert workbook_link(local, fixture("beslutning.html")) == (
        "http://127.0.0.1:8123/globalassets/beslutninger/oversikt-beslutninger.xlsx"
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("beslutning_two_xlsx", "expected one .xlsx link on www.nyemetoder.no, found 2: "),
        ("beslutning_no_xlsx", "found 0 (and elsewhere: https://www.sykehusinnkjop.no/"),
    ],
)
def test_zero_or_several_workbook_links_fail_naming_what_was_found(name: str, reason: str) -> None:
    """The link is a gate: none or two on the site is a ParseError listing the links."""
    with pytest.raises(ParseError) as failure:
        workbook_link(DECISION_PAGE, fixture(f"{name}.html"))
    assert reason in str(failure.value)


# Decision workbook: golden decisions and gates


def test_workbook_decisions_match_golden() -> None:
    """Every decision of the workbook fixture reads to the reviewed fields."""
    assert_golden(read_decisions(fixture("decisions.xlsx")), HERE / "decisions.expected.json")


def test_the_1904_date_system_gives_the_same_dates() -> None:
    """The same decisions written with date1904 read to the same ISO dates."""
    assert read_decisions(fixture("decisions_1904.xlsx")) == read_decisions(
        fixture("decisions.xlsx")
    )


def test_a_repeated_id_with_two_indications_is_two_decisions() -> None:
    """Identity is ID plus indication: 2020_101 for indications 1 and 2 is two records."""
    decisions = read_decisions(fixture("decisions.xlsx"))
    repeated = [fields for fields in decisions.values() if fields["id"] == "ID2020_101"]
    assert [fields["indication"] for fields in repeated] == [
        "Illustrativ indikasjon 1",
        "Illustrativ indikasjon 2",
    ]


def test_one_identity_listed_twice_keeps_both_decision_texts() -> None:
    """2013_036 twice with one indication (spacing and case aside) is one decision, two texts."""
    decisions = read_decisions(fixture("decisions.xlsx"))
    fields = decisions[identity_key("ID2013_036", "illustrativ indikasjon a")]
    assert fields["decision_text"].count("Illustrativ beslutningstekst") == 2


def test_workbook_ids_get_the_prefix_of_the_pages() -> None:
    """'2019_015' in the workbook is 'ID2019_015'; '2016_004 A' is 'ID2016_004A'."""
    ids = {fields["id"] for fields in read_decisions(fixture("decisions.xlsx")).values()}
    assert {"ID2019_015", "ID2019_082", "ID2017_055", "ID2016_004A"} <= ids


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad_header", "header cell C1 is 'Handelsnavn', expected 'Handelsenavn'"),
        ("bad_formula", "cell G5 holds a formula (=DATE(2020,2,24))"),
        ("bad_title_row", "header cell A1 is 'Beslutninger i Beslutningsforum for nye metoder'"),
        ("bad_cover_sheet", "header cell A1 is 'Oversikten viser gjeldende beslutninger"),
        ("bad_extra_column", "cell J1 holds 'Lenke'; the sheet ends at column I"),
    ],
)
def test_a_workbook_that_changed_shape_fails_with_its_reason(name: str, reason: str) -> None:
    """Another header, a formula or another sheet layout is a ParseError naming the cell."""
    with pytest.raises(ParseError) as failure:
        read_decisions(fixture(f"{name}.xlsx"))
    assert reason in str(failure.value)


def test_bytes_that_are_no_zip_archive_fail() -> None:
    """An HTML error page in place of the workbook is no XLSX file."""
    with pytest.raises(ParseError, match="not a ZIP archive"):
        read_decisions(b"<!DOCTYPE html><html>Vedlikehold</html>")
