"""A stateful mock of the IBM Qiskit Runtime REST API "Jobs" endpoints.

Ways to run it: :func:`serve` (a real loopback HTTP server in a thread, a
:class:`MockServer`), the ``qiskit-runtime-jobs mock`` command
(:mod:`qiskit_runtime_jobs_mock.cli`), and :func:`serve_in_process` (an :class:`InProcessMock`:
sync and async httpx transports straight into the app, no socket). Both kinds are a
:class:`MockEndpoint`: ``base_url``, ``headers``, ``transport()``, ``async_transport()`` and
the ``state`` to steer. :func:`create_app` gives the bare ASGI app. Every mock also serves the
spec it implements at ``/openapi.json`` and ``/openapi.yaml``.
"""

from ._requirements import IMPORTS, hint, missing

try:
    from ._app import ROUTES, MockState, create_app
    from ._clock import Clock, SystemClock, VirtualClock
    from ._config import (
        DEFAULT_API_KEY,
        DEFAULT_CRN,
        DEFAULT_TOKEN,
        DEFAULT_USER,
        MockConfig,
    )
    from ._endpoint import MockEndpoint
    from ._faults import Fault
    from ._in_process import InProcessMock, serve_in_process
    from ._server import MockServer, serve
except ModuleNotFoundError as exc:  # the `mock` extra is not installed: say what to install
    if (exc.name or "").partition(".")[0] not in IMPORTS or not missing():
        raise
    raise ImportError(hint(missing())) from exc

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_CRN",
    "DEFAULT_TOKEN",
    "DEFAULT_USER",
    "ROUTES",
    "Clock",
    "Fault",
    "InProcessMock",
    "MockConfig",
    "MockEndpoint",
    "MockServer",
    "MockState",
    "SystemClock",
    "VirtualClock",
    "create_app",
    "serve",
    "serve_in_process",
]
