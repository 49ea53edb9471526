"""Helpers for the wait / decode / result-cache tests: fake jobs, a sync-or-async runner, and
one tensor decoded the way a caller gets it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import pytest

from qiskit_runtime_jobs import (
    AsyncClient,
    Client,
    ExecutorResults,
    RawTensor,
    VirtualClock,
    decode_results,
)
from qiskit_runtime_jobs._decode import decode_result_bytes
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


def decode_one(
    tensor: Mapping[str, Any], *, compressed: bool = False
) -> npt.NDArray[Any] | RawTensor:
    """One tensor as a caller gets it: the only result of an executor result (v0.1, or v2.0
    for a compressed tensor), decoded by both paths, `decode_results` of the parsed JSON and
    `decode_result_bytes` of the body (what `decoded_results()` uses), which must agree.
    A tensor that cannot be decoded comes back as the `RawTensor` saying why."""
    item = {"results": {"t": dict(tensor)}, "metadata": {}}
    version = "v2.0" if compressed else "v0.1"
    doc = {"schema_version": version, "data": [item], "metadata": {"chunk_timing": []}}
    plain, fast = (
        decoded.items[0].results["t"]
        for decoded in (decode_results(doc), decode_result_bytes(json.dumps(doc).encode()))
        if isinstance(decoded, ExecutorResults)
    )
    if isinstance(plain, RawTensor):
        assert fast == plain
    else:
        assert not isinstance(fast, RawTensor)
        assert (fast.dtype, fast.shape) == (plain.dtype, plain.shape)
        np.testing.assert_array_equal(fast, plain)
    return fast
