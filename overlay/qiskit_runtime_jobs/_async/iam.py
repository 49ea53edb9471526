"""`AsyncIAMAuth`: the API-key flow of `AsyncClient`, and its exchange at IAM.

The cache, the form and the reading of IAM's answer are `_iam.IAMAuth`'s; only the I/O is
here. The exchange goes through the client's transport, retried by its own policy.
"""

from __future__ import annotations

import asyncio

import httpx

from .. import _constants as c
from .._clock import Clock
from .._iam import ACCEPT_JSON, AsyncFlow, IAMAuth, bearer, iam_policy, logger
from .transport import AsyncRetryTransport


class AsyncIAMAuth(IAMAuth):
    """`IAMAuth` for the client of this kind; a refresh in flight is waited for, not repeated."""

    def __init__(
        self,
        api_key: str,
        *,
        async_transport: httpx.AsyncBaseTransport,
        url: str = c.DEFAULT_IAM_URL,
        clock: Clock,
        timeout: httpx.Timeout = c.DEFAULT_TIMEOUT,
        max_retries: int = c.DEFAULT_MAX_RETRIES,
    ) -> None:
        super().__init__(api_key, url=url, clock=clock)
        retrying = AsyncRetryTransport(async_transport, policy=iam_policy(max_retries), clock=clock)
        self._http = httpx.AsyncClient(timeout=timeout, transport=retrying)
        self._lock = asyncio.Lock()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncFlow:
        token = await self.atoken()
        bearer(request, token)
        response = yield request
        if response.status_code == 401:
            logger.info("401 from the service: refreshing the IAM token once")
            bearer(request, await self.atoken(stale=token))
            yield request

    async def atoken(self, stale: str | None = None) -> str:
        """A usable token; `stale` names one the service refused, which is never returned."""
        async with self._lock:
            if (cached := self._cached(stale)) is not None:
                return cached
            started = self._clock.now()
            with self._reaching():
                response = await self._http.post(self.url, data=self._form(), headers=ACCEPT_JSON)
            return self._store(response, started)

    async def aclose(self) -> None:
        """Close the IAM connection pool."""
        await self._http.aclose()
