"""Candidates at ClinicalTrials.gov: new phase 3 trials of a drug for a condition in scope.

Read from the studies of an answer as the registry wrote them (reference/sources.md §1):
`designModule.phases`, `conditionsModule.conditions`, `statusModule.overallStatus`,
`studyFirstPostDateStruct` (when asked for) else `startDateStruct`, and the interventions of
`armsInterventionsModule` (`name`, `otherNames`, `type` where the answer has them). A trial is
new when first posted (else started, or due to start) in the window and not stopped. Its
substance is an intervention's name, or the in-scope substance EMA's file knows that the name
mentions; placebo, saline, sham and vehicle arms and non-drug interventions are not substances.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.sources.evidence import Evidence
from bot.sources.jsonfields import module, objects, opt, strings
from bot.sources.names import words
from bot.sources.scanning import ScanContext

PHASE3 = "PHASE3"
RUNNING = frozenset(
    {"NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING"}
)
DRUG_TYPES = frozenset({"DRUG", "BIOLOGICAL", "GENETIC", "COMBINATION_PRODUCT"})
NOT_A_SUBSTANCE = frozenset({"placebo", "saline", "sham", "vehicle"})
KIND = "trial_phase3"


def trial_evidence(studies: list[Any], context: ScanContext, *, link: str) -> list[Evidence]:
    """Evidence of new phase 3 trials in scope; `link` is the study page with `{nct}`."""
    found = []
    for study in studies:
        protocol = module(study, "protocolSection") if isinstance(study, dict) else {}
        nct = opt(module(protocol, "identificationModule"), "nctId", str)
        new = _new_phase3(protocol, context)
        conditions = strings(module(protocol, "conditionsModule"), "conditions")
        term = context.term_for(atc=None, texts=conditions) if nct and new else None
        if nct is None or new is None or term is None:
            continue
        facts = _facts(protocol, conditions, date=new)
        for substance in _substances(protocol, context):
            url = link.format(nct=nct)
            found.append(Evidence("clinicaltrials", nct, KIND, substance, term, new, url, facts))
    return found


def _new_phase3(protocol: dict[str, Any], context: ScanContext) -> str | None:
    """The date that makes a running phase 3 trial new (first posted, else start), or None."""
    design, status = module(protocol, "designModule"), module(protocol, "statusModule")
    overall = opt(status, "overallStatus", str)
    if PHASE3 not in strings(design, "phases") or (overall and overall not in RUNNING):
        return None
    posted = opt(module(status, "studyFirstPostDateStruct"), "date", str)
    started = opt(module(status, "startDateStruct"), "date", str)
    date = posted or started
    return date if context.recent(date, upcoming=True) else None


def _substances(protocol: dict[str, Any], context: ScanContext) -> Iterator[str]:
    seen: set[str] = set()
    for intervention in objects(module(protocol, "armsInterventionsModule"), "interventions"):
        name = opt(intervention, "name", str)
        kind = opt(intervention, "type", str)
        names = [name or "", *strings(intervention, "otherNames")]
        if not name or (kind and kind not in DRUG_TYPES) or words(name) & NOT_A_SUBSTANCE:
            continue
        if context.excluded(names):
            continue
        known = context.known_term(names)
        substance = known[0] if known else " ".join(name.split())
        if substance.casefold() not in seen:
            seen.add(substance.casefold())
            yield substance


def _facts(protocol: dict[str, Any], conditions: list[str], *, date: str) -> dict[str, Any]:
    ident = module(protocol, "identificationModule")
    sponsor = module(module(protocol, "sponsorCollaboratorsModule"), "leadSponsor")
    enrollment = module(module(protocol, "designModule"), "enrollmentInfo")
    return {
        "title": opt(ident, "briefTitle", str),
        "acronym": opt(ident, "acronym", str),
        "status": opt(module(protocol, "statusModule"), "overallStatus", str),
        "sponsor": opt(sponsor, "name", str),
        "conditions": conditions[:5],
        "enrollment": opt(enrollment, "count", int),
        "date": date,
    }
