"""POST /jobs: body validation, response shape, rate limit, usage limit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_mock import VirtualClock
from tests.mock.conftest import create_job


def test_create_answers_id_and_backend(client: httpx.Client) -> None:
    """A minimal body creates a job with a 20-char id and the default backend."""
    response = client.post("/jobs", json={"program_id": "sampler"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "backend"}
    assert len(body["id"]) == 20
    assert body["id"].isalnum()
    assert body["id"] == body["id"].lower()


def test_create_echoes_session_calibration_and_private(client: httpx.Client) -> None:
    """session_id and calibration_id are echoed; private appears only when true."""
    body = {
        "program_id": "sampler",
        "backend": "ibm_fez",
        "session_id": "s1",
        "calibration_id": "cal-1",
        "private": True,
    }
    answer = client.post("/jobs", json=body).json()
    assert answer["backend"] == "ibm_fez"
    assert answer["session_id"] == "s1"
    assert answer["calibration_id"] == "cal-1"
    assert answer["private"] is True
    public = client.post("/jobs", json={"program_id": "sampler", "private": False}).json()
    assert "private" not in public


def test_unknown_body_fields_are_ignored(client: httpx.Client) -> None:
    """Extra fields such as start_session (sent by IBM's client) do not fail creation."""
    body = {"program_id": "sampler", "start_session": False, "session_time": None, "x": 1}
    assert client.post("/jobs", json=body).status_code == 200


def test_cost_above_maximum_is_capped(client: httpx.Client) -> None:
    """A cost above 10800 is capped at 10800, not rejected."""
    job_id = create_job(client, cost=99999)
    assert client.get(f"/jobs/{job_id}").json()["cost"] == 10800


def test_integral_float_cost_is_accepted(client: httpx.Client) -> None:
    """cost 60.0 is an integer in JSON Schema's sense."""
    job_id = create_job(client, cost=60.0)
    assert client.get(f"/jobs/{job_id}").json()["cost"] == 60


VALID_STORAGE = {
    "type": "ibmcloud_cos",
    "region": "us-east",
    "region_type": "regional",
    "bucket_crn": "crn:bucket",
    "object_name": "default",
}


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"program_id": ""}, "program_id", "invalid_field"),
        ({"program_id": 5}, "program_id", "invalid_field"),
        ({"program_id": None}, "program_id", "invalid_field"),
        ({"backend": 3}, "backend", "invalid_field"),
        ({"backend": "a\nb"}, "backend", "invalid_field"),
        ({"runtime": "no-tag"}, "runtime", "invalid_field"),
        ({"runtime": "name:"}, "runtime", "invalid_field"),
        ({"tags": "a"}, "tags", "invalid_field"),
        ({"tags": ["t"] * 9}, "tags", "invalid_field"),
        ({"tags": ["x" * 87]}, "tags", "invalid_field"),
        ({"tags": [1]}, "tags", "invalid_field"),
        ({"log_level": "verbose"}, "log_level", "invalid_field"),
        ({"log_level": "INFO"}, "log_level", "invalid_field"),
        ({"cost": -1}, "cost", "invalid_field"),
        ({"cost": 1.5}, "cost", "invalid_field"),
        ({"cost": "10"}, "cost", "invalid_field"),
        ({"cost": True}, "cost", "invalid_field"),
        ({"session_id": 1}, "session_id", "invalid_field"),
        ({"calibration_id": ""}, "calibration_id", "invalid_field"),
        ({"calibration_id": "c" * 101}, "calibration_id", "invalid_field"),
        ({"params": [1]}, "params", "invalid_field"),
        ({"private": "yes"}, "private", "invalid_field"),
        ({"remote_storage": "s3"}, "remote_storage", "invalid_field"),
        ({"remote_storage": VALID_STORAGE}, "remote_storage.job_params", "missing_field"),
        (
            {
                "remote_storage": {
                    **VALID_STORAGE,
                    "region": "us east",
                    "job_params": VALID_STORAGE,
                    "results": VALID_STORAGE,
                }
            },
            "remote_storage.region",
            "invalid_field",
        ),
        ({"params": {"mock": {"outcome": "explode"}}}, "params.mock.outcome", "invalid_field"),
        ({"params": {"mock": {"shots": 0}}}, "params.mock.shots", "invalid_field"),
    ],
)
def test_invalid_body_is_400_naming_the_field(
    client: httpx.Client, body: dict[str, Any], field: str, code: str
) -> None:
    """Each rule of the page answers 400 with the field's name as target."""
    response = client.post("/jobs", json={"program_id": "sampler", **body})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == code
    assert error["target"] == {"type": "field", "name": field}
    assert field.split(".")[-1] in error["message"]


def test_missing_program_id_is_400(client: httpx.Client) -> None:
    """A body without program_id answers 400 missing_field."""
    response = client.post("/jobs", json={"backend": "ibm_fez"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "missing_field"
    assert error["target"] == {"type": "field", "name": "program_id"}


def test_valid_remote_storage_is_accepted_and_echoed(client: httpx.Client) -> None:
    """A complete remote_storage object is stored and shown in the job details."""
    storage = {**VALID_STORAGE, "job_params": VALID_STORAGE, "results": VALID_STORAGE}
    job_id = create_job(client, remote_storage=storage)
    assert client.get(f"/jobs/{job_id}").json()["remote_storage"] == storage


def test_invalid_body_creates_no_job(client: httpx.Client) -> None:
    """A rejected body leaves the job list unchanged."""
    client.post("/jobs", json={"program_id": "sampler", "cost": -5})
    assert client.get("/jobs").json()["count"] == 0


def test_rate_limit_is_five_per_minute_with_retry_after(
    client: httpx.Client, clock: VirtualClock
) -> None:
    """The sixth job within a minute answers 429 with Retry-After; it clears after the window."""
    for _ in range(5):
        create_job(client)
        clock.advance(10)
    limited = client.post("/jobs", json={"program_id": "sampler"})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "10"
    assert limited.json()["errors"][0]["code"] == "rate_limit_exceeded"
    assert client.get("/jobs").json()["count"] == 5
    clock.advance(10)
    assert client.post("/jobs", json={"program_id": "sampler"}).status_code == 200


def test_rate_limit_is_per_user(make_server) -> None:
    """Another user's creations do not count against this user."""
    _, http = make_server(tokens={"a": "alice", "b": "bob"})
    for _ in range(5):
        http.post("/jobs", json={"program_id": "p"}, headers={"Authorization": "Bearer a"})
    alice = http.post("/jobs", json={"program_id": "p"}, headers={"Authorization": "Bearer a"})
    bob = http.post("/jobs", json={"program_id": "p"}, headers={"Authorization": "Bearer b"})
    assert alice.status_code == 429
    assert bob.status_code == 200


def test_rate_limit_none_disables_it(make_server) -> None:
    """rate_limit_per_minute=None lets any number of jobs through."""
    _, http = make_server(rate_limit_per_minute=None)
    for _ in range(12):
        create_job(http)
    assert http.get("/jobs").json()["count"] == 12


def test_usage_limit_exceeded_is_409(make_server, clock: VirtualClock) -> None:
    """Once the instance has used its QPU seconds, creation answers 409."""
    _, http = make_server(usage_limit_seconds=3, running_seconds=3)
    create_job(http)
    assert http.post("/jobs", json={"program_id": "sampler"}).status_code == 200
    clock.advance(60)  # both jobs finish: 6 QPU seconds used
    response = http.post("/jobs", json={"program_id": "sampler"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "usage_limit_exceeded"


def test_usage_of_deleted_jobs_still_counts(make_server, clock: VirtualClock) -> None:
    """Deleting finished jobs does not give their QPU time back."""
    _, http = make_server(usage_limit_seconds=3, running_seconds=3)
    job_id = create_job(http)
    clock.advance(60)
    assert http.delete(f"/jobs/{job_id}").status_code == 204
    assert http.post("/jobs", json={"program_id": "sampler"}).status_code == 409
