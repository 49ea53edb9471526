"""The generated client models the spec: examples round-trip and land in their variant."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_generated import models
from qiskit_runtime_jobs_generated.api.jobs import get_job, get_job_results
from qiskit_runtime_jobs_generated.client import Client
from tests.spec._spec import operations, spec

CLIENT = Client(base_url="http://test")


def _response_example(operation_id: str, name: str = "reference") -> Any:
    op = next(op for _, _, op in operations() if op["operationId"] == operation_id)
    return op["responses"]["200"]["content"]["application/json"]["examples"][name]["value"]


def _schema_example(name: str) -> Any:
    return spec()["components"]["schemas"][name]["examples"][0]


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})$")


def _canonical(value: Any) -> Any:
    """JSON with timestamps as datetimes: `...Z` and `...+00:00` are the same instant."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, str) and _TIMESTAMP.match(value):
        return datetime.fromisoformat(value)
    return value


def _parse_results(body: Any) -> Any:
    response = httpx.Response(200, content=json.dumps(body).encode())
    return get_job_results._parse_response(client=CLIENT, response=response)


@pytest.mark.parametrize(
    ("model", "example"),
    [
        (models.CreateJobResponse, _response_example("create_job")),
        (models.JobsResponse, _response_example("list_jobs")),
        (models.JobResponse, _response_example("get_job")),
        (models.JobResponse, _response_example("get_job", "failed")),
        (models.JobResponse, _response_example("get_job", "cancelled_ran_too_long")),
        (models.JobMetrics, _response_example("get_job_metrics")),
        (models.RemoteStorage, _schema_example("RemoteStorage")),
        (models.TensorModel, _schema_example("TensorModel")),
        (
            models.ExecutorV02QuantumProgramResultModel,
            _schema_example("ExecutorV02QuantumProgramResultModel"),
        ),
        (models.NoiseLearnerV3V01ResultsModel, _schema_example("NoiseLearnerV3V01ResultsModel")),
        (models.NoiseLearnerV3V02ResultsModel, _schema_example("NoiseLearnerV3V02ResultsModel")),
    ],
)
def test_example_round_trips(model: Any, example: dict[str, Any]) -> None:
    """from_dict(example).to_dict() gives the example back, field for field."""
    decoded = model.from_dict(example)
    assert _canonical(decoded.to_dict()) == _canonical(example)


@pytest.mark.parametrize(
    ("example", "variant"),
    [
        (_response_example("get_job_results"), models.ExecutorV01QuantumProgramResultModel),
        (
            _schema_example("ExecutorV02QuantumProgramResultModel"),
            models.ExecutorV02QuantumProgramResultModel,
        ),
        (_schema_example("NoiseLearnerV3V01ResultsModel"), models.NoiseLearnerV3V01ResultsModel),
        (_schema_example("NoiseLearnerV3V02ResultsModel"), models.NoiseLearnerV3V02ResultsModel),
    ],
)
def test_each_result_example_decodes_to_its_own_variant(example: Any, variant: type) -> None:
    """The generated oneOf parser picks the variant the example was written for."""
    parsed = _parse_results(example)
    assert type(parsed) is variant
    assert _canonical(parsed.to_dict()) == _canonical(example)


def test_legacy_result_decodes_as_text() -> None:
    """A legacy (string) result comes back as the string."""
    assert _parse_results("legacy result") == "legacy result"


def test_unknown_result_shape_is_returned_raw() -> None:
    """A result in a format this client doesn't know is returned as data, not an error."""
    body = {"schema_version": "v9.0", "payload": [1, 2]}
    assert _parse_results(body) == body


def test_result_not_ready_is_none() -> None:
    """204 (no result yet) parses to None."""
    response = httpx.Response(204)
    assert get_job_results._parse_response(client=CLIENT, response=response) is None


def test_new_status_values_decode_as_plain_strings() -> None:
    """A status a later API version adds doesn't crash decoding (open enums)."""
    job = dict(_response_example("get_job"), status="Paused", state={"status": "Paused"})
    decoded = models.JobResponse.from_dict(job)
    assert decoded.status == "Paused"
    assert decoded.state.status == "Paused"
    assert decoded.to_dict()["status"] == "Paused"


def test_known_status_values_decode_as_enum_members() -> None:
    """Known values still decode to the enum, including 'Cancelled - Ran too long'."""
    job = _response_example("get_job", "cancelled_ran_too_long")
    decoded = models.JobResponse.from_dict(job)
    assert decoded.status is models.JobStatus.CANCELLED_RAN_TOO_LONG
    assert decoded.state.status is models.JobStateStatus.CANCELLED


def test_nullable_fields_decode() -> None:
    """null item metadata (v0.1) and null stretch_values (v0.2) decode to None."""
    v01 = _parse_results(_response_example("get_job_results"))
    assert v01.data[0].metadata is None
    v02_body = _schema_example("ExecutorV02QuantumProgramResultModel")
    v02_body = json.loads(json.dumps(v02_body))
    v02_body["data"][0]["metadata"]["stretch_values"] = None
    v02 = _parse_results(v02_body)
    assert v02.data[0].metadata.stretch_values is None


def test_details_parse_into_job_response() -> None:
    """get_job's generated parser returns a JobResponse for 200."""
    body = _response_example("get_job")
    response = httpx.Response(200, content=json.dumps(body).encode())
    parsed = get_job._parse_response(client=CLIENT, response=response)
    assert isinstance(parsed, models.JobResponse)
    assert parsed.id == body["id"]
    assert parsed.private is True


def _every_field_set() -> dict[str, Any]:
    """A job with every property the spec gives it, each value distinct from the others."""
    return {
        **_response_example("get_job"),
        "state": {"status": "Failed", "reason": "r", "reason_code": 1517, "reason_solution": "s"},
        "usage": {"quantum_seconds": 11, "seconds": 12},
        "remote_storage": _schema_example("RemoteStorage"),
        "user_id": "user-7",
        "cost": 13,
    }


def test_every_field_reads_its_own_key() -> None:
    """`from_dict` passes values by position: each attribute still holds its own key's value."""
    body = _every_field_set()
    job = models.JobResponse.from_dict(body)
    for field in ("id", "backend", "cost", "runtime", "tags", "session_id", "user_id", "private"):
        assert getattr(job, field) == body[field], field
    assert job.estimated_running_time_seconds == body["estimated_running_time_seconds"]
    assert job.calibration_id == body["calibration_id"]
    assert job.created == datetime.fromisoformat(body["created"])
    assert (job.state.reason, job.state.reason_code, job.state.reason_solution) == ("r", 1517, "s")
    assert job.usage.to_dict() == body["usage"]
    assert job.params.to_dict() == body["params"]
    assert job.additional_properties == {}
    assert _canonical(job.to_dict()) == _canonical(body)


def test_only_unknown_keys_become_additional_properties() -> None:
    """Keys a later API version adds, and only those, are kept beside the fields."""
    body = {**_every_field_set(), "queue_position": 4}
    body["program"] = {**body["program"], "version": "2"}
    job = models.JobResponse.from_dict(body)
    assert job.additional_properties == {"queue_position": 4}
    assert job["queue_position"] == 4
    assert job.program.additional_properties == {"version": "2"}
    assert job.to_dict()["queue_position"] == 4


def test_reading_leaves_the_mapping_as_it_was() -> None:
    """`from_dict` reads the mapping without copying it, and must not change it either."""
    body = {**_every_field_set(), "queue_position": 4}
    before = json.dumps(body, sort_keys=True)
    job = models.JobResponse.from_dict(body)
    job.additional_properties["queue_position"] = 5
    assert json.dumps(body, sort_keys=True) == before


def test_a_missing_required_property_raises_key_error() -> None:
    body = _every_field_set()
    del body["created"]
    with pytest.raises(KeyError, match="created"):
        models.JobResponse.from_dict(body)


def test_a_closed_enum_refuses_an_unknown_value() -> None:
    """Closed enums (not `x-open-enum`) still raise ValueError for a value they do not list."""
    storage = {**_schema_example("RemoteStorage")}
    storage["type"] = "ftp"
    with pytest.raises(ValueError, match="ftp"):
        models.RemoteStorage.from_dict(storage)
