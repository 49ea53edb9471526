"""wait(), results() and decoded_results() wired to the mock: polling, read-once, the cache."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    Client,
    ExecutorResults,
    JobCancelledError,
    JobFailedError,
    ResultAlreadyConsumedError,
    ResultLostError,
    ResultNotReadyError,
    ValidationError,
    WaitTimeoutError,
)
from qiskit_runtime_jobs_generated.models import (
    ExecutorV02QuantumProgramResultModel,
    JobResponse,
    JobStatus,
)
from qiskit_runtime_jobs_mock import Fault, MockServer

from .conftest import AsyncCountingTransport, CountingTransport, LinkedClock, make_async_client

EXECUTOR: dict[str, Any] = {"schema_version": "v0.2", "mock": {"shots": 16, "num_bits": 3}}


@pytest.fixture
def linked(make_client: Callable[..., Client], linked_clock: LinkedClock) -> Client:
    """A client whose polling sleeps move the mock's clock (jobs progress while it waits)."""
    return make_client(clock=linked_clock)


@pytest.fixture
def counted(
    make_client: Callable[..., Client], linked_clock: LinkedClock
) -> tuple[Client, CountingTransport, str]:
    """A counting client and the id of a completed private executor job (result unread)."""
    counting = CountingTransport()
    client = make_client(clock=linked_clock, transport=counting)
    job = client.create_job("executor", params=EXECUTOR, private=True)
    client.wait(job.id)
    return client, counting, job.id


def test_wait_polls_until_completed(linked: Client, linked_clock: LinkedClock) -> None:
    """wait() polls with growing gaps on the clock and returns the completed job."""
    job = linked.create_job("executor", params=EXECUTOR)
    seen: list[JobResponse] = []
    final = linked.wait(job.id, timeout=120, on_progress=seen.append)
    assert final.status == JobStatus.COMPLETED
    assert [str(s.status) for s in seen][-1] == "Completed"
    assert linked_clock.sleeps == [1.0, 1.5, 2.25]


def test_wait_raises_for_a_failed_job(linked: Client) -> None:
    """A Failed job raises JobFailedError with the service's reason."""
    job = linked.create_job("sampler", params={"mock": {"outcome": "failed"}})
    with pytest.raises(JobFailedError, match="transpilation") as info:
        linked.wait(job.id, timeout=120)
    assert info.value.job_id == job.id


def test_wait_can_return_failures(linked: Client) -> None:
    """raise_on_failure=False returns the terminal job instead."""
    job = linked.create_job("sampler", params={"mock": {"outcome": "failed"}})
    assert linked.wait(job.id, raise_on_failure=False).status == JobStatus.FAILED


def test_wait_timeout_cancels_when_asked(linked: Client, mock_server: MockServer) -> None:
    """A wait that times out raises WaitTimeoutError and cancels the job if asked."""
    job = linked.create_job("sampler", params={"mock": {"running_seconds": 500}})
    with pytest.raises(WaitTimeoutError):
        linked.wait(job.id, timeout=10, cancel_on_timeout=True)
    assert linked.get_job(job.id).status == JobStatus.CANCELLED


def test_wait_checks_the_id_first(make_client: Callable[..., Client]) -> None:
    """wait() validates the job id before polling anything."""
    with pytest.raises(ValidationError, match="job_id"):
        make_client().wait("../x")


def test_results_before_completion_is_an_error(linked: Client) -> None:
    """results() of a queued job says it has no result yet (nothing is consumed)."""
    job = linked.create_job("executor", params=EXECUTOR, private=True)
    with pytest.raises(ResultNotReadyError, match="Queued"):
        linked.results(job.id)
    linked.wait(job.id)
    assert isinstance(linked.results(job.id), ExecutorV02QuantumProgramResultModel)


def test_results_of_failed_and_cancelled_jobs(linked: Client) -> None:
    """A job that ended without a result raises the job error, not a 204 puzzle."""
    failed = linked.create_job("sampler", params={"mock": {"outcome": "failed"}})
    cancelled = linked.create_job("sampler")
    linked.cancel_job(cancelled.id)
    linked.wait(failed.id, raise_on_failure=False)
    with pytest.raises(JobFailedError):
        linked.results(failed.id)
    with pytest.raises(JobCancelledError):
        linked.results(cancelled.id)


def test_private_result_is_read_once_and_kept(
    counted: tuple[Client, CountingTransport, str],
    make_client: Callable[..., Client],
    linked_clock: LinkedClock,
) -> None:
    """The service hands a private result out once; the client keeps it for every later call."""
    client, counting, job_id = counted
    first = client.results(job_id)
    decoded = client.decoded_results(job_id)
    assert client.results(job_id).to_dict() == first.to_dict()
    assert counting.count("GET", "/results") == 1
    assert isinstance(decoded, ExecutorResults)
    meas = decoded.items[0].results["meas"]
    assert isinstance(meas, np.ndarray)
    assert meas.shape == (16, 3)
    other = make_client(clock=linked_clock)
    with pytest.raises(ResultAlreadyConsumedError):
        other.results(job_id)


def test_concurrent_readers_share_one_request(
    counted: tuple[Client, CountingTransport, str],
) -> None:
    """Eight threads asking for a private result cause a single results request."""
    client, counting, job_id = counted
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(lambda _: client.decoded_results(job_id), range(8)))
    assert counting.count("GET", "/results") == 1
    assert all(isinstance(body, ExecutorResults) for body in bodies)


def test_disk_cache_survives_a_new_client(
    make_client: Callable[..., Client], linked_clock: LinkedClock, tmp_path: Path
) -> None:
    """With cache_dir, a new client (a new process) gets the kept copy of a read result."""
    first = make_client(clock=linked_clock, cache_dir=tmp_path)
    job = first.create_job("executor", params=EXECUTOR, private=True)
    first.wait(job.id)
    kept = first.results(job.id)
    counting = CountingTransport()
    second = make_client(clock=linked_clock, cache_dir=tmp_path, transport=counting)
    assert second.results(job.id).to_dict() == kept.to_dict()
    assert counting.sent == []


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="get_job_results", kind="truncate", when="after"),
        Fault(route="get_job_results", kind="drop", when="after"),
        Fault(route="get_job_results", kind="slow", when="after", delay_seconds=0.5),
    ],
    ids=["truncated", "dropped", "timed-out"],
)
@pytest.mark.loopback  # cut-off and dropped connections, a client timeout
def test_private_result_lost_in_transit_is_named(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    linked_clock: LinkedClock,
    fault: Fault,
) -> None:
    """A private result cut off (or timed out) after the service sent it raises
    ResultLostError, never "read elsewhere", and is not asked for again; the next call gets
    the service's 204, which is then "consumed"."""
    counting = CountingTransport()
    client = make_client(clock=linked_clock, transport=counting, timeout=0.2)
    job = client.create_job("executor", params=EXECUTOR, private=True)
    client.wait(job.id)
    mock_server.state.faults.add(fault)
    with pytest.raises(ResultLostError) as info:
        client.results(job.id)
    assert not isinstance(info.value, ResultAlreadyConsumedError)
    assert info.value.job_id == job.id
    assert "gone for good" in str(info.value)
    assert counting.count("GET", "/results") == 1
    with pytest.raises(ResultAlreadyConsumedError):
        client.results(job.id)
    assert counting.count("GET", "/results") == 2


@pytest.mark.loopback  # a cut-off body
def test_non_private_result_cut_off_is_a_plain_connection_error(
    mock_server: MockServer, make_client: Callable[..., Client], linked_clock: LinkedClock
) -> None:
    """A non-private result is served again, so a cut-off read is only a connection error."""
    client = make_client(clock=linked_clock)
    job = client.create_job("sampler")
    client.wait(job.id)
    mock_server.state.faults.add(Fault(route="get_job_results", kind="truncate", when="after"))
    with pytest.raises(APIConnectionError) as info:
        client.results(job.id)
    assert not isinstance(info.value, ResultLostError)
    assert isinstance(client.results(job.id), str)


def test_private_read_never_sent_is_not_lost(
    make_client: Callable[..., Client], linked_clock: LinkedClock
) -> None:
    """A read that never reached the service (connection refused) is a plain connection
    error: the result is still there."""
    client = make_client(clock=linked_clock)
    job = client.create_job("executor", params=EXECUTOR, private=True)
    client.wait(job.id)

    class RefuseResults(CountingTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/results"):
                raise httpx.ConnectError("refused", request=request)
            return super().handle_request(request)

    refusing = make_client(clock=linked_clock, transport=RefuseResults())
    with pytest.raises(APIConnectionError) as info:
        refusing.results(job.id)
    assert not isinstance(info.value, ResultLostError)
    assert isinstance(client.results(job.id), ExecutorV02QuantumProgramResultModel)


def test_non_private_results_are_read_each_time(
    make_client: Callable[..., Client], linked_clock: LinkedClock
) -> None:
    """Non-private results are not kept: the service serves them again."""
    counting = CountingTransport()
    client = make_client(clock=linked_clock, transport=counting)
    job = client.create_job("sampler")
    client.wait(job.id)
    assert isinstance(client.results(job.id), str)  # the legacy format
    assert client.results(job.id) == client.results(job.id)
    assert counting.count("GET", "/results") == 3


@pytest.mark.asyncio
async def test_async_wait_and_results(mock_server: MockServer, linked_clock: LinkedClock) -> None:
    """The async client waits, reads a private result once, and decodes it."""
    async with make_async_client(mock_server, linked_clock) as client:
        job = await client.create_job("executor", params=EXECUTOR, private=True)
        final = await client.wait(job.id, timeout=60)
        assert final.status == JobStatus.COMPLETED
        results, decoded = await asyncio.gather(
            client.results(job.id), client.decoded_results(job.id)
        )
        assert isinstance(results, ExecutorV02QuantumProgramResultModel)
        assert isinstance(decoded, ExecutorResults)
        assert client.result_cache.get(job.id) is not None


@pytest.mark.asyncio
async def test_async_clients_sharing_a_cache_dir_read_once(
    mock_server: MockServer, linked_clock: LinkedClock, tmp_path: Path
) -> None:
    """Two async clients on one cache_dir, 10 tasks each per private result: one request per
    job reaches the service and every task gets the same bytes."""
    counting = AsyncCountingTransport()
    clients = [
        make_async_client(mock_server, linked_clock, transport=counting, cache_dir=tmp_path)
        for _ in range(2)
    ]
    try:
        jobs = [await clients[0].create_job("executor", params=EXECUTOR, private=True)]
        jobs.append(await clients[0].create_job("executor", params=EXECUTOR, private=True))
        for job in jobs:
            await clients[0].wait(job.id)
        reads = [clients[i % 2].results(job.id) for job in jobs for i in range(20)]
        results = await asyncio.gather(*reads)
    finally:
        for client in clients:
            await client.close()
    assert counting.count("GET", "/results") == len(jobs)
    assert len({str(r.to_dict()) for r in results[:20]}) == 1
    assert sorted(p.name for p in tmp_path.glob("*.result")) == sorted(
        f"{job.id}.result" for job in jobs
    )


@pytest.mark.loopback  # a dropped connection
@pytest.mark.asyncio
async def test_async_private_result_lost_in_transit(
    mock_server: MockServer, linked_clock: LinkedClock
) -> None:
    """The async client names a cut-off private read the same way."""
    async with make_async_client(mock_server, linked_clock) as client:
        job = await client.create_job("executor", params=EXECUTOR, private=True)
        await client.wait(job.id)
        mock_server.state.faults.add(Fault(route="get_job_results", kind="drop", when="after"))
        with pytest.raises(ResultLostError):
            await client.results(job.id)
