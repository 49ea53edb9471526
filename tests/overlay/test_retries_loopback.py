"""Retries over real loopback HTTP, with the mock's fault injection."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    Client,
    InternalServerError,
    NotFoundError,
    VirtualClock,
    _ops,
)
from qiskit_runtime_jobs_mock import Fault, MockServer, VirtualClock as ServerClock

from .conftest import CountingTransport, make_async_client, seed_jobs

pytestmark = pytest.mark.loopback  # the point of this module: retries over real HTTP


def test_retry_after_is_honoured_over_http(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """A 429 with Retry-After: 3 on get_job waits 3 s on the client clock, then succeeds."""
    (job_id,) = seed_jobs(mock_server, 1)
    mock_server.state.faults.add(Fault(route="get_job", status=429, retry_after=3))
    counting = CountingTransport()
    assert make_client(transport=counting).get_job(job_id).id == job_id
    assert clock.sleeps == [3.0]
    assert counting.count("GET", job_id) == 2


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="list_jobs", status=503, times=2),
        Fault(route="list_jobs", status=504),
        Fault(route="list_jobs", kind="drop"),
        Fault(route="list_jobs", kind="truncate", when="after"),
    ],
    ids=["503x2", "504", "drop", "truncate"],
)
def test_idempotent_reads_survive_faults(
    mock_server: MockServer, make_client: Callable[..., Client], fault: Fault
) -> None:
    """Status faults, dropped connections and cut-short bodies on GET are retried away."""
    seed_jobs(mock_server, 3)
    mock_server.state.faults.add(fault)
    counting = CountingTransport()
    assert make_client(transport=counting).list_jobs().count == 3
    assert counting.count("GET", "/jobs") == 1 + (fault.times or 1)


def test_put_tags_is_retried(mock_server: MockServer, make_client: Callable[..., Client]) -> None:
    """PUT is idempotent: a dropped answer after the change is retried and the tags hold."""
    (job_id,) = seed_jobs(mock_server, 1)
    mock_server.state.faults.add(Fault(route="replace_job_tags", kind="drop", when="after"))
    client = make_client()
    client.replace_job_tags(job_id, ["a", "b"])
    assert client.get_job(job_id).tags == ["a", "b"]


def test_persistent_failure_raises_after_max_retries(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """A route that keeps failing raises the typed error after max_retries waits."""
    mock_server.state.faults.add(Fault(route="get_job", status=500, times=None))
    with pytest.raises(InternalServerError) as info:
        make_client(max_retries=2).get_job("abc")
    assert info.value.status_code == 500
    assert info.value.request_id
    assert len(clock.sleeps) == 2


def _finished_private_job(
    server: MockServer, make_client: Callable[..., Client], server_clock: ServerClock, fault: Fault
) -> tuple[str, Client, CountingTransport]:
    """A finished private job whose results route carries `fault`, and a counting client."""
    (job_id,) = seed_jobs(server, 1, private=True)
    server_clock.advance(60)
    server.state.faults.add(fault)
    counting = CountingTransport()
    return job_id, make_client(transport=counting), counting


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(route="get_job_results", status=500, when="after"), InternalServerError),
        (Fault(route="get_job_results", status=502, when="after"), InternalServerError),
        (Fault(route="get_job_results", status=504, when="after"), InternalServerError),
        (Fault(route="get_job_results", kind="truncate", when="after"), APIConnectionError),
        (Fault(route="get_job_results", kind="drop", when="after"), APIConnectionError),
    ],
    ids=["500-after", "502-after", "504-after", "truncate-after", "drop-after"],
)
def test_results_are_never_re_requested_after_sending(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    server_clock: ServerClock,
    fault: Fault,
    error: type[Exception],
) -> None:
    """A read-once result lost in transit is reported, not fetched again (it is gone)."""
    job_id, client, counting = _finished_private_job(mock_server, make_client, server_clock, fault)
    with pytest.raises(error):
        client._send(_ops.get_job_results(client.settings, job_id))
    assert counting.count("GET", "/results") == 1


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="get_job_results", status=503, times=3),
        Fault(route="get_job_results", status=429, retry_after=5, times=2),
    ],
    ids=["503-before-x3", "429-before-retry-after-x2"],
)
def test_refused_results_are_retried_over_http(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    server_clock: ServerClock,
    clock: VirtualClock,
    fault: Fault,
) -> None:
    """429/503 refusals (the service processed nothing) are retried until the one read."""
    job_id, client, counting = _finished_private_job(mock_server, make_client, server_clock, fault)
    assert client.results(job_id) == client.results(job_id)  # the second from the kept copy
    assert counting.count("GET", "/results") == 1 + (fault.times or 0)
    if fault.retry_after is not None:
        assert clock.sleeps == [5.0, 5.0]


@pytest.mark.asyncio
async def test_async_retry_after(mock_server: MockServer, clock: VirtualClock) -> None:
    """The async transport honours Retry-After the same way (on asleep)."""
    (job_id,) = seed_jobs(mock_server, 1)
    mock_server.state.faults.add(Fault(route="get_job", status=503, retry_after=4))
    async with make_async_client(mock_server, clock) as client:
        assert (await client.get_job(job_id)).id == job_id
    assert clock.sleeps == [4.0]


def test_delete_retried_after_a_lost_answer_succeeds(
    mock_server: MockServer, make_client: Callable[..., Client], server_clock: ServerClock
) -> None:
    """DELETE is idempotent: the 404 to our own resend means the first attempt deleted it."""
    (job_id,) = seed_jobs(mock_server, 1)
    server_clock.advance(60)
    mock_server.state.faults.add(Fault(route="delete_job", kind="drop", when="after"))
    counting = CountingTransport()
    client = make_client(transport=counting)
    client.delete_job(job_id)
    assert counting.count("DELETE", job_id) == 2
    with pytest.raises(NotFoundError):
        client.delete_job(job_id)  # a plain 404 (no resend) still raises
