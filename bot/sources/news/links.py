"""News item links and keys: own-site links upgraded to https, keys that survive a change of scheme.

FDA's real press-release feed (xml:base="http://www.fda.gov/") gives every item an `http://` link
and a permalink guid with the same URL (samples/real/rss). Its site is served over https, so
a link on the publisher's own host is upgraded; a link to any other host is never used. An item's
key must not change when the feed moves to https, nor with host case or a trailing slash, or
every item would be alerted again.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# Drupal's default guid, as EMA's feeds are documented to use: "<node id> at <site URL>".
_DRUPAL_GUID = re.compile(r"^(\S+) at (\S+)$")
_WEB_SCHEMES = ("http", "https")
_DEFAULT_PORTS = (None, 80, 443)


def own_link(link: str | None, *, host: str) -> str | None:
    """`link` as an https URL when it is a web page on `host` or a subdomain of it, else None.

    http is upgraded to https; a look-alike host, another scheme, a user name in the URL or an
    unusual port means the link is not the publisher's page.
    """
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
        port = parts.port
    except ValueError:
        return None
    hostname = parts.hostname or ""
    on_host = hostname == host or hostname.endswith("." + host)
    if parts.scheme.lower() not in _WEB_SCHEMES or not on_host or port not in _DEFAULT_PORTS:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return urlunsplit(("https", hostname, parts.path or "/", parts.query, parts.fragment))


def normal_key(key: str) -> str:
    """An item key with its URL normalised: https, lower-case host, no default port, no
    trailing slash. Keys that hold no URL (plain guids, content hashes) are kept as they are."""
    key = key.strip()
    drupal = _DRUPAL_GUID.match(key)
    if drupal and _is_web_url(drupal.group(2)):
        return f"{drupal.group(1)} at {_normal_url(drupal.group(2))}"
    return _normal_url(key) if _is_web_url(key) else key


def _is_web_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://")) and " " not in text


def _normal_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    netloc = (parts.hostname or "") if port in _DEFAULT_PORTS else f"{parts.hostname}:{port}"
    if parts.username is not None:
        return url  # a URL with credentials in it is no page address; keep it exactly
    return urlunsplit(("https", netloc, parts.path.rstrip("/"), parts.query, parts.fragment))
