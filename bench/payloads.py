"""Synthetic identities and real-format records, built from the recorded fixtures as templates.

Everything is derived from a method's index alone, so the watchlist the benchmark writes and the
answers the synthetic server gives agree without sharing any state.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures"

NCT_BASE = 10_000_000
# Trials no method watches: one per method that its discovery search finds, the registry's
# other studies (the change feed's daily traffic), and trials registered by the change script.
DISCOVERED_BASE = 20_000_000
BACKGROUND_BASE = 30_000_000
REGISTERED_BASE = 40_000_000
APPLICATION_BASE = 800_000
PRODUCT_BASE = 100_000
FILLER_PRODUCT_BASE = 500_000
# Identities fit the watchlist patterns (NCT + 8 digits, BLA + 6, EMEA/H/C/ + 6) up to this.
MAX_METHODS = 100_000
# Nye metoder IDs start in the year Bestillerforum first met (IDyyyy_nnn).
NYE_FIRST_YEAR = 2013
GOLDEN = (5**0.5 - 1) / 2
BASE_TRIAL_STATUS = "ACTIVE_NOT_RECRUITING"
BASE_MEDICINE_STATUS = "Authorised"
EMA_SITE = "https://www.ema.europa.eu/en/medicines/human"
# Real condition names, shared by the methods' discovery terms and the registry's other studies
# (so matching must tell studies apart by substance, as the registry's search does).
CONDITIONS = (
    "Atopic Dermatitis",
    "Asthma",
    "Plaque Psoriasis",
    "Crohn Disease",
    "Ulcerative Colitis",
    "Rheumatoid Arthritis",
    "Multiple Myeloma",
    "Breast Cancer",
    "Non-Small Cell Lung Cancer",
    "Melanoma",
    "Migraine",
    "Type 2 Diabetes",
    "Obesity",
    "Alzheimer Disease",
    "Spinal Muscular Atrophy",
    "Hemophilia A",
    "Cystic Fibrosis",
    "Chronic Kidney Disease",
    "Heart Failure",
    "Major Depressive Disorder",
)


@dataclass(frozen=True)
class Watched:
    """The identifiers of one synthetic method (all unique to it)."""

    index: int
    method_id: str
    substance: str
    trade_name: str
    trials: tuple[str, ...]
    application: str
    product: str
    condition: str
    discovered: str
    nye_ids: tuple[str, ...]
    page_slug: str


def letters(number: int, *, width: int = 4) -> str:
    """`number` in base 26 as lower-case letters: names that stay one word (no digits)."""
    out = []
    for _ in range(width):
        number, digit = divmod(number, 26)
        out.append(chr(ord("a") + digit))
    return "".join(reversed(out))


def watched(index: int, *, trials: int) -> Watched:
    """The identities of method `index` when every method watches `trials` trials."""
    tag = letters(index)
    return Watched(
        index=index,
        method_id=f"bench-{index:05d}",
        substance=f"synth{tag}mab",
        trade_name=f"Bench{tag}",
        trials=tuple(f"NCT{NCT_BASE + index * trials + j:08d}" for j in range(trials)),
        application=f"BLA{APPLICATION_BASE + index:06d}",
        product=f"EMEA/H/C/{PRODUCT_BASE + index:06d}",
        condition=CONDITIONS[index % len(CONDITIONS)],
        discovered=f"NCT{DISCOVERED_BASE + index:08d}",
        nye_ids=nye_ids(index),
        page_slug=f"synth{tag}mab-bench{tag}",
    )


def nye_ids(index: int) -> tuple[str, ...]:
    """Method `index`'s Nye metoder IDs: one of its own (numbers 000-399 of a year), and for one
    method in seven a second one (400-799) followed in the workbook only, as the seed watchlist
    follows ID2019_015. Numbers 800-999 are left to the workbook's other decisions."""
    year, number = NYE_FIRST_YEAR + index // 400, index % 400
    first = f"ID{year}_{number:03d}"
    return (first, f"ID{year}_{400 + number:03d}") if index % 7 == 6 else (first,)


def has_page(index: int, share: float) -> bool:
    """Whether method `index` links its Nye metoder page when `share` of the methods do: spread
    evenly (index times the golden ratio, modulo 1) and unrelated to the step its page is at."""
    return (index * GOLDEN) % 1.0 < share


@cache
def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _human_rows(name: str) -> list[dict[str, Any]]:
    rows = fixture(name)["data"]
    return [r for r in rows if r["category"] == "Human" and isinstance(r["name_of_medicine"], str)]


def study(
    nct: str, owner: Watched, *, status: str, updated: str, first_posted: str | None = None
) -> dict[str, Any]:
    """A study of `owner`'s substance for its condition, shaped like the recorded `fields=`
    answer, varied deterministically by its ID (first posted years ago unless told)."""
    serial = int(nct[3:])
    return study_of(
        nct,
        title=f"Long-Term Safety and Efficacy of {owner.substance} ({nct})",
        status=status,
        updated=updated,
        interventions=[
            {
                "type": "BIOLOGICAL",
                "name": owner.substance,
                "otherNames": [f"SYN-{owner.index:05d}"],
            },
            {"type": "DRUG", "name": "Placebo"},
        ],
        conditions=[owner.condition],
        serial=serial,
        first_posted=first_posted or f"{2014 + serial % 9}-{1 + serial % 12:02d}-02",
    )


def study_of(
    nct: str,
    *,
    title: str,
    status: str,
    updated: str,
    interventions: list[dict[str, Any]],
    conditions: list[str],
    serial: int,
    first_posted: str,
    phases: Sequence[str] = ("PHASE3",),
) -> dict[str, Any]:
    """A study shaped like the recorded one (the registry's `fields=` answer), these put in."""
    record: dict[str, Any] = copy.deepcopy(_template())
    protocol = record["protocolSection"]
    protocol["identificationModule"] = {"nctId": nct, "briefTitle": title}
    module = protocol["statusModule"]
    module["overallStatus"] = status
    module["startDateStruct"] = {
        "date": f"{2015 + serial % 9}-{1 + serial % 12:02d}-15",
        "type": "ACTUAL",
    }
    module["lastUpdatePostDateStruct"] = {"date": updated}
    module["studyFirstPostDateStruct"] = {"date": first_posted, "type": "ACTUAL"}
    protocol["designModule"]["phases"] = list(phases)
    protocol["designModule"]["enrollmentInfo"]["count"] = 50 + serial % 950
    protocol["armsInterventionsModule"] = {"interventions": interventions}
    protocol["conditionsModule"] = {"conditions": conditions}
    return record


@cache
def _template() -> dict[str, Any]:
    study: dict[str, Any] = fixture("clinicaltrials/dupilumab_watched.json")["studies"][1]
    return study


def medicine_row(row: int, owner: Watched | None, *, status: str) -> dict[str, Any]:
    """Row `row` of the medicines file: a watched product, or an unrelated filler medicine."""
    templates = _human_rows("ema/medicines_dupilumab.json")
    record = dict(templates[row % len(templates)])
    record.update(_identity(row, owner))
    record["medicine_status"] = status
    return record


def procedure_row(row: int, owner: Watched | None) -> dict[str, Any]:
    """Row `row` of the post-authorisation file, for a watched product or a filler."""
    templates = _human_rows("ema/post_authorisation_dupilumab.json")
    record = dict(templates[row % len(templates)])
    record.update(_identity(row, owner))
    record["first_published_date"] = f"{1 + row % 28:02d}/{1 + row % 12:02d}/2024"
    return record


def filler_substance(row: int) -> str:
    """The substance of an EMA row no method watches."""
    return f"fillerstat{letters(row)}"


def _identity(row: int, owner: Watched | None) -> dict[str, str]:
    if owner is None:
        name, substance = f"Filler{letters(row)}", filler_substance(row)
        number = f"EMEA/H/C/{FILLER_PRODUCT_BASE + row:06d}"
    else:
        name, substance, number = owner.trade_name, owner.substance, owner.product
    return {
        "name_of_medicine": name,
        "ema_product_number": number,
        "international_non_proprietary_name_common_name": substance,
        "active_substance": substance,
        "medicine_url": f"{EMA_SITE}/EPAR/{name.lower()}",
    }


def envelope(rows: list[dict[str, Any]], *, stamp: str) -> dict[str, Any]:
    """EMA's `{meta, data}` file around `rows`, generated at `stamp` (ISO 8601, UTC)."""
    return {"meta": {"total_records": len(rows), "timestamp": stamp}, "data": rows}


def feed(name: str) -> bytes:
    """A recorded RSS feed."""
    return (FIXTURES / "rss" / name).read_bytes()
