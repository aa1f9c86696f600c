"""The poll benchmark's synthetic world holds what a real watchlist meets: Nye metoder, a scope."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bench import nyeworld, payloads
from bench.benchwatchlist import write_watchlist
from bench.registries import Registries
from bot.sources.nyemetoder.decisions import read_decisions, workbook_link
from bot.sources.nyemetoder.pages import read_page
from bot.watchlist import read_watchlist

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
DECIDED = "Beslutning foreligger"
BADGES = {
    "proposed": None,
    "ordered": "Metodevurdering pågår",
    "finished": "Til beslutning",
}


def registries(methods: int = 40) -> Registries:
    return Registries(methods=methods, trials=5, ema_rows=100, per_day=10, now=NOW, fda_recent=30)


def decided_ids(body: bytes) -> dict[str, str | None]:
    return {fields["id"]: fields["decision_date"] for fields in read_decisions(body).values()}


def test_every_step_of_a_synthetic_page_reads_as_the_methods_own_page() -> None:
    """Pages at every step and in every decided layout parse, with the method's ID, its badge
    before a decision, and a decision on the date the workbook has."""
    for index in range(16):
        owner = payloads.watched(index, trials=5)
        fields = read_page(nyeworld.page(owner))
        assert fields["ids"] == [owner.nye_ids[0]]
        decided = fields["decision"]["forum_date"]
        if nyeworld.step(index) == "decided":
            assert decided == nyeworld.decision_date(index).isoformat()
        else:
            assert (fields["status"], decided) == (BADGES[nyeworld.step(index)], None)


def test_the_workbook_has_each_decided_watched_id_among_the_real_number_of_rows() -> None:
    """The workbook reads through the bot's gates: 1,005 decisions, the decided methods' among
    them on the date their pages show, no undecided method's."""
    world = registries()
    workbook = world.nye.workbook(world.nye.workbook_path) or b""
    found = decided_ids(workbook)
    assert len(read_decisions(workbook)) == nyeworld.REAL_ROWS
    for owner in world.owners:
        expected = nyeworld.decision_date(owner.index).isoformat()
        decided = nyeworld.step(owner.index) == "decided"
        assert found.get(owner.nye_ids[0]) == (expected if decided else None)


def test_a_decision_of_the_change_script_is_a_new_workbook_and_a_decided_page() -> None:
    """A decision: the page links a workbook under a new name holding it; the old name is gone;
    the method's page shows the decision of today and its badge."""
    world = registries()
    before = world.nye.workbook_path
    change = world.apply_changes(1, seed=3, kinds=("decision",))[0]
    owner = next(w for w in world.owners if w.method_id == change.split()[0])
    link = workbook_link("http://world" + nyeworld.DECISION_PAGE, world.nye.decision_page())
    assert world.nye.workbook(before) is None and link.endswith(world.nye.workbook_path)
    today = NOW.date().isoformat()
    assert (
        decided_ids(world.nye.workbook(world.nye.workbook_path) or b"")[owner.nye_ids[0]] == today
    )
    fields = read_page(world.nye.page(f"/metoder/{owner.page_slug}/") or b"")
    assert (fields["status"], fields["decision"]["forum_date"]) == (DECIDED, today)


def test_only_methods_til_beslutning_are_decided_by_the_change_script() -> None:
    """The change script decides methods whose page says "Til beslutning", none twice."""
    world = registries()
    changes = world.apply_changes(8, seed=5, kinds=("decision",))
    indexes = [int(change.split()[0].split("-")[1]) for change in changes]
    assert len(set(indexes)) == 8
    assert {nyeworld.step(index) for index in indexes} == {"finished"}


def test_openfda_candidates_query_is_answered_within_its_window_in_pages() -> None:
    """openFDA's candidates query gets the applications dated in its window, 1,000 a page; an
    empty window gets openFDA's 404 NOT_FOUND."""
    world = Registries(methods=5, trials=1, ema_rows=50, per_day=1, now=NOW, fda_recent=1200)
    search = "submissions.submission_status_date:[20261105 TO 20261205]"
    first = world.applications({"search": search, "limit": "1000"})
    rest = world.applications({"search": search, "limit": "1000", "skip": "1000"})
    assert (first.status, first.body.count(b'"application_number": "')) == (200, 1000)
    assert rest.body.count(b'"application_number": "') == 200
    empty = world.applications(
        {"search": "submissions.submission_status_date:[20200101 TO 20200102]"}
    )
    assert empty.status == 404 and b"NOT_FOUND" in empty.body


def test_the_benchmark_watchlist_links_a_share_of_pages_and_names_a_scope(tmp_path: Path) -> None:
    """Every method has its Nye metoder IDs, the asked share its page, and the file a scope."""
    path = write_watchlist(tmp_path / "w.yaml", 200, 5, pages=0.25)
    file = read_watchlist(path)
    assert all(method.nye_metoder for method in file.methods)
    linked = sum(bool(method.nye_metoder_url) for method in file.methods)
    assert abs(linked - 50) <= 1  # spread evenly: a quarter, give or take one
    assert file.scope is not None and file.scope.proposes
