"""Nye metoder as sources: what is planned on the base URL, which methods a record concerns,
the decision page leading to its workbook, and the watchlist and settings that feed them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.polling.fetch import Fetcher, build_client
from bot.settings import load_settings
from bot.sources.base import LinkedDocument, ParseError, Query, Record
from bot.sources.nyemetoder import Decisions, MethodPages, nyemetoder_sources
from bot.sources.nyemetoder.methodpages import (
    owners_of,
    page_path,
    unreadable_links,
)
from bot.watchlist import Method
from tests.golden import FIXTURES
from tests.replay import ReplayServer

HERE = FIXTURES / "nyemetoder"
SITE = "https://www.nyemetoder.no"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEED_PAGE = "https://nyemetoder.no/metoder/id2019_015"  # illustrative slug (fixture README)

DUPILUMAB = Method(
    id="dupilumab-ad-12-17",
    title="Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år",
    substance="dupilumab",
    nye_metoder=["ID2019_015", "ID2017_055", "ID2018_113", "ID2019_082"],
    nye_metoder_url=["https://nyemetoder.no/metoder/dupilumab-dupixent", SEED_PAGE],
)
ASTHMA = Method(
    id="dupilumab-asthma-6-11",
    title="Dupilumab ved alvorlig astma hos barn 6-11 år",
    substance="dupilumab",
    nye_metoder=["ID2021_121"],
)
METHODS = [DUPILUMAB, ASTHMA]


def fixture(name: str) -> bytes:
    return (HERE / name).read_bytes()


def page_record(name: str, path: str, *, base: str = SITE) -> Record:
    source = MethodPages(base)
    query = Query(source.name, base + path, expected_keys=frozenset({path}), expect="html")
    (record,) = source.parse(query, 200, fixture(name), METHODS).records
    return record


# Planning


def test_each_watched_page_is_one_query_on_the_base_url() -> None:
    """A watchlist link's path is read on the configured base URL, once per distinct page."""
    twice = Method(id="other", title="t", substance="s", nye_metoder_url=[SEED_PAGE + "/"])
    plan = MethodPages("http://127.0.0.1:9000/").plan([DUPILUMAB, twice])
    assert [(q.url, q.expected_keys, q.expect) for q in plan] == [
        (
            "http://127.0.0.1:9000/metoder/dupilumab-dupixent/",
            frozenset({"/metoder/dupilumab-dupixent/"}),
            "html",
        ),
        ("http://127.0.0.1:9000/metoder/id2019_015/", frozenset({"/metoder/id2019_015/"}), "html"),
    ]


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://nyemetoder.no/metoder/dupilumab-dupixent", "/metoder/dupilumab-dupixent/"),
        ("https://www.nyemetoder.no/metoder/Dupilumab-Dupixent/", "/metoder/dupilumab-dupixent/"),
        ("https://www.nyemetoder.no/metoder/", None),
        ("https://nyemetoder.no/om-systemet/for-leverandorer/", None),
        ("https://evil.example/metoder/dupilumab-dupixent", None),
        ("https://nyemetoder.no/metoder/dupilumab-dupixent?x=1", None),
    ],
)
def test_only_method_pages_on_nyemetoder_are_read(url: str, path: str | None) -> None:
    """A link names a page only as /metoder/<slug> on nyemetoder.no (with or without www)."""
    assert page_path(url) == path


def test_links_that_name_no_method_page_are_reported() -> None:
    """Links that will never be read are listed, so `watchlist check` or `doctor` can say so."""
    method = Method(
        id="x", title="t", substance="s", nye_metoder_url=["https://evil.example/x", SEED_PAGE]
    )
    assert unreadable_links(method) == ["https://evil.example/x"]


def test_the_decision_page_is_planned_once_when_any_method_has_an_id() -> None:
    """One read of the decision page serves every method; none without a Nye metoder ID."""
    (query,) = Decisions("http://127.0.0.1:9000").plan(METHODS)
    assert (query.url, query.expect, query.expected_keys) == (
        "http://127.0.0.1:9000/innforing-av-nye-metoder/beslutning/",
        "html",
        frozenset(),
    )
    assert Decisions().plan([Method(id="x", title="t", substance="s")]) == []


def test_both_sources_are_built_on_one_base_url() -> None:
    """nyemetoder_sources gives the pages and the decisions, named as detection will know them."""
    sources = nyemetoder_sources("http://127.0.0.1:9000")
    assert [source.name for source in sources] == ["nyemetoder_pages", "nyemetoder_decisions"]


# Method page records


def test_a_page_record_is_keyed_by_its_path_and_links_to_the_public_site() -> None:
    """Key '/metoder/<slug>/', link on www.nyemetoder.no even when a mirror was read."""
    mirror = "http://127.0.0.1:9000"
    record = page_record("p2_dupilumab_dupixent.html", "/metoder/dupilumab-dupixent/", base=mirror)
    assert (record.source, record.key) == ("nyemetoder_pages", "/metoder/dupilumab-dupixent/")
    assert record.url == f"{SITE}/metoder/dupilumab-dupixent/"


def test_a_page_concerns_the_methods_that_link_it_or_share_its_ids() -> None:
    """P2 concerns dupilumab by its link and IDs; P1 concerns the asthma method by ID only."""
    assert page_record("p2_dupilumab_dupixent.html", "/metoder/dupilumab-dupixent/").method_ids == (
        "dupilumab-ad-12-17",
    )
    p1 = page_record(
        "p1_dupilumab_indikasjon_vi.html", "/metoder/dupilumab-dupixent-indikasjon-vi/"
    )
    assert p1.method_ids == ("dupilumab-asthma-6-11",)


def test_owners_keep_watchlist_order_and_are_indexed_once_per_list() -> None:
    """A page owned by link and by ID lists its methods in watchlist order; the index is built
    once for the same methods and again when they differ, also for a list edited in place, so
    an edited watchlist is never stale."""
    late = Method(id="a-late", title="t", substance="s", nye_metoder=["ID2019_015"])
    first = [DUPILUMAB, ASTHMA, late]
    owners = owners_of(first)
    assert owners_of(first) is owners and owners_of(list(first)) is owners
    page = owners.of_page("/metoder/id2019_015/", ["ID2019_015", "ID2021_121"])
    assert page == ("dupilumab-ad-12-17", "dupilumab-asthma-6-11", "a-late")
    assert owners.of_id("ID2021_121") == ("dupilumab-asthma-6-11",)
    assert owners.of_page("/metoder/unknown/", ["ID0000_000"]) == ()
    edited = [late, ASTHMA]
    assert owners_of(edited) is not owners
    assert owners_of(edited).of_page("/metoder/id2019_015/", ["ID2019_015"]) == ("a-late",)
    edited.remove(late)  # in place: the same list object, other methods
    assert owners_of(edited).of_page("/metoder/id2019_015/", ["ID2019_015"]) == ()


def test_an_error_status_is_a_parse_error() -> None:
    """A status the plan does not read (a 500, or a 404 on a query that does not allow it) is
    no method page, whatever its body."""
    source = MethodPages(SITE)
    planned = source.plan(METHODS)[0]
    with pytest.raises(ParseError, match="HTTP status 500"):
        source.parse(planned, 500, fixture("p1_dupilumab_indikasjon_vi.html"), METHODS)
    query = Query(source.name, f"{SITE}/metoder/x/", expected_keys=frozenset({"/metoder/x/"}))
    with pytest.raises(ParseError, match="HTTP status 404"):
        source.parse(query, 404, fixture("p1_dupilumab_indikasjon_vi.html"), METHODS)


@pytest.mark.parametrize("status", [404, 410])
def test_a_page_the_site_does_not_have_is_absent_and_named(status: int) -> None:
    """A planned page answering 404 or 410 holds no record (the page is absent, whatever the
    body says), says it was not found, and warns, naming the page and the methods linking it."""
    source = MethodPages(SITE)
    planned = source.plan(METHODS)[1]
    assert planned.ok_statuses == frozenset({200, 404, 410})
    page = source.parse(planned, status, fixture("p1_dupilumab_indikasjon_vi.html"), METHODS)
    path = source.path_of(planned)
    assert (page.records, page.not_found) == ([], True)
    assert page.warnings == [
        f"{path} answered {status} (not found): check nye_metoder_url of {METHODS[0].id}"
    ]
    found = source.parse(planned, 200, fixture("seed_1_ordered.html"), METHODS)
    assert (len(found.records), found.not_found, found.warnings) == (1, False, [])


# Decisions: page, workbook, records


def test_the_decision_page_leads_to_the_workbook_as_its_next_page() -> None:
    """Parsing the decision page yields no records and the workbook query (expect xlsx), a
    linked document (fetched with its own validators)."""
    source = Decisions(SITE)
    (query,) = source.plan(METHODS)
    page = source.parse(query, 200, fixture("beslutning.html"), METHODS)
    assert page.records == []
    assert page.next_query == LinkedDocument(
        "nyemetoder_decisions",
        f"{SITE}/globalassets/beslutninger/oversikt-beslutninger.xlsx",
        expect="xlsx",
        page=2,
    )


def test_the_workbook_yields_the_decisions_of_watched_ids_only() -> None:
    """Rows whose ID a method watches become records for those methods; others are left out."""
    source = Decisions(SITE)
    query = Query(source.name, f"{SITE}/x.xlsx", expect="xlsx", page=2)
    records = source.parse(query, 200, fixture("decisions.xlsx"), METHODS).records
    owners = sorted((r.fields["id"], r.method_ids) for r in records)
    assert owners == [
        ("ID2017_055", ("dupilumab-ad-12-17",)),
        ("ID2019_015", ("dupilumab-ad-12-17",)),
        ("ID2019_082", ("dupilumab-ad-12-17",)),
        ("ID2021_121", ("dupilumab-asthma-6-11",)),
    ]
    assert {r.url for r in records} == {f"{SITE}/innforing-av-nye-metoder/beslutning/"}


def test_both_sources_read_through_the_fetcher_from_a_local_site(replay: ReplayServer) -> None:
    """Over HTTP: the page and the decision page pass the html gate, the workbook the xlsx gate."""
    replay.route("/metoder/id2019_015/", fixture("seed_3_decided.html"), content_type="text/html")
    p2 = fixture("p2_dupilumab_dupixent.html")
    replay.route("/metoder/dupilumab-dupixent/", p2, content_type="text/html")
    replay.route(
        "/innforing-av-nye-metoder/beslutning/",
        fixture("beslutning.html"),
        content_type="text/html; charset=utf-8",
    )
    replay.route(
        "/globalassets/beslutninger/oversikt-beslutninger.xlsx",
        fixture("decisions.xlsx"),
        content_type=XLSX,
    )
    fetcher = Fetcher(build_client(timeout_seconds=5), max_tries=1)
    found: list[Record] = []
    for source in nyemetoder_sources(replay.url):
        for query in source.plan([DUPILUMAB]):
            next_query: Query | None = query
            while next_query is not None:
                answer = fetcher.fetch(next_query)
                page = source.parse(next_query, answer.status, answer.body, [DUPILUMAB])
                found += page.records
                next_query = page.next_query
    assert sorted(r.key.split(" ")[0] for r in found if r.source == "nyemetoder_decisions") == [
        "ID2017_055",
        "ID2019_015",
        "ID2019_082",
    ]
    pages = [r for r in found if r.source == "nyemetoder_pages"]
    assert [(r.key, r.fields["status"]) for r in pages] == [
        ("/metoder/dupilumab-dupixent/", None),
        ("/metoder/id2019_015/", "Beslutning foreligger"),
    ]


# Watchlist and settings


def test_nye_metoder_url_takes_one_link_or_a_list() -> None:
    """A single link stays valid; a list names every page of a method."""
    one = Method(id="a", title="t", substance="s", nye_metoder_url=SEED_PAGE)
    assert one.nye_metoder_url == [SEED_PAGE]
    assert DUPILUMAB.nye_metoder_url[1] == SEED_PAGE


def test_one_link_is_written_back_as_one_link_and_a_list_as_a_list() -> None:
    """Export and stored definitions keep the form the file usually has; both read back equal."""
    one = Method(id="a", title="t", substance="s", nye_metoder_url=SEED_PAGE)
    assert one.model_dump(mode="json")["nye_metoder_url"] == SEED_PAGE
    assert DUPILUMAB.model_dump(mode="json")["nye_metoder_url"] == DUPILUMAB.nye_metoder_url
    for method in (one, DUPILUMAB):
        assert Method.model_validate(method.model_dump(mode="json")) == method


@pytest.mark.parametrize(
    ("links", "reason"),
    [
        (["http://nyemetoder.no/metoder/x"], "is not an https:// link"),
        ([SEED_PAGE, SEED_PAGE], "lists the same value twice"),
    ],
)
def test_nye_metoder_url_refuses_plain_http_and_repeats(links: list[str], reason: str) -> None:
    """Every page link is https, and no page is listed twice."""
    with pytest.raises(ValidationError, match=reason):
        Method(id="a", title="t", substance="s", nye_metoder_url=links)


def test_the_base_url_and_pacing_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """NYEMETODER_BASE_URL defaults to the public site; requests are 2 s apart by default."""
    assert load_settings().nyemetoder_base_url == SITE
    assert load_settings().nyemetoder_min_interval == 2.0
    monkeypatch.setenv("NYEMETODER_BASE_URL", "http://127.0.0.1:9000")
    assert load_settings().nyemetoder_base_url == "http://127.0.0.1:9000"
