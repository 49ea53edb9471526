"""Fault injection: each mode, before vs after the operation, per route, off by default."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, Fault, MockServer
from tests.mock.conftest import HOOKS, create_job

FAULT_STATUSES = [429, 500, 502, 503]


def _count(client: httpx.Client) -> int:
    count: int = client.get("/jobs").json()["count"]
    return count


def test_faults_are_off_by_default(mock_server: MockServer) -> None:
    """A fresh server has no faults configured."""
    assert mock_server.state.faults.faults == ()


@pytest.mark.parametrize("status", FAULT_STATUSES)
def test_status_before_does_not_create(
    mock_server: MockServer, client: httpx.Client, status: int
) -> None:
    """A status fault before the operation answers the status and creates nothing."""
    mock_server.state.faults.add(Fault(route="create_job", status=status))
    response = client.post("/jobs", json={"program_id": "sampler"})
    assert response.status_code == status
    assert response.headers["X-Mock-Fault"] == "status;when=before"
    assert "Retry-After" not in response.headers
    assert _count(client) == 0
    assert client.post("/jobs", json={"program_id": "sampler"}).status_code == 200


@pytest.mark.parametrize("status", FAULT_STATUSES)
def test_status_after_creates_but_client_hears_error(
    mock_server: MockServer, client: httpx.Client, status: int
) -> None:
    """A status fault after the operation creates the job although the client sees an error."""
    mock_server.state.faults.add(
        Fault(route="create_job", status=status, when="after", retry_after=3)
    )
    response = client.post("/jobs", json={"program_id": "sampler"})
    assert response.status_code == status
    assert response.headers["Retry-After"] == "3"
    assert response.headers["X-Mock-Fault"] == "status;when=after"
    assert _count(client) == 1


def test_skip_and_times_script_the_fault(mock_server: MockServer, client: httpx.Client) -> None:
    """skip lets the first requests through; times bounds how often it strikes."""
    mock_server.state.faults.add(Fault(route="get_job", skip=1, times=2))
    job_id = create_job(client)
    codes = [client.get(f"/jobs/{job_id}").status_code for _ in range(4)]
    assert codes == [200, 503, 503, 200]


def test_fault_targets_only_its_route(mock_server: MockServer, client: httpx.Client) -> None:
    """A fault on list_jobs leaves create_job alone; route '*' hits everything."""
    mock_server.state.faults.add(Fault(route="list_jobs", times=None))
    assert client.post("/jobs", json={"program_id": "s"}).status_code == 200
    assert client.get("/jobs").status_code == 503
    mock_server.state.faults.clear()
    mock_server.state.faults.add(Fault(route="*", status=500))
    assert client.post("/jobs", json={"program_id": "s"}).status_code == 500


@pytest.mark.loopback  # a client timeout
def test_slow_before_times_out_client_and_creates_nothing(
    mock_server: MockServer, client: httpx.Client
) -> None:
    """A slow fault delays the answer; a client timing out first leaves no job when 'before'."""
    mock_server.state.faults.add(Fault(route="create_job", kind="slow", delay_seconds=0.2))
    with pytest.raises(httpx.ReadTimeout):
        client.post("/jobs", json={"program_id": "sampler"}, timeout=0.05)
    assert _count(client) == 0


@pytest.mark.loopback  # a client timeout
def test_slow_after_creates_even_if_client_gave_up(
    mock_server: MockServer, client: httpx.Client
) -> None:
    """With 'after', the job exists although the client timed out."""
    mock_server.state.faults.add(
        Fault(route="create_job", kind="slow", when="after", delay_seconds=0.2)
    )
    with pytest.raises(httpx.ReadTimeout):
        client.post("/jobs", json={"program_id": "sampler"}, timeout=0.05)
    assert _count(client) == 1


def test_slow_answers_normally_when_waited_for(
    mock_server: MockServer, client: httpx.Client
) -> None:
    """A patient client gets the normal answer from a slow fault."""
    mock_server.state.faults.add(Fault(route="list_jobs", kind="slow", delay_seconds=0.1))
    assert client.get("/jobs").status_code == 200


@pytest.mark.loopback  # dropped and cut-off connections
@pytest.mark.parametrize("kind", ["drop", "truncate"])
@pytest.mark.parametrize(("when", "created"), [("before", 0), ("after", 1)])
def test_broken_connection(
    mock_server: MockServer, client: httpx.Client, kind: str, when: str, created: int
) -> None:
    """drop closes without an answer, truncate after half the body; 'after' still creates."""
    mock_server.state.faults.add(Fault(route="create_job", kind=kind, when=when))  # type: ignore[arg-type]
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post("/jobs", json={"program_id": "sampler"})
    assert _count(client) == created


@pytest.mark.loopback  # a cut-off body
def test_truncated_private_result_is_lost(
    mock_server: MockServer, client: httpx.Client, clock
) -> None:
    """Truncating a private result after the read consumes it: the retry finds nothing."""
    job_id = create_job(client, private=True, program_id="executor")
    clock.advance(10)
    mock_server.state.faults.add(Fault(route="get_job_results", kind="truncate", when="after"))
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.get(f"/jobs/{job_id}/results")
    assert client.get(f"/jobs/{job_id}/results").status_code == 204


def test_iam_endpoint_can_fail(mock_server: MockServer) -> None:
    """Faults can target the IAM token endpoint (route 'iam_token')."""
    mock_server.state.faults.add(Fault(route="iam_token", status=502, retry_after=1))
    data = {"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": DEFAULT_API_KEY}
    with httpx.Client(transport=mock_server.transport(), event_hooks=HOOKS) as http:
        failed = http.post(mock_server.root_url + "/identity/token", data=data)
        ok = http.post(mock_server.root_url + "/identity/token", data=data)
    assert failed.status_code == 502
    assert failed.headers["Retry-After"] == "1"
    assert ok.status_code == 200


def test_faults_from_config_are_active_from_start(make_server) -> None:
    """MockConfig.faults are injected from the first request."""
    _, http = make_server(faults=(Fault(route="list_jobs", status=500),))
    assert http.get("/jobs").status_code == 500
    assert http.get("/jobs").status_code == 200


@pytest.mark.asyncio
async def test_drop_in_process_raises(asgi_app: Starlette, asgi_client: httpx.AsyncClient) -> None:
    """Without the bundled server, a drop fails the request instead of answering."""
    asgi_app.state.mock.faults.add(Fault(route="list_jobs", kind="drop"))
    with pytest.raises(ConnectionAbortedError):
        await asgi_client.get("/jobs")


@pytest.mark.parametrize(
    "kwargs",
    [{"kind": "explode"}, {"status": 418}, {"when": "during"}, {"retry_after": -1}, {"skip": -1}],
)
def test_invalid_faults_are_rejected(kwargs: dict[str, object]) -> None:
    """Fault validates its fields on construction."""
    with pytest.raises(ValueError, match=r"fault|must"):
        Fault(route="create_job", **kwargs)  # type: ignore[arg-type]


def test_fault_from_mapping_rejects_unknown_keys() -> None:
    """Fault.from_mapping (CLI --fault) names unknown keys."""
    with pytest.raises(ValueError, match="unknown fault keys"):
        Fault.from_mapping({"route": "create_job", "colour": "red"})
    assert Fault.from_mapping({"route": "x", "kind": "drop"}).kind == "drop"
