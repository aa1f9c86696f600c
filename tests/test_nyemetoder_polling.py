"""Polling Nye metoder: cadence, politeness, Accept headers, the conditional workbook, the
fingerprints a new baseline depends on, and one dedupe key per decision across sources."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.detection.detect import Change
from bot.polling.planstate import fingerprint, watch_fingerprint
from bot.polling.poll import PollResult, poll_source
from bot.runtime import Runtime, host_intervals, open_runtime, poll_intervals, registered_sources
from bot.settings import Settings
from bot.sources.changes import WATCHED_FIELDS
from bot.sources.nyemetoder import DECISIONS, PAGES
from bot.storage.tables import EventRow, OutboxRow, Snapshot
from bot.watchlist import Method, load_watchlist
from tests.replay import ReplayServer
from tests.world import (
    NYE_DECISIONS,
    NYE_PAGE,
    NYE_SEED_PAGE,
    NYE_WORKBOOK,
    SEED,
    DupilumabWorld,
    nye_fixture,
)

# Computed with the code before sources declared what they watch (commit 651f4e8): existing
# baselines must not move, or every method re-baselines silently once on upgrade.
SEED_FINGERPRINT = "dupilumab-ad-12-17:199104f906cb56a5"
SEED_WATCH = "68c53b9dc3544d5b"
TRIAL_CHANGE_KEY = "1724079c2bfa2eb99f76a86b332ee082b50014058b837558f97a1545860a4884"


@pytest.fixture
def world(replay: ReplayServer) -> DupilumabWorld:
    return DupilumabWorld(replay)


@pytest.fixture
def runtime(world: DupilumabWorld, database_url: str) -> Iterator[Runtime]:
    runtime = open_runtime(world.settings(database_url=database_url))
    yield runtime
    runtime.close()


def nye_sources(runtime: Runtime) -> list[object]:
    return [s for s in runtime.sources() if s.name in (PAGES, DECISIONS)]


def poll_alone(runtime: Runtime, name: str, methods: list[Method]) -> PollResult:
    """One poll of the source `name` for `methods` (not the runtime's watchlist)."""
    source = next(s for s in runtime.sources() if s.name == name)
    return poll_source(
        source,
        fetcher=runtime.fetcher,
        sessions=runtime.sessions,
        methods=methods,
        default_channel=None,
    )


def not_found_notices(runtime: Runtime) -> list[str]:
    """The pages named in queued admin notices of a page not found, sorted."""
    with runtime.sessions() as session:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "admin"))
        payloads = [row.payload or {} for row in rows]
    return sorted(str(payload["not_found"]) for payload in payloads if "not_found" in payload)


def requests_to(replay: ReplayServer, path: str, *, since: int = 0) -> list[dict[str, str]]:
    return [r.headers for r in replay.requests[since:] if r.path == path]


# Cadence and politeness


def test_pages_are_read_every_few_hours_and_the_decision_page_every_cycle() -> None:
    """NYEMETODER_POLL_HOURS (default 6) paces the pages; the decisions follow the poll interval."""
    assert poll_intervals(Settings())[PAGES] == timedelta(hours=6)
    assert poll_intervals(Settings())[DECISIONS] == timedelta(minutes=60)
    settings = Settings(nyemetoder_poll_hours=12, poll_interval_minutes=30)
    assert poll_intervals(settings)[PAGES] == timedelta(hours=12)
    assert poll_intervals(settings)[DECISIONS] == timedelta(minutes=30)


def test_nyemetoder_is_paced_and_a_shared_host_gets_the_strictest_interval() -> None:
    """www.nyemetoder.no waits NYEMETODER_MIN_INTERVAL (2 s); a mirror shared with another
    source is paced by the stricter of the two."""
    assert host_intervals(Settings())["www.nyemetoder.no"] == 2.0
    shared = Settings(
        fda_base_url="http://127.0.0.1:9000", nyemetoder_base_url="http://127.0.0.1:9000"
    )
    assert host_intervals(shared)["127.0.0.1"] == 2.0
    assert (
        host_intervals(shared.model_copy(update={"nyemetoder_min_interval": 0.5}))["127.0.0.1"]
        == 1.0
    )  # FDA_MIN_INTERVAL


def test_both_sources_are_registered_once(runtime: Runtime) -> None:
    """The pages and the decisions are registered sources, read on NYEMETODER_BASE_URL."""
    names = [source.name for source, _every in registered_sources(runtime.settings)]
    assert names.count(PAGES) == names.count(DECISIONS) == 1
    assert all(
        getattr(s, "base_url", None) == runtime.settings.nyemetoder_base_url
        for s in nye_sources(runtime)
    )


def test_pages_ask_for_html_and_the_workbook_for_xlsx(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """Each request names the body kind its gate reads in Accept."""
    runtime.poll(nye_sources(runtime))  # type: ignore[arg-type]
    assert requests_to(replay, NYE_PAGE)[0]["accept"] == "text/html"
    assert requests_to(replay, NYE_DECISIONS)[0]["accept"] == "text/html"
    accept = requests_to(replay, NYE_WORKBOOK)[0]["accept"]
    assert accept.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# Conditional GET


def test_an_unchanged_workbook_is_not_downloaded_again(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """Second cycle: the page and the workbook answer 304; the decision page is read whole
    (it names the workbook); the decisions' snapshots stay as they were."""
    sources = nye_sources(runtime)
    runtime.poll(sources)  # type: ignore[arg-type]
    stored = snapshots(runtime, DECISIONS)
    since = len(replay.requests)
    pages, decisions = runtime.poll(sources)  # type: ignore[arg-type]
    assert (pages.requests, pages.not_modified) == (1, 1)
    assert (decisions.requests, decisions.not_modified, decisions.ok) == (2, 1, True)
    assert "if-none-match" in requests_to(replay, NYE_WORKBOOK, since=since)[0]
    assert "if-none-match" not in requests_to(replay, NYE_DECISIONS, since=since)[0]
    assert snapshots(runtime, DECISIONS) == stored


def test_a_changed_workbook_is_read_and_then_cached_again(
    runtime: Runtime, world: DupilumabWorld
) -> None:
    """A new workbook under the same link is read (200) and its decisions stored; the cycle
    after it is a 304 again."""
    sources = nye_sources(runtime)
    world.serve_nye_metoder(workbook="decisions_before_2020_02_24.xlsx")
    runtime.poll(sources)  # type: ignore[arg-type]
    assert len(snapshots(runtime, DECISIONS)) == 1
    world.serve_nye_metoder(workbook="decisions.xlsx")
    _pages, changed = runtime.poll(sources)  # type: ignore[arg-type]
    assert (changed.requests, changed.not_modified) == (2, 0)
    assert len(snapshots(runtime, DECISIONS)) == 3
    _pages, again = runtime.poll(sources)  # type: ignore[arg-type]
    assert (again.requests, again.not_modified) == (2, 1)


def snapshots(runtime: Runtime, source: str) -> dict[str, str]:
    with runtime.sessions() as session:
        rows = session.scalars(select(Snapshot).where(Snapshot.source == source))
        return {row.key: row.content_hash for row in rows}


@pytest.mark.parametrize(
    ("serve", "source", "reason"),
    [
        ({"workbook": "bad_header.xlsx"}, DECISIONS, "header cell C1 is 'Handelsnavn'"),
        ({"workbook": "bad_formula.xlsx"}, DECISIONS, "holds a formula"),
        ({"page": "drift_no_forslag.html"}, PAGES, "no 'Forslag' section"),
    ],
)
def test_a_failed_gate_changes_nothing_and_says_why(
    runtime: Runtime,
    world: DupilumabWorld,
    replay: ReplayServer,
    serve: dict[str, str],
    source: str,
    reason: str,
) -> None:
    """A workbook with another header or a formula, a page without its sections: the source
    fails with the precise reason; its snapshots stay and nothing is alerted."""
    sources = nye_sources(runtime)
    runtime.poll(sources)  # type: ignore[arg-type]
    stored = snapshots(runtime, source)
    if "page" in serve:
        replay.route(NYE_PAGE, nye_fixture(serve["page"]), content_type="text/html")
    else:
        world.serve_nye_metoder(workbook=serve["workbook"])
    results = {r.source: r for r in runtime.poll(sources)}  # type: ignore[arg-type]
    assert not results[source].ok and reason in str(results[source].reason)
    assert snapshots(runtime, source) == stored
    with runtime.sessions() as session:
        assert list(session.scalars(select(EventRow))) == []


def test_a_page_the_site_does_not_have_fails_only_that_page(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """A linked page answering 404 is named in a warning at every read (a 404 keeps no
    validators) and in one admin notice ever; the source stays up, the other page is read,
    nothing is alerted; a page that was read before and now answers 404 is removed only after
    three reads, with one low-importance change."""
    runtime.poll()
    (method,) = runtime.methods()
    gone = "https://nyemetoder.no" + NYE_SEED_PAGE
    two = method.model_copy(update={"nye_metoder_url": [*method.nye_metoder_url, gone]})
    missing = b"<!DOCTYPE html><html><body><h1>Siden finnes ikke</h1></body></html>"
    replay.route(NYE_SEED_PAGE, missing, content_type="text/html", status=404)

    def read() -> PollResult:
        return poll_alone(runtime, PAGES, [two])

    first = read()
    assert first.ok and first.events == 0
    assert first.warnings == [
        f"{NYE_SEED_PAGE} answered 404 (not found): check nye_metoder_url of {method.id}"
    ]
    assert set(snapshots(runtime, PAGES)) == {NYE_PAGE}
    assert not_found_notices(runtime) == [NYE_SEED_PAGE]
    replay.route(NYE_PAGE, missing, content_type="text/html", status=404)
    results = [read() for _ in range(3)]
    assert all(result.ok and len(result.warnings) == 2 for result in results)
    assert [result.events for result in results] == [0, 0, 1]
    assert not any("if-none-match" in headers for headers in requests_to(replay, NYE_SEED_PAGE))
    assert not_found_notices(runtime) == [NYE_PAGE, NYE_SEED_PAGE]
    with runtime.sessions() as session:
        (event,) = session.scalars(select(EventRow))
    assert (event.record_key, event.kind, event.importance) == (
        NYE_PAGE,
        "no_longer_listed",
        "low",
    )


def test_most_pages_not_found_is_a_site_that_moved_and_changes_nothing(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """Three of three pages answering 404 is no news about each page: the pages source fails
    with the reason, its snapshots stay, and no absence is counted towards a removal."""
    runtime.poll()
    (method,) = runtime.methods()
    links = [*method.nye_metoder_url, "https://nyemetoder.no" + NYE_SEED_PAGE]
    three = method.model_copy(
        update={"nye_metoder_url": [*links, "https://nyemetoder.no/metoder/tredje/"]}
    )
    stored = snapshots(runtime, PAGES)
    missing = b"<!DOCTYPE html><html><body><h1>Siden finnes ikke</h1></body></html>"
    for path in (NYE_PAGE, NYE_SEED_PAGE, "/metoder/tredje/"):
        replay.route(path, missing, content_type="text/html", status=404)
    for _ in range(3):
        result = poll_alone(runtime, PAGES, [three])
        assert not result.ok
        assert "3 of 3 requests answered that the page does not exist" in str(result.reason)
    assert snapshots(runtime, PAGES) == stored
    assert not_found_notices(runtime) == []  # the source failed: its down notice tells
    with runtime.sessions() as session:
        assert list(session.scalars(select(EventRow))) == []
        assert {row.missing_count for row in session.scalars(select(Snapshot))} == {0}


# Fingerprints: what a new, silent baseline depends on


def test_existing_sources_keep_their_fingerprints() -> None:
    """The seed method's fingerprint and the watch fingerprint of the sources before Nye metoder
    are what they were, so an upgrade starts no new baseline there."""
    (method,) = load_watchlist(SEED)
    assert fingerprint(method) == SEED_FINGERPRINT
    assert watch_fingerprint([method]) == SEED_WATCH
    others = [s for s, _ in registered_sources(Settings()) if s.name not in (PAGES, DECISIONS)]
    assert others and all(source.rules.watches == WATCHED_FIELDS for source in others)


def test_nye_metoder_fingerprints_cover_the_ids_and_the_page_links() -> None:
    """New IDs move both Nye metoder fingerprints, a new page link the pages' only; neither
    moves another source's, and a new trial moves neither Nye metoder fingerprint."""
    (method,) = load_watchlist(SEED)
    rules = {s.name: s.rules.watches for s, _ in registered_sources(Settings())}
    ids = method.model_copy(update={"nye_metoder": [*method.nye_metoder, "ID2021_121"]})
    link = method.model_copy(update={"nye_metoder_url": ["https://nyemetoder.no/metoder/x"]})
    trial = method.model_copy(update={"trials": [*method.trials, "NCT00000001"]})

    def moved(changed: object, source: str) -> bool:
        watches = rules[source]
        return fingerprint(changed, watches=watches) != fingerprint(method, watches=watches)  # type: ignore[arg-type]

    assert moved(ids, PAGES) and moved(ids, DECISIONS) and not moved(ids, "clinicaltrials")
    assert moved(link, PAGES) and not moved(link, DECISIONS)
    assert not moved(trial, PAGES) and not moved(trial, DECISIONS) and moved(trial, "openfda")


def test_a_new_id_is_learnt_silently_and_read_afresh(
    runtime: Runtime, replay: ReplayServer
) -> None:
    """A method that adds an ID gets its decisions in the workbook as a silent baseline: the
    workbook is read whole (not a 304) and nothing is alerted."""
    runtime.poll()
    (method,) = runtime.methods()
    wider = method.model_copy(update={"nye_metoder": [*method.nye_metoder, "ID2021_121"]})
    since = len(replay.requests)
    result = poll_alone(runtime, DECISIONS, [wider])
    assert result.ok and result.not_modified == 0 and result.events == 0
    assert "if-none-match" not in requests_to(replay, NYE_WORKBOOK, since=since)[0]
    assert any(key.startswith("ID2021_121 ") for key in snapshots(runtime, DECISIONS))
    with runtime.sessions() as session:
        assert list(session.scalars(select(EventRow))) == []


# One dedupe key per decision


def test_changes_with_one_identity_share_a_dedupe_key_whatever_their_source() -> None:
    """Page and workbook report of one decision hash alike per method; other methods and other
    kinds do not; a change without identity keeps the key it always had."""
    page = _decision("nyemetoder_pages", "/metoder/id2019_015/", "dupilumab-ad-12-17")
    book = _decision("nyemetoder_decisions", "ID2019_015 abc", "dupilumab-ad-12-17")
    other = _decision("nyemetoder_decisions", "ID2019_015 abc", "another-method")
    assert page.dedupe_key == book.dedupe_key != other.dedupe_key
    trial = Change(
        "dupilumab-ad-12-17",
        "clinicaltrials",
        "NCT02612454",
        "trial_status",
        "normal",
        {"overall_status": "ACTIVE_NOT_RECRUITING"},
        {"overall_status": "COMPLETED"},
        "https://clinicaltrials.gov/study/NCT02612454",
        "NCT02612454",
        "2026-11-24",
    )
    assert trial.dedupe_key == TRIAL_CHANGE_KEY


def _decision(source: str, key: str, method_id: str) -> Change:
    new = {"decision_date": "2020-02-24", "first_point": f"from {source}"}
    url = "https://www.nyemetoder.no/"
    return Change(
        method_id,
        source,
        key,
        "nyemetoder_decision",
        "high",
        None,
        new,
        url,
        key,
        identity="beslutningsforum 2020-02-24",
    )
