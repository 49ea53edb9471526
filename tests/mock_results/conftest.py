"""A mock on a virtual clock (in-process unless the test is marked `loopback`: see
`tests/conftest.py`), a spec-validating HTTP client, and the project's SDK.

Independent of the pytest plugin: these tests pin down result content, not fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs import Client
from qiskit_runtime_jobs_mock import (
    DEFAULT_CRN,
    DEFAULT_TOKEN,
    MockConfig,
    MockEndpoint,
    VirtualClock,
)
from tests.conftest import start_mock
from tests.spec_validation import validating_hook


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def server(request: pytest.FixtureRequest, clock: VirtualClock) -> Iterator[MockEndpoint]:
    with start_mock(request, MockConfig(clock=clock, rate_limit_per_minute=None)) as running:
        yield running


@pytest.fixture
def http(server: MockEndpoint) -> Iterator[httpx.Client]:
    """Every response it sees is validated against the spec."""
    with httpx.Client(
        transport=server.transport(),
        base_url=server.base_url,
        headers=server.headers,
        event_hooks={"response": [validating_hook]},
        timeout=30,
    ) as client:
        yield client


@pytest.fixture
def sdk(server: MockEndpoint) -> Iterator[Client]:
    """The project's own client, pointed at the mock."""
    client = Client(
        token=DEFAULT_TOKEN,
        crn=DEFAULT_CRN,
        base_url=server.base_url,
        timeout=30.0,
        transport=server.transport(),
    )
    try:
        yield client
    finally:
        client.close()


def finished_job(http: httpx.Client, clock: VirtualClock, program_id: str, params: Any) -> str:
    """Create a job, let it complete, return its id."""
    response = http.post("/jobs", json={"program_id": program_id, "params": params})
    assert response.status_code == 200, response.text
    clock.advance(60)
    job_id: str = response.json()["id"]
    return job_id


def result_of(http: httpx.Client, clock: VirtualClock, program_id: str, params: Any) -> bytes:
    """The result body of a finished job with this program and these params."""
    response = http.get(f"/jobs/{finished_job(http, clock, program_id, params)}/results")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.content
