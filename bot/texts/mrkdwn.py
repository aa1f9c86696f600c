"""Text bound for Slack: mrkdwn escaping, links only to the sources' own hosts, length caps."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.sources.plaintext import strip_invisible
from bot.texts.blockkit import shorten

# Links in messages may only point at the sources' own sites (and Nye metoder / MedNytt).
ALLOWED_HOSTS = (
    "clinicaltrials.gov",
    "ema.europa.eu",
    "fda.gov",
    "accessdata.fda.gov",
    "nyemetoder.no",
    "helsebiblioteket.no",
)

# A section's text is limited to 3,000 characters by Slack.
SECTION_LIMIT = 3000


def escape(value: str) -> str:
    """Escape the three characters Slack parses in text (`&`, `<`, `>`), and nothing else.

    This is what turns `<!channel>` in a press release into harmless text.
    """
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clean(value: str, *, limit: int = SECTION_LIMIT) -> str:
    """Source or user text made safe to show: invisible characters out, escaped, then capped
    at `limit` characters as sent (never cutting an escape)."""
    return shorten(escape(strip_invisible(value)), limit)


def is_allowed_url(url: str | None) -> bool:
    """True for https URLs on an allowed host (or a subdomain of one)."""
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS)
    return parts.scheme == "https" and allowed and not any(c in url for c in "<>| \n")


def link(url: str | None, label: str) -> str:
    """`<url|label>` for an allowed URL; otherwise the label alone, escaped."""
    if url is None or not is_allowed_url(url):
        return clean(label)
    return f"<{url.replace('&', '&amp;')}|{clean(label, limit=200)}>"
