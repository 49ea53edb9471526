"""pytest fixtures for code that talks to the Jobs API: a mock server and a client bound to it.

Registered through the `pytest11` entry point when the package is installed: nothing to add
to a conftest. The fixtures need the `mock` extra; the module imports nothing heavy until one
is used, so every other pytest session in the environment pays nothing for it.

- `qiskit_runtime_mock`: the mock on a free loopback port (`.base_url`, `.token`, `.crn`,
  `.headers`, `.clock`, `.server`). Its clock is virtual: jobs move only when it moves. It
  starts at the real current time, so jobs carry realistic timestamps (`created`, metrics).
- `qiskit_runtime_client`: a `qiskit_runtime_jobs.Client` bound to that mock, sharing its
  clock, so `client.wait(job)` finishes on virtual time without sleeping.
- `qiskit_runtime_mock_config`: override it to change any mock knob (keep `clock=` virtual;
  `VirtualClock(start=time.time())` keeps the timestamps realistic, a bare `VirtualClock()`
  starts at 0, i.e. 1970-01-01).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from qiskit_runtime_jobs import Client, VirtualClock
    from qiskit_runtime_jobs_mock import MockConfig, MockServer

MOCK_HINT = (
    "the qiskit_runtime_mock fixture needs the mock extra: install the project with it from "
    "a checkout or git, e.g. pip install '/path/to/checkout[mock]'"
)


@dataclass(frozen=True)
class RunningMock:
    """A mock server as a client sees it: where it is and what to send."""

    server: MockServer
    clock: VirtualClock

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def token(self) -> str:
        return next(iter(self.server.state.config.tokens))

    @property
    def crn(self) -> str:
        return next(iter(self.server.state.config.instances))

    @property
    def headers(self) -> dict[str, str]:
        return self.server.headers

    def __repr__(self) -> str:  # no token in test output
        return f"RunningMock(base_url={self.base_url!r})"


def _mock_modules() -> Any:
    try:
        import qiskit_runtime_jobs_mock
    except ImportError as exc:  # starlette/uvicorn missing
        pytest.fail(f"{MOCK_HINT} ({exc})", pytrace=False)
    return qiskit_runtime_jobs_mock


@pytest.fixture
def qiskit_runtime_mock_config() -> MockConfig:
    """The mock's configuration: its defaults, on a virtual clock shared with the client.

    The clock starts at the real current time (POSIX seconds, what the mock reads; the
    client only measures intervals on it), so jobs made through the fixtures carry
    realistic timestamps; it moves only when the test or the client's sleeps move it.
    """
    from qiskit_runtime_jobs import VirtualClock

    config: MockConfig = _mock_modules().MockConfig(clock=VirtualClock(start=time.time()))
    return config


@pytest.fixture
def qiskit_runtime_mock(qiskit_runtime_mock_config: MockConfig) -> Iterator[RunningMock]:
    """The mock on a free loopback port for one test."""
    from qiskit_runtime_jobs import VirtualClock

    clock = qiskit_runtime_mock_config.clock
    if not isinstance(clock, VirtualClock):
        pytest.fail(
            "qiskit_runtime_mock_config must use qiskit_runtime_jobs.VirtualClock, "
            "so the client can share it",
            pytrace=False,
        )
    with _mock_modules().serve(qiskit_runtime_mock_config) as server:
        yield RunningMock(server, clock)


@pytest.fixture
def qiskit_runtime_client(qiskit_runtime_mock: RunningMock) -> Iterator[Client]:
    """A client bound to `qiskit_runtime_mock`, on the mock's virtual clock."""
    from qiskit_runtime_jobs import Client

    with Client(
        base_url=qiskit_runtime_mock.base_url,
        token=qiskit_runtime_mock.token,
        crn=qiskit_runtime_mock.crn,
        clock=qiskit_runtime_mock.clock,
    ) as client:
        yield client
