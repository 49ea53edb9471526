"""The service the cross-client and cross-process tests (and `measure`) run against: the mock
on loopback, on a virtual clock, with the per-user create limit off (many creates are the
point here), and a counter of the results reads that reach it."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from qiskit_runtime_jobs_mock import MockConfig, MockServer, VirtualClock as ServerClock, serve
from tests.overlay.conftest import START, in_process, seed_jobs

EXECUTOR: dict[str, Any] = {"schema_version": "v0.2", "mock": {"shots": 64, "num_bits": 5}}


class ReadCounter:
    """ASGI middleware around the mock: the results reads that reach it, by job id."""

    def __init__(self) -> None:
        self.reads: Counter[str] = Counter()
        self._lock = threading.Lock()

    def wrap(self, app: Any) -> Any:
        async def counting(scope: Any, receive: Any, send: Any) -> None:
            path = scope.get("path", "")
            if scope["type"] == "http" and scope["method"] == "GET" and path.endswith("/results"):
                with self._lock:
                    self.reads[path.rsplit("/", 2)[-2]] += 1
            await app(scope, receive, send)

        return counting


@dataclass
class Service:
    """The running mock, its clock, and what reached it."""

    server: MockServer
    clock: ServerClock
    counter: ReadCounter

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def completed_jobs(self, private: int, public: int = 0) -> list[str]:
        """`private` private then `public` non-private executor jobs, Completed, results unread.
        Same params, created at the same instant: their results are the same bytes."""
        ids = seed_jobs(self.server, private, private=True, params=EXECUTOR)
        ids += seed_jobs(self.server, public, private=False, params=EXECUTOR)
        self.clock.advance(60)
        return ids

    def jobs_tagged(self, tag: str) -> int:
        """How many jobs carry `tag` (asked in-process, not through the SDK)."""

        async def work(http: httpx.AsyncClient) -> int:
            page = await http.get("/jobs", params={"tags": tag, "limit": 1})
            count: int = page.json()["count"]
            return count

        return in_process(self.server, work)

    def result_of(self, job_id: str) -> bytes:
        """A non-private job's result bytes (asked in-process, not through the SDK)."""

        async def work(http: httpx.AsyncClient) -> bytes:
            response = await http.get(f"/jobs/{job_id}/results")
            assert response.status_code == 200, response.text
            return response.content

        return in_process(self.server, work)


@contextmanager
def running_service() -> Iterator[Service]:
    """The mock on a free loopback port until the block ends."""
    clock = ServerClock(START)
    counter = ReadCounter()
    config = MockConfig(clock=clock, rate_limit_per_minute=None)
    with serve(config, wrap=counter.wrap) as server:
        yield Service(server, clock, counter)
