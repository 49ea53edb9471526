"""Fixtures for the overlay's tests: a loopback mock on a virtual clock, and clients wired to it.

Two clocks, never real time: the mock's (`server_clock`, POSIX seconds: job lifecycles and
token expiry on the service side) and the client's (`clock`, monotonic: backoff, rate limit,
token refresh on the client side). Neither sleeps.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest

from qiskit_runtime_jobs import AsyncClient, Client, VirtualClock
from qiskit_runtime_jobs_mock import (
    DEFAULT_API_KEY,
    DEFAULT_CRN,
    DEFAULT_TOKEN,
    MockConfig,
    MockServer,
    VirtualClock as ServerClock,
)
from qiskit_runtime_jobs_mock.pytest_plugin import mock_server  # noqa: F401  (the plugin's fixture)

START = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
SECRET_TOKEN = DEFAULT_TOKEN
T = TypeVar("T")
SECRET_KEY = DEFAULT_API_KEY


class LinkedClock(VirtualClock):
    """The client's virtual clock, dragging the server's along: one notion of elapsed time
    where a test needs the service to see the client's waits (polling, rate limit)."""

    def __init__(self, server_clock: ServerClock) -> None:
        super().__init__()
        self._server_clock = server_clock

    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        self._server_clock.advance(max(seconds, 0.0))


@pytest.fixture(autouse=True)
def _per_user_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed creates without a cache_dir lock in `$XDG_CACHE_HOME`: a temporary one here."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture
def server_clock() -> ServerClock:
    """The mock's virtual clock (job lifecycle, token expiry)."""
    return ServerClock(START)


@pytest.fixture
def clock() -> VirtualClock:
    """The client's virtual clock: retries, the limiter and token refresh sleep on it."""
    return VirtualClock()


@pytest.fixture
def linked_clock(server_clock: ServerClock) -> LinkedClock:
    """A client clock whose sleeps also move the server's clock."""
    return LinkedClock(server_clock)


@pytest.fixture
def mock_server_config(server_clock: ServerClock) -> MockConfig:
    """Defaults (including the service's 5/min create limit), on the server's virtual clock."""
    return MockConfig(clock=server_clock)


class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that records every request it sends (method, path)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.sent: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()

    def count(self, method: str, path_suffix: str = "") -> int:
        return sum(1 for m, p in self.sent if m == method and p.endswith(path_suffix))


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    """The async twin of `CountingTransport`."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def count(self, method: str, path_suffix: str = "") -> int:
        return sum(1 for m, p in self.sent if m == method and p.endswith(path_suffix))


def client_kwargs(
    server: MockServer, default_clock: VirtualClock, **overrides: Any
) -> dict[str, Any]:
    """Constructor arguments for a client of `server` (static token unless api_key given)."""
    kwargs: dict[str, Any] = {
        "crn": DEFAULT_CRN,
        "base_url": server.base_url,
        "iam_url": server.root_url + "/identity/token",
        "clock": default_clock,
        "timeout": 5.0,
    }
    if "api_key" not in overrides:
        kwargs["token"] = DEFAULT_TOKEN
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def make_client(
    mock_server: MockServer,  # noqa: F811
    clock: VirtualClock,
) -> Iterator[Callable[..., Client]]:
    """`make_client(**overrides)`: a sync client of the test's mock server, closed afterwards."""
    made: list[Client] = []

    def make(**overrides: Any) -> Client:
        client = Client(**client_kwargs(mock_server, clock, **overrides))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    """A sync client with a static token."""
    return make_client()


def make_async_client(server: MockServer, clock: VirtualClock, **overrides: Any) -> AsyncClient:
    """An async client of `server` (close it with `await client.close()`)."""
    return AsyncClient(**client_kwargs(server, clock, **overrides))


def in_process(server: MockServer, work: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
    """Run `work` against the server's own app object in-process (same state, no sockets).

    It runs on a private event loop in a worker thread, so sync and async tests can both
    call it; seeding 1,000 jobs this way takes well under a second.
    """

    async def run() -> T:
        transport = httpx.ASGITransport(app=server.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mock.test/api/v1", headers=server.headers
        ) as http:
            return await work(http)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def seed_jobs(server: MockServer, count: int, **body: Any) -> list[str]:
    """Create `count` jobs straight in the mock (not via the SDK); the rate limit must allow."""

    async def work(http: httpx.AsyncClient) -> list[str]:
        ids = []
        for _ in range(count):
            response = await http.post("/jobs", json={"program_id": "sampler", **body})
            assert response.status_code == 200, response.text
            ids.append(response.json()["id"])
        return ids

    return in_process(server, work)


def job_count(server: MockServer) -> int:
    """How many jobs the mock holds for the default user (asked directly, not via the SDK)."""

    async def work(http: httpx.AsyncClient) -> int:
        count: int = (await http.get("/jobs", params={"limit": 1})).json()["count"]
        return count

    return in_process(server, work)
