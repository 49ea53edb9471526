"""Helpers for the wait / decode / result-cache tests: fake jobs and a sync-or-async runner."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs import AsyncClient, Client, VirtualClock
from qiskit_runtime_jobs_generated.models import JobResponse

JOB_ID = "c5dge2d3rn7breq27i9g"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"


def make_job(status: str, state: str | None = None, reason: str | None = None) -> JobResponse:
    """A JobResponse as the service sends it, with `status` (and `state.status`)."""
    body: dict[str, Any] = {
        "id": JOB_ID,
        "created": "2026-03-06T14:00:00Z",
        "program": {"id": "sampler"},
        "state": {"status": state or status},
        "status": status,
        "cost": 60,
    }
    if reason is not None:
        body["state"]["reason"] = reason
    return JobResponse.from_dict(body)


class Script:
    """A fake `get_job`: answers the scripted jobs in order (repeating the last), noting when."""

    def __init__(self, clock: VirtualClock, jobs: Sequence[JobResponse | str]) -> None:
        self.clock = clock
        self.jobs = [make_job(j) if isinstance(j, str) else j for j in jobs]
        self.times: list[float] = []
        self.cancels: list[float] = []

    def __call__(self) -> JobResponse:
        self.times.append(self.clock.now())
        return self.jobs[min(len(self.times), len(self.jobs)) - 1]

    async def fetch_async(self) -> JobResponse:
        return self()

    def cancel(self) -> None:
        self.cancels.append(self.clock.now())

    async def cancel_async(self) -> None:
        self.cancel()


Runner = Callable[..., JobResponse]


def _transport(script: Script, cancel: Callable[[], None] | None) -> httpx.MockTransport:
    """The service as the script tells it: GET answers the next job, POST (cancel) calls
    `cancel` (an exception it raises becomes a 409)."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=script().to_dict())
        try:
            (cancel or script.cancel)()
        except RuntimeError as refused:
            return httpx.Response(409, json={"errors": [{"message": str(refused)}]})
        return httpx.Response(204)

    return httpx.MockTransport(handle)


@pytest.fixture(params=["sync", "async"])
def run_wait(request: pytest.FixtureRequest) -> Runner:
    """Run one wait through `Client.wait` or `AsyncClient.wait`, in-process (same arguments)."""

    def run(
        script: Script, cancel: Callable[[], None] | None = None, **options: Any
    ) -> JobResponse:
        options.setdefault("timeout", None)
        settings = {"token": "t", "crn": CRN, "base_url": "http://service.test/api/v1"}
        transport = _transport(script, cancel)
        if request.param == "sync":
            with Client(transport=transport, clock=script.clock, **settings) as client:
                return client.wait(JOB_ID, **options)

        async def run_async() -> JobResponse:
            async with AsyncClient(transport=transport, clock=script.clock, **settings) as client:
                return await client.wait(JOB_ID, **options)

        return asyncio.run(run_async())

    return run
