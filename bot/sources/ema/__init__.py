"""EMA's JSON data files: the medicines and the post-authorisation procedures."""

from bot.sources.ema.files import (
    MEDICINES_FILE,
    POST_AUTHORISATION_FILE,
    EmaMedicines,
    EmaPostAuthorisation,
    report_url,
    search_url,
)

__all__ = [
    "MEDICINES_FILE",
    "POST_AUTHORISATION_FILE",
    "EmaMedicines",
    "EmaPostAuthorisation",
    "report_url",
    "search_url",
]
