"""The one place for outbound source HTTP: conditional GET, deadline, retries, redirects, gates."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType

import httpx

from bot import __version__
from bot.polling.pacing import HostPacer, backoff_seconds
from bot.polling.responses import (
    Answer,
    FetchError,
    Validators,
    check_body_kind,
    not_modified,
    redirect_target,
    request_error,
    status_error,
    validators_of,
)
from bot.sources.base import Query

__all__ = [
    "USER_AGENT",
    "Answer",
    "FetchError",
    "Fetcher",
    "StoppedError",
    "Validators",
    "build_client",
]

log = logging.getLogger(__name__)


class StoppedError(Exception):
    """The process is shutting down: the fetch was abandoned (not a failure of the source)."""


USER_AGENT = f"Metodevakt/{__version__} (+https://github.com/metodevakt)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = {
    "json": "application/json",
    "feed": "application/rss+xml, application/atom+xml, application/xml, text/xml;q=0.9",
    # The html gate reads text/html only; an XLSX file may come as bare bytes.
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, "
    "application/octet-stream;q=0.5",
}
_NO_PACING: Mapping[str, float] = MappingProxyType({})
_NO_AUTH: Mapping[str, tuple[str, str]] = MappingProxyType({})


def build_client(
    *, timeout_seconds: float = 20, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The shared source client: a User-Agent naming us, explicit timeouts, no auto-redirects."""
    # Feed publishers block anonymous clients; a named UA with a contact URL is the etiquette.
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout_seconds, connect=min(10.0, timeout_seconds)),
        follow_redirects=False,
        transport=transport,
    )


class Fetcher:
    """Fetches one query at a time; safe to share between threads.

    `deadline_seconds` bounds a whole fetch() call: every try, redirect and wait. A deadline
    failure is therefore never retried; there is no time left to retry in.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        deadline_seconds: float = 60,
        max_tries: int = 3,
        min_interval: Mapping[str, float] = _NO_PACING,
        auth: Mapping[str, tuple[str, str]] = _NO_AUTH,
        max_body_bytes: int = 64_000_000,
        max_redirects: int = 5,
        max_retry_after: float = 120,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        stopping: threading.Event | None = None,
    ) -> None:
        self._client = client
        self._stopping = stopping
        self._deadline = deadline_seconds
        self._max_tries = max_tries
        self._pacer = HostPacer(min_interval, clock=clock, sleep=sleep)
        self._auth = {host.lower(): pair for host, pair in auth.items()}
        self._max_body = max_body_bytes
        self._max_redirects = max_redirects
        self._max_retry_after = max_retry_after
        self._sleep = sleep
        self._clock = clock
        # Jitter only spreads retries out; it needs no cryptographic randomness.
        self._rng = rng or random.Random()  # noqa: S311

    def fetch(self, query: Query, validators: Validators | None = None) -> Answer:
        """GET the query, retrying transient failures; raise FetchError when the source failed."""
        deadline = self._clock() + self._deadline
        tries = 0
        while True:
            try:
                return self._follow(query, validators, deadline)
            except FetchError as error:
                tries += 1
                wait = self._retry_wait(error, tries, deadline)
                if wait is None:
                    raise
                host = httpx.URL(query.url).host
                log.warning("retrying %s in %.1f s after: %s", host, wait, error.reason)
                self._sleep(wait)
                self._check_deadline(deadline)

    def _retry_wait(self, error: FetchError, tries: int, deadline: float) -> float | None:
        """How long to wait before the next try, or None to give up with `error`."""
        if not error.retryable or tries >= self._max_tries:
            return None
        wait = error.retry_after
        if wait is None:
            wait = backoff_seconds(tries, self._rng)
        # A wait past the cap or the deadline is not worth taking: fail now, try next cycle.
        if wait > self._max_retry_after or self._clock() + wait > deadline:
            return None
        return wait

    def _follow(self, query: Query, validators: Validators | None, deadline: float) -> Answer:
        """One try: the request and its same-host redirects."""
        url = httpx.URL(query.full_url)
        for _ in range(self._max_redirects + 1):
            outcome = self._exchange(url, query, validators, deadline)
            if isinstance(outcome, Answer):
                return outcome
            url = outcome
        raise FetchError(f"more than {self._max_redirects} redirects")

    def _exchange(
        self, url: httpx.URL, query: Query, validators: Validators | None, deadline: float
    ) -> Answer | httpx.URL:
        """One HTTP request: an answer, or the URL a redirect points to."""
        self._pacer.wait(url.host)
        self._check_deadline(deadline)
        started = self._clock()
        headers = _request_headers(query, validators)
        timeout = self._timeout_within(deadline)
        try:
            with self._client.stream(
                "GET", url, headers=headers, auth=self._auth_for(url), timeout=timeout
            ) as response:
                try:
                    return self._outcome(response, query, validators, deadline)
                finally:
                    self._log_exchange(response, started)
        except httpx.RequestError as exc:
            raise request_error(exc) from exc

    def _outcome(
        self, response: httpx.Response, query: Query, validators: Validators | None, deadline: float
    ) -> Answer | httpx.URL:
        # 304 first: httpx's raise_for_status() would treat "unchanged" as an error.
        status = response.status_code
        if status == 304:
            return not_modified(response, validators)
        if status in _REDIRECTS:
            return redirect_target(response)
        if status != 200 and status not in query.ok_statuses:
            raise status_error(response)
        body = self._read_body(response, deadline)
        check_body_kind(query.expect, response.headers.get("content-type", ""), body)
        return Answer(status, body, validators_of(response), str(response.url))

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        """The (decoded) body, read chunk by chunk so the deadline and size cap hold mid-body."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            raise FetchError(f"body larger than {self._max_body} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max_body:
                raise FetchError(f"body larger than {self._max_body} bytes")
            self._check_deadline(deadline)
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_deadline(self, deadline: float) -> None:
        if self._stopping is not None and self._stopping.is_set():
            raise StoppedError("the process is stopping")
        if self._clock() > deadline:
            raise FetchError(f"deadline of {self._deadline:g} s exceeded")

    def _timeout_within(self, deadline: float) -> httpx.Timeout:
        """The client's timeouts, each shortened to the time left, so one stall cannot overrun."""
        left = max(deadline - self._clock(), 0.001)
        base = self._client.timeout
        return httpx.Timeout(
            connect=_at_most(base.connect, left),
            read=_at_most(base.read, left),
            write=_at_most(base.write, left),
            pool=_at_most(base.pool, left),
        )

    def _auth_for(self, url: httpx.URL) -> tuple[str, str] | None:
        # Basic credentials are never sent over plain http, where they would travel in clear.
        return self._auth.get(url.host) if url.scheme == "https" else None

    def _log_exchange(self, response: httpx.Response, started: float) -> None:
        # Host, path and a parameter count only: query strings stay out of the logs.
        url = response.request.url
        log.info(
            "GET %s%s (%d params) -> %d, %d bytes, %d ms",
            url.host,
            url.path,
            len(url.params.multi_items()),
            response.status_code,
            response.num_bytes_downloaded,
            round((self._clock() - started) * 1000),
        )


def _at_most(value: float | None, limit: float) -> float:
    return limit if value is None else min(value, limit)


def _request_headers(query: Query, validators: Validators | None) -> dict[str, str]:
    headers = {"Accept": _ACCEPT.get(query.expect, "*/*")}
    headers.update(validators.request_headers() if validators else {})
    return headers
