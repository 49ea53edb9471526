"""wait(), results() and decoded_results() wired to the mock: polling, read-once, the cache."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    Client,
    ExecutorResults,
    JobCancelledError,
    JobFailedError,
    ResultAlreadyConsumedError,
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

from .conftest import CountingTransport, LinkedClock, make_async_client

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


def test_lost_private_result_is_not_re_requested(
    mock_server: MockServer, counted: tuple[Client, CountingTransport, str]
) -> None:
    """A private result cut off in transit is reported; the next call says it is gone."""
    client, counting, job_id = counted
    mock_server.state.faults.add(Fault(route="get_job_results", kind="truncate", when="after"))
    with pytest.raises(APIConnectionError):
        client.results(job_id)
    with pytest.raises(ResultAlreadyConsumedError):
        client.results(job_id)
    assert counting.count("GET", "/results") == 2


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
