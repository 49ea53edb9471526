"""Job lifecycle on the virtual clock; details, logs, metrics; cancel, delete and tags rules."""

from __future__ import annotations

import httpx
import pytest

from qiskit_runtime_jobs_mock import VirtualClock
from tests.mock.conftest import create_job


def _status(client: httpx.Client, job_id: str) -> tuple[str, str]:
    body = client.get(f"/jobs/{job_id}").json()
    return body["status"], body["state"]["status"]


def test_job_goes_queued_running_completed(client: httpx.Client, clock: VirtualClock) -> None:
    """Default timing: Queued for 1 s, Running for 3 s, then Completed."""
    job_id = create_job(client)
    assert _status(client, job_id) == ("Queued", "Queued")
    clock.advance(1)
    assert _status(client, job_id) == ("Running", "Running")
    clock.advance(2.999)
    assert _status(client, job_id) == ("Running", "Running")
    clock.advance(0.001)
    assert _status(client, job_id) == ("Completed", "Completed")


def test_per_job_timing_comes_from_params(client: httpx.Client, clock: VirtualClock) -> None:
    """params.mock.queued_seconds/running_seconds override the defaults for one job."""
    job_id = create_job(client, params={"mock": {"queued_seconds": 0, "running_seconds": 100}})
    assert _status(client, job_id)[0] == "Running"
    clock.advance(100)
    assert _status(client, job_id)[0] == "Completed"


def test_failure_is_reachable_with_reason(client: httpx.Client, clock: VirtualClock) -> None:
    """params.mock.outcome=failed ends in Failed with reason, reason_code and solution."""
    job_id = create_job(client, params={"mock": {"outcome": "failed"}})
    clock.advance(10)
    body = client.get(f"/jobs/{job_id}").json()
    assert body["status"] == "Failed"
    assert body["state"]["status"] == "Failed"
    assert body["state"]["reason_code"] == 1517
    assert body["state"]["reason"]
    assert body["state"]["reason_solution"]


def test_cost_exceeded_is_cancelled_ran_too_long(client: httpx.Client, clock: VirtualClock) -> None:
    """A job whose run exceeds its cost ends 'Cancelled - Ran too long' at created+queued+cost."""
    job_id = create_job(client, cost=5, params={"mock": {"running_seconds": 60}})
    clock.advance(5.9)
    assert _status(client, job_id)[0] == "Running"
    clock.advance(0.1)
    body = client.get(f"/jobs/{job_id}").json()
    assert body["status"] == "Cancelled - Ran too long"
    assert body["state"] == {
        "status": "Cancelled",
        "reason": "Ran too long",
        "reason_code": 1305,
        "reason_solution": body["state"]["reason_solution"],
    }
    assert body["usage"]["qpu_charge_time_seconds"] == 5


def test_ran_too_long_is_also_a_direct_outcome(client: httpx.Client, clock: VirtualClock) -> None:
    """params.mock.outcome=ran_too_long forces the outcome without choosing a cost."""
    job_id = create_job(client, params={"mock": {"outcome": "ran_too_long"}})
    clock.advance(10)
    assert _status(client, job_id) == ("Cancelled - Ran too long", "Cancelled")


def test_details_include_params_unless_excluded(client: httpx.Client) -> None:
    """GET /jobs/{id} returns params by default and omits them with exclude_params=true."""
    job_id = create_job(client, params={"shots": 7}, tags=["a"], runtime="img:1", log_level="debug")
    body = client.get(f"/jobs/{job_id}").json()
    assert body["params"] == {"shots": 7}
    assert body["tags"] == ["a"]
    assert body["runtime"] == "img:1"
    assert body["program"] == {"id": "sampler"}
    assert body["created"] == "2026-03-20T12:00:00.000000Z"
    assert "params" not in client.get(f"/jobs/{job_id}?exclude_params=TRUE").json()


def test_absent_optional_fields_are_omitted(client: httpx.Client) -> None:
    """Optional fields never set are left out rather than sent as null."""
    body = client.get(f"/jobs/{create_job(client)}").json()
    assert None not in body.values()
    for name in ("private", "session_id", "calibration_id", "runtime", "usage"):
        assert name not in body


def test_private_job_never_returns_params(client: httpx.Client) -> None:
    """A private job's params are never returned, and private=true is shown."""
    job_id = create_job(client, params={"secret": 1}, private=True)
    body = client.get(f"/jobs/{job_id}").json()
    assert "params" not in body
    assert body["private"] is True
    listed = client.get("/jobs?exclude_params=false").json()["jobs"][0]
    assert "params" not in listed


def test_metrics_follow_the_state(client: httpx.Client, clock: VirtualClock) -> None:
    """Metrics show only the timestamps reached, and usage once finished."""
    job_id = create_job(client)
    first = client.get(f"/jobs/{job_id}/metrics").json()
    assert set(first["timestamps"]) == {"created"}
    assert first["usage"]["qpu_charge_time_seconds"] == 0
    assert first["qiskit_version"] == "2.3.0"
    clock.advance(2)
    assert set(client.get(f"/jobs/{job_id}/metrics").json()["timestamps"]) == {"created", "running"}
    clock.advance(2)
    done = client.get(f"/jobs/{job_id}/metrics").json()
    assert done["timestamps"] == {
        "created": "2026-03-20T12:00:00.000000Z",
        "running": "2026-03-20T12:00:01.000000Z",
        "finished": "2026-03-20T12:00:04.000000Z",
    }
    assert done["usage"] == {
        "circuits_execution_time_ns": 300_000_000,
        "qpu_charge_time_seconds": 3,
    }


def test_metrics_caller_comes_from_client_header(client: httpx.Client) -> None:
    """The x-qx-client-application header at creation becomes metrics.caller."""
    response = client.post(
        "/jobs",
        json={"program_id": "sampler"},
        headers={"X-Qx-Client-Application": "qiskit/2.3.0/test"},
    )
    metrics = client.get(f"/jobs/{response.json()['id']}/metrics").json()
    assert metrics["caller"] == "qiskit/2.3.0/test"


def test_logs_are_plain_text_and_grow_with_the_state(
    client: httpx.Client, clock: VirtualClock
) -> None:
    """Logs are text/plain lines for each transition reached."""
    job_id = create_job(client, params={"mock": {"outcome": "failed"}})
    queued = client.get(f"/jobs/{job_id}/logs")
    assert queued.headers["content-type"].startswith("text/plain")
    assert queued.text.count("\n") == 1
    clock.advance(10)
    logs = client.get(f"/jobs/{job_id}/logs").text
    assert "started running" in logs
    assert "ERROR Error in transpilation process." in logs


def test_cancel_queued_job_is_204_and_cancelled(client: httpx.Client, clock: VirtualClock) -> None:
    """Cancelling a queued job answers exactly 204 with no body; the job stays Cancelled."""
    job_id = create_job(client)
    response = client.post(f"/jobs/{job_id}/cancel")
    assert response.status_code == 204
    assert response.content == b""
    clock.advance(100)
    body = client.get(f"/jobs/{job_id}").json()
    assert body["status"] == "Cancelled"
    assert body["state"]["reason"] == "Cancelled by user"
    assert client.get(f"/jobs/{job_id}/results").status_code == 204


def test_cancel_running_job_records_usage(client: httpx.Client, clock: VirtualClock) -> None:
    """A job cancelled while running is charged for the time it ran."""
    job_id = create_job(client)
    clock.advance(2.5)
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 204
    metrics = client.get(f"/jobs/{job_id}/metrics").json()
    assert metrics["timestamps"]["finished"] == "2026-03-20T12:00:02.500000Z"
    assert metrics["usage"]["qpu_charge_time_seconds"] == 2


@pytest.mark.parametrize("outcome", ["completed", "failed", "ran_too_long"])
def test_cancel_terminal_job_is_409(
    client: httpx.Client, clock: VirtualClock, outcome: str
) -> None:
    """A job in any terminal state cannot be cancelled: 409."""
    job_id = create_job(client, params={"mock": {"outcome": outcome}})
    clock.advance(10)
    response = client.post(f"/jobs/{job_id}/cancel")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "job_not_cancellable"


def test_cancel_twice_is_409(client: httpx.Client) -> None:
    """A cancelled job is terminal, so a second cancel answers 409."""
    job_id = create_job(client)
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 204
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 409


@pytest.mark.parametrize("advance", [0, 2])
def test_delete_non_terminal_job_is_400(
    client: httpx.Client, clock: VirtualClock, advance: float
) -> None:
    """Queued or running jobs cannot be deleted: 400."""
    job_id = create_job(client)
    clock.advance(advance)
    response = client.delete(f"/jobs/{job_id}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "job_not_deletable"
    assert client.get(f"/jobs/{job_id}").status_code == 200


def test_delete_terminal_job_is_204_then_404(client: httpx.Client, clock: VirtualClock) -> None:
    """A finished job is deleted with an empty 204; afterwards it is not found anywhere."""
    job_id = create_job(client)
    clock.advance(10)
    response = client.delete(f"/jobs/{job_id}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/results").status_code == 404
    assert client.delete(f"/jobs/{job_id}").status_code == 404
    assert client.get("/jobs").json()["count"] == 0


def test_delete_cancelled_job_is_allowed(client: httpx.Client) -> None:
    """Cancelled is terminal, so a cancelled job can be deleted."""
    job_id = create_job(client)
    client.post(f"/jobs/{job_id}/cancel")
    assert client.delete(f"/jobs/{job_id}").status_code == 204


def test_replace_tags_is_204_and_replaces(client: httpx.Client) -> None:
    """PUT tags answers an empty 204 and replaces the whole list."""
    job_id = create_job(client, tags=["old", "keep"])
    response = client.put(f"/jobs/{job_id}/tags", json={"tags": ["new"]})
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/jobs/{job_id}").json()["tags"] == ["new"]
    assert client.put(f"/jobs/{job_id}/tags", json={"tags": []}).status_code == 204
    assert client.get(f"/jobs/{job_id}").json()["tags"] == []


@pytest.mark.parametrize(
    "body",
    [{"tags": ["t"] * 9}, {"tags": ["x" * 87]}, {"tags": "a"}, {"tags": [None]}, {}, [], {"x": 1}],
)
def test_invalid_tags_are_400(client: httpx.Client, body: object) -> None:
    """More than 8 tags, a tag over 86 chars, or a missing/ill-typed list answer 400."""
    job_id = create_job(client, tags=["keep"])
    response = client.put(f"/jobs/{job_id}/tags", json=body)
    assert response.status_code == 400
    assert client.get(f"/jobs/{job_id}").json()["tags"] == ["keep"]


def test_tags_of_unknown_job_is_404(client: httpx.Client) -> None:
    """Replacing tags of a well-formed unknown id answers 404."""
    assert client.put("/jobs/doesnotexist/tags", json={"tags": []}).status_code == 404


def test_reads_follow_every_change_to_a_job_read_before(
    client: httpx.Client, clock: VirtualClock
) -> None:
    """The mock keeps each job's JSON between changes; no read ever shows a stale one."""
    job_id = create_job(client, tags=["a"], params={"n": 1})

    def seen() -> list[dict[str, object]]:
        return [
            client.get(f"/jobs/{job_id}").json(),
            client.get(f"/jobs/{job_id}", params={"exclude_params": "true"}).json(),
            *client.get("/jobs").json()["jobs"],
            *client.get("/jobs", params={"exclude_params": "false"}).json()["jobs"],
        ]

    for _ in range(2):
        assert [job["status"] for job in seen()] == ["Queued"] * 4
    assert ["params" in job for job in seen()] == [True, False, False, True]
    clock.advance(1)
    assert [job["status"] for job in seen()] == ["Running"] * 4
    assert client.put(f"/jobs/{job_id}/tags", json={"tags": ["b"]}).status_code == 204
    assert [job["tags"] for job in seen()] == [["b"]] * 4
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 204
    assert [job["status"] for job in seen()] == ["Cancelled"] * 4
    clock.advance(100)
    assert [job["status"] for job in seen()] == ["Cancelled"] * 4
    assert all(job["usage"]["qpu_charge_time_seconds"] == 0 for job in seen())
