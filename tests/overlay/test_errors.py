"""Error answers become typed exceptions carrying status, body and request id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResultLostError,
    Settings,
    VirtualClock,
    _ops,
)
from qiskit_runtime_jobs._result_cache import lost_if_cut
from qiskit_runtime_jobs_generated.models import JobResponse
from qiskit_runtime_jobs_mock import Fault, MockServer

from .conftest import AsyncCountingTransport, CountingTransport, make_async_client, seed_jobs

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"


def _error(status: int, message: str = "it broke", **headers: str) -> httpx.Response:
    body = {
        "errors": [{"code": "x", "message": message}],
        "trace": "req-123",
        "status_code": status,
    }
    return httpx.Response(status, json=body, headers={"X-Request-ID": "req-123", **headers})


def _client(handler: httpx.MockTransport, **kwargs: object) -> Client:
    return Client(token="t", crn=CRN, transport=handler, clock=VirtualClock(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, APIStatusError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIStatusError]) -> None:
    """Each status class raises its exception, with status, service body and request id."""
    transport = httpx.MockTransport(lambda request: _error(status))
    with _client(transport, max_retries=0) as client, pytest.raises(cls) as info:
        client.get_job("abc")
    error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert vars(error)["status_code"] == status  # an instance attribute, on every class
    assert error.request_id == "req-123"
    assert error.body["errors"][0]["message"] == "it broke"
    assert str(error) == f"{status} it broke (request id req-123)"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.cancel_job("abc"),
        lambda c: c.delete_job("abc"),
        lambda c: c.replace_job_tags("abc", ["x"]),
        lambda c: c.get_job_logs("abc"),
        lambda c: c.get_job_metrics("abc"),
        lambda c: c.list_jobs(),
        lambda c: c.create_job("sampler"),
    ],
    ids=["cancel", "delete", "tags", "logs", "metrics", "list", "create"],
)
def test_documented_4xx_raise_instead_of_returning_none(call: object) -> None:
    """A documented 4xx (parsed as ErrorResponse by the generated code) still raises."""
    transport = httpx.MockTransport(lambda request: _error(400, "bad"))
    with _client(transport) as client, pytest.raises(BadRequestError, match="bad"):
        call(client)  # type: ignore[operator]


def test_non_json_error_body_is_kept_as_text() -> None:
    """A gateway's HTML error page does not break error handling."""
    transport = httpx.MockTransport(lambda request: httpx.Response(400, text="<html>no</html>"))
    with _client(transport) as client, pytest.raises(BadRequestError) as info:
        client.get_job("abc")
    assert info.value.body == "<html>no</html>"
    assert info.value.request_id is None


def test_rate_limit_error_exposes_retry_after() -> None:
    """RateLimitError.retry_after reads the service's Retry-After."""
    transport = httpx.MockTransport(lambda request: _error(429, **{"Retry-After": "120"}))
    with _client(transport) as client, pytest.raises(RateLimitError) as info:
        client.get_job("abc")
    assert info.value.retry_after == 120.0


def test_timeout_is_api_timeout_error() -> None:
    """A timed-out request raises APITimeoutError (an APIConnectionError)."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client = _client(httpx.MockTransport(handler), max_retries=0)
    with client, pytest.raises(APITimeoutError) as info:
        client.get_job("abc")
    assert isinstance(info.value, APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


@pytest.mark.loopback  # a real connection refused
def test_connection_refused_is_api_connection_error() -> None:
    """A refused connection (real socket, nothing listening) raises APIConnectionError."""
    with (
        Client(
            token="t", crn=CRN, base_url="http://127.0.0.1:9/api/v1", max_retries=0, timeout=2.0
        ) as client,
        pytest.raises(APIConnectionError) as info,
    ):
        client.get_job("abc")
    assert not isinstance(info.value, APITimeoutError)
    assert "GET /api/v1/jobs/abc" in str(info.value)


def test_answer_that_breaks_the_spec_is_an_api_error() -> None:
    """A 200 whose body is not the documented model raises APIError, not KeyError."""
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"nope": 1}))
    with _client(transport) as client, pytest.raises(APIError, match="does not match"):
        client.get_job("abc")


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_status_code_over_loopback(
    mock_server: MockServer, make_client: Callable[..., Client], status: int
) -> None:
    """Every APIStatusError from the real HTTP path carries status_code (InternalServerError
    included, where it used to be None)."""
    (job_id,) = seed_jobs(mock_server, 1)
    mock_server.state.faults.add(Fault(route="get_job", status=status, times=None))
    with pytest.raises(APIStatusError) as info:
        make_client(max_retries=0).get_job(job_id)
    assert info.value.status_code == status


@pytest.mark.parametrize(
    ("private", "cause", "lost"),
    [
        (True, httpx.RemoteProtocolError("cut"), True),
        (True, httpx.ReadError("reset"), True),
        (True, httpx.ReadTimeout("slow"), True),
        (True, httpx.ConnectError("refused"), False),
        (True, httpx.ConnectTimeout("slow"), False),
        (True, httpx.PoolTimeout("busy"), False),
        (False, httpx.RemoteProtocolError("cut"), False),
    ],
)
def test_which_failed_reads_lose_a_result(private: bool, cause: Exception, lost: bool) -> None:
    """A private read that failed after it may have reached the service is ResultLostError;
    one never sent, or of a result the service serves again, stays as it was."""
    error = APIConnectionError("failed")
    error.__cause__ = cause
    with pytest.raises(APIConnectionError) as info, lost_if_cut("job1", private=private):
        raise error
    assert isinstance(info.value, ResultLostError) is lost
    assert (info.value is error) is not lost


def _miscalled_get_job(
    monkeypatch: pytest.MonkeyPatch, bug: str
) -> Callable[..., _ops.Call[JobResponse]]:
    """Make `_ops.get_job` hand the generated function arguments it cannot take: our bug."""
    right = _ops.get_job

    def wrong(settings: Settings, job_id: str, *, exclude_params: bool) -> _ops.Call[JobResponse]:
        call = right(settings, job_id, exclude_params=exclude_params)
        if bug == "type":  # a keyword the generated function does not have
            kwargs = {**call.kwargs, "exclude": True}
        else:  # a header value httpx cannot encode (ASCII): a ValueError building the request
            kwargs = {**call.kwargs, "service_crn": "crn:v1:\u00e9"}
        return _ops.Call(call.api, kwargs, call.parse)

    monkeypatch.setattr(_ops, "get_job", wrong)
    return wrong


@pytest.mark.parametrize(("bug", "raised"), [("type", TypeError), ("value", UnicodeEncodeError)])
def test_a_bad_call_into_the_generated_code_is_not_blamed_on_the_service(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
    bug: str,
    raised: type[Exception],
) -> None:
    """A TypeError/ValueError building the request is our bug: it surfaces as itself, not as
    "the service's answer does not match the spec", and no request reaches the service."""
    (job_id,) = seed_jobs(mock_server, 1)
    counting = CountingTransport()
    client = make_client(transport=counting)
    _miscalled_get_job(monkeypatch, bug)
    with pytest.raises(raised) as info:
        client.get_job(job_id)
    assert not isinstance(info.value, APIError)
    assert "building the request" in "\n".join(getattr(info.value, "__notes__", []))
    assert counting.sent == []


@pytest.mark.asyncio
@pytest.mark.parametrize(("bug", "raised"), [("type", TypeError), ("value", UnicodeEncodeError)])
async def test_async_bad_call_into_the_generated_code_is_not_blamed_on_the_service(
    mock_server: MockServer,
    clock: VirtualClock,
    monkeypatch: pytest.MonkeyPatch,
    bug: str,
    raised: type[Exception],
) -> None:
    """The async client tells our bug from the service's answer the same way."""
    (job_id,) = seed_jobs(mock_server, 1)
    counting = AsyncCountingTransport()
    _miscalled_get_job(monkeypatch, bug)
    async with make_async_client(mock_server, clock, transport=counting) as client:
        with pytest.raises(raised) as info:
            await client.get_job(job_id)
    assert not isinstance(info.value, APIError)
    assert counting.sent == []


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_an_answer_that_breaks_the_spec_is_still_the_service_s(asynchronous: bool) -> None:
    """The other side of the line: a KeyError/ValueError/TypeError decoding the service's
    answer (a 200 whose job has no `id`, one whose `created` is no date, one whose `state` is
    no object) is APIError, with the decoding error as its cause."""
    job = {"id": "a", "program": {"id": "sampler"}, "status": "Queued", "cost": 60}
    no_date = {**job, "created": "yesterday", "state": {"status": "Queued"}}
    flat_state = {**job, "created": "2026-03-06T14:00:00Z", "state": "Queued"}
    bodies = iter([{"nope": 1}, no_date, flat_state])

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(bodies))

    async def run_async() -> list[APIError]:
        errors = []
        async with AsyncClient(
            token="t", crn=CRN, transport=httpx.MockTransport(answer), clock=VirtualClock()
        ) as client:
            for _ in range(3):
                with pytest.raises(APIError, match="does not match the spec") as info:
                    await client.get_job("abc")
                errors.append(info.value)
        return errors

    if asynchronous:
        errors = asyncio.run(run_async())
    else:
        errors = []
        with _client(httpx.MockTransport(answer)) as client:
            for _ in range(3):
                with pytest.raises(APIError, match="does not match the spec") as info:
                    client.get_job("abc")
                errors.append(info.value)
    assert [type(e.__cause__) for e in errors] == [KeyError, ValueError, TypeError]
