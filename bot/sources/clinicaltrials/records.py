"""A ClinicalTrials.gov study as a record: the pieces asked for and the fields kept of them."""

from __future__ import annotations

import re
from typing import Any

from bot.sources.base import JsonValue, ParseError, Record
from bot.sources.clinicaltrials.changes import NAME
from bot.sources.jsonfields import module, opt, strings

STUDY_URL = "https://clinicaltrials.gov/study/{nct}"

_NOT_ENUM = re.compile(r"[^A-Z0-9]+")

# Piece names (not JSON paths), exactly the pieces the parser reads; each checked against the
# registry's own metadata answer (`GET /studies/metadata`, genomoncology/biomcp
# testdata/sources/ctgov/field_metadata_20260903.json). A date piece alone comes back without its
# type: `fields=StartDate` answers `startDateStruct: {"date": "2016-07"}` (real sample
# ctgov_v2_single_study_NCT02576665_fields_subset.json), so each *Type piece is asked for too.
# InterventionName and InterventionOtherName (`armsInterventionsModule.interventions[].name`,
# `.otherNames[]`) serve only the local matching of discovery terms; they are not kept.
# InterventionType and StudyFirstPostDate (`interventions[].type`,
# `statusModule.studyFirstPostDateStruct.date`) serve only candidates: a drug arm of a trial
# first posted in the window (bot/sources/clinicaltrials/candidates.py).
FIELDS = ",".join(
    (
        "NCTId",
        "BriefTitle",
        "Acronym",
        "OverallStatus",
        "WhyStopped",
        "Phase",
        "EnrollmentCount",
        "EnrollmentType",
        "StartDate",
        "StartDateType",
        "PrimaryCompletionDate",
        "PrimaryCompletionDateType",
        "CompletionDate",
        "CompletionDateType",
        "ResultsFirstPostDate",
        "HasResults",
        "LastUpdatePostDate",
        "LeadSponsorName",
        "Condition",
        "InterventionName",
        "InterventionOtherName",
        "InterventionType",
        "StudyFirstPostDate",
        "MinimumAge",
        "MaximumAge",
    )
)


def study_parts(study: Any) -> tuple[str, dict[str, Any]]:
    """The NCT ID and the protocol section of one study of an answer; ParseError if absent."""
    if not isinstance(study, dict):
        raise ParseError("a study is not a JSON object")
    protocol = module(study, "protocolSection")
    nct = opt(module(protocol, "identificationModule"), "nctId", str)
    if not nct:
        raise ParseError("a study has no protocolSection.identificationModule.nctId")
    return nct, protocol


def study_record(
    study: dict[str, Any], nct: str, protocol: dict[str, Any], *, method_ids: tuple[str, ...]
) -> Record:
    """The record of one study, for `method_ids`."""
    fields = _identity(protocol) | _status(study, protocol) | _design(protocol)
    return Record(NAME, nct, fields, STUDY_URL.format(nct=nct), method_ids)


def _identity(protocol: dict[str, Any]) -> dict[str, JsonValue]:
    ident = module(protocol, "identificationModule")
    sponsors = module(protocol, "sponsorCollaboratorsModule")
    return {
        "brief_title": opt(ident, "briefTitle", str),
        "acronym": opt(ident, "acronym", str),
        "lead_sponsor": opt(module(sponsors, "leadSponsor"), "name", str),
        "conditions": strings(module(protocol, "conditionsModule"), "conditions"),
    }


def _status(study: dict[str, Any], protocol: dict[str, Any]) -> dict[str, JsonValue]:
    status = module(protocol, "statusModule")
    results_posted = opt(module(status, "resultsFirstPostDateStruct"), "date", str)
    # With `fields` the API may leave `hasResults` out; a results post date implies results.
    has_results = opt(study, "hasResults", bool)
    return {
        "overall_status": _enum(opt(status, "overallStatus", str)),
        "why_stopped": opt(status, "whyStopped", str),
        "start": _partial_date(status, "startDateStruct"),
        "primary_completion": _partial_date(status, "primaryCompletionDateStruct"),
        "completion": _partial_date(status, "completionDateStruct"),
        "results_first_posted": results_posted,
        "has_results": has_results if has_results is not None else results_posted is not None,
        "last_update_posted": opt(module(status, "lastUpdatePostDateStruct"), "date", str),
    }


def _design(protocol: dict[str, Any]) -> dict[str, JsonValue]:
    design = module(protocol, "designModule")
    enrollment = module(design, "enrollmentInfo")
    eligibility = module(protocol, "eligibilityModule")
    return {
        "phases": strings(design, "phases"),
        "enrollment": {
            "count": opt(enrollment, "count", int),
            "type": opt(enrollment, "type", str),
        },
        "minimum_age": opt(eligibility, "minimumAge", str),
        "maximum_age": opt(eligibility, "maximumAge", str),
    }


def _enum(value: str | None) -> str | None:
    """An enum value spelled as the API spells it: "completed" and "Active, not recruiting" are
    COMPLETED and ACTIVE_NOT_RECRUITING, so a change of case or spelling is no status change."""
    if value is None:
        return None
    return _NOT_ENUM.sub("_", value.upper()).strip("_") or None


def _partial_date(status: dict[str, Any], key: str) -> dict[str, JsonValue]:
    # Kept as given: "YYYY-MM" or "YYYY-MM-DD"; type is ACTUAL, ESTIMATED or absent (older records).
    struct = module(status, key)
    return {"date": opt(struct, "date", str), "type": opt(struct, "type", str)}
