"""HTTP for ``kg push`` and ``kg query --endpoint``: one client, the user's credentials, bounded retries.

Why httpx: it does HTTP digest auth (Virtuoso's ``-auth`` endpoints accept nothing else) as well as basic,
and keeps one connection open across chunks. The client ignores proxy variables and ``.netrc``
(``trust_env=False``): the password comes only from where the user put it, and the connection goes only to
the host the guard lets through (:func:`kg.guard.allow_endpoint`). Redirects are not followed, so a request
never lands on a host the user did not name.

Failures become :class:`RemoteError` with one line saying what was asked of which URL and what came back.
Transport errors and 408/425/429/5xx answers are retried with exponential backoff; other 4xx are not (the
same request would fail the same way).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRIABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
_TAGS = re.compile(r"<[^>]*>")


class RemoteError(Exception):
    """A request that failed for good; ``str()`` is one line, ``status`` the HTTP status if there was one."""

    def __init__(self, message: str, status: int | None = None, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.timed_out = timed_out


@dataclass(frozen=True)
class Credentials:
    """A user and password (never printed: ``repr`` leaves it out), and how to send them."""

    user: str
    password: str = field(repr=False)
    scheme: str = "auto"


class ChallengeAuth(httpx.Auth):
    """Basic or digest auth; with ``auto``, the scheme the server's first 401 challenge asks for.

    Credentials are sent only in answer to a challenge (or up front with an explicit ``basic``), so a server
    that needs none never sees them.
    """

    def __init__(self, credentials: Credentials) -> None:
        self._basic = httpx.BasicAuth(credentials.user, credentials.password)
        self._digest = httpx.DigestAuth(credentials.user, credentials.password)
        self.scheme = None if credentials.scheme == "auto" else credentials.scheme

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request``, answering the server's challenge if it makes one."""
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        challenges = [c.strip().lower() for c in response.headers.get_list("www-authenticate")]
        if response.status_code != 401 or not challenges:
            return
        self.scheme = "digest" if any(c.startswith("digest") for c in challenges) else "basic"
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        next(flow)  # the unauthenticated first try, already answered by ``response``
        try:
            retry = flow.send(response)
            while True:
                retry = flow.send((yield retry))
        except StopIteration:
            return


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failed request is tried again, and the first pause (doubled each time)."""

    retries: int = 3
    backoff_s: float = 0.5


class Remote:
    """An HTTP client for one push or remote query; use it as a context manager."""

    def __init__(self, credentials: Credentials | None, timeout_s: float, policy: RetryPolicy) -> None:
        self.policy = policy
        self.client = httpx.Client(
            auth=ChallengeAuth(credentials) if credentials else None,
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            trust_env=False, follow_redirects=False, headers={"User-Agent": "zqgj-kg (kg push)"})

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def send(self, method: str, url: str, what: str, *, retries: int | None = None, **kwargs: Any) -> httpx.Response:
        """The response to a request (status < 400), or :class:`RemoteError` after the retries (``retries``
        overrides the policy's count: 0 for a request that must not be resent blindly)."""
        attempts = (self.policy.retries if retries is None else retries) + 1
        problem, status, timed_out = "", None, False
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.policy.backoff_s * 2 ** (attempt - 1))
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as err:
                problem, status = f"{type(err).__name__}: {err or 'no answer'} ({_public(url)})", None
                timed_out = isinstance(err, httpx.TimeoutException)
                continue
            if response.status_code < 400:
                return response
            problem, status = describe(response), response.status_code
            if response.status_code not in RETRIABLE:
                raise RemoteError(f"{what} failed: {problem}{_hint(response.status_code)}", status)
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        raise RemoteError(f"{what} failed{tries}: {problem}", status, timed_out=timed_out and status is None)


def describe(response: httpx.Response) -> str:
    """``HTTP 500 Request Failed from URL: the server's message`` (HTML tags stripped, at most 300 characters)."""
    text = response.text
    if "html" in response.headers.get("content-type", ""):
        text = html.unescape(_TAGS.sub(" ", text))
    text = " ".join(text.split())
    if len(text) > 300:
        text = text[:297] + "..."
    reason = response.reason_phrase or ""
    return f"HTTP {response.status_code} {reason} from {_public(str(response.request.url))}" + (
        f": {text}" if text else "")


def _hint(status: int) -> str:
    if status in (401, 403):
        return " (check --user, the password, and that the user may write: Virtuoso needs SPARQL_UPDATE)"
    if status == 413:
        return " (the server refused the body size: lower --chunk-size)"
    return ""


def _public(url: str) -> str:
    """``url`` without its query string (it can be long: a graph IRI, a whole query)."""
    return url.split("?", 1)[0]
