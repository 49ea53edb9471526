"""Raw response access: the generated `Response` (status, headers, content, parsed model)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qiskit_runtime_jobs import Client, NotFoundError, RawResponse, VirtualClock
from qiskit_runtime_jobs_generated.models import JobResponse
from qiskit_runtime_jobs_mock import MockServer

from .conftest import make_async_client, seed_jobs


def test_raw_get_job(mock_server: MockServer, make_client: Callable[..., Client]) -> None:
    """with_raw_response.get_job returns the model, status, headers and request id."""
    (job_id,) = seed_jobs(mock_server, 1)
    raw = make_client().with_raw_response.get_job(job_id)
    assert isinstance(raw, RawResponse)
    assert isinstance(raw.parsed, JobResponse)
    assert raw.parsed.id == job_id
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    assert raw.headers["x-request-id"]
    assert job_id.encode() in raw.content


def test_raw_for_no_content_answers(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A 204 operation still gives its raw response (parsed is None)."""
    (job_id,) = seed_jobs(mock_server, 1)
    raw = make_client().with_raw_response.cancel_job(job_id)
    assert raw.parsed is None
    assert raw.status_code == 204


def test_raw_errors_still_raise(make_client: Callable[..., Client]) -> None:
    """Errors raise as usual; the exception carries the response."""
    with pytest.raises(NotFoundError) as info:
        make_client().with_raw_response.get_job("missing")
    assert info.value.response.status_code == 404


def test_raw_does_not_leak_into_normal_calls(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """The normal method returns the model; `with_raw_response` is made once per client."""
    (job_id,) = seed_jobs(mock_server, 1)
    client = make_client()
    assert isinstance(client.get_job(job_id), JobResponse)
    assert client.with_raw_response is client.with_raw_response


@pytest.mark.asyncio
async def test_async_raw(mock_server: MockServer, clock: VirtualClock) -> None:
    """The async client's with_raw_response works the same way."""
    seed_jobs(mock_server, 2)
    async with make_async_client(mock_server, clock) as client:
        raw = await client.with_raw_response.list_jobs(limit=1)
    assert raw.parsed.count == 2
    assert len(raw.parsed.jobs) == 1
    assert raw.parsed.limit == 1
