"""Every operation, sync and async, end to end against the loopback mock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qiskit_runtime_jobs import (
    AsyncClient,
    BadRequestError,
    Client,
    ConflictError,
    NotFoundError,
    VirtualClock,
)
from qiskit_runtime_jobs_generated.models import JobMetrics, JobStatus
from qiskit_runtime_jobs_generated.types import Unset
from qiskit_runtime_jobs_mock import MockServer, VirtualClock as ServerClock

from .conftest import make_async_client


def test_job_lifecycle_sync(
    mock_server: MockServer, make_client: Callable[..., Client], server_clock: ServerClock
) -> None:
    """create -> get -> tags -> logs -> metrics -> list -> delete, with typed answers."""
    client = make_client()
    created = client.create_job(
        "sampler", backend="ibm_test", tags=["exp"], log_level="debug", cost=60, params={"x": 1}
    )
    assert created.backend == "ibm_test"
    job = client.get_job(created.id)
    assert job.status == JobStatus.QUEUED
    assert job.params is not None
    assert isinstance(client.get_job(created.id, exclude_params=True).params, Unset)
    with pytest.raises(BadRequestError):
        client.delete_job(created.id)  # not terminal yet
    server_clock.advance(60)
    assert client.get_job(created.id).status == JobStatus.COMPLETED
    client.replace_job_tags(created.id, ["renamed"])
    assert client.get_job(created.id).tags == ["renamed"]
    assert "Job started running." in client.get_job_logs(created.id)
    metrics = client.get_job_metrics(created.id)
    assert isinstance(metrics, JobMetrics)
    assert metrics.qiskit_version == "2.3.0"
    assert [j.id for j in client.list_jobs(program="sampler").jobs] == [created.id]
    with pytest.raises(ConflictError):
        client.cancel_job(created.id)  # already terminal
    client.delete_job(created.id)
    with pytest.raises(NotFoundError):
        client.get_job(created.id)


def test_cancel_sync(mock_server: MockServer, make_client: Callable[..., Client]) -> None:
    """A queued job can be cancelled."""
    client = make_client()
    created = client.create_job("sampler")
    client.cancel_job(created.id)
    assert client.get_job(created.id).status == JobStatus.CANCELLED


@pytest.mark.asyncio
async def test_job_lifecycle_async(
    mock_server: MockServer, clock: VirtualClock, server_clock: ServerClock
) -> None:
    """The async client does the same lifecycle with awaits."""
    async with make_async_client(mock_server, clock) as client:
        assert isinstance(client, AsyncClient)
        created = await client.create_job("sampler", tags=["a"])
        other = await client.create_job("estimator")
        await client.cancel_job(other.id)
        server_clock.advance(60)
        job = await client.get_job(created.id)
        assert job.status == JobStatus.COMPLETED
        await client.replace_job_tags(created.id, ["b"])
        assert (await client.get_job(created.id)).tags == ["b"]
        assert "Job" in await client.get_job_logs(created.id)
        assert (await client.get_job_metrics(created.id)).usage is not None
        page = await client.list_jobs(limit=1, sort="ASC")
        assert (page.count, page.jobs[0].id) == (2, created.id)
        all_ids = [job.id async for job in client.iter_jobs(page_size=1)]
        assert all_ids == [other.id, created.id]
        await client.delete_job(created.id)
        with pytest.raises(NotFoundError):
            await client.get_job(created.id)


def test_repr_and_context_manager(make_client: Callable[..., Client]) -> None:
    """The client closes its pools on exit and shows no secret in its repr."""
    with make_client() as client:
        assert "token=<redacted>" in repr(client)
    assert client._http.is_closed
