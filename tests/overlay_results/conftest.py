"""Helpers for the wait / decode / result-cache tests: fake jobs and a sync-or-async runner."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from qiskit_runtime_jobs._clock import VirtualClock
from qiskit_runtime_jobs._wait import async_wait_for_job, wait_for_job
from qiskit_runtime_jobs_generated.models import JobResponse

JOB_ID = "c5dge2d3rn7breq27i9g"


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


@pytest.fixture(params=["sync", "async"])
def run_wait(request: pytest.FixtureRequest) -> Runner:
    """Run one wait through `wait_for_job` or `async_wait_for_job` (same arguments)."""

    def run(
        script: Script, cancel: Callable[[], None] | None = None, **options: Any
    ) -> JobResponse:
        options.setdefault("timeout", None)
        if request.param == "sync":
            return wait_for_job(script, job_id=JOB_ID, clock=script.clock, cancel=cancel, **options)

        async def cancel_async() -> None:
            assert cancel is not None
            cancel()

        return asyncio.run(
            async_wait_for_job(
                script.fetch_async,
                job_id=JOB_ID,
                clock=script.clock,
                cancel=None if cancel is None else cancel_async,
                **options,
            )
        )

    return run
