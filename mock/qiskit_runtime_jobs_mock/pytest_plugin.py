"""pytest fixtures: enable with ``pytest_plugins = ["qiskit_runtime_jobs_mock.pytest_plugin"]``.

``mock_server`` starts the mock on a free loopback port for one test and stops it afterwards.
Its clock is a :class:`VirtualClock` (``mock_server.state.clock.advance(5)``), so lifecycle
tests never sleep. Override ``mock_server_config`` in a conftest to change any knob.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._clock import VirtualClock
from ._config import MockConfig
from ._server import MockServer, serve


@pytest.fixture
def mock_server_config() -> MockConfig:
    """The configuration ``mock_server`` uses: defaults plus a virtual clock."""
    return MockConfig(clock=VirtualClock())


@pytest.fixture
def mock_server(mock_server_config: MockConfig) -> Iterator[MockServer]:
    """A mock server on a free loopback port; ``.base_url`` and ``.headers`` for clients."""
    with serve(mock_server_config) as server:
        yield server
