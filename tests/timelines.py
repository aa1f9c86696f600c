"""Replayed EMA timelines: the recorded EMA files rewritten as EMA would have served them on a day.

The seed method's extension to adolescents (2019): before the opinion, at the CHMP opinion of
27.06.2019 (the fixture's illustrative date), and after the EC decision of 01.08.2019 (the date
the issue reports; illustrative). A new product's road (the fictional `Dupilumab Example`,
EMEA/H/C/009990): absent, under evaluation, at its CHMP opinion, decided. Only documented field
names are used (reference/sources.md §3b); every changed value is written here.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from tests.world import (
    EMA_NEWS,
    EMA_WHATS_NEW,
    MEDICINES,
    POST_AUTH,
    RSS,
    DupilumabWorld,
    fixture_bytes,
    fixture_json,
)

DUPIXENT = "EMEA/H/C/004390"
EXAMPLE = "EMEA/H/C/009990"
ASTHMA = (
    "<p><strong>Asthma</strong></p>\n<p>Dupixent is indicated in adults and adolescents 12 years "
    "and older as add-on maintenance treatment for severe asthma with type&nbsp;2 inflammation.</p>"
)
ADULTS_ONLY = (
    "<p><strong>Atopic dermatitis</strong></p>\n<p>Dupixent is indicated for the treatment of "
    "moderate-to-severe atopic dermatitis in adults who are candidates for systemic therapy.</p>\n"
    + ASTHMA
)
WITH_ADOLESCENTS = (
    "<p><strong>Atopic dermatitis</strong></p>\n<p>Dupixent is indicated for the treatment of "
    "moderate-to-severe atopic dermatitis in adults and adolescents 12 years and older who are "
    "candidates for systemic therapy.</p>\n" + ASTHMA
)
# What the Dupixent medicine row says at each step of the extension (one-element lists, as the
# fixture's Dupixent row has them).
SEED_MEDICINE = {
    "baseline": {
        "european_commission_decision_date": "06/05/2019",
        "therapeutic_indication": ADULTS_ONLY,
        "revision_number": 10,
        "last_updated_date": "10/05/2019",
    },
    "opinion": {
        "european_commission_decision_date": "06/05/2019",
        "therapeutic_indication": ADULTS_ONLY,
        "revision_number": 10,
        "last_updated_date": "28/06/2019",
    },
    "decision": {
        "european_commission_decision_date": "01/08/2019",
        "therapeutic_indication": WITH_ADOLESCENTS,
        "revision_number": 11,
        "last_updated_date": "05/08/2019",
    },
}
# The adolescents' procedure (the fixture's row with the opinion of 27/06/2019) at each step.
SEED_PROCEDURE = {
    "opinion": {
        "post_authorisation_procedure_status": "Opinion",
        "last_updated_date": "28/06/2019",
    },
    "decision": {
        "post_authorisation_procedure_status": "Authorised",
        "last_updated_date": "05/08/2019",
    },
}
# The fictional new product at each step (absent at the baseline).
EXAMPLE_MEDICINE: dict[str, dict[str, str]] = {
    "evaluation": {
        "medicine_status": "",
        "opinion_status": "",
        "start_of_evaluation_date": "28/03/2024",
        "opinion_adopted_date": "",
        "first_published_date": "29/03/2024",
        "last_updated_date": "29/03/2024",
    },
    "opinion": {
        "medicine_status": "Opinion",
        "opinion_status": "Positive",
        "opinion_adopted_date": "30/01/2025",
        "last_updated_date": "31/01/2025",
    },
    "decision": {
        "medicine_status": "Authorised",
        "opinion_status": "Positive",
        "opinion_adopted_date": "30/01/2025",
        "european_commission_decision_date": "27/03/2025",
        "marketing_authorisation_date": "27/03/2025",
        "revision_number": "1",
        "last_updated_date": "31/03/2025",
    },
}


def envelope(document: dict[str, Any], rows: list[dict[str, Any]], *, stamp: str) -> bytes:
    """The EMA envelope around `rows`, its record count and timestamp matching."""
    meta = document["meta"] | {"total_records": len(rows), "timestamp": stamp}
    return json.dumps({"meta": meta, "data": rows}).encode()


def _one(value: Any) -> str:
    return str(value[0]) if isinstance(value, list) else str(value)


def seed_files(step: str, *, stamp: str) -> tuple[bytes, bytes]:
    """The medicines and post-authorisation files on the day of `step` (the seed extension)."""
    medicines = copy.deepcopy(fixture_json("ema/medicines_dupilumab.json"))
    rows = []
    for row in medicines["data"]:
        if _one(row["ema_product_number"]) == DUPIXENT:
            row |= {k: [v] if k != "revision_number" else v for k, v in SEED_MEDICINE[step].items()}
        rows.append(row)
    procedures = copy.deepcopy(fixture_json("ema/post_authorisation_dupilumab.json"))
    kept = []
    for row in procedures["data"]:
        if row["ema_product_number"] == DUPIXENT:
            opinion = row["post_authorisation_opinion_date"]
            if opinion == "27/06/2019" and step in SEED_PROCEDURE:
                row |= SEED_PROCEDURE[step]
            elif opinion != "28/03/2019":
                continue  # later extensions, and this one before its opinion: not yet published
        kept.append(row)
    return envelope(medicines, rows, stamp=stamp), envelope(procedures, kept, stamp=stamp)


def example_files(step: str, *, stamp: str) -> tuple[bytes, bytes]:
    """The medicines and post-authorisation files on the day of `step` (the new product)."""
    medicines = copy.deepcopy(fixture_json("ema/medicines_dupilumab.json"))
    rows = []
    for row in medicines["data"]:
        if _one(row["ema_product_number"]) == EXAMPLE:
            if step not in EXAMPLE_MEDICINE:
                continue  # not yet applied for
            row |= EXAMPLE_MEDICINE["evaluation"] | EXAMPLE_MEDICINE[step]
        rows.append(row)
    procedures = fixture_json("ema/post_authorisation_dupilumab.json")
    return envelope(medicines, rows, stamp=stamp), envelope(
        procedures, procedures["data"], stamp=stamp
    )


def serve(world: DupilumabWorld, files: tuple[bytes, bytes]) -> None:
    """Serve both EMA files of one day."""
    medicines, procedures = files
    world.server.route(MEDICINES, medicines)
    world.server.route(POST_AUTH, procedures)


# The CHMP highlights of June 2019 (guid 60416), in both EMA feeds.
JUNE_2019 = re.compile(rb"<item>(?:(?!</item>).)*60416 at(?:(?!</item>).)*</item>\s*", re.DOTALL)


def serve_news(world: DupilumabWorld, *, june_2019: bool) -> None:
    """Serve EMA's feeds with or without the June 2019 CHMP highlights (not published before)."""
    for path, name in ((EMA_NEWS, "rss/ema_news.xml"), (EMA_WHATS_NEW, "rss/ema_whats_new.xml")):
        body = fixture_bytes(name)
        world.server.route(path, body if june_2019 else JUNE_2019.sub(b"", body), content_type=RSS)
