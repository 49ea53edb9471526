"""The spec is valid OpenAPI 3.1 and carries the reference page's inventory."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.spec._spec import operations, resolve, spec, validator

# Transcribed from the reference page: (method, path) -> (operationId, summary, statuses
# documented on the page). Statuses the spec adds beyond the page must be marked with
# `x-not-on-reference-page` (checked below).
PAGE_OPERATIONS = {
    ("POST", "/jobs"): ("create_job", "Run a job", {200, 400, 401, 403, 404, 409}),
    ("GET", "/jobs"): ("list_jobs", "List jobs", {200, 400, 401, 403, 404}),
    ("GET", "/jobs/{id}"): ("get_job", "List job details", {200, 401, 403, 404}),
    ("DELETE", "/jobs/{id}"): ("delete_job", "Delete a job", {204, 400, 401, 403, 404, 500}),
    ("POST", "/jobs/{id}/cancel"): (
        "cancel_job",
        "Cancel a job",
        {204, 400, 401, 403, 404, 409, 500},
    ),
    ("GET", "/jobs/{id}/logs"): ("get_job_logs", "List job logs", {200, 401, 403, 404}),
    ("GET", "/jobs/{id}/metrics"): ("get_job_metrics", "Get job metrics", {200, 401, 403, 404}),
    ("GET", "/jobs/{id}/results"): (
        "get_job_results",
        "List job results",
        {200, 204, 400, 401, 403, 404},
    ),
    ("PUT", "/jobs/{id}/tags"): ("replace_job_tags", "Replace job tags", {204, 401, 403, 404}),
}

PAGE_STATUS_DESCRIPTIONS = {
    ("create_job", 409): "Usage exceeds instance limit",
    ("cancel_job", 400): "Bad cancel request",
    ("cancel_job", 409): "Job is in non cancellable status.",
    ("cancel_job", 500): "Internal error cancelling job",
    ("delete_job", 500): "Internal error deleting job",
    ("get_job_results", 200): "Returns the job's final result.",
    ("get_job_results", 204): "Job's final result not found.",
    ("get_job_logs", 200): "Returns job logs.",
    ("get_job_logs", 404): "Not found",
    ("replace_job_tags", 204): "OK",
}


def _op(operation_id: str) -> dict[str, Any]:
    return next(op for _, _, op in operations() if op["operationId"] == operation_id)


def _param(operation_id: str, name: str) -> dict[str, Any]:
    params = [resolve(p) for p in _op(operation_id)["parameters"]]
    return next(p for p in params if p["name"] == name)


def test_spec_is_valid_openapi_3_1() -> None:
    """openapi-spec-validator accepts the document as OpenAPI 3.1."""
    assert spec()["openapi"].startswith("3.1")
    validate(spec())


def test_operations_match_the_reference_page() -> None:
    """Exactly the page's 9 operations, with its summaries and every documented status."""
    found = {(m, p): op for m, p, op in operations()}
    assert set(found) == set(PAGE_OPERATIONS)
    for key, (operation_id, summary, statuses) in PAGE_OPERATIONS.items():
        op = found[key]
        assert op["operationId"] == operation_id
        assert op["summary"] == summary
        assert statuses <= {int(code) for code in op["responses"]}, key


def test_statuses_beyond_the_page_are_marked() -> None:
    """Every status the page does not list carries an x-not-on-reference-page note."""
    for key, (_, _, statuses) in PAGE_OPERATIONS.items():
        _, _, op = next(o for o in operations() if (o[0], o[1]) == key)
        for code, response in op["responses"].items():
            if int(code) not in statuses:
                assert "x-not-on-reference-page" in resolve(response), (key, code)


@pytest.mark.parametrize(("operation_and_code", "description"), PAGE_STATUS_DESCRIPTIONS.items())
def test_status_descriptions_from_the_page(
    operation_and_code: tuple[str, int], description: str
) -> None:
    """Status descriptions that the page words specially are kept verbatim."""
    operation_id, code = operation_and_code
    assert resolve(_op(operation_id)["responses"][str(code)])["description"] == description


def test_servers_are_the_us_and_eu_de_hosts() -> None:
    """Both documented hosts, US first (the default)."""
    assert [s["url"] for s in spec()["servers"]] == [
        "https://quantum.cloud.ibm.com/api/v1",
        "https://eu-de.quantum.cloud.ibm.com/api/v1",
    ]


def test_every_operation_uses_bearer_auth_and_the_shared_headers() -> None:
    """Bearer security, plus $ref'd Service-CRN and IBM-API-Version header parameters."""
    scheme = spec()["components"]["securitySchemes"]["IBMCloudBearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec()["security"] == [{"IBMCloudBearer": []}]
    for _, _, op in operations():
        refs = {p.get("$ref") for p in op["parameters"]}
        assert "#/components/parameters/ServiceCRN" in refs
        assert "#/components/parameters/IBMAPIVersion" in refs


def test_api_version_header_default_is_info_version() -> None:
    """IBM-API-Version defaults to 2026-03-15, which is also info.version."""
    header = spec()["components"]["parameters"]["IBMAPIVersion"]
    assert header["in"] == "header"
    assert header["required"] is True
    assert header["schema"]["default"] == spec()["info"]["version"] == "2026-03-15"


def test_job_id_path_parameters_carry_the_pattern() -> None:
    """Every {id} parameter is required and constrained to ^[A-Za-z0-9_-]+$."""
    for _, path, op in operations():
        if "{id}" in path:
            param = next(resolve(p) for p in op["parameters"] if resolve(p)["name"] == "id")
            assert param["required"] is True
            assert param["in"] == "path"
            assert resolve(param["schema"])["pattern"] == "^[A-Za-z0-9_-]+$"


@pytest.mark.parametrize(
    ("operation_id", "name", "expected"),
    [
        ("list_jobs", "exclude_params", {"type": "boolean", "default": True}),
        ("get_job", "exclude_params", {"type": "boolean", "default": False}),
        ("list_jobs", "pending", {"type": "boolean"}),
        ("list_jobs", "program", {"type": "string"}),
        ("list_jobs", "backend", {"type": "string"}),
        ("list_jobs", "session_id", {"type": "string"}),
        ("list_jobs", "created_after", {"type": "string", "format": "date-time"}),
        ("list_jobs", "created_before", {"type": "string", "format": "date-time"}),
        ("list_jobs", "tags", {"type": "array", "items": {"type": "string"}}),
    ],
)
def test_query_parameters_as_documented(
    operation_id: str, name: str, expected: dict[str, Any]
) -> None:
    """Types, formats and defaults of the query parameters are the page's."""
    assert _param(operation_id, name)["schema"] == expected


def test_sort_is_asc_or_desc_defaulting_to_desc() -> None:
    """sort: enum ASC/DESC, default DESC."""
    schema = resolve(_param("list_jobs", "sort")["schema"])
    assert schema["enum"] == ["ASC", "DESC"]
    assert schema["default"] == "DESC"


@pytest.mark.parametrize(
    ("name", "default", "minimum", "maximum"),
    [("limit", 200, 1, 200), ("offset", 0, 0, 2147483647)],
)
def test_paging_ranges_fall_back_to_the_default(
    name: str, default: int, minimum: int, maximum: int
) -> None:
    """limit/offset keep the documented range but accept any integer (default is used)."""
    schema = _param("list_jobs", name)["schema"]
    viable, fallback = schema["anyOf"]
    assert schema["default"] == default
    assert schema["x-out-of-range"] == "default"
    assert (viable["minimum"], viable["maximum"], viable["format"]) == (minimum, maximum, "int32")
    assert fallback == {"type": "integer", "description": fallback["description"]}


def test_tags_query_is_repeated_form_style() -> None:
    """tags=a&tags=b: form style, exploded."""
    param = _param("list_jobs", "tags")
    assert (param["style"], param["explode"]) == ("form", True)


def test_rate_limit_answer_has_retry_after() -> None:
    """429 on create is documented with a required Retry-After header."""
    response = resolve(_op("create_job")["responses"]["429"])
    assert resolve(response["headers"]["Retry-After"])["required"] is True


def test_create_links_to_every_per_job_operation() -> None:
    """OpenAPI links from create_job to each {id} operation, fed by $response.body#/id."""
    links = _op("create_job")["responses"]["200"]["links"]
    per_job = {op["operationId"] for _, path, op in operations() if "{id}" in path}
    assert {link["operationId"] for link in links.values()} == per_job
    assert all(link["parameters"] == {"id": "$response.body#/id"} for link in links.values())


def test_cancel_delete_and_tags_answer_204_without_body() -> None:
    """The 204 answers have no content."""
    for operation_id in ("cancel_job", "delete_job", "replace_job_tags"):
        assert "content" not in _op(operation_id)["responses"]["204"]


@pytest.mark.parametrize(
    ("version", "accepted"),
    [
        ("2026-03-15", True),
        ("2026-04-15", True),
        ("2030-01-31", True),
        ("2026-03-14", False),
        ("2025-12-31", False),
        ("0000-00-00", False),
        ("2026-13-01", False),
        ("2026-3-15", False),
    ],
)
def test_api_version_header_accepts_dates_from_the_current_version_on(
    version: str, accepted: bool
) -> None:
    """IBM-API-Version: well-formed dates from 2026-03-15 on; nothing else."""
    schema = spec()["components"]["parameters"]["IBMAPIVersion"]["schema"]
    assert (not list(validator(schema).iter_errors(version))) is accepted
