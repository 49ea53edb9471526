"""IAM API-key authentication against the loopback mock's /identity/token endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from qiskit_runtime_jobs import AuthenticationError, Client, IAMError, VirtualClock
from qiskit_runtime_jobs._iam import IAMAuth
from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, Fault, MockServer, VirtualClock as ServerClock

from .conftest import CountingTransport, make_async_client, seed_jobs

LIFETIME = 3600.0  # the mock's default IAM token lifetime


def _auth(client: Client) -> IAMAuth:
    auth = client._auth
    assert isinstance(auth, IAMAuth)
    return auth


def test_api_key_is_exchanged_once_and_cached(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """Many calls, one exchange: the IAM token is cached."""
    counting = CountingTransport()
    client = make_client(api_key=DEFAULT_API_KEY, transport=counting)
    for _ in range(5):
        client.list_jobs()
    assert counting.count("POST", "/identity/token") == 1
    assert mock_server.state.issuer.issued == 1
    assert _auth(client).exchanges == 1


def test_token_is_refreshed_before_expiry(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """After 80% of the token's lifetime (client clock) the next call refreshes it first."""
    client = make_client(api_key=DEFAULT_API_KEY)
    client.list_jobs()
    clock.advance(0.79 * LIFETIME)
    client.list_jobs()
    assert mock_server.state.issuer.issued == 1
    clock.advance(0.02 * LIFETIME)
    client.list_jobs()
    assert mock_server.state.issuer.issued == 2


def test_401_refreshes_once_and_retries(
    mock_server: MockServer, make_client: Callable[..., Client], server_clock: ServerClock
) -> None:
    """A token the service calls expired (401) is replaced once and the request succeeds."""
    counting = CountingTransport()
    client = make_client(api_key=DEFAULT_API_KEY, transport=counting)
    client.list_jobs()
    server_clock.advance(LIFETIME + 1)  # the service's clock: the token is now expired there
    assert client.list_jobs().jobs == []
    assert mock_server.state.issuer.issued == 2
    assert counting.count("GET", "/jobs") == 3  # ok, 401, ok after refresh


def test_401_after_a_refresh_is_raised(make_client: Callable[..., Client]) -> None:
    """If the fresh token is refused too, AuthenticationError is raised (one refresh only)."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/identity/token"):
            return httpx.Response(200, json={"access_token": f"t{len(calls)}", "expires_in": 60})
        return httpx.Response(401, json={"errors": [{"code": "x", "message": "no"}]})

    client = make_client(api_key="k", transport=httpx.MockTransport(handler))
    with pytest.raises(AuthenticationError):
        client.get_job("abc")
    assert calls.count("/api/v1/jobs/abc") == 2
    assert calls.count("/identity/token") == 2


def test_concurrent_threads_share_one_refresh(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """Twenty threads starting at once cause exactly one IAM exchange."""
    seed_jobs(mock_server, 1)
    client = make_client(api_key=DEFAULT_API_KEY)
    with ThreadPoolExecutor(max_workers=20) as pool:
        pages = list(pool.map(lambda _: client.list_jobs(), range(20)))
    assert all(page.count == 1 for page in pages)
    assert mock_server.state.issuer.issued == 1


def test_concurrent_threads_share_one_refresh_after_401(
    mock_server: MockServer, make_client: Callable[..., Client], server_clock: ServerClock
) -> None:
    """When the token expires service-side, concurrent 401s cause a single refresh."""
    client = make_client(api_key=DEFAULT_API_KEY)
    client.list_jobs()
    server_clock.advance(LIFETIME + 1)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda _: client.list_jobs(), range(16)))
    assert mock_server.state.issuer.issued == 2


@pytest.mark.asyncio
async def test_concurrent_tasks_share_one_refresh(
    mock_server: MockServer, clock: VirtualClock, server_clock: ServerClock
) -> None:
    """Twenty concurrent tasks: one exchange; after service-side expiry, one more."""
    async with make_async_client(mock_server, clock, api_key=DEFAULT_API_KEY) as client:
        await asyncio.gather(*(client.list_jobs() for _ in range(20)))
        assert mock_server.state.issuer.issued == 1
        server_clock.advance(LIFETIME + 1)
        await asyncio.gather(*(client.list_jobs() for _ in range(20)))
        assert mock_server.state.issuer.issued == 2
        clock.advance(0.9 * LIFETIME)
        await asyncio.gather(*(client.list_jobs() for _ in range(5)))
        assert mock_server.state.issuer.issued == 3


def test_rejected_api_key_is_auth_error_without_the_key(
    make_client: Callable[..., Client],
) -> None:
    """IAM refusing the key raises IAMError; the message never contains the key."""
    client = make_client(api_key="wrong-secret-key-123")
    with pytest.raises(IAMError) as info:
        client.list_jobs()
    assert "400" in str(info.value)
    assert "wrong-secret-key-123" not in str(info.value)
    assert "wrong-secret-key-123" not in repr(info.value)


def test_iam_outage_is_retried(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """A 503 from the IAM endpoint is retried (minting a token has no side effect)."""
    mock_server.state.faults.add(Fault(route="iam_token", status=503))
    make_client(api_key=DEFAULT_API_KEY).list_jobs()
    assert mock_server.state.issuer.issued == 1
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_iam_retries_follow_max_retries(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    clock: VirtualClock,
    max_retries: int,
) -> None:
    """The exchange is retried max_retries times, like any idempotent request, then the
    outage is an IAMError."""
    mock_server.state.faults.add(Fault(route="iam_token", status=503, times=None))
    counting = CountingTransport()
    client = make_client(api_key=DEFAULT_API_KEY, max_retries=max_retries, transport=counting)
    with pytest.raises(IAMError, match="503"):
        client.list_jobs()
    assert counting.count("POST", "/identity/token") == 1 + max_retries
    assert len(clock.sleeps) == max_retries
    assert counting.count("GET", "/jobs") == 0


@pytest.mark.loopback  # a real connection refused
def test_unreachable_iam_is_auth_error(make_client: Callable[..., Client]) -> None:
    """An IAM URL nobody listens on raises IAMError naming the URL."""
    client = make_client(api_key="k", iam_url="http://127.0.0.1:9/identity/token", max_retries=0)
    with pytest.raises(IAMError, match=r"127\.0\.0\.1:9"):
        client.list_jobs()


def test_static_token_401_is_authentication_error(make_client: Callable[..., Client]) -> None:
    """A bad static token is not refreshed: AuthenticationError at once."""
    with pytest.raises(AuthenticationError) as info:
        make_client(token="not-a-token").list_jobs()
    assert info.value.status_code == 401
