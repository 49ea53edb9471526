"""Fixtures for the overlay's tests: a mock on a virtual clock, and clients wired to it.

The mock (`mock_server`, from `tests/conftest.py`) is in-process, so clients get its
transport; under the `loopback` marker it listens on 127.0.0.1 and clients speak plain HTTP.

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
    MockEndpoint,
    VirtualClock as ServerClock,
)

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
    """Records every request it sends (method, path) on to the test's mock: `make_client`
    connects it to the mock's transport (the first client it is given to)."""

    def __init__(self) -> None:
        self._inner: httpx.BaseTransport | None = None
        self.sent: list[tuple[str, str]] = []

    def connect(self, server: MockEndpoint) -> None:
        self._inner = self._inner or server.transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert self._inner is not None, "pass it to make_client"
        self.sent.append((request.method, request.url.path))
        return self._inner.handle_request(request)

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()

    def count(self, method: str, path_suffix: str = "") -> int:
        return sum(1 for m, p in self.sent if m == method and p.endswith(path_suffix))


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    """The async twin of `CountingTransport` (`make_async_client` connects it)."""

    def __init__(self) -> None:
        self._inner: httpx.AsyncBaseTransport | None = None
        self.sent: list[tuple[str, str]] = []

    def connect(self, server: MockEndpoint) -> None:
        self._inner = self._inner or server.async_transport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self._inner is not None, "pass it to make_async_client"
        self.sent.append((request.method, request.url.path))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()

    def count(self, method: str, path_suffix: str = "") -> int:
        return sum(1 for m, p in self.sent if m == method and p.endswith(path_suffix))


def client_kwargs(
    server: MockEndpoint, default_clock: VirtualClock, *, asynchronous: bool, **overrides: Any
) -> dict[str, Any]:
    """Constructor arguments for a client of `server` (static token unless api_key given), with
    the mock's transport unless another is given (a counting one is connected to the mock)."""
    transport = overrides.get("transport")
    if transport is None:
        overrides["transport"] = server.async_transport() if asynchronous else server.transport()
    elif isinstance(transport, CountingTransport | AsyncCountingTransport):
        transport.connect(server)
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
    mock_server: MockEndpoint,
    clock: VirtualClock,
) -> Iterator[Callable[..., Client]]:
    """`make_client(**overrides)`: a sync client of the test's mock server, closed afterwards."""
    made: list[Client] = []

    def make(**overrides: Any) -> Client:
        client = Client(**client_kwargs(mock_server, clock, asynchronous=False, **overrides))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    """A sync client with a static token."""
    return make_client()


def make_async_client(server: MockEndpoint, clock: VirtualClock, **overrides: Any) -> AsyncClient:
    """An async client of `server` (close it with `await client.close()`)."""
    return AsyncClient(**client_kwargs(server, clock, asynchronous=True, **overrides))


def in_process(server: MockEndpoint, work: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
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


def seed_jobs(server: MockEndpoint, count: int, **body: Any) -> list[str]:
    """Create `count` jobs straight in the mock (not via the SDK); the rate limit must allow."""

    async def work(http: httpx.AsyncClient) -> list[str]:
        ids = []
        for _ in range(count):
            response = await http.post("/jobs", json={"program_id": "sampler", **body})
            assert response.status_code == 200, response.text
            ids.append(response.json()["id"])
        return ids

    return in_process(server, work)


def job_count(server: MockEndpoint) -> int:
    """How many jobs the mock holds for the default user (asked directly, not via the SDK)."""

    async def work(http: httpx.AsyncClient) -> int:
        count: int = (await http.get("/jobs", params={"limit": 1})).json()["count"]
        return count

    return in_process(server, work)
