"""The client-side create limiter: 5 per minute on a sliding window, thread- and task-safe."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from qiskit_runtime_jobs import Client, VirtualClock
from qiskit_runtime_jobs._limiter import SlidingWindowLimiter
from qiskit_runtime_jobs_mock import MockServer

from .conftest import CountingTransport, LinkedClock, make_async_client


def test_sixth_call_waits_for_the_window() -> None:
    """Five calls pass at once; the sixth waits until the first leaves the 60 s window."""
    clock = VirtualClock()
    limiter = SlidingWindowLimiter(5, 60.0, clock)
    for _ in range(5):
        limiter.acquire()
    assert clock.sleeps == []
    clock.advance(10)
    limiter.acquire()
    assert clock.sleeps == [50.0]


def test_window_slides() -> None:
    """Calls spread over time only wait for the oldest one in the window."""
    clock = VirtualClock()
    limiter = SlidingWindowLimiter(2, 60.0, clock)
    limiter.acquire()
    clock.advance(30)
    limiter.acquire()
    clock.advance(31)
    limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert clock.sleeps == [29.0]


def test_concurrent_reservations_are_spread() -> None:
    """Threads reserving at once get distinct slots: 5 now, then 5 a window later."""
    clock = VirtualClock()
    limiter = SlidingWindowLimiter(5, 60.0, clock)
    with ThreadPoolExecutor(max_workers=10) as pool:
        waits = sorted(pool.map(lambda _: limiter.reserve(), range(10)))
    assert waits == [0.0] * 5 + [60.0] * 5


@pytest.mark.asyncio
async def test_async_acquire_waits_on_the_clock() -> None:
    """aacquire() suspends the task on the clock's asleep."""
    clock = VirtualClock()
    limiter = SlidingWindowLimiter(1, 60.0, clock)
    await asyncio.gather(limiter.aacquire(), limiter.aacquire())
    assert clock.sleeps == [60.0]


def test_invalid_limits_are_refused() -> None:
    """A limiter needs at least one call per positive window."""
    with pytest.raises(ValueError, match="max_calls"):
        SlidingWindowLimiter(0, 60.0, VirtualClock())


def test_creates_stay_under_the_service_limit(
    mock_server: MockServer, make_client: Callable[..., Client], linked_clock: LinkedClock
) -> None:
    """Seven creates against the mock's real 5/min limit: no 429, one wait of a minute."""
    counting = CountingTransport()
    client = make_client(transport=counting, clock=linked_clock)
    for _ in range(7):
        client.create_job("sampler")
    assert counting.count("POST", "/jobs") == 7
    assert linked_clock.sleeps == [60.0]


def test_limiter_can_be_disabled(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """create_rate_limit=None sends at once (the service's 429 is then retried after lookup)."""
    client = make_client(create_rate_limit=None)
    for _ in range(5):
        client.create_job("sampler")
    assert clock.sleeps == []
    assert client.list_jobs().count == 5


@pytest.mark.asyncio
async def test_async_creates_are_limited(mock_server: MockServer, clock: VirtualClock) -> None:
    """The async client's creates go through the same limiter (waits on asleep)."""
    async with make_async_client(mock_server, clock, create_rate_limit=2) as client:
        await client.create_job("sampler")
        await client.create_job("sampler")
        assert clock.sleeps == []
        await client.create_job("sampler")
    assert clock.sleeps == [60.0]
