"""Retrying transports: wrap any httpx transport and apply the pure policy of `_retry.py`.

Retrying at the transport (httpx's documented wrapping pattern) sits below authentication,
so a retried request keeps its bearer token, and below the generated client, which never
knows a retry happened. Each answer is read in full here, so a body cut short surfaces as a
transport error while the request can still be retried (the generated client reads whole
bodies anyway). The decision is shared, here; the send/sleep loop is written once, in
`_async/transport.py` (`AsyncRetryTransport`), and `_sync/transport.py` (`RetryTransport`)
is generated from it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

from . import _constants as c
from ._clock import Clock
from ._retry import RetryPolicy, retry_delay, should_retry

ATTEMPTS = "qiskit_runtime_jobs.attempts"
"""Response extension: how many times the request was sent (1 when not retried)."""

logger = logging.getLogger(c.LOGGER_NAME)
Inner = TypeVar("Inner")


class _RetryDecider:
    """What both transports share: the policy, the clock and the jitter source."""

    def __init__(
        self, policy: RetryPolicy, clock: Clock, rand: Callable[[], float] = random.random
    ) -> None:
        self.policy = policy
        self.clock = clock
        self._rand = rand

    def next_delay(
        self, request: httpx.Request, outcome: httpx.Response | Exception, attempt: int
    ) -> float | None:
        """Seconds to wait before sending `request` again, or None to stop here."""
        if isinstance(outcome, httpx.Response) and outcome.status_code < 400:
            return None  # the common case, decided without the policy
        if isinstance(outcome, httpx.Response):
            status: int | Exception = outcome.status_code
            retry_after = outcome.headers.get("retry-after")
        else:
            status, retry_after = outcome, None
        if not should_retry(request.method, request.url.path, status, self.policy):
            return None
        delay = retry_delay(attempt, self.policy, retry_after, rand=self._rand)
        if delay is not None:
            reason = status if isinstance(status, int) else type(status).__name__
            logger.info(
                "retrying %s %s in %.2fs after %s (retry %d of %d)",
                request.method,
                request.url.path,
                delay,
                reason,
                attempt + 1,
                self.policy.max_retries,
            )
        return delay


def buffered(request: httpx.Request, response: httpx.Response, raw: bytes) -> httpx.Response:
    """The same answer with its (still encoded) body in memory; the connection is released."""
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(raw),
        extensions=response.extensions,
        request=request,
    )


def final(outcome: httpx.Response | Exception, attempt: int) -> httpx.Response:
    """Return the last answer, stamped with its attempt count, or raise the last error."""
    if isinstance(outcome, Exception):
        raise outcome
    outcome.extensions[ATTEMPTS] = attempt + 1
    return outcome


def attempts(response: httpx.Response) -> int:
    """How many times the request behind `response` was sent."""
    sent = response.extensions.get(ATTEMPTS, 1)
    return sent if isinstance(sent, int) else 1


class Retrying(Generic[Inner]):
    """What both transports hold: the wrapped transport and the decider."""

    def __init__(
        self,
        inner: Inner,
        *,
        policy: RetryPolicy,
        clock: Clock,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._inner = inner
        self._decider = _RetryDecider(policy, clock, rand)
