"""Validate HTTP responses against openapi/qiskit-runtime-jobs.yaml, using schemathesis' checks.

``validate_response`` resolves the operation from the request's method and path and runs
schemathesis' status-code, content-type, header and body-schema conformance checks on the
response. Hook it into a client (``validating_hook`` for httpx, ``requests_hook`` for requests)
so every response a test sees is checked, not only the ones a test asserts on.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.schemas import BaseSchema

from tests.spec._spec import SPEC_PATH, component, validator

API_PREFIX = "/api/v1"
# The mock marks responses of injected faults: they are off-spec on purpose (e.g. a 503 on an
# operation that documents none), so only the error envelope is checked for them.
FAULT_HEADER = "x-mock-fault"
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@cache
def _schema() -> BaseSchema:
    # An explicit empty config: the project's schemathesis.toml is for the contract suite.
    return schemathesis.openapi.from_path(SPEC_PATH, config=SchemathesisConfig())


def _check_error_envelope(status: int, headers: Any, body: Any) -> None:
    validator(component("ErrorResponse")).validate(body)
    assert body["status_code"] == status
    assert body["trace"] == headers["x-request-id"]


def _with_replayable_request(response: httpx.Response) -> httpx.Response:
    """schemathesis records the request body; a streamed (chunked) one cannot be re-read."""
    try:
        response.request.content  # noqa: B018
    except httpx.RequestNotRead:
        request = httpx.Request(
            response.request.method, response.request.url, headers=response.request.headers
        )
        copy = httpx.Response(
            response.status_code,
            headers=response.headers,
            content=response.content,
            request=request,
        )
        copy.elapsed = response.elapsed
        return copy
    return response


def validate_response(response: Any) -> None:
    """Check one read response (httpx or requests) against the spec; raise if it breaks it."""
    if isinstance(response, httpx.Response):
        response = _with_replayable_request(response)
    request = response.request
    path = urlsplit(str(request.url)).path
    assert response.headers.get("x-request-id"), "every response carries X-Request-ID"
    if not path.startswith(API_PREFIX + "/"):
        return  # the IAM token endpoint is not part of the Jobs spec
    operation = _schema().find_operation_by_path(request.method, path[len(API_PREFIX) :])
    if operation is None or response.headers.get(FAULT_HEADER):
        assert response.status_code >= 400, f"{request.method} {path} is not in the spec"
        _check_error_envelope(response.status_code, response.headers, response.json())
        return
    template = operation.path.strip("/").split("/")
    actual = path[len(API_PREFIX) :].strip("/").split("/")
    path_parameters = {
        name[1:-1]: value for name, value in zip(template, actual, strict=True) if name[:1] == "{"
    }
    operation.Case(path_parameters=path_parameters).validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        _check_error_envelope(response.status_code, response.headers, response.json())


def validating_hook(response: httpx.Response) -> None:
    """httpx ``event_hooks={"response": [validating_hook]}`` for sync clients."""
    response.read()
    validate_response(response)


async def async_validating_hook(response: httpx.Response) -> None:
    """The same for ``httpx.AsyncClient``."""
    await response.aread()
    validate_response(response)


def requests_hook(response: Any, *args: Any, **kwargs: Any) -> Any:
    """``requests`` response hook (``session.hooks["response"].append(requests_hook)``)."""
    validate_response(response)
    return response
