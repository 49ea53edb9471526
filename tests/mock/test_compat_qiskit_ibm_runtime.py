"""IBM's own Python client (qiskit-ibm-runtime's REST layer) works against the mock unchanged.

The client exchanges an API key at the IAM endpoint (``IAM_URL`` points it at the mock), sends
its own headers (IBM-API-Version 2026-04-15, X-Qx-Client-Application, include_mocks=True ...)
and decodes executor results with its own decoder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from qiskit_runtime_jobs_mock import MockConfig, MockServer, VirtualClock, serve
from tests.spec_validation import requests_hook

pytest.importorskip("qiskit_ibm_runtime")

from ibm_cloud_sdk_core.token_managers.token_manager import TokenManager
from qiskit_ibm_runtime.api.client import RuntimeClient
from qiskit_ibm_runtime.api.client_parameters import ClientParameters
from qiskit_ibm_runtime.api.exceptions import RequestsApiError
from qiskit_ibm_runtime.decoders.executor.decoder import ExecutorResultDecoder

pytestmark = pytest.mark.loopback  # IBM's client brings its own HTTP stack (requests)

API_KEY = "ibm-style-api-key"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc:def::"


@pytest.fixture
def ibm(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[RuntimeClient, MockServer, VirtualClock]]:
    """A RuntimeClient logged in with an API key, on a mock that accepts only IAM tokens."""
    clock = VirtualClock()  # starts now, so the SDK's token-expiry maths agrees with the mock
    monkeypatch.setattr(TokenManager, "_get_current_time", staticmethod(lambda: int(clock.now())))
    config = MockConfig(
        clock=clock,
        tokens={},
        api_keys={API_KEY: "ibm-user"},
        instances={CRN: None},
        iam_token_lifetime_seconds=600,
    )
    with serve(config) as server:
        monkeypatch.setenv("IAM_URL", server.root_url)
        params = ClientParameters(
            channel="ibm_quantum_platform",
            token=API_KEY,
            instance=CRN,
            url="https://unused",
            url_resolver=lambda *_: server.base_url,
        )
        client = RuntimeClient(params)
        # Validate every Jobs response the client receives against the spec.
        client._session.hooks["response"].append(requests_hook)
        yield client, server, clock


def _run(client: RuntimeClient, **kwargs: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "program_id": "executor",
        "backend_name": "ibm_fez",
        "image": None,
        "log_level": None,
        "session_id": None,
        "params": {
            "schema_version": "v0.1",
            "quantum_program": {
                "shots": 32,
                "items": [{"item_type": "circuit", "circuit_arguments": {"shape": [2, 0]}}],
            },
        },
    }
    arguments.update(kwargs)
    return client.program_run(**arguments)


def test_ibm_client_runs_a_job_end_to_end(
    ibm: tuple[RuntimeClient, MockServer, VirtualClock],
) -> None:
    """Create, poll, list, metrics, logs, tags and results through IBM's REST client."""
    client, _, clock = ibm
    created = _run(client, job_tags=["t1"], max_execution_time=300, log_level="info")
    job_id = created["id"]
    assert created["backend"] == "ibm_fez"
    assert client.job_get(job_id)["status"] == "Queued"
    listed = client.jobs_get(
        limit=10,
        pending=True,
        job_tags=["t1"],
        include_mocks=True,
        created_after=dt.datetime.now() - dt.timedelta(hours=1),
        descending=False,
        backend_name="ibm_fez",
        program_id="executor",
    )
    assert [job["id"] for job in listed["jobs"]] == [job_id]
    clock.advance(10)
    assert client.job_get(job_id)["status"] == "Completed"
    client.update_tags(job_id, ["t2"])
    assert client.job_get(job_id)["tags"] == ["t2"]
    metrics = client.job_metadata(job_id)
    assert metrics["caller"].startswith("qiskit-version-2/qiskit_ibm_runtime-")
    assert "Job started running." in client.job_logs(job_id)
    result = ExecutorResultDecoder.decode(client.job_results(job_id))
    assert result[0]["meas"].shape == (2, 32, 4)
    assert result[0]["meas"].dtype == bool
    client.job_delete(job_id)
    with pytest.raises(RequestsApiError) as not_found:
        client.job_get(job_id)
    assert not_found.value.status_code == 404


def test_ibm_client_cancels_and_sees_409(
    ibm: tuple[RuntimeClient, MockServer, VirtualClock],
) -> None:
    """job_cancel works on a queued job; a second cancel raises the 409."""
    client, _, _ = ibm
    job_id = _run(client)["id"]
    client.job_cancel(job_id)
    assert client.job_get(job_id)["status"] == "Cancelled"
    with pytest.raises(RequestsApiError) as conflict:
        client.job_cancel(job_id)
    assert conflict.value.status_code == 409


def test_ibm_client_refreshes_its_token(
    ibm: tuple[RuntimeClient, MockServer, VirtualClock],
) -> None:
    """After the IAM token's lifetime the SDK fetches a new token and keeps working."""
    client, server, clock = ibm
    job_id = _run(client)["id"]
    issued_before = server.state.issuer.issued
    clock.advance(601)
    assert client.job_get(job_id)["id"] == job_id
    assert server.state.issuer.issued == issued_before + 1


def test_ibm_client_private_job_reads_once(
    ibm: tuple[RuntimeClient, MockServer, VirtualClock],
) -> None:
    """A private job's result comes once through the client; then the body is empty."""
    client, _, clock = ibm
    job_id = _run(client, private=True)["id"]
    assert "params" not in client.job_get(job_id, exclude_params=False)
    clock.advance(10)
    assert ExecutorResultDecoder.decode(client.job_results(job_id))[0]["meas"].shape == (2, 32, 4)
    assert client.job_results(job_id) == ""
