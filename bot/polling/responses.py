"""Judging one source HTTP response: the answer it makes, or the FetchError it amounts to."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.polling.pacing import retry_after_seconds

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A redirect may upgrade http to https but never downgrade (nor leave HTTP altogether).
_SCHEME_MOVES = {"http": ("http", "https"), "https": ("https",)}


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators stored per URL between cycles and sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """The If-None-Match / If-Modified-Since headers these validators ask for."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Answer:
    """A response that passed the transport gates: 200, 304 or a status the query accepts."""

    status: int
    body: bytes
    validators: Validators
    url: str

    @property
    def not_modified(self) -> bool:
        """True for 304: the source is unchanged since the validators were stored."""
        return self.status == 304


class FetchError(Exception):
    """A source failure with a short reason for people; never holds credentials or full URLs.

    `retryable` marks transient failures (network, timeout, 5xx, 429); `retry_after` is the
    wait the server asked for, in seconds, when it named one.
    """

    def __init__(
        self, reason: str, *, retryable: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


def check_body_kind(expect: str, content_type: str, body: bytes) -> None:
    """Raise FetchError unless the body is the kind the query expects ("json", "feed", "html"
    or "xlsx")."""
    kind = content_type.split(";")[0].strip().lower()
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    looks_html = start.startswith((b"<!doctype html", b"<html"))
    if expect in _OTHER_KINDS:
        _OTHER_KINDS[expect](kind, body)
    elif expect == "json":
        # An error page served as JSON still starts with "<"; no JSON document does.
        if kind == "text/html" or start.startswith(b"<"):
            raise FetchError("HTML page instead of JSON")
        if "json" not in kind:
            raise FetchError(f"unexpected content type {kind or '(none)'}")
    elif kind == "text/html" or looks_html:
        raise FetchError("HTML page instead of a feed")
    elif not _is_feed(kind, start):
        raise FetchError(f"unexpected content type {kind or '(none)'}")


def _check_html(kind: str, body: bytes) -> None:
    if kind != "text/html":
        raise FetchError(f"unexpected content type {kind or '(none)'} (expected an HTML page)")


def _check_xlsx(kind: str, body: bytes) -> None:
    # An XLSX file is a ZIP archive; servers label it with its own type or as bare bytes.
    if kind not in (XLSX_TYPE, "application/octet-stream"):
        raise FetchError(f"unexpected content type {kind or '(none)'} (expected an XLSX file)")
    if not body.startswith(b"PK\x03\x04"):
        raise FetchError("not an XLSX file (no ZIP signature)")


_OTHER_KINDS = {"html": _check_html, "xlsx": _check_xlsx}


def _is_feed(kind: str, start: bytes) -> bool:
    if any(word in kind for word in ("xml", "rss", "atom")):
        return True
    # Some servers label static feed files text/plain; trust the XML prolog then.
    return kind == "text/plain" and start.startswith((b"<?xml", b"<rss", b"<feed"))


def not_modified(response: httpx.Response, validators: Validators | None) -> Answer:
    """The 304 answer: no body, and the validators we sent unless the server renewed them."""
    if validators is None or not validators.request_headers():
        raise FetchError("HTTP 304 without a cached copy")
    fresh = validators_of(response)
    kept = Validators(
        etag=fresh.etag or validators.etag,
        last_modified=fresh.last_modified or validators.last_modified,
    )
    return Answer(304, b"", kept, str(response.url))


def validators_of(response: httpx.Response) -> Validators:
    """The ETag and Last-Modified a response carries, to send back next cycle."""
    return Validators(
        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified")
    )


def redirect_target(response: httpx.Response) -> httpx.URL:
    """Where a redirect points, if it stays on the same host; FetchError otherwise."""
    location = response.headers.get("location")
    if not location:
        raise FetchError(f"HTTP {response.status_code} without a Location")
    try:
        target = response.url.join(location)
    except httpx.InvalidURL as exc:
        raise FetchError("redirect to an invalid URL") from exc
    if target.host != response.url.host:
        raise FetchError(f"redirect to another host ({target.host})")
    if target.scheme not in _SCHEME_MOVES.get(response.url.scheme, ()):
        raise FetchError(f"redirect from {response.url.scheme} to {target.scheme}")
    return target


def status_error(response: httpx.Response) -> FetchError:
    """The failure an unaccepted status means; 5xx and 429 are transient, other statuses not."""
    status = response.status_code
    if status == 403:
        # Publishers and their CDNs refuse clients by User-Agent; name ours for the admins.
        agent = response.request.headers.get("user-agent", "").split(" ")[0]
        return FetchError(f"HTTP 403 (refused; our User-Agent is {agent or 'none'})")
    if status != 429 and status < 500:
        return FetchError(f"HTTP {status}")
    wait = retry_after_seconds(response.headers) if status in (429, 503) else None
    if wait is None:
        return FetchError(f"HTTP {status}", retryable=True)
    return FetchError(f"HTTP {status} (retry after {wait:.0f} s)", retryable=True, retry_after=wait)


def request_error(exc: httpx.RequestError) -> FetchError:
    """The failure an httpx request error means; network trouble and timeouts are transient."""
    # Class names only: httpx messages may quote the URL.
    if isinstance(exc, httpx.TimeoutException):
        return FetchError("timeout", retryable=True)
    if isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(f"network error ({type(exc).__name__})", retryable=True)
    return FetchError(f"request failed ({type(exc).__name__})")
