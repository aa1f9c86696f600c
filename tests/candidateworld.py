"""The dupilumab world with news in the team's scope: candidates found in what the bot reads.

The recorded EMA files and a built openFDA answer, rewritten as they would read on the day the
test runs (every changed value is written here; documented field names only, reference/sources.md
§2 and §3b). Scope: ATC D11 and "atopic dermatitis"; exampleumab ignored.

In scope, not watched (three candidates):
- lebrikizumab (Ebglyss, EMEA/H/C/005894): a positive CHMP opinion 10 days ago, no EC decision
  yet; and the FDA's original approval of EBGLYSS 20 days ago. One candidate, two sources.
- abrocitinib (Cibinqo, EMEA/H/C/005452): an EC decision 5 days ago.
- tralokinumab (Adtralza, EMEA/H/C/005255, authorised in 2021): a post-authorisation procedure
  with an opinion 6 days ago, and an FDA efficacy supplement of ADBRY 8 days ago.
Out of scope, or not news: Keytruda (L01) decided 3 days ago and a Keytruda procedure; Taltz
(psoriasis) decided 4 days ago; Dupilumab Example (watched) with an opinion 2 days ago;
Dupixentol (exampleumab, ignored) with an opinion 1 day ago; OZEMPIC (semaglutide) with an
efficacy supplement 7 days ago; an ANDA of abrocitinib (a generic) approved 9 days ago; every
other row's events are years old.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.replay import ReplayServer
from tests.world import MEDICINES, OPENFDA, POST_AUTH, DupilumabWorld, fixture_json

SCOPE = {"atc": ["D11"], "conditions": ["atopic dermatitis"], "ignore": ["exampleumab"]}
WINDOW = timedelta(days=30)  # bot.sources.scanning.WINDOW, restated: the test pins it


def today() -> date:
    """The day the bot sees (UTC, as the poll's clock)."""
    return datetime.now(UTC).date()


def ema_day(days_ago: int) -> str:
    """A date `days_ago` before today, as EMA writes it (DD/MM/YYYY)."""
    return (today() - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def fda_day(days_ago: int) -> str:
    """A date `days_ago` before today, as Drugs@FDA writes it (YYYYMMDD)."""
    return (today() - timedelta(days=days_ago)).strftime("%Y%m%d")


def recent_search() -> dict[str, str]:
    """The openFDA search for applications with a submission dated in the window."""
    since, until = today() - WINDOW, today()
    return {"search": f"submissions.submission_status_date:[{since:%Y%m%d} TO {until:%Y%m%d}]"}


MEDICINE_NEWS: dict[str, dict[str, Any]] = {
    "EMEA/H/C/005894": {  # Ebglyss: at its opinion, before the decision
        "opinion_adopted_date": 10,
        "opinion_status": "Positive",
        "european_commission_decision_date": None,
        "marketing_authorisation_date": None,
        "medicine_status": "",
    },
    "EMEA/H/C/005452": {"european_commission_decision_date": 5},  # Cibinqo
    "EMEA/H/C/003820": {"european_commission_decision_date": 3},  # Keytruda (L01)
    "EMEA/H/C/003943": {"european_commission_decision_date": 4},  # Taltz (psoriasis)
    "EMEA/H/C/009990": {"opinion_adopted_date": 2},  # Dupilumab Example (watched)
    "EMEA/H/C/009992": {"opinion_adopted_date": 1},  # Dupixentol (exampleumab, ignored)
}


class CandidateWorld(DupilumabWorld):
    """The replay routes of the dupilumab world, with this month's news in scope and out."""

    def __init__(self, server: ReplayServer) -> None:
        super().__init__(server)
        self.medicines = _medicines_today()
        self.procedures = _procedures_today()
        self.approvals = _approvals_today()
        self.serve_ema()
        server.route(OPENFDA, json.dumps(self.approvals).encode(), match_params=recent_search())

    def serve_ema(self) -> None:
        """Serve the EMA files as they stand (fresh timestamps)."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for path, document in ((MEDICINES, self.medicines), (POST_AUTH, self.procedures)):
            document["meta"]["timestamp"] = stamp
            self.server.route(path, json.dumps(document).encode())

    def decide(self, product: str, *, days_ago: int) -> None:
        """The European Commission decides on `product` (its medicines row changes)."""
        self.medicines = copy.deepcopy(self.medicines)
        row = _row(self.medicines, product)
        row["european_commission_decision_date"] = ema_day(days_ago)
        row["marketing_authorisation_date"] = ema_day(days_ago)
        row["medicine_status"] = "Authorised"
        row["last_updated_date"] = ema_day(days_ago)
        self.serve_ema()


def _row(document: dict[str, Any], product: str) -> dict[str, Any]:
    return next(row for row in document["data"] if row["ema_product_number"] == product)


def _medicines_today() -> dict[str, Any]:
    document = fixture_json("ema/medicines_dupilumab.json")
    for product, news in MEDICINE_NEWS.items():
        row = _row(document, product)
        for name, value in news.items():
            row[name] = ema_day(value) if isinstance(value, int) else (value or "")
        row["last_updated_date"] = ema_day(1)
    return document


def _procedures_today() -> dict[str, Any]:
    document = fixture_json("ema/post_authorisation_dupilumab.json")
    adtralza = copy.deepcopy(_row(document, "EMEA/H/C/005255"))
    keytruda = copy.deepcopy(_row(document, "EMEA/H/C/003820"))
    for row, days in ((adtralza, 6), (keytruda, 3)):
        row["post_authorisation_procedure_status"] = "Opinion"
        row["post_authorisation_opinion_status"] = "Positive"
        row["post_authorisation_opinion_date"] = ema_day(days)
        row["first_published_date"] = ema_day(days - 1)
        row["last_updated_date"] = ema_day(days - 1)
    document["data"] += [adtralza, keytruda]
    document["meta"]["total_records"] = len(document["data"])
    return document


def _application(number: str, brand: str, ingredient: str, sponsor: str) -> dict[str, Any]:
    return {
        "application_number": number,
        "sponsor_name": sponsor,
        "products": [
            {
                "product_number": "001",
                "brand_name": brand,
                "active_ingredients": [{"name": ingredient, "strength": "250MG/2ML"}],
                "dosage_form": "INJECTABLE",
                "route": "SUBCUTANEOUS",
                "marketing_status": "Prescription",
            }
        ],
        "submissions": [],
        "openfda": {"brand_name": [brand], "generic_name": [ingredient]},
    }


def _submission(kind: str, number: str, days_ago: int, *, klass: str | None) -> dict[str, Any]:
    return {
        "submission_type": kind,
        "submission_number": number,
        "submission_status": "AP",
        "submission_status_date": fda_day(days_ago),
        "review_priority": "STANDARD",
        "submission_class_code": klass,
        "submission_class_code_description": "Efficacy" if klass == "EFFICACY" else None,
    }


def _approvals_today() -> dict[str, Any]:
    """Built in the shape of the real imatinib answer (its `meta` block); numbers, brands,
    sponsors and dates are illustrative."""
    ebglyss = _application("BLA761306", "EBGLYSS", "LEBRIKIZUMAB-LBKZ", "ELI LILLY AND CO")
    ebglyss["submissions"] = [_submission("ORIG", "1", 20, klass=None)]
    adbry = _application("BLA761180", "ADBRY", "TRALOKINUMAB-LDRM", "LEO PHARMA AS")
    adbry["submissions"] = [
        _submission("ORIG", "1", 1500, klass=None),
        _submission("SUPPL", "7", 8, klass="EFFICACY"),
        _submission("SUPPL", "9", 2, klass="LABELING"),
    ]
    ozempic = _application("NDA209637", "OZEMPIC", "SEMAGLUTIDE", "NOVO")
    ozempic["submissions"] = [_submission("SUPPL", "30", 7, klass="EFFICACY")]
    generic = _application("ANDA219999", "ABROCITINIB", "ABROCITINIB", "EXAMPLE GENERICS")
    generic["submissions"] = [_submission("ORIG", "1", 9, klass=None)]
    results = [ebglyss, adbry, ozempic, generic]
    meta = fixture_json("openfda/imatinib_nda021588.json")["meta"]
    meta["results"] = {"skip": 0, "limit": 1000, "total": len(results)}
    return {"meta": meta, "results": results}
