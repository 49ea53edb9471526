"""Duplicate-free create against the loopback mock, with faults injected before and after."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    BadRequestError,
    Client,
    InternalServerError,
    VirtualClock,
)
from qiskit_runtime_jobs_mock import Fault, MockServer

from .conftest import CountingTransport, job_count, make_async_client


def _tags_of_only_job(server: MockServer, client: Client) -> list[str]:
    jobs = client.list_jobs().jobs
    assert len(jobs) == 1
    tags = jobs[0].tags
    assert isinstance(tags, list)
    return tags


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="create_job", status=503, when="after"),
        Fault(route="create_job", status=500, when="after"),
        Fault(route="create_job", status=429, when="after", retry_after=2),
        Fault(route="create_job", kind="drop", when="after"),
        Fault(route="create_job", kind="truncate", when="after"),
    ],
    ids=["503-after", "500-after", "429-after", "drop-after", "truncate-after"],
)
def test_ambiguous_failure_after_creation_returns_the_created_job(
    mock_server: MockServer, make_client: Callable[..., Client], fault: Fault
) -> None:
    """The job was created but the answer was lost: the client finds it, creates no second."""
    mock_server.state.faults.add(fault)
    counting = CountingTransport()
    client = make_client(transport=counting)
    created = client.create_job("sampler", tags=["mine"])
    assert job_count(mock_server) == 1
    assert client.get_job(created.id).id == created.id
    assert counting.count("POST", "/jobs") == 1
    tags = _tags_of_only_job(mock_server, client)
    assert tags[0] == "mine"
    assert tags[1].startswith("qrj-idempotency-")


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="create_job", status=503, when="before"),
        Fault(route="create_job", status=502, when="before", times=2),
        Fault(route="create_job", kind="drop", when="before"),
    ],
    ids=["503-before", "502-before-twice", "drop-before"],
)
def test_ambiguous_failure_before_creation_is_retried(
    mock_server: MockServer, make_client: Callable[..., Client], fault: Fault
) -> None:
    """Nothing was created: the lookup finds nothing and the create is sent again, once."""
    mock_server.state.faults.add(fault)
    counting = CountingTransport()
    client = make_client(transport=counting)
    created = client.create_job("sampler")
    assert counting.count("POST", "/jobs") == 1 + (fault.times or 1)
    assert counting.count("GET", "/jobs") == (fault.times or 1)
    assert job_count(mock_server) == 1
    assert client.list_jobs().jobs[0].id == created.id


def test_slow_create_that_times_out_is_found_by_its_tag(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A create the client timed out on, but the service completed, is not sent twice."""
    mock_server.state.faults.add(
        Fault(route="create_job", kind="slow", when="after", delay_seconds=0.5)
    )
    client = make_client(timeout=0.1)
    created = client.create_job("sampler")
    assert job_count(mock_server) == 1
    assert client.get_job(created.id).id == created.id


def test_retry_after_of_429_is_waited_before_the_lookup(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """A 429 with Retry-After: 7 on create waits 7 s (client clock), then checks the tag."""
    mock_server.state.faults.add(Fault(route="create_job", status=429, retry_after=7))
    make_client().create_job("sampler")
    assert clock.sleeps == [7.0]
    assert job_count(mock_server) == 1


def test_definite_refusal_is_not_retried(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A 400 from the service is raised at once: nothing is looked up or resent."""
    counting = CountingTransport()
    client = make_client(transport=counting)
    with pytest.raises(BadRequestError):
        client.create_job("sampler", params={"mock": {"outcome": "nonsense"}})
    assert counting.sent == [("POST", "/api/v1/jobs")]


def test_full_tags_means_no_retry(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """With 8 user tags nothing is attached, and an ambiguous failure is raised, not retried."""
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    tags = [f"t{i}" for i in range(8)]
    client = make_client()
    with pytest.raises(InternalServerError):
        client.create_job("sampler", tags=tags)
    assert job_count(mock_server) == 1
    assert _tags_of_only_job(mock_server, client) == tags


def test_gives_up_after_max_retries(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """Persistent ambiguous failures end in the last error, never in a duplicate job."""
    mock_server.state.faults.add(Fault(route="create_job", kind="drop", when="before", times=None))
    client = make_client(max_retries=2)
    with pytest.raises(APIConnectionError) as info:
        client.create_job("sampler")
    assert job_count(mock_server) == 0
    assert any("qrj-idempotency-" in note for note in info.value.__notes__)


def test_caller_idempotency_key_dedupes_across_calls(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """An explicit idempotency_key becomes the tag, so a re-run can be found by it."""
    client = make_client()
    created = client.create_job("sampler", idempotency_key="batch-42")
    found = client.list_jobs(tags=["qrj-idempotency-batch-42"]).jobs
    assert [job.id for job in found] == [created.id]


@pytest.mark.asyncio
async def test_async_create_finds_the_job_after_a_lost_answer(
    mock_server: MockServer, clock: VirtualClock
) -> None:
    """The async client follows the same protocol: one job after a 503-after fault."""
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    client = make_async_client(mock_server, clock)
    try:
        created = await client.create_job("sampler")
        assert (await client.get_job(created.id)).id == created.id
    finally:
        await client.close()
    assert job_count(mock_server) == 1


@pytest.mark.asyncio
async def test_async_create_retries_when_nothing_was_created(
    mock_server: MockServer, clock: VirtualClock
) -> None:
    """The async client resends after a before-fault and ends with exactly one job."""
    mock_server.state.faults.add(Fault(route="create_job", kind="drop", when="before"))
    async with make_async_client(mock_server, clock) as client:
        await client.create_job("sampler")
    assert job_count(mock_server) == 1
