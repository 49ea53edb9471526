"""A stateful mock of the IBM Qiskit Runtime REST API "Jobs" endpoints.

Three ways to run it: :func:`serve` (a real loopback HTTP server in a thread), the
``qiskit-runtime-jobs mock`` command (:mod:`qiskit_runtime_jobs_mock.cli`), and
:func:`create_app` in-process (an ASGI app for ``httpx.ASGITransport``). The pytest plugin
:mod:`qiskit_runtime_jobs_mock.pytest_plugin` provides a ``mock_server`` fixture. Every
server also serves the spec it implements at ``/openapi.json`` and ``/openapi.yaml``.
"""

from ._app import ROUTES, MockState, create_app
from ._clock import Clock, SystemClock, VirtualClock
from ._config import (
    DEFAULT_API_KEY,
    DEFAULT_CRN,
    DEFAULT_TOKEN,
    DEFAULT_USER,
    MockConfig,
)
from ._faults import Fault
from ._server import MockServer, serve

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_CRN",
    "DEFAULT_TOKEN",
    "DEFAULT_USER",
    "ROUTES",
    "Clock",
    "Fault",
    "MockConfig",
    "MockServer",
    "MockState",
    "SystemClock",
    "VirtualClock",
    "create_app",
    "serve",
]
