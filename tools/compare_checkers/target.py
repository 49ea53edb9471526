"""A fresh mock per checker run, with the service-like defaults, so runs cannot meet.

`MockConfig()` is what the service does: 5 creates per minute per user, jobs queued about
1 s and running about 3 s. Each call makes a new middleware, so a variant's own state (the
results it replays, the jobs it hides) starts empty too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qiskit_runtime_jobs_mock import MockConfig, serve
from tools.compare_checkers.model import Target
from tools.compare_checkers.variants import Variant


@contextmanager
def mock_for(variant: Variant) -> Iterator[Target]:
    """Serve the mock with `variant` planted, on a free loopback port, until the block exits."""
    wrap = variant.make() if variant.make is not None else None
    # log_level: uvicorn's "Invalid HTTP request" warnings (fuzzers send NUL bytes) say nothing
    with serve(MockConfig(), wrap=wrap, log_level="error") as server:
        yield Target(server.base_url, dict(server.headers))
