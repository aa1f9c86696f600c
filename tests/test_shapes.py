"""The drift shapes name exactly what the parsers read, so drift means a parser is affected."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.sources.clinicaltrials import FIELDS, ClinicalTrials
from bot.sources.drift.shapes import CLINICALTRIALS_PIECES, SHAPES, Shape
from bot.sources.ema import EmaMedicines, EmaPostAuthorisation
from bot.sources.openfda import OpenFda
from bot.watchlist import Method
from tests.golden import FIXTURES

DUPILUMAB = Method(
    id="dupilumab-ad-12-17",
    title="Dupilumab",
    substance="dupilumab",
    trade_names=["Dupixent"],
    trials=["NCT03054428", "NCT02612454"],
    fda_applications=["BLA761055"],
    ema_products=["EMEA/H/C/004390"],
)


class Reading(dict[str, Any]):
    """A JSON object that notes every key read from it."""

    read: set[str]

    def get(self, key: str, default: Any = None) -> Any:
        Reading.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        Reading.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        Reading.read.add(str(key))
        return super().__contains__(key)


def names(shape: Shape) -> set[str]:
    return {part.rstrip("?").removesuffix("[]") for path, _ in shape for part in path.split(".")}


def keys_read(monkeypatch: pytest.MonkeyPatch, parse: Callable[[], object]) -> set[str]:
    """Every key the parser reads from the answer's JSON objects."""
    loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text: loads(text, object_hook=Reading))
    Reading.read = set()
    parse()
    return Reading.read


def test_every_requested_clinicaltrials_piece_has_its_place_in_the_shape() -> None:
    """The pieces the bot asks for (FIELDS) are exactly the pieces the shape places."""
    assert set(CLINICALTRIALS_PIECES) == set(FIELDS.split(","))


def parse_ct() -> object:
    source = ClinicalTrials("https://clinicaltrials.gov/api/v2")
    body = (FIXTURES / "clinicaltrials/dupilumab_watched.json").read_bytes()
    return source.parse(source.plan([DUPILUMAB])[0], 200, body, [DUPILUMAB])


def parse_openfda(status: int, case: str) -> Callable[[], object]:
    source = OpenFda("https://api.fda.gov")
    body = (FIXTURES / "openfda" / case).read_bytes()
    return lambda: source.parse(source.plan([DUPILUMAB])[0], status, body, [DUPILUMAB])


def parse_ema(source: EmaMedicines | EmaPostAuthorisation, case: str) -> Callable[[], object]:
    body = (FIXTURES / "ema" / case).read_bytes()
    return lambda: source.parse(source.plan([DUPILUMAB])[0], 200, body, [DUPILUMAB])


@pytest.mark.parametrize(
    ("source", "status", "parse"),
    [
        ("clinicaltrials", 200, parse_ct),
        ("openfda", 200, parse_openfda(200, "dupilumab_bla761055.json")),
        ("openfda", 404, parse_openfda(404, "real/drugsfda_404_not_found_no_match.json")),
        ("ema_medicines", 200, parse_ema(EmaMedicines(""), "medicines_dupilumab.json")),
        (
            "ema_post_authorisation",
            200,
            parse_ema(EmaPostAuthorisation(""), "post_authorisation_dupilumab.json"),
        ),
    ],
    ids=["clinicaltrials", "openfda", "openfda_404", "ema_medicines", "ema_post_authorisation"],
)
def test_the_shape_names_every_key_the_parser_reads(
    monkeypatch: pytest.MonkeyPatch, source: str, status: int, parse: Callable[[], object]
) -> None:
    """A key the parser reads but the shape lacks would drift unreported."""
    read = keys_read(monkeypatch, parse)
    assert read, "the parser read nothing: the recorder is not in use"
    assert read <= names(SHAPES[source][status])
