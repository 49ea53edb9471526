"""Raw response access: the generated `Response` (status, headers, content, parsed model)."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

import httpx
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    APIError,
    Client,
    InternalServerError,
    NotFoundError,
    RawResponse,
    RecoveredResponse,
    VirtualClock,
)
from qiskit_runtime_jobs_generated.models import CreateJobResponse, JobResponse, JobsResponse
from qiskit_runtime_jobs_mock import (
    DEFAULT_TOKEN,
    Fault,
    MockServer,
    VirtualClock as ServerClock,
)

from .conftest import CountingTransport, job_count, make_async_client, seed_jobs


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


# ------------------------------------------------- raw answers of a create found, a delete resent

LOOPBACK = pytest.mark.loopback  # a dropped connection needs the real socket
LOST_CREATE = [
    pytest.param(Fault(route="create_job", status=503, when="after"), id="503-after"),
    pytest.param(
        Fault(route="create_job", kind="drop", when="after"), id="drop-after", marks=LOOPBACK
    ),
]


def _check_recovered_create(
    raw: RawResponse[CreateJobResponse], server: MockServer, failure: type[APIError] | None
) -> None:
    """A create whose answer was lost, found by its tag: the raw response says so. It is no
    answer of the service to the POST (no body, no headers); the lookup that found the job is
    there as received; the create's model is read from the job found, nothing made up."""
    assert isinstance(raw, RecoveredResponse)
    assert raw.status_code == HTTPStatus.OK  # the outcome: the job exists
    assert raw.content == b""
    assert dict(raw.headers) == {}
    lookup = raw.learned_from
    assert lookup.status_code == HTTPStatus.OK
    assert lookup.headers["x-request-id"]
    assert isinstance(lookup.parsed, JobsResponse)
    (job,) = lookup.parsed.jobs
    assert job.id.encode() in lookup.content
    assert isinstance(raw.parsed, CreateJobResponse)
    assert raw.parsed.id == job.id
    assert raw.parsed.backend == job.backend == "ibm_mock_backend"  # the mock's choice, not ""
    if failure is None:
        assert raw.failure is None
    else:
        assert isinstance(raw.failure, failure)
    assert job_count(server) == 1
    assert DEFAULT_TOKEN not in repr(raw)  # the failure it holds carries the request: no secret


@pytest.mark.parametrize("fault", LOST_CREATE)
def test_raw_create_found_by_its_tag_says_so(
    mock_server: MockServer, make_client: Callable[..., Client], fault: Fault
) -> None:
    """with_raw_response.create_job after an ambiguous failure and a lookup."""
    mock_server.state.faults.add(fault)
    raw = make_client().with_raw_response.create_job("sampler")
    expected = InternalServerError if fault.kind == "status" else APIConnectionError
    _check_recovered_create(raw, mock_server, expected)


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", LOST_CREATE)
async def test_async_raw_create_found_by_its_tag_says_so(
    mock_server: MockServer, clock: VirtualClock, fault: Fault
) -> None:
    mock_server.state.faults.add(fault)
    async with make_async_client(mock_server, clock) as client:
        raw = await client.with_raw_response.create_job("sampler")
    expected = InternalServerError if fault.kind == "status" else APIConnectionError
    _check_recovered_create(raw, mock_server, expected)


def test_raw_keyed_create_found_before_posting_says_so(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A key's job found by the lookup before any POST: recovered, with no failure before."""
    client = make_client()
    first = client.with_raw_response.create_job("sampler", idempotency_key="k-1")
    assert not isinstance(first, RecoveredResponse)  # the POST's own answer
    assert first.headers["x-request-id"]
    assert isinstance(first.parsed, CreateJobResponse)
    assert first.parsed.id.encode() in first.content
    again = client.with_raw_response.create_job("sampler", idempotency_key="k-1")
    _check_recovered_create(again, mock_server, None)
    assert isinstance(again.parsed, CreateJobResponse)
    assert again.parsed.id == first.parsed.id


class _NoBackendInListings(httpx.BaseTransport):
    """The mock, with `backend` left out of every job a listing shows (the spec allows it)."""

    def __init__(self, server: MockServer) -> None:
        self._inner = server.transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.method != "GET" or not request.url.path.endswith("/jobs"):
            return response
        page = json.loads(response.read())
        for job in page["jobs"]:
            job.pop("backend", None)
        return httpx.Response(response.status_code, headers=response.headers, json=page)

    def close(self) -> None:
        self._inner.close()


def test_a_found_job_listed_without_backend_is_not_given_a_made_up_one(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """The backend comes from the job found, else from this call's own `backend=`; with
    neither, the create says what happened (the job exists, named) instead of making one up,
    and sends no second POST."""
    client = make_client(transport=_NoBackendInListings(mock_server))
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    asked = client.with_raw_response.create_job("sampler", backend="ibm_fez")
    assert isinstance(asked.parsed, CreateJobResponse)
    assert asked.parsed.backend == "ibm_fez"
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    with pytest.raises(APIError, match="without a backend") as info:
        client.create_job("sampler")
    assert job_count(mock_server) == 2
    (unnamed,) = [j for j in client.list_jobs().jobs if j.id != asked.parsed.id]
    assert unnamed.id in str(info.value)
    assert isinstance(info.value.__cause__, InternalServerError)  # the lost answer's failure


LOST_DELETE = [
    pytest.param(Fault(route="delete_job", status=503, when="after"), id="503-after"),
    pytest.param(
        Fault(route="delete_job", kind="drop", when="after"), id="drop-after", marks=LOOPBACK
    ),
]


def _check_resent_delete(raw: RawResponse[None]) -> None:
    """A DELETE resent after its answer was lost, answered 404: the raw response reports the
    deletion (as the plain method does), and shows the 404 it was learned from as such."""
    assert isinstance(raw, RecoveredResponse)
    assert raw.status_code == HTTPStatus.NO_CONTENT
    assert raw.content == b""
    assert dict(raw.headers) == {}
    assert raw.parsed is None
    assert raw.learned_from.status_code == HTTPStatus.NOT_FOUND
    assert raw.learned_from.headers["x-request-id"]
    assert raw.failure is None


@pytest.mark.parametrize("fault", LOST_DELETE)
def test_raw_delete_resent_after_a_lost_answer_reports_the_deletion(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    server_clock: ServerClock,
    fault: Fault,
) -> None:
    (job_id,) = seed_jobs(mock_server, 1)
    server_clock.advance(60)  # terminal: deletable
    mock_server.state.faults.add(fault)
    counting = CountingTransport()
    client = make_client(transport=counting)
    _check_resent_delete(client.with_raw_response.delete_job(job_id))
    assert counting.count("DELETE", job_id) == 2
    assert job_count(mock_server) == 0
    with pytest.raises(NotFoundError):  # a 404 to a DELETE sent once still raises
        client.with_raw_response.delete_job(job_id)


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", LOST_DELETE)
async def test_async_raw_delete_resent_after_a_lost_answer_reports_the_deletion(
    mock_server: MockServer, clock: VirtualClock, server_clock: ServerClock, fault: Fault
) -> None:
    (job_id,) = seed_jobs(mock_server, 1)
    server_clock.advance(60)
    mock_server.state.faults.add(fault)
    async with make_async_client(mock_server, clock) as client:
        _check_resent_delete(await client.with_raw_response.delete_job(job_id))
        with pytest.raises(NotFoundError):
            await client.with_raw_response.delete_job(job_id)
    assert job_count(mock_server) == 0


def test_raw_delete_answered_at_once_is_the_service_s_answer(
    mock_server: MockServer, make_client: Callable[..., Client], server_clock: ServerClock
) -> None:
    (job_id,) = seed_jobs(mock_server, 1)
    server_clock.advance(60)
    raw = make_client().with_raw_response.delete_job(job_id)
    assert not isinstance(raw, RecoveredResponse)
    assert raw.status_code == HTTPStatus.NO_CONTENT
    assert raw.headers["x-request-id"]
