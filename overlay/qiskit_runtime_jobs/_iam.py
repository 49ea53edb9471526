"""Authentication as `httpx.Auth` flows: a static bearer token, or an IBM Cloud API key.

`IAMAuth` exchanges the API key at the IAM token endpoint
(`grant_type=urn:ibm:params:oauth:grant-type:apikey`; retried like an idempotent request, up
to the client's `max_retries`), caches the token, refreshes it once 80% of its lifetime has
passed, and once more when the service answers 401. Refreshes are single-flight: the cached
token is read under a thread lock (sync) or an asyncio lock (async), which the refresh keeps,
so many concurrent callers cause one exchange. Neither
class, nor the cached token, ever shows a secret in its repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncGenerator, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import _constants as c
from ._clock import Clock
from ._errors import IAMError
from ._retry import RetryPolicy
from ._transport import AsyncRetryTransport, RetryTransport

logger = logging.getLogger(c.LOGGER_NAME)

GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
_ACCEPT = {"Accept": "application/json"}
_IAM_METHODS = frozenset({"POST"})
"""Minting a token has no side effect worth protecting, so the exchange (a POST) is retried."""


def _bearer(request: httpx.Request, token: str) -> None:
    request.headers["Authorization"] = f"Bearer {token}"


class BearerAuth(httpx.Auth):
    """A bearer token used as given (a 401 is the caller's to handle)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        _bearer(request, self._token)
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=<redacted>)"


@dataclass(frozen=True)
class _Token:
    value: str = field(repr=False)
    refresh_at: float


class IAMAuth(httpx.Auth):
    """API key -> cached IAM bearer token, refreshed ahead of expiry and once on 401."""

    requires_request_body = True  # so a request can be sent again after a 401

    def __init__(
        self,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        url: str = c.DEFAULT_IAM_URL,
        clock: Clock,
        timeout: httpx.Timeout = c.DEFAULT_TIMEOUT,
        max_retries: int = c.DEFAULT_MAX_RETRIES,
    ) -> None:
        """The exchange goes through the client's transport (`async_transport` for the async
        client), retried by its own policy."""
        self._api_key = api_key
        self.url = url
        self._clock = clock
        self._token: _Token | None = None
        self._thread_lock = threading.Lock()
        self._task_lock = asyncio.Lock()
        policy = RetryPolicy(max_retries=max_retries, methods=_IAM_METHODS)
        self._http: httpx.Client | httpx.AsyncClient
        if async_transport is not None:
            retrying: Any = AsyncRetryTransport(async_transport, policy=policy, clock=clock)
            self._http = httpx.AsyncClient(timeout=timeout, transport=retrying)
        else:
            retrying = RetryTransport(
                transport or httpx.HTTPTransport(), policy=policy, clock=clock
            )
            self._http = httpx.Client(timeout=timeout, transport=retrying)
        self.exchanges = 0
        """How many times the API key was exchanged (for tests and diagnostics)."""

    def __repr__(self) -> str:
        return f"IAMAuth(url={self.url!r}, api_key=<redacted>)"

    # ------------------------------------------------------------------ flows
    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.token()
        _bearer(request, token)
        response = yield request
        if response.status_code == 401:
            logger.info("401 from the service: refreshing the IAM token once")
            _bearer(request, self.token(stale=token))
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.atoken()
        _bearer(request, token)
        response = yield request
        if response.status_code == 401:
            logger.info("401 from the service: refreshing the IAM token once")
            _bearer(request, await self.atoken(stale=token))
            yield request

    # ------------------------------------------------------------------ tokens
    def _cached(self, stale: str | None) -> str | None:
        token = self._token
        if token is None or token.value == stale or self._clock.now() >= token.refresh_at:
            return None
        return token.value

    def token(self, stale: str | None = None) -> str:
        """A usable token; `stale` names one the service refused, which is never returned."""
        with self._thread_lock:
            if (cached := self._cached(stale)) is not None:
                return cached
            started = self._clock.now()
            assert isinstance(self._http, httpx.Client)  # made for the sync client
            with self._reaching():
                response = self._http.post(self.url, data=self._form(), headers=_ACCEPT)
            return self._store(response, started)

    async def atoken(self, stale: str | None = None) -> str:
        """`token()` for tasks: waits for a refresh in flight without blocking the loop."""
        async with self._task_lock:
            if (cached := self._cached(stale)) is not None:
                return cached
            started = self._clock.now()
            assert isinstance(self._http, httpx.AsyncClient)  # made for the async client
            with self._reaching():
                response = await self._http.post(self.url, data=self._form(), headers=_ACCEPT)
            return self._store(response, started)

    # ------------------------------------------------------------------ shared, no I/O
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
            lifetime = 3600.0
        self._token = _Token(value, started + c.IAM_REFRESH_FRACTION * float(lifetime))
        self.exchanges += 1
        logger.debug("IAM token obtained; valid for %ss", lifetime)
        return value

    def _scrub(self, text: str) -> str:
        return text.replace(self._api_key, "<redacted>") if self._api_key else text

    def close(self) -> None:
        """Close the IAM connection pool (sync client)."""
        if isinstance(self._http, httpx.Client):
            self._http.close()

    async def aclose(self) -> None:
        """Close the IAM connection pool (async client)."""
        if isinstance(self._http, httpx.AsyncClient):
            await self._http.aclose()


def _iam_message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("errorMessage", "message"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return "no usable answer"
