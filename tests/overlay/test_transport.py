"""The retrying transport, in-process: backoff on the virtual clock, what is never retried."""

from __future__ import annotations

import httpx
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    Client,
    InternalServerError,
    RateLimitError,
    VirtualClock,
    _ops,
)

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"
JOB = {
    "id": "abc",
    "created": "2026-03-20T12:00:00Z",
    "program": {"id": "sampler"},
    "state": {"status": "Queued"},
    "status": "Queued",
    "cost": 0,
}


def scripted(*answers: int | Exception) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering each request with the next status (or raising the exception)."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if queue else 200
        if isinstance(answer, Exception):
            raise answer
        if answer == 200:
            if request.url.path.endswith("/results"):
                return httpx.Response(200, json="legacy")
            return httpx.Response(200, json=JOB)
        headers = {"Retry-After": "2"} if answer == 429 else {}
        return httpx.Response(
            answer, json={"errors": [{"code": "x", "message": "m"}]}, headers=headers
        )

    return httpx.MockTransport(handler), seen


@pytest.fixture
def clock() -> VirtualClock:
    """The client's virtual clock."""
    return VirtualClock()


def make(transport: httpx.MockTransport, clock: VirtualClock, **kwargs: object) -> Client:
    return Client(token="t", crn=CRN, transport=transport, clock=clock, **kwargs)  # type: ignore[arg-type]


def test_get_is_retried_with_backoff(clock: VirtualClock) -> None:
    """503, 502 then 200: two retries, and the waits are the jittered backoff."""
    transport, seen = scripted(503, 502)
    with make(transport, clock) as client:
        assert client.get_job("abc").id == "abc"
    assert len(seen) == 3
    assert len(clock.sleeps) == 2
    assert 0 <= clock.sleeps[0] <= 0.5
    assert 0 <= clock.sleeps[1] <= 1.0


def test_retry_after_is_honoured(clock: VirtualClock) -> None:
    """A 429 with Retry-After: 2 waits exactly 2 seconds before the retry."""
    transport, seen = scripted(429)
    with make(transport, clock) as client:
        client.get_job("abc")
    assert clock.sleeps == [2.0]
    assert len(seen) == 2


def test_gives_up_after_max_retries(clock: VirtualClock) -> None:
    """After max_retries the last error is raised."""
    transport, seen = scripted(503, 503, 503)
    with make(transport, clock, max_retries=2) as client, pytest.raises(InternalServerError):
        client.get_job("abc")
    assert len(seen) == 3
    assert len(clock.sleeps) == 2


def test_retry_after_above_cap_is_not_waited_for(clock: VirtualClock) -> None:
    """A Retry-After over 60 s raises at once instead of sleeping."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={}, headers={"Retry-After": "3600"})

    with make(httpx.MockTransport(handler), clock) as client, pytest.raises(RateLimitError):
        client.get_job("abc")
    assert clock.sleeps == []


def test_transport_errors_are_retried_for_get(clock: VirtualClock) -> None:
    """A dropped connection on GET is retried."""
    transport, seen = scripted(httpx.RemoteProtocolError("dropped"), httpx.ReadTimeout("slow"))
    with make(transport, clock) as client:
        assert client.get_job("abc").id == "abc"
    assert len(seen) == 3


def test_cancel_is_never_retried(clock: VirtualClock) -> None:
    """POST /jobs/{id}/cancel goes out once on a 503."""
    transport, seen = scripted(503)
    with make(transport, clock) as client, pytest.raises(InternalServerError):
        client.cancel_job("abc")
    assert [r.method for r in seen] == ["POST"]


def test_create_without_room_for_a_tag_is_not_retried(clock: VirtualClock) -> None:
    """With 8 user tags there is no idempotency tag, so an ambiguous 503 is raised."""
    transport, seen = scripted(503)
    with make(transport, clock) as client, pytest.raises(InternalServerError) as info:
        client.create_job("sampler", tags=[f"t{i}" for i in range(8)])
    assert [r.method for r in seen] == ["POST"]
    assert any("8 tags" in note for note in info.value.__notes__)


@pytest.mark.parametrize(
    "failure",
    [500, 502, 504, httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut")],
    ids=["500", "502", "504", "read-timeout", "truncated"],
)
def test_results_are_not_retried_once_the_request_may_have_arrived(
    clock: VirtualClock, failure: int | Exception
) -> None:
    """GET /results is read-once: a failure after sending is raised, never retried."""
    transport, seen = scripted(failure)
    with make(transport, clock) as client, pytest.raises((InternalServerError, APIConnectionError)):
        client._send(_ops.get_job_results(client.settings, "abc"))
    assert len(seen) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("status", [503, 429])
def test_refused_results_are_retried(clock: VirtualClock, status: int) -> None:
    """A 429 or 503 means the service did not process the read: it is retried, with backoff
    or the server's Retry-After, until the answer comes."""
    transport, seen = scripted(status, status)
    with make(transport, clock) as client:
        assert client._send(_ops.get_job_results(client.settings, "abc")).parsed == b'"legacy"'
    assert len(seen) == 3
    assert len(clock.sleeps) == 2
    if status == 429:
        assert clock.sleeps == [2.0, 2.0]  # the scripted Retry-After


def test_refused_results_give_up_after_max_retries(clock: VirtualClock) -> None:
    """Refusals that never end raise the last one, typed, after max_retries retries."""
    transport, seen = scripted(*[429] * 5)
    with make(transport, clock, max_retries=2) as client, pytest.raises(RateLimitError):
        client._send(_ops.get_job_results(client.settings, "abc"))
    assert len(seen) == 3


def test_results_are_retried_when_the_connection_was_never_made(clock: VirtualClock) -> None:
    """A connect error proves nothing was read, so GET /results is retried."""
    transport, seen = scripted(httpx.ConnectError("refused"))
    with make(transport, clock) as client:
        assert client._send(_ops.get_job_results(client.settings, "abc")).parsed == b'"legacy"'
    assert len(seen) == 2
