"""Authentication as `httpx.Auth` flows: a static bearer token, or an IBM Cloud API key.

`IAMAuth` exchanges the API key at the IAM token endpoint
(`grant_type=urn:ibm:params:oauth:grant-type:apikey`; retried like an idempotent request, up
to the client's `max_retries`), caches the token, refreshes it once 80% of its lifetime has
passed, and once more when the service answers 401. Refreshes are single-flight: a thread
lock (sync) or an asyncio lock (async) is taken only when the cached token is unusable, and
the token is re-checked under it, so many concurrent callers cause one exchange. Neither
class, nor the cached token, ever shows a secret in its repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import _constants as c
from ._clock import Clock
from ._errors import AuthError
from ._retry import RetryPolicy
from ._transport import AsyncRetryTransport, RetryTransport

__all__ = ["BearerAuth", "IAMAuth"]

logger = logging.getLogger(c.LOGGER_NAME)

GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
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
        url: str = c.DEFAULT_IAM_URL,
        clock: Clock,
        timeout: httpx.Timeout = c.DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = c.DEFAULT_MAX_RETRIES,
    ) -> None:
        self._api_key = api_key
        self._policy = RetryPolicy(max_retries=max_retries, methods=_IAM_METHODS)
        self.url = url
        self._clock = clock
        self._timeout = timeout
        self._transport = transport
        self._async_transport = async_transport
        self._token: _Token | None = None
        self._thread_lock = threading.Lock()
        self._task_lock: asyncio.Lock | None = None
        self._http: httpx.Client | None = None
        self._async_http: httpx.AsyncClient | None = None
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
        cached = self._cached(stale)
        if cached is not None:
            return cached
        with self._thread_lock:
            cached = self._cached(stale)
            if cached is not None:
                return cached
            if self._http is None:
                self._http = httpx.Client(
                    timeout=self._timeout, transport=self._retrying(self._transport)
                )
            started = self._clock.now()
            try:
                response = self._http.post(self.url, data=self._form(), headers=self._headers())
            except httpx.HTTPError as exc:
                raise AuthError(f"could not reach the IAM token endpoint {self.url}") from exc
            return self._store(response, started)

    async def atoken(self, stale: str | None = None) -> str:
        """The async twin of `token()`."""
        cached = self._cached(stale)
        if cached is not None:
            return cached
        if self._task_lock is None:
            self._task_lock = asyncio.Lock()
        async with self._task_lock:
            cached = self._cached(stale)
            if cached is not None:
                return cached
            if self._async_http is None:
                self._async_http = httpx.AsyncClient(
                    timeout=self._timeout, transport=self._aretrying(self._async_transport)
                )
            started = self._clock.now()
            try:
                response = await self._async_http.post(
                    self.url, data=self._form(), headers=self._headers()
                )
            except httpx.HTTPError as exc:
                raise AuthError(f"could not reach the IAM token endpoint {self.url}") from exc
            return self._store(response, started)

    # ------------------------------------------------------------------ shared, no I/O
    def _retrying(self, inner: httpx.BaseTransport | None) -> httpx.BaseTransport:
        inner = inner or httpx.HTTPTransport()
        return RetryTransport(inner, policy=self._policy, clock=self._clock)

    def _aretrying(self, inner: httpx.AsyncBaseTransport | None) -> httpx.AsyncBaseTransport:
        return AsyncRetryTransport(
            inner or httpx.AsyncHTTPTransport(), policy=self._policy, clock=self._clock
        )

    def _form(self) -> dict[str, str]:
        return {"grant_type": GRANT_TYPE, "apikey": self._api_key}

    @staticmethod
    def _headers() -> dict[str, str]:
        return {"Accept": "application/json"}

    def _store(self, response: httpx.Response, started: float) -> str:
        """Check the IAM answer, cache the token, and return it."""
        body: Any = None
        with contextlib.suppress(ValueError):
            body = response.json()
        if response.status_code != 200 or not isinstance(body, dict):
            raise AuthError(
                f"IAM refused the API key: {response.status_code} {self._scrub(_iam_message(body))}"
            )
        value = body.get("access_token")
        lifetime = body.get("expires_in")
        if not isinstance(value, str) or not value:
            raise AuthError("IAM answered without an access_token")
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime <= 0:
            lifetime = 3600.0
        self._token = _Token(value, started + c.IAM_REFRESH_FRACTION * float(lifetime))
        self.exchanges += 1
        logger.debug("IAM token obtained; valid for %ss", lifetime)
        return value

    def _scrub(self, text: str) -> str:
        return text.replace(self._api_key, "<redacted>") if self._api_key else text

    def close(self) -> None:
        """Close the sync IAM connection pool."""
        if self._http is not None:
            self._http.close()

    async def aclose(self) -> None:
        """Close the async IAM connection pool."""
        if self._async_http is not None:
            await self._async_http.aclose()


def _iam_message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("errorMessage", "message"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return "no usable answer"
