"""The pure retry policy: which outcomes are retried, and how long to wait (tables)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from qiskit_runtime_jobs import parse_retry_after
from qiskit_runtime_jobs._retry import (
    RetryPolicy,
    backoff_delay,
    is_read_once,
    retry_delay,
    should_retry,
)

POLICY = RetryPolicy(max_retries=3, initial_delay=0.5, max_delay=8.0, max_retry_after=60.0)
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
REQUEST = httpx.Request("GET", "http://x/api/v1/jobs")


@pytest.mark.parametrize(
    ("method", "path", "outcome", "expected"),
    [
        ("GET", "/api/v1/jobs", 503, True),
        ("GET", "/api/v1/jobs/abc", 429, True),
        ("GET", "/api/v1/jobs/abc", 408, True),
        ("GET", "/api/v1/jobs/abc", 500, True),
        ("GET", "/api/v1/jobs/abc", 502, True),
        ("GET", "/api/v1/jobs/abc", 504, True),
        ("GET", "/api/v1/jobs/abc", 501, False),
        ("GET", "/api/v1/jobs/abc", 400, False),
        ("GET", "/api/v1/jobs/abc", 404, False),
        ("GET", "/api/v1/jobs/abc", 409, False),
        ("PUT", "/api/v1/jobs/abc/tags", 503, True),
        ("DELETE", "/api/v1/jobs/abc", 503, True),
        ("POST", "/api/v1/jobs", 503, False),
        ("POST", "/api/v1/jobs", httpx.ConnectError("x"), False),
        ("POST", "/api/v1/jobs/abc/cancel", 503, False),
        ("GET", "/api/v1/jobs/abc", httpx.ReadTimeout("x"), True),
        ("GET", "/api/v1/jobs/abc", httpx.RemoteProtocolError("x"), True),
        ("GET", "/api/v1/jobs/abc", httpx.ConnectError("x"), True),
        ("GET", "/api/v1/jobs/abc", ValueError("x"), False),
        ("GET", "/api/v1/jobs/abc/results", 503, True),
        ("GET", "/api/v1/jobs/abc/results", 429, True),
        ("GET", "/api/v1/jobs/abc/results", 500, False),
        ("GET", "/api/v1/jobs/abc/results", 502, False),
        ("GET", "/api/v1/jobs/abc/results", 504, False),
        ("GET", "/api/v1/jobs/abc/results", 408, False),
        ("POST", "/api/v1/jobs/abc/results", 503, False),
        ("GET", "/api/v1/jobs/abc/results", httpx.ReadTimeout("x"), False),
        ("GET", "/api/v1/jobs/abc/results", httpx.RemoteProtocolError("x"), False),
        ("GET", "/api/v1/jobs/abc/results", httpx.ConnectError("x"), True),
        ("GET", "/api/v1/jobs/abc/results", httpx.ConnectTimeout("x"), True),
        ("GET", "/api/v1/jobs/abc/results", httpx.PoolTimeout("x"), True),
    ],
)
def test_should_retry(method: str, path: str, outcome: int | Exception, expected: bool) -> None:
    """Idempotent methods on 408/429/5xx/transport errors; results only if never processed
    (never sent, or refused with 429/503)."""
    assert should_retry(method, path, outcome, POLICY) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/jobs/abc/results", True),
        ("/jobs/abc/results", True),
        ("/api/v1/jobs/abc", False),
        ("/api/v1/jobs/results", False),
        ("/api/v1/jobs/abc/logs", False),
    ],
)
def test_is_read_once(path: str, expected: bool) -> None:
    """Only a job's results endpoint is read-once."""
    assert is_read_once(path) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("0", 0.0),
        ("3", 3.0),
        (" 7 ", 7.0),
        ("2.5", None),
        ("-4", None),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("\u0663", None),  # a digit, but not an ASCII one
        ("Fri, 20 Mar 2026 12:00:30 GMT", 30.0),
        ("Fri, 20 Mar 2026 11:59:00 GMT", 0.0),
        ("Fri, 20 Mar 2026 13:00:00 GMT", 3600.0),
        # No zone, or "-0000": HTTP dates are always GMT, so read them as GMT.
        ("Fri, 20 Mar 2026 12:00:30", 30.0),
        ("Fri, 20 Mar 2026 12:00:30 -0000", 30.0),
        ("Fri, 32 Foo 2026 12:00:30 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    """RFC 9110 delay-seconds or an HTTP date (past dates mean now); anything else is None."""
    assert parse_retry_after(value, now=NOW) == expected


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (60, 8.0)],
)
def test_backoff_is_exponential_with_full_jitter(attempt: int, ceiling: float) -> None:
    """The delay is uniform in [0, min(max, initial * 2**attempt)]."""
    assert backoff_delay(attempt, POLICY, rand=lambda: 1.0) == ceiling
    assert backoff_delay(attempt, POLICY, rand=lambda: 0.0) == 0.0
    assert backoff_delay(attempt, POLICY, rand=lambda: 0.5) == ceiling / 2


@pytest.mark.parametrize(
    ("attempt", "retry_after", "expected"),
    [
        (0, None, 0.5),
        (2, None, 2.0),
        (3, None, None),
        (0, "7", 7.0),
        (0, "60", 60.0),
        (0, "61", None),
        (3, "1", None),
        (1, "garbage", 1.0),
    ],
)
def test_retry_delay(attempt: int, retry_after: str | None, expected: float | None) -> None:
    """Retry-After wins up to the cap; above it, or past max_retries, no retry."""
    got = retry_delay(attempt, POLICY, retry_after, now=NOW, rand=lambda: 1.0)
    assert got == expected


def test_policy_defaults_are_safe() -> None:
    """The default policy retries a few times and never POST."""
    policy = RetryPolicy()
    assert 1 <= policy.max_retries <= 5
    assert "POST" not in policy.methods
    assert should_retry(REQUEST.method, REQUEST.url.path, 503, policy)
