"""The retrying transport of `AsyncClient`: send, and on a retryable outcome sleep and resend.

The decision is `_transport`'s (the pure policy of `_retry`); only the loop is here.
"""

from __future__ import annotations

import contextlib

import httpx

from .._transport import Retrying, buffered, final


class AsyncRetryTransport(Retrying[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """A transport that retries what the policy allows, sleeping on the clock."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            outcome = await self._attempt(request)
            delay = self._decider.next_delay(request, outcome, attempt)
            if delay is None:
                return final(outcome, attempt)
            await self._decider.clock.asleep(delay)
            attempt += 1

    async def _attempt(self, request: httpx.Request) -> httpx.Response | Exception:
        try:
            response = await self._inner.handle_async_request(request)
            if response.is_stream_consumed:  # in-process transports buffer already
                return response
            async with contextlib.aclosing(response):
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
            return buffered(request, response, raw)
        except httpx.TransportError as exc:
            return exc

    async def aclose(self) -> None:
        await self._inner.aclose()
