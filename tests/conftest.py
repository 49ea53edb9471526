"""The mock a test talks to: in-process unless the test is marked `loopback`.

By default `mock_server` is an `InProcessMock` (`serve_in_process`): httpx transports straight
into the app, no socket, no server thread. A test marked `loopback` gets the mock on a free
loopback port instead (`serve`: uvicorn in a thread), for what only a socket shows: dropped
and cut-off connections, timeouts, slow clients, raw bytes, other processes and clients that
bring their own HTTP stack. Both are a `MockEndpoint`: `base_url`, `root_url`, `headers`,
`state`, `app`, and `transport()` / `async_transport()` to give an httpx client (or the SDK).
Each package's conftest supplies `mock_server_config`. For a fast run without them:
`pytest -m "not live and not loopback"` (a `-m` replaces the default `-m "not live"`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager

import pytest

from qiskit_runtime_jobs_mock import MockConfig, MockEndpoint, serve, serve_in_process


def start_mock(
    request: pytest.FixtureRequest, config: MockConfig
) -> AbstractContextManager[MockEndpoint]:
    """The mock for `request`'s test: over loopback if it is marked `loopback`, else in-process."""
    if request.node.get_closest_marker("loopback") is None:
        return serve_in_process(config)
    return serve(config)


@pytest.fixture
def mock_server(
    request: pytest.FixtureRequest, mock_server_config: MockConfig
) -> Iterator[MockEndpoint]:
    """The test's mock (see the module docstring), stopped afterwards."""
    with start_mock(request, mock_server_config) as mock:
        yield mock
