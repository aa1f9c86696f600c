"""ClinicalTrials.gov API v2: the change feed matched locally, full reads of watched trials,
discovery searches, and their change rules."""

from bot.sources.clinicaltrials.changes import NAME, OVERALL_STATUSES, RULES
from bot.sources.clinicaltrials.planning import PAGE_SIZE
from bot.sources.clinicaltrials.records import FIELDS, STUDY_URL
from bot.sources.clinicaltrials.studies import FULL_READ_EVERY, ClinicalTrials

__all__ = [
    "FIELDS",
    "FULL_READ_EVERY",
    "NAME",
    "OVERALL_STATUSES",
    "PAGE_SIZE",
    "RULES",
    "STUDY_URL",
    "ClinicalTrials",
]
