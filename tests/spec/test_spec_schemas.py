"""The spec's schemas carry the page's constraints, and behave as constraints."""

from __future__ import annotations

from typing import Any

import pytest

from tests.spec._spec import component, spec, validator

SCHEMAS: dict[str, Any] = spec()["components"]["schemas"]

VALID_JOB: dict[str, Any] = {
    "id": "c5dge2d3rn7breq27i9g",
    "created": "2021-10-04T13:52:09.456851Z",
    "program": {"id": "sampler"},
    "state": {"status": "Completed"},
    "status": "Completed",
    "cost": 0,
}


def _errors(schema_name: str, instance: Any) -> list[str]:
    return [e.message for e in validator(component(schema_name)).iter_errors(instance)]


@pytest.mark.parametrize(
    ("schema_name", "instance"),
    [
        ("JobResponse", VALID_JOB),
        ("JobResponse", {**VALID_JOB, "status": "Cancelled - Ran too long"}),
        ("JobResponse", {**VALID_JOB, "state": {"status": "Failed", "reason_code": 9999}}),
        ("JobResponse", {**VALID_JOB, "tags": ["x" * 86] * 8}),
        ("CreateJobRequest", {"program_id": "sampler", "cost": 10800}),
        ("CreateJobRequest", {"program_id": "sampler", "cost": 20000}),
        ("CreateJobRequest", {"program_id": "sampler", "runtime": "image:latest"}),
        ("CreateJobRequest", {"program_id": "sampler", "log_level": "debug"}),
        ("CreateJobResponse", {"id": "a", "backend": "b", "calibration_id": "c" * 100}),
        ("JobsResponse", {"jobs": [VALID_JOB], "count": 1, "limit": 200, "offset": 0}),
        ("JobMetrics", {"qiskit_version": "v2.3.0"}),
        ("ReplaceJobTagsRequest", {"tags": []}),
        ("JobResults", "legacy result text"),
    ],
)
def test_valid_instances_pass(schema_name: str, instance: Any) -> None:
    """Instances at the documented limits validate."""
    assert _errors(schema_name, instance) == []


@pytest.mark.parametrize(
    ("schema_name", "instance", "why"),
    [
        ("JobResponse", {**VALID_JOB, "id": "../x"}, "id pattern"),
        ("JobResponse", {**VALID_JOB, "status": "Done"}, "status enum"),
        ("JobResponse", {**VALID_JOB, "state": {"status": "Cancelled - Ran too long"}}, "state"),
        ("JobResponse", {**VALID_JOB, "state": {"status": "Failed", "reason_code": 999}}, "code"),
        ("JobResponse", {**VALID_JOB, "cost": 10801}, "cost max"),
        ("JobResponse", {**VALID_JOB, "tags": ["t"] * 9}, "max 8 tags"),
        ("JobResponse", {**VALID_JOB, "tags": ["x" * 87]}, "tag length"),
        ("JobResponse", {**VALID_JOB, "created": "yesterday"}, "created date-time"),
        ("JobResponse", {**VALID_JOB, "program": {"id": ""}}, "program id minLength"),
        ("JobResponse", {k: v for k, v in VALID_JOB.items() if k != "cost"}, "cost required"),
        ("CreateJobRequest", {"program_id": "p", "cost": -1}, "cost min"),
        ("CreateJobRequest", {"program_id": "p", "log_level": "trace"}, "log level enum"),
        ("CreateJobRequest", {"program_id": "p", "runtime": "no-tag"}, "runtime name:tag"),
        ("CreateJobRequest", {"backend": "b"}, "program_id required"),
        ("CreateJobResponse", {"id": "a", "backend": "b", "calibration_id": ""}, "calib min"),
        ("CreateJobResponse", {"id": "a"}, "backend required"),
        ("JobsResponse", {"jobs": [], "count": 0, "limit": 201, "offset": 0}, "limit max"),
        ("JobsResponse", {"jobs": [], "count": 0, "limit": 1}, "offset required"),
        ("JobMetrics", {"qiskit_version": "2.x"}, "qiskit version pattern"),
        ("JobMetrics", {"timestamps": {"created": "now"}}, "timestamp format"),
        ("ReplaceJobTagsRequest", {}, "tags required"),
        ("TensorModel", {"data": "", "shape": [1], "dtype": "f32"}, "dtype enum"),
        ("IBMCloudCOSStorage", {"region": "us east"}, "region pattern + required"),
        ("JobResults", {"schema_version": "v9"}, "no result variant"),
    ],
)
def test_invalid_instances_fail(schema_name: str, instance: Any, why: str) -> None:
    """Each documented constraint rejects an instance that breaks it."""
    assert _errors(schema_name, instance), why


def test_status_enums_are_the_pages() -> None:
    """Top-level status has 'Cancelled - Ran too long'; state.status does not."""
    assert SCHEMAS["JobStatus"]["enum"] == [
        "Queued",
        "Running",
        "Completed",
        "Cancelled",
        "Cancelled - Ran too long",
        "Failed",
    ]
    assert SCHEMAS["JobStateStatus"]["enum"] == [
        "Queued",
        "Running",
        "Completed",
        "Cancelled",
        "Failed",
    ]


def test_result_variants_are_named_and_versioned() -> None:
    """JobResults is an anyOf of the page's five named result components (the page's oneOf
    over overlapping variants: see its x-reference-page-note), with the versions IBM's
    client asks for, from ibm-quantum-schemas, before the legacy string."""
    assert "oneOf" not in SCHEMAS["JobResults"]
    assert [v["$ref"].rsplit("/", 1)[1] for v in SCHEMAS["JobResults"]["anyOf"]] == [
        "ExecutorV01QuantumProgramResultModel",
        "ExecutorV02QuantumProgramResultModel",
        "NoiseLearnerV3V01ResultsModel",
        "NoiseLearnerV3V02ResultsModel",
        "ExecutorV10QuantumProgramResultModel",
        "ExecutorV11QuantumProgramResultModel",
        "ExecutorV20QuantumProgramResultModel",
        "NoiseLearnerV3V03ResultsModel",
        "LegacyJobResults",
    ]


@pytest.mark.parametrize(
    ("instance", "variants"),
    [
        (
            {
                k: v
                for k, v in SCHEMAS["ExecutorV02QuantumProgramResultModel"]["examples"][0].items()
                if k != "schema_version"
            },
            {"ExecutorV01QuantumProgramResultModel", "ExecutorV02QuantumProgramResultModel"},
        ),
        (
            {"schema_version": "v0.1", "data": [], "metadata": {"chunk_timing": []}},
            {"ExecutorV01QuantumProgramResultModel", "NoiseLearnerV3V01ResultsModel"},
        ),
    ],
    ids=["executor v0.2 without schema_version", "executor v0.1 with empty data"],
)
def test_a_result_matching_several_page_variants_is_valid(
    instance: dict[str, Any], variants: set[str]
) -> None:
    """The page's variants overlap (optional schema_version); such a result is valid, which
    the page's oneOf would have rejected."""
    names = [v["$ref"].rsplit("/", 1)[1] for v in SCHEMAS["JobResults"]["anyOf"]]
    assert {n for n in names if not _errors(n, instance)} == variants
    assert _errors("JobResults", instance) == []


def test_remote_storage_discriminates_on_type() -> None:
    """Remote storage options are a oneOf discriminated by `type` (ibmcloud_cos)."""
    option = SCHEMAS["RemoteStorageOption"]
    assert option["discriminator"]["propertyName"] == "type"
    assert SCHEMAS["IBMCloudCOSStorage"]["properties"]["type"]["enum"] == ["ibmcloud_cos"]
    assert SCHEMAS["RemoteStorage"]["allOf"][1]["required"] == ["job_params", "results"]


def test_noise_learner_metadata_discriminator_mapping_is_the_pages() -> None:
    """The page's discriminator mapping names resolve to components in this spec."""
    for version in ("V01", "V02"):
        mapping = SCHEMAS[f"NoiseLearnerV3{version}ResultMetadata"]["discriminator"]["mapping"]
        for target in mapping.values():
            assert target.rsplit("/", 1)[1] in SCHEMAS


@pytest.mark.parametrize(
    ("version", "post_selection", "branch"),
    [
        ("V01", {"fraction_kept": 0.9}, "TREX"),
        ("V01", {"fraction_kept": {"1": 0.9}}, "Linbdblad"),
        ("V02", {"fraction_kept": 0.9, "success_rates": {"0": 0.9}}, "TREX"),
        ("V02", {"fraction_kept": {"1": 0.9}, "success_rates": {"1": {"0": 0.9}}}, "Linbdblad"),
    ],
)
def test_noise_learner_metadata_branches_exclude_each_other(
    version: str, post_selection: dict[str, Any], branch: str
) -> None:
    """Without the (optional) `learning_protocol`, `post_selection` still decides the branch:
    why Redocly's request to require it is ignored (.redocly.lint-ignore.yaml)."""
    metadata = {"post_selection": post_selection}
    matching = [
        name
        for name in ("TREX", "Linbdblad")
        if not _errors(f"NoiseLearnerV3{version}{name}ResultMetadataModel", metadata)
    ]
    assert matching == [branch]
    assert _errors(f"NoiseLearnerV3{version}ResultMetadata", metadata) == []
