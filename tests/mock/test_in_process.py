"""`serve_in_process` / `InProcessMock`: sync and async httpx transports into one app."""

from __future__ import annotations

import threading

import httpx
import pytest

from qiskit_runtime_jobs_mock import (
    InProcessMock,
    MockConfig,
    MockServer,
    VirtualClock,
    serve,
    serve_in_process,
)
from tests.mock.conftest import mock_client


def _portal_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "portal" in t.name}


@pytest.mark.asyncio
async def test_sync_and_async_transports_share_one_mock(clock: VirtualClock) -> None:
    """A job made through the sync transport is seen through the async one, on one clock."""
    with serve_in_process(MockConfig(clock=clock)) as mock:
        assert mock.base_url == "http://mock.test/api/v1"
        with mock_client(mock) as http:
            job_id = http.post("/jobs", json={"program_id": "sampler"}).json()["id"]
        clock.advance(60)
        async with httpx.AsyncClient(
            transport=mock.async_transport(), base_url=mock.base_url, headers=mock.headers
        ) as http:
            job = (await http.get(f"/jobs/{job_id}")).json()
    assert job["status"] == "Completed"


@pytest.mark.asyncio
async def test_other_origins_are_unreachable() -> None:
    """Only the mock's own origin answers; any other is a connection error, as on a network."""
    with serve_in_process(root_url="http://other.test:8080") as mock:
        assert mock.base_url == "http://other.test:8080/api/v1"
        with httpx.Client(transport=mock.transport(), headers=mock.headers) as http:
            assert http.get(mock.base_url + "/jobs").status_code == 200
            for url in ("http://other.test/api/v1/jobs", "https://other.test:8080/api/v1/jobs"):
                with pytest.raises(httpx.ConnectError, match="not the in-process mock"):
                    http.get(url)
        async with httpx.AsyncClient(transport=mock.async_transport()) as http:
            with pytest.raises(httpx.ConnectError, match="not the in-process mock"):
                await http.get("http://mock.test/api/v1/jobs")


def test_close_stops_the_event_loop_thread() -> None:
    """The sync transport's loop starts on first use and stops on close (idempotent); the
    transport then refuses to send."""
    before = _portal_threads()
    mock = serve_in_process()
    http = mock_client(mock)
    assert _portal_threads() == before
    assert http.get("/jobs").status_code == 200
    assert len(_portal_threads() - before) == 1
    mock.close()
    mock.close()
    assert _portal_threads() == before
    with pytest.raises(RuntimeError, match="closed"):
        http.get("/jobs")
    http.close()


def test_concurrent_sync_requests_from_threads(clock: VirtualClock) -> None:
    """Threads sending at once all get their answer (one loop serves them concurrently)."""
    config = MockConfig(clock=clock, rate_limit_per_minute=None)
    with serve_in_process(config) as mock, mock_client(mock) as http:
        barrier = threading.Barrier(16)
        statuses: list[int] = []

        def create() -> None:
            barrier.wait(timeout=10)
            statuses.append(http.post("/jobs", json={"program_id": "s"}).status_code)

        threads = [threading.Thread(target=create) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200] * 16
        assert http.get("/jobs").json()["count"] == 16


@pytest.mark.parametrize("root_url", ["http://mock.test/api", "mock.test"])
def test_root_url_is_an_origin(root_url: str) -> None:
    """A root_url with a path (or without a host) is refused."""
    with pytest.raises(ValueError, match="root_url"):
        serve_in_process(root_url=root_url)


@pytest.mark.loopback
def test_wraps_the_app_of_a_running_server(mock_server_config: MockConfig) -> None:
    """`InProcessMock(server.app)` reaches the same store as the server's socket."""
    with serve(mock_server_config) as server, InProcessMock(server.app) as direct:
        assert isinstance(server, MockServer)
        with mock_client(direct) as http:
            http.post("/jobs", json={"program_id": "sampler"})
        over_http = httpx.get(server.base_url + "/jobs", headers=server.headers)
    assert over_http.json()["count"] == 1
