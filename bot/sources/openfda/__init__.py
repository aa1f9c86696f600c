"""openFDA drug/drugsfda: applications of watched methods, and their change rules."""

from bot.sources.openfda.applications import APPLICATION_URL, OpenFda
from bot.sources.openfda.changes import NAME, RULES

__all__ = ["APPLICATION_URL", "NAME", "RULES", "OpenFda"]
