"""EMA's JSON data files: the medicines and the post-authorisation procedures."""

from bot.sources.ema.changes import MEDICINE_RULES, MEDICINES, POST_AUTHORISATION, PROCEDURE_RULES
from bot.sources.ema.files import (
    MEDICINES_FILE,
    POST_AUTHORISATION_FILE,
    EmaMedicines,
    EmaPostAuthorisation,
    report_url,
    search_url,
)

__all__ = [
    "MEDICINES",
    "MEDICINES_FILE",
    "MEDICINE_RULES",
    "POST_AUTHORISATION",
    "POST_AUTHORISATION_FILE",
    "PROCEDURE_RULES",
    "EmaMedicines",
    "EmaPostAuthorisation",
    "report_url",
    "search_url",
]
