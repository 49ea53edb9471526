"""Fixtures for the mock's own tests: every response seen here is validated against the spec.

`mock_server` (from `tests/conftest.py`) and `make_server` are in-process unless the test is
marked `loopback`; `mock_client` gives any of them a validating httpx client.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from qiskit_runtime_jobs_mock import (
    InProcessMock,
    MockConfig,
    MockEndpoint,
    VirtualClock,
    create_app,
)
from tests.conftest import start_mock
from tests.spec_validation import async_validating_hook, validating_hook

START = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
HOOKS = {"response": [validating_hook]}


@pytest.fixture
def clock() -> VirtualClock:
    """The virtual clock shared by the test and its mock."""
    return VirtualClock(START)


@pytest.fixture
def mock_server_config(clock: VirtualClock) -> MockConfig:
    """Default knobs, on the test's virtual clock."""
    return MockConfig(clock=clock)


def mock_client(server: MockEndpoint, **kwargs: Any) -> httpx.Client:
    """A validating client for ``server`` (through its transport) with its default auth headers."""
    return httpx.Client(
        transport=server.transport(),
        base_url=server.base_url,
        headers=kwargs.pop("headers", server.headers),
        event_hooks=HOOKS,
        timeout=kwargs.pop("timeout", 10.0),
        **kwargs,
    )


@pytest.fixture
def client(mock_server: MockEndpoint) -> Iterator[httpx.Client]:
    """A validating httpx client talking to ``mock_server``."""
    with mock_client(mock_server) as http:
        yield http


@pytest.fixture
def make_server(
    request: pytest.FixtureRequest, mock_server_config: MockConfig
) -> Iterator[Callable[..., tuple[MockEndpoint, httpx.Client]]]:
    """Start extra mocks with config overrides: ``server, client = make_server(knob=value)``."""
    with ExitStack() as stack:

        def start(**overrides: Any) -> tuple[MockEndpoint, httpx.Client]:
            config = dataclasses.replace(mock_server_config, **overrides)
            server = stack.enter_context(start_mock(request, config))
            return server, stack.enter_context(mock_client(server))

        yield start


@pytest.fixture
def asgi_app(mock_server_config: MockConfig) -> Starlette:
    """A fresh in-process app (no server)."""
    return create_app(mock_server_config)


@pytest_asyncio.fixture
async def asgi_client(asgi_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of ``asgi_app`` (no sockets), validating like the others."""
    mock = InProcessMock(asgi_app)  # only its async transport: nothing to close
    async with httpx.AsyncClient(
        transport=mock.async_transport(),
        base_url=mock.base_url,
        headers=mock.headers,
        event_hooks={"response": [async_validating_hook]},
    ) as http:
        yield http


def create_job(http: httpx.Client, **body: Any) -> str:
    """Create a job (``program_id`` defaults to ``sampler``) and return its id."""
    response = http.post("/jobs", json={"program_id": "sampler", **body})
    assert response.status_code == 200, response.text
    job_id: str = response.json()["id"]
    return job_id
