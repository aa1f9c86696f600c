"""Watchlist loading: the seed file is valid; each mistake names file:line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.watchlist import WatchlistError, load_watchlist, parse_watchlist

SEED = Path(__file__).parents[1] / "config" / "watchlist.yaml"

VALID = """\
methods:
  - id: dupilumab-ad-12-17
    title: Dupilumab til ungdom
    substance: dupilumab
    trade_names: [Dupixent]
    trials: [NCT03054428]
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(WatchlistError) as caught:
        parse_watchlist(text, name="watchlist.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_seed_holds_the_dupilumab_notice() -> None:
    """The shipped watchlist carries every fact of the dupilumab metodevarsel."""
    (method,) = load_watchlist(SEED)
    assert method.id == "dupilumab-ad-12-17"
    assert method.title.startswith("Dupilumab (Dupixent) til behandling av atopisk eksem")
    assert (method.substance, method.trade_names, method.atc) == (
        "dupilumab",
        ["Dupixent"],
        "D11AH05",
    )
    assert method.area == "Barn og unge, hud"
    assert method.method_type == "Legemiddel"
    assert method.mt_holder == "Sanofi (UK), Regeneron (US)"
    assert method.financing == "Spesialisthelsetjenesten"
    assert method.trials == ["NCT03054428", "NCT02612454"]
    assert method.fda_applications == ["BLA761055"]
    assert method.ema_products == ["EMEA/H/C/004390"]
    assert method.nye_metoder == ["ID2019_015", "ID2017_055", "ID2018_113", "ID2019_082"]
    assert method.discover is not None and method.discover.condition == "atopic dermatitis"
    assert method.indication and "12-17" in method.indication


def test_valid_text_parses() -> None:
    """A minimal method with only the required keys and a trial loads."""
    (method,) = parse_watchlist(VALID, name="w.yaml")
    assert method.trials == ["NCT03054428"]
    assert method.channel is None


def test_unknown_key_suggests_the_near_one() -> None:
    """A misspelt key is rejected with its line and a did-you-mean."""
    text = VALID + "    trails: [NCT02612454]\n"
    assert errors_of(text) == [
        "watchlist.yaml:7: methods[0].trails: unknown key 'trails' (did you mean 'trials'?)"
    ]


def test_unknown_top_level_key() -> None:
    """A misspelt top-level key is named with its line (and the missing 'methods' too)."""
    assert errors_of("metods:\n  - id: x\n") == [
        "watchlist.yaml:1: methods: required field is missing",
        "watchlist.yaml:1: metods: unknown key 'metods' (did you mean 'methods'?)",
    ]


def test_duplicate_key_names_both_lines() -> None:
    """PyYAML would keep the last of two equal keys; we refuse them."""
    text = VALID + "    substance: tralokinumab\n"
    assert errors_of(text) == [
        "watchlist.yaml:7: methods[0].substance: duplicate key 'substance' (first on line 4)"
    ]


def test_duplicate_method_id() -> None:
    """Two methods with one id are rejected, naming the second and the first line."""
    text = VALID + "  - id: dupilumab-ad-12-17\n    title: Igjen\n    substance: dupilumab\n"
    assert errors_of(text) == [
        "watchlist.yaml:7: methods[1].id: duplicate method id 'dupilumab-ad-12-17' "
        "(first used on line 2)"
    ]


@pytest.mark.parametrize("written", ["NO", "on", "Off", "yes", "0123", "1e3"])
def test_values_stay_the_strings_written(written: str) -> None:
    """YAML 1.1 would coerce NO, on, 0123 ...; the watchlist keeps the text as written."""
    text = VALID.replace("[Dupixent]", f"[{written}]")
    (method,) = parse_watchlist(text, name="w.yaml")
    assert method.trade_names == [written]


def test_empty_list_item_is_an_error() -> None:
    """A bare `null` (or empty) item where text belongs is an error, not None."""
    text = VALID.replace("[Dupixent]", "[null]")
    assert errors_of(text) == ["watchlist.yaml:5: methods[0].trade_names[0]: must be a text value"]


def test_coerced_looking_id_is_still_validated_as_text() -> None:
    """An ATC written as 0123 stays '0123' and fails the ATC pattern, not a type check."""
    text = VALID + "    atc: 0123\n"
    assert errors_of(text) == [
        "watchlist.yaml:7: methods[0].atc: '0123' is not an ATC code (e.g. D11AH05)"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    trials: [NCT123]", "methods[0].trials: 'NCT123' is not an NCT ID (e.g. NCT03054428)"),
        (
            "    fda_applications: [BLA76105]",
            "methods[0].fda_applications: 'BLA76105' is not an FDA application number "
            "(e.g. BLA761055)",
        ),
        (
            "    ema_products: [EMEA/H/C/4390]",
            "methods[0].ema_products: 'EMEA/H/C/4390' is not an EMA product number "
            "(e.g. EMEA/H/C/004390)",
        ),
        (
            "    nye_metoder: [ID2019-015]",
            "methods[0].nye_metoder: 'ID2019-015' is not a Nye metoder ID (e.g. ID2019_015)",
        ),
        (
            "    channel: general",
            "methods[0].channel: 'general' is not a Slack channel ID (e.g. C0123ABCD)",
        ),
    ],
)
def test_identifiers_are_checked_by_pattern(line: str, message: str) -> None:
    """NCT IDs, application and product numbers, Nye metoder IDs and channels follow patterns."""
    text = VALID.replace("    trials: [NCT03054428]\n", "") + line + "\n"
    assert errors_of(text) == [f"watchlist.yaml:6: {message}"]


def test_missing_required_field() -> None:
    """A method without a substance names the method's line and the field."""
    text = "methods:\n  - id: x\n    title: T\n"
    assert errors_of(text) == ["watchlist.yaml:2: methods[0].substance: required field is missing"]


def test_list_expected() -> None:
    """A mapping where a list belongs is reported as such."""
    text = VALID.replace("[Dupixent]", "{name: Dupixent}")
    assert errors_of(text) == ["watchlist.yaml:5: methods[0].trade_names: must be a list"]


def test_python_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    """A !!python/object tag is refused with its line; nothing is constructed or executed."""
    marker = tmp_path / "ran"
    text = VALID + f"    atc: !!python/object/apply:os.system ['touch {marker}']\n"
    assert errors_of(text) == [
        "watchlist.yaml:7: methods[0].atc: tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed"
    ]
    assert not marker.exists()


def test_alias_bomb_is_refused() -> None:
    """Anchors and aliases are refused, so an alias bomb never expands."""
    text = "a: &a [x, x]\nb: &b [*a, *a]\nmethods: []\n"
    assert errors_of(text) == ["watchlist.yaml:1: anchors and aliases (&, *) are not allowed"]


def test_syntax_error_has_a_line() -> None:
    """Broken YAML names the line where the parser stopped."""
    errors = errors_of("methods:\n  - id: x\n   title: [unclosed\n")
    assert len(errors) == 1 and errors[0].startswith("watchlist.yaml:3: not valid YAML")


def test_huge_file_is_refused(tmp_path: Path) -> None:
    """A file over 1 MB is refused before parsing."""
    path = tmp_path / "big.yaml"
    path.write_text("methods: []\n" + "#" * 1_100_000)
    with pytest.raises(WatchlistError, match="larger than 1 MB"):
        load_watchlist(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    """A missing file is an error naming the path."""
    path = tmp_path / "nope.yaml"
    with pytest.raises(WatchlistError, match=f"{path}:0: cannot read"):
        load_watchlist(path)


def test_every_error_is_reported_at_once() -> None:
    """Several mistakes in one file are all listed, each with its own line."""
    text = VALID.replace("[NCT03054428]", "[NCT1, NCT2]") + "    atc: X\n    chanel: C1\n"
    errors = errors_of(text)
    assert len(errors) == 2
    assert errors[0].startswith("watchlist.yaml:6: methods[0].trials:")
    assert (
        errors[1]
        == "watchlist.yaml:8: methods[0].chanel: unknown key 'chanel' (did you mean 'channel'?)"
    )
