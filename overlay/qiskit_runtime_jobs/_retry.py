"""The retry policy, as pure functions (no I/O, no sleeping): what to retry and how long to wait.

- Only idempotent methods are retried (GET, HEAD, OPTIONS, PUT, DELETE). `POST /jobs` is never
  retried here: `_create.py` checks whether an ambiguous attempt created the job first.
- Retried answers: 408, 429, 500, 502, 503, 504, and transport errors (refused, dropped or
  truncated connections, timeouts).
- `GET /jobs/{id}/results` is read-once for private jobs: once the service may have sent the
  body, its bytes may be gone. It is retried only when the service cannot have processed it:
  the connection was never made (connect error/timeout, pool timeout), or the service refused
  it (429, 503). Every other failure (a dropped or cut-short answer, a timeout, 500/502/504)
  is raised to the caller.
- The wait is exponential backoff with full jitter, or the server's `Retry-After` (seconds or
  an HTTP date) when it sends one. A `Retry-After` above `max_retry_after` is not waited
  for: the error is raised, since retrying sooner would only be refused again.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from . import _constants as c

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
REFUSED_STATUSES = frozenset({429, 503})
"""Answers that mean the service refused the request without processing it."""
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures that prove the request never reached the server."""

_READ_ONCE_RE = re.compile(r".*/jobs/[^/]+/results/?")


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How many retries, which methods, and the backoff bounds."""

    max_retries: int = c.DEFAULT_MAX_RETRIES
    initial_delay: float = c.INITIAL_RETRY_DELAY
    max_delay: float = c.MAX_RETRY_DELAY
    max_retry_after: float = c.MAX_RETRY_AFTER
    methods: frozenset[str] = IDEMPOTENT_METHODS


Outcome = int | BaseException
"""A status code, or the exception the attempt raised."""


def is_read_once(path: str) -> bool:
    """Whether `path` is a job's results endpoint (read-once for private jobs)."""
    return _READ_ONCE_RE.fullmatch(path) is not None


def never_sent(error: BaseException) -> bool:
    """Whether a transport failure proves the request never reached the server."""
    return isinstance(error, NEVER_SENT)


def should_retry(method: str, path: str, outcome: Outcome, policy: RetryPolicy) -> bool:
    """Whether an attempt that ended with `outcome` may be sent again."""
    if method.upper() not in policy.methods:
        return False
    if is_read_once(path):
        return outcome in REFUSED_STATUSES if isinstance(outcome, int) else never_sent(outcome)
    if isinstance(outcome, int):
        return outcome in RETRY_STATUSES
    return isinstance(outcome, httpx.TransportError)


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` value (RFC 9110: delay-seconds or an HTTP date).

    A date in the past means 0; a date without a zone is read as GMT, as HTTP dates are.
    None when the value is absent or not one of those forms (e.g. `-5`, `1.5`, `soon`).
    """
    text = (value or "").strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - (now or dt.datetime.now(dt.UTC))).total_seconds(), 0.0)


def backoff_delay(
    attempt: int, policy: RetryPolicy, rand: Callable[[], float] = random.random
) -> float:
    """Full jitter: uniform in [0, min(max_delay, initial_delay * 2**attempt)]."""
    ceiling = min(policy.max_delay, policy.initial_delay * 2.0 ** min(attempt, 32))
    jitter: float = rand()
    return jitter * ceiling


def retry_delay(
    attempt: int,
    policy: RetryPolicy,
    retry_after: str | None = None,
    *,
    now: dt.datetime | None = None,
    rand: Callable[[], float] = random.random,
) -> float | None:
    """The wait before retry number `attempt + 1`, or None when no retry should be made.

    None when the retries are used up, or the server asks for a wait above the cap.
    """
    if attempt >= policy.max_retries:
        return None
    asked = parse_retry_after(retry_after, now=now)
    if asked is not None:
        return asked if asked <= policy.max_retry_after else None
    return backoff_delay(attempt, policy, rand)
