"""ClinicalTrials.gov API v2: watched studies and discovery searches, and their change rules."""

from bot.sources.clinicaltrials.changes import NAME, OVERALL_STATUSES, RULES
from bot.sources.clinicaltrials.studies import FIELDS, PAGE_SIZE, STUDY_URL, ClinicalTrials

__all__ = [
    "FIELDS",
    "NAME",
    "OVERALL_STATUSES",
    "PAGE_SIZE",
    "RULES",
    "STUDY_URL",
    "ClinicalTrials",
]
