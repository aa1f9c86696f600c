"""More scripted changes to the dupilumab world: discovered trials and new FDA submissions."""

from __future__ import annotations

import copy
import json

from tests.world import OPENFDA, DupilumabWorld, fixture_json

DISCOVERY_FIXTURE = "clinicaltrials/dupilumab_discovery.json"
OPENFDA_FIXTURE = "openfda/dupilumab_bla761055.json"


def new_nct(index: int) -> str:
    """A made-up NCT ID that no fixture uses."""
    return f"NCT0{7000000 + index}"


def serve_discovered_trials(world: DupilumabWorld, count: int, *, first: int = 0) -> list[str]:
    """The discovery search now also finds `count` new dupilumab trials; returns their IDs."""
    document = fixture_json(DISCOVERY_FIXTURE)
    template = document["studies"][0]
    ids = [new_nct(first + i) for i in range(count)]
    for nct in ids:
        study = copy.deepcopy(template)
        identification = study["protocolSection"]["identificationModule"]
        identification["nctId"] = nct
        identification["briefTitle"] = f"Dupilumab in atopic dermatitis, study {nct}"
        study["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING"
        document["studies"].append(study)
    world.serve_discovery(document)
    return ids


def serve_fda_submission(world: DupilumabWorld, number: int) -> str:
    """Drugs@FDA lists a new approved efficacy supplement of the watched BLA; returns its number."""
    document = fixture_json(OPENFDA_FIXTURE)
    submission = {
        "submission_type": "SUPPL",
        "submission_number": str(number),
        "submission_status": "AP",
        "submission_status_date": "20261124",
        "review_priority": "PRIORITY",
        "submission_class_code": "EFFICACY",
        "submission_class_code_description": "Efficacy",
    }
    document["results"][0]["submissions"].insert(0, submission)
    world.server.route(OPENFDA, json.dumps(document).encode())
    return str(number)


def serve_watched_status_in_discovery(world: DupilumabWorld) -> None:
    """The discovery search shows the watched trials as the watched batch does (same data)."""
    document = fixture_json(DISCOVERY_FIXTURE)
    current = {
        study["protocolSection"]["identificationModule"]["nctId"]: study
        for study in world.studies["studies"]
    }
    document["studies"] = [
        copy.deepcopy(current.get(s["protocolSection"]["identificationModule"]["nctId"], s))
        for s in document["studies"]
    ]
    world.serve_discovery(document)
