# Generated from `_async/transport.py` by `make generate` (unasync): do not edit.
"""The retrying transport of `AsyncClient`: send, and on a retryable outcome sleep and resend.

The decision is `_transport`'s (the pure policy of `_retry`); only the loop is here.
"""

from __future__ import annotations

import contextlib

import httpx

from .._transport import Retrying, buffered, final


class RetryTransport(Retrying[httpx.BaseTransport], httpx.BaseTransport):
    """A transport that retries what the policy allows, sleeping on the clock."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            outcome = self._attempt(request)
            delay = self._decider.next_delay(request, outcome, attempt)
            if delay is None:
                return final(outcome, attempt)
            self._decider.clock.sleep(delay)
            attempt += 1

    def _attempt(self, request: httpx.Request) -> httpx.Response | Exception:
        try:
            response = self._inner.handle_request(request)
            if response.is_stream_consumed:  # in-process transports buffer already
                return response
            with contextlib.closing(response):
                raw = b"".join([chunk for chunk in response.iter_raw()])
            return buffered(request, response, raw)
        except httpx.TransportError as exc:
            return exc

    def close(self) -> None:
        self._inner.close()
