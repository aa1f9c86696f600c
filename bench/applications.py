"""Drugs@FDA applications of the synthetic openFDA, shaped like the recorded one.

The watched ones (one per method, with the change script's new efficacy supplements), and the
answer to openFDA's candidates query (submissions dated in a window): `FDA_RECENT` applications
with a submission of the last 30 days (generics, NDAs and BLAs of unwatched substances, some
named like EMA's unwatched medicines).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from bench.payloads import FIXTURES, Watched, fixture, letters, watched

# How many applications have a submission dated in the last 30 days. An assumption: no
# reference says how many Drugs@FDA lists a month; 1,200 takes two pages of openFDA's 1,000.
FDA_RECENT = 1200
STATUS_DATE = re.compile(r"^submissions\.submission_status_date:\[(\d{8}) TO (\d{8})\]$")
APPLICATION_KINDS = ("ANDA", "ANDA", "NDA", "ANDA", "BLA", "NDA", "ANDA", "NDA", "ANDA", "BLA")
SUBMISSIONS = (
    ("ORIG", "TYPE 1", "Type 1 - New Molecular Entity"),
    ("SUPPL", "EFFICACY", "Efficacy"),
    ("SUPPL", "LABELING", "Labeling"),
    ("SUPPL", "MANUF (CMC)", "Manufacturing (CMC)"),
    ("SUPPL", "LABELING", "Labeling"),
)
# Application numbers of these, above every generic of the recorded world and below the watched.
RECENT_BASE = 200_000


def application(owner: Watched, *, extra_supplements: Sequence[date]) -> dict[str, Any]:
    """A Drugs@FDA application shaped like the recorded one, with a new approved efficacy
    supplement on top for each date of `extra_supplements`."""
    record: dict[str, Any] = copy.deepcopy(
        fixture("openfda/dupilumab_bla761055.json")["results"][0]
    )
    brand, generic = owner.trade_name.upper(), owner.substance.upper()
    record["application_number"] = owner.application
    record["sponsor_name"] = f"SPONSOR {owner.index % 97}"
    for product in record["products"]:
        product["brand_name"] = brand
        product["active_ingredients"][0]["name"] = generic
    record["openfda"] = {
        "application_number": [owner.application],
        "brand_name": [brand],
        "generic_name": [generic],
        "manufacturer_name": [f"Sponsor {owner.index % 97}, Inc."],
    }
    record["submissions"] += [
        submission("SUPPL", 100 + n, "EFFICACY", "Efficacy", day=day)
        for n, day in enumerate(extra_supplements)
    ]
    return record


def submission(kind: str, number: int, code: str, description: str, *, day: date) -> dict[str, str]:
    """An approved submission (ORIG or SUPPL) of class `code`, dated `day`."""
    return {
        "submission_type": kind,
        "submission_number": str(number),
        "submission_status": "AP",
        "submission_status_date": day.strftime("%Y%m%d"),
        "review_priority": "PRIORITY" if code in ("EFFICACY", "TYPE 1") else "STANDARD",
        "submission_class_code": code,
        "submission_class_code_description": description,
    }


OPENFDA_LIMIT = 1000


def openfda_page(results: list[dict[str, Any]]) -> dict[str, Any]:
    """openFDA's answer around `results` (one page: a batch never exceeds `limit`)."""
    meta = copy.deepcopy(fixture("openfda/dupilumab_bla761055.json")["meta"])
    meta["results"] = {"skip": 0, "limit": OPENFDA_LIMIT, "total": len(results)}
    return {"meta": meta, "results": results}


def not_found() -> bytes:
    """openFDA's answer to a search that matches nothing (sent with HTTP 404)."""
    return (FIXTURES / "openfda" / "not_found_404.json").read_bytes()


def window(search: str) -> tuple[date, date] | None:
    """The dates of openFDA's candidates query `submissions.submission_status_date:[a TO b]`."""
    found = STATUS_DATE.match(search)
    if found is None:
        return None
    first, last = (date(int(d[:4]), int(d[4:6]), int(d[6:])) for d in found.groups())
    return first, last


def recent_application(k: int, *, today: date, fillers: list[str]) -> dict[str, Any]:
    """Application `k` with a submission of the last 30 days, shaped like the recorded one."""
    owner = watched(0, trials=1)
    record = application(owner, extra_supplements=())
    number = f"{APPLICATION_KINDS[k % len(APPLICATION_KINDS)]}{RECENT_BASE + k:06d}"
    substance = fillers[k * 7 % len(fillers)] if fillers else f"fdaonly{letters(k)}"
    brand = f"RECENT{letters(k)}".upper()
    record["application_number"] = number
    record["sponsor_name"] = f"SPONSOR {k % 97}"
    for product in record["products"]:
        product["brand_name"] = brand
        product["active_ingredients"][0]["name"] = substance.upper()
    record["openfda"] = copy.deepcopy(record["openfda"]) | {
        "application_number": [number],
        "brand_name": [brand],
        "generic_name": [substance.upper()],
    }
    kind, code, description = SUBMISSIONS[(k + k // len(APPLICATION_KINDS)) % len(SUBMISSIONS)]
    day = today - timedelta(days=k % 30)
    if kind == "ORIG":  # a new application: its first submission
        record["submissions"] = [submission(kind, 1, code, description, day=day)]
    else:
        recent = submission(kind, 20 + k % 50, code, description, day=day)
        record["submissions"] = [*record["submissions"][:3], recent]
    return record
