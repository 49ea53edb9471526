"""Auto-pagination: lazy, exact at the end, never looping on a wrong count."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs import AsyncClient, Client, VirtualClock
from qiskit_runtime_jobs_mock import MockConfig, MockServer, VirtualClock as ServerClock

from .conftest import CountingTransport, make_async_client, seed_jobs

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"
TOTAL = 1000


@pytest.fixture
def mock_server_config(server_clock: ServerClock) -> MockConfig:
    """No create rate limit, so the test can seed 1,000 jobs quickly."""
    return MockConfig(clock=server_clock, rate_limit_per_minute=None)


def test_iterates_over_1000_jobs_in_exact_pages(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """1,000 jobs at 200 a page: exactly 5 requests, every job once, newest first."""
    ids = seed_jobs(mock_server, TOTAL)
    counting = CountingTransport()
    client = make_client(transport=counting)
    seen = [job.id for job in client.iter_jobs()]
    assert len(seen) == TOTAL
    assert set(seen) == set(ids)
    assert seen == list(reversed(ids))
    assert counting.count("GET", "/jobs") == TOTAL // 200


def test_pages_are_fetched_lazily(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """Nothing is requested until iteration starts; one page per page_size jobs taken."""
    seed_jobs(mock_server, 25)
    counting = CountingTransport()
    client = make_client(transport=counting)
    jobs = client.iter_jobs(page_size=10, program="sampler")
    assert counting.sent == []
    first = [next(jobs) for _ in range(10)]
    assert len(first) == 10
    assert counting.count("GET", "/jobs") == 1
    assert len(list(jobs)) == 15
    assert counting.count("GET", "/jobs") == 3


def test_filters_apply_to_every_page(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """Filters (tags here) are sent with every page request."""
    seed_jobs(mock_server, 7, tags=["keep"])
    seed_jobs(mock_server, 5, tags=["drop"])
    client = make_client()
    kept = list(client.iter_jobs(page_size=3, tags=["keep"]))
    assert len(kept) == 7
    assert all(job.tags == ["keep"] for job in kept)


def test_exact_multiple_of_page_size_stops_on_count(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """With count reported, 20 jobs at 10 a page take 2 requests, not a third empty one."""
    seed_jobs(mock_server, 20)
    counting = CountingTransport()
    assert len(list(make_client(transport=counting).iter_jobs(page_size=10))) == 20
    assert counting.count("GET", "/jobs") == 2


@pytest.mark.asyncio
async def test_async_iterates_over_1000_jobs(mock_server: MockServer, clock: VirtualClock) -> None:
    """The async iterator yields the same 1,000 jobs with `async for`."""
    ids = seed_jobs(mock_server, TOTAL)
    async with make_async_client(mock_server, clock) as client:
        seen = [job.id async for job in client.iter_jobs()]
    assert seen == list(reversed(ids))


def _lying_server(total: int, reported: int | None, ignore_offset: bool = False) -> Client:
    """A client of an in-process service holding `total` jobs but reporting `count=reported`."""
    return Client(token="t", crn=CRN, transport=_lying_transport(total, reported, ignore_offset))


def _lying_transport(
    total: int, reported: int | None, ignore_offset: bool = False
) -> httpx.MockTransport:
    """An in-process service (sync and async) holding `total` jobs, reporting `count=reported`."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        assert len(requests) < 50, "the iterator did not stop"
        limit = int(request.url.params["limit"])
        offset = 0 if ignore_offset else int(request.url.params.get("offset", 0))  # spec default
        jobs = [_job(i) for i in range(offset, min(offset + limit, total))]
        body: dict[str, Any] = {"jobs": jobs, "limit": limit, "offset": offset}
        if reported is not None:
            body["count"] = reported
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


def _job(index: int) -> dict[str, Any]:
    return {
        "id": f"job{index}",
        "created": "2026-03-20T12:00:00Z",
        "program": {"id": "sampler"},
        "state": {"status": "Completed"},
        "status": "Completed",
        "cost": 0,
    }


@pytest.mark.parametrize(
    ("total", "reported", "expected"),
    [
        (25, 25, 25),
        (25, None, 25),
        (25, 10_000, 25),
        (20, None, 20),
        (0, 0, 0),
        (0, None, 0),
        (25, 5, 10),
    ],
    ids=["right", "absent", "too-large", "absent-exact", "empty", "empty-absent", "too-small"],
)
def test_stop_rule_with_wrong_or_missing_count(
    total: int, reported: int | None, expected: int
) -> None:
    """Short/empty page or count ends iteration; a too-large count cannot loop forever."""
    with _lying_server(total, reported) as client:
        assert len(list(client.iter_jobs(page_size=10))) == expected


def test_service_ignoring_offset_does_not_loop() -> None:
    """A service that always answers the first page is detected after one repeat."""
    with _lying_server(1000, None, ignore_offset=True) as client:
        assert len(list(client.iter_jobs(page_size=10))) == 10


@contextlib.contextmanager
def _no_cycle_collector() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_spent_pages_are_freed_without_the_cycle_collector() -> None:
    """Iterating leaves no reference cycle behind (httpx binds each answer's stream to the
    answer; the client cuts that once the body is read), so a spent page, body and jobs, is
    freed at once rather than when the cycle collector runs: memory stays flat in n."""
    with _lying_server(25, 25) as client:
        client.list_jobs(limit=1)  # warm up: imports and caches
        with _no_cycle_collector():
            assert len(list(client.iter_jobs(page_size=10))) == 25
            assert gc.collect() == 0


@pytest.mark.asyncio
async def test_async_spent_pages_are_freed_without_the_cycle_collector() -> None:
    """The same for `AsyncClient`."""
    async with AsyncClient(token="t", crn=CRN, transport=_lying_transport(25, 25)) as client:
        await client.list_jobs(limit=1)
        with _no_cycle_collector():
            assert len([job async for job in client.iter_jobs(page_size=10)]) == 25
            assert gc.collect() == 0
