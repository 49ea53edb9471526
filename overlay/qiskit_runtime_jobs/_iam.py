"""Authentication as `httpx.Auth` flows: a static bearer token, or an IBM Cloud API key.

`IAMAuth` exchanges the API key at the IAM token endpoint
(`grant_type=urn:ibm:params:oauth:grant-type:apikey`; retried like an idempotent request, up
to the client's `max_retries`), caches the token, refreshes it once 80% of its lifetime has
passed, and once more when the service answers 401. Refreshes are single-flight: the cached
token is read under a lock (a thread lock for the sync client, an asyncio lock for the async
one), which the refresh keeps, so many concurrent callers cause one exchange. No class here,
nor the cached token, ever shows a secret in its repr.

What needs no I/O is here (`IAMAuth`: the cache, the form, reading IAM's answer); the flow and
the exchange are written once, in `_async/iam.py` (`AsyncIAMAuth`), and `_sync/iam.py`
(`SyncIAMAuth`) is generated from it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncGenerator, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import _constants as c
from ._clock import Clock
from ._errors import IAMError, InvariantError
from ._retry import RetryPolicy

logger = logging.getLogger(c.LOGGER_NAME)

GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
ACCEPT_JSON = {"Accept": "application/json"}
_IAM_METHODS = frozenset({"POST"})
"""Minting a token has no side effect worth protecting, so the exchange (a POST) is retried."""

AsyncFlow = AsyncGenerator[httpx.Request, httpx.Response]
SyncFlow = Generator[httpx.Request, httpx.Response, None]


def iam_policy(max_retries: int) -> RetryPolicy:
    """How the exchange is retried."""
    return RetryPolicy(max_retries=max_retries, methods=_IAM_METHODS)


def bearer(request: httpx.Request, token: str) -> None:
    request.headers["Authorization"] = f"Bearer {token}"


class BearerAuth(httpx.Auth):
    """A bearer token used as given (a 401 is the caller's to handle)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        bearer(request, self._token)
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=<redacted>)"


@dataclass(frozen=True)
class _Token:
    value: str = field(repr=False)
    refresh_at: float


class IAMAuth(httpx.Auth):
    """API key -> cached IAM bearer token, refreshed ahead of expiry and once on 401.

    The base of `AsyncIAMAuth` and `SyncIAMAuth`, each made for one kind of client: the
    other kind's flow raises (it would otherwise send the request without a token).
    """

    requires_request_body = True  # so a request can be sent again after a 401

    def __init__(self, api_key: str, *, url: str, clock: Clock) -> None:
        self._api_key = api_key
        self.url = url
        self._clock = clock
        self._token: _Token | None = None
        self.exchanges = 0
        """How many times the API key was exchanged (for tests and diagnostics)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r}, api_key=<redacted>)"

    def auth_flow(self, request: httpx.Request) -> SyncFlow:
        """Reached only through the flow of the other kind of client."""
        raise InvariantError(f"{type(self).__name__} serves only the client it was made for")
        yield request  # a generator, as httpx expects  # pragma: no cover

    def _cached(self, stale: str | None) -> str | None:
        """The cached token, unless it is due for a refresh or is the one refused."""
        token = self._token
        if token is None or token.value == stale or self._clock.now() >= token.refresh_at:
            return None
        return token.value

    @contextlib.contextmanager
    def _reaching(self) -> Iterator[None]:
        try:
            yield
        except httpx.HTTPError as exc:
            raise IAMError(f"could not reach the IAM token endpoint {self.url}") from exc

    def _form(self) -> dict[str, str]:
        return {"grant_type": GRANT_TYPE, "apikey": self._api_key}

    def _store(self, response: httpx.Response, started: float) -> str:
        """Check the IAM answer, cache the token, and return it."""
        body: Any = None
        with contextlib.suppress(ValueError):
            body = response.json()
        if response.status_code != 200 or not isinstance(body, dict):
            raise IAMError(
                f"IAM refused the API key: {response.status_code} {self._scrub(_iam_message(body))}"
            )
        value = body.get("access_token")
        lifetime = body.get("expires_in")
        if not isinstance(value, str) or not value:
            raise IAMError("IAM answered without an access_token")
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime <= 0:
            lifetime = c.IAM_FALLBACK_LIFETIME
        self._token = _Token(value, started + c.IAM_REFRESH_FRACTION * float(lifetime))
        self.exchanges += 1
        logger.debug("IAM token obtained; valid for %ss", lifetime)
        return value

    def _scrub(self, text: str) -> str:
        return text.replace(self._api_key, "<redacted>") if self._api_key else text


def _iam_message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("errorMessage", "message"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return "no usable answer"
