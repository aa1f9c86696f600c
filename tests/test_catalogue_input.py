"""Catalogue §5.2, bad input (I1-I8): what people type and write, and an unknown drug."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.storage.tables import OutboxRow, SourceState
from bot.watchlist import WatchlistError, load_watchlist
from tests.apphost import ask, db_state, open_app_runtime, serving
from tests.fakeslack import FakeSlack
from tests.golden import FIXTURES
from tests.replay import ReplayServer
from tests.world import OPENFDA, SEED, DupilumabWorld

TITLE = "Dupilumab (Dupixent) til behandling av atopisk eksem"
HELP = "Slik bruker du /metode"
# Billion laughs in YAML: nine levels of nine aliases each, 9^9 "lol"s once expanded.
ALIAS_BOMB = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "methods: []\n"
)
runner = CliRunner()


@pytest.fixture
def runtime(replay: ReplayServer, fake_slack: FakeSlack, database_url: str) -> Iterator[Runtime]:
    runtime = open_app_runtime(DupilumabWorld(replay), fake_slack, database_url)
    yield runtime
    runtime.close()


@pytest.fixture
def base(runtime: Runtime) -> Iterator[str]:
    with serving(runtime) as url:
        yield url


# I1-I3: /metode


def test_i01_ten_thousand_characters_get_a_short_refusal_at_once(
    base: str, fake_slack: FakeSlack, replay: ReplayServer
) -> None:
    """10,000 characters: a short ephemeral "at most 200"; no source is asked, nothing echoed.

    How fast the refusal comes is measured by `bench/guards.py`, not asserted here.
    """
    answer = ask(base, fake_slack, "dupilumab " * 1000, "i1")
    assert answer["response_type"] == "ephemeral"
    assert len(answer["text"]) <= 200 and "200" in answer["text"]
    assert "dupilumab" not in json.dumps(answer)
    assert replay.requests == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", HELP),
        (" \t  ", HELP),
        ("\u200b\u200c\u200d\u2060\ufeff", HELP),
        ("\u202e\u202d", HELP),
        ("💊🧴", "Fant ingen metode for «💊🧴»"),
        ("\u202edupilumab", TITLE),
        ("dupi\u200blumab\u200d", TITLE),
        ("Dupixe\u0301nt", TITLE),
        ("  dupilumab\u00ad  ", TITLE),
    ],
    ids=["empty", "whitespace", "zero-width", "rtl-only", "emoji", "rtl", "zwsp", "nfd", "shy"],
)
def test_i02_empty_and_invisible_input_is_normalised(
    base: str, fake_slack: FakeSlack, typed: str, expected: str
) -> None:
    """Blank or invisible-only input gets the help; invisible characters never stop a match."""
    answer = ask(base, fake_slack, typed, "i2")
    shown = json.dumps(answer, ensure_ascii=False)
    assert expected in answer["text"]
    for invisible in ("\u202e", "\u202d", "\u200b", "\u200d", "\ufeff", "\u00ad"):
        assert invisible not in shown


def test_i03_mentions_typed_after_metode_are_echoed_escaped(
    base: str, fake_slack: FakeSlack
) -> None:
    """`/metode <!channel>` (and other mentions) come back as text that pings nobody."""
    answer = ask(base, fake_slack, "<!channel> <!here> <@U1> <!subteam^S1>", "i3")
    shown = json.dumps(answer, ensure_ascii=False)
    assert "«&lt;!channel&gt; &lt;!here&gt; &lt;@U1&gt; &lt;!subteam^S1&gt;»" in answer["text"]
    assert "<!" not in shown and "<@" not in shown
    assert answer["unfurl_links"] is False and "link_names" not in answer


# I4-I7: the watchlist file


@pytest.fixture
def seeded(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    """A database seeded from the shipped watchlist; the CLI reads the same database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    runtime = open_runtime(Settings(database_url=database_url, watchlist_file=SEED))
    yield runtime
    runtime.close()


def broken_seed(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The shipped watchlist with one line changed; returns the file and that line's number."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(old))
    lines[index] = new + lines[index][len(old) :]
    path = tmp_path / "watchlist.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, index + 1


@pytest.mark.parametrize(
    ("old", "new", "field", "suggested"),
    [
        ("methods:", "metohds:", "metohds", "methods"),
        ("    trade_names:", "    trade_nmaes:", "methods[0].trade_nmaes", "trade_names"),
    ],
    ids=["top-level", "method"],
)
def test_i04_unknown_watchlist_key_names_line_and_suggests(
    seeded: Runtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    field: str,
    suggested: str,
) -> None:
    """A misspelt key: file:line and did-you-mean; the bot will not start, its methods stay."""
    path, line = broken_seed(tmp_path, old, new)
    key = field.rsplit(".", 1)[-1]
    expected = f"{path}:{line}: {field}: unknown key '{key}' (did you mean '{suggested}'?)"
    check = runner.invoke(cli, ["watchlist", "check", str(path)])
    assert check.exit_code == 1 and expected in check.output.splitlines()

    before = db_state(seeded)
    monkeypatch.setenv("WATCHLIST_FILE", str(path))
    start = runner.invoke(cli, ["status"])
    assert start.exit_code == 1 and "watchlist is not valid" in start.output
    assert expected in start.output
    assert db_state(seeded) == before and before[0][0][:2] == ("dupilumab-ad-12-17", True)


def test_i05_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    """A key written twice in one method is refused, naming the second line and the first."""
    path, line = broken_seed(tmp_path, "    area:", "    substance:")
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i + 1 for i, text in enumerate(lines) if text.startswith("    substance:"))
    with pytest.raises(WatchlistError) as caught:
        load_watchlist(path)
    assert str(caught.value) == (
        f"{path}:{line}: methods[0].substance: duplicate key 'substance' (first on line {first})"
    )
    assert first < line


def test_i06_yaml_1_1_lookalikes_stay_the_text_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    """`NO`, `on` and `0123` unquoted stay those strings (never False, True or 83), end to end."""
    path = tmp_path / "watchlist.yaml"
    path.write_text(
        "methods:\n"
        "  - id: yaml-lookalikes\n"
        "    title: Metode med vanskelige navn\n"
        "    substance: on\n"
        "    trade_names: [NO, 0123, Off, yes, 1e3]\n"
        "    mt_holder: NO\n"
    )
    (method,) = load_watchlist(path)
    assert (method.substance, method.mt_holder) == ("on", "NO")
    assert method.trade_names == ["NO", "0123", "Off", "yes", "1e3"]
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WATCHLIST_FILE", str(path))
    for typed in ("NO", "0123", "on"):
        result = runner.invoke(cli, ["lookup", typed])
        assert result.exit_code == 0 and "Metode med vanskelige navn" in result.output


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("methods: []\n" + "# padding\n" * 1_000_000, "larger than 1 MB"),
        ("methods: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("methods:\n" + "".join("  " * i + "-\n" for i in range(1, 40)), "nested too deeply"),
        (
            ALIAS_BOMB,
            "anchors and aliases (&, *) are not allowed",
        ),
    ],
    ids=["10MB", "deep-flow", "deep-block", "alias-bomb"],
)
def test_i07_huge_deep_and_alias_bomb_watchlists_are_refused(
    tmp_path: Path, text: str, problem: str
) -> None:
    """A 10 MB file, 5,000 levels of nesting and a billion-laughs alias bomb: refused by the
    guard that runs before parsing (its message says which); timed in `bench/guards.py`."""
    path = tmp_path / "watchlist.yaml"
    path.write_text(text)
    with pytest.raises(WatchlistError) as caught:
        load_watchlist(path)
    assert problem in str(caught.value) and str(caught.value).startswith(f"{path}:")


# I8: an unknown drug


def test_i08_openfda_not_found_is_no_records_not_a_failure(
    replay: ReplayServer, fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    """openFDA's 404 NOT_FOUND for an unknown drug: an ok poll with no records, source healthy."""
    path = tmp_path / "watchlist.yaml"
    path.write_text(
        "methods:\n  - id: ukjentumab\n    title: Ukjentumab mot noe\n    substance: ukjentumab\n"
    )
    world = DupilumabWorld(replay)
    replay.route(OPENFDA, (FIXTURES / "openfda" / "not_found_404.json").read_bytes(), status=404)
    runtime = open_app_runtime(world, fake_slack, database_url, watchlist_file=path)
    try:
        results = {r.source: r for r in runtime.poll()}
        runtime.deliverer.run()
        with serving(runtime) as base:
            card = ask(base, fake_slack, "ukjentumab", "i8")
        with runtime.sessions() as session:
            state = session.get(SourceState, "openfda")
            queued = session.scalars(select(OutboxRow)).all()
    finally:
        runtime.close()
    assert replay.count(OPENFDA) == 1
    openfda = results["openfda"]
    assert (openfda.ok, openfda.reason, openfda.records) == (True, None, 0)
    assert state is not None and (state.health, state.consecutive_failures) == ("ok", 0)
    assert queued == [] and fake_slack.calls_to("chat.postMessage") == []
    assert "Ukjentumab mot noe" in card["text"]
    read = [
        line for line in json.dumps(card, ensure_ascii=False).split("\\n") if "Drugs@FDA" in line
    ]
    assert read and "aldri" not in read[0]
