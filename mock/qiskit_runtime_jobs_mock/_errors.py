"""The one error shape every 4xx/5xx answer uses, and the exception that carries it."""

from __future__ import annotations

import json
from typing import Literal

from starlette.responses import Response

TargetType = Literal["field", "parameter", "header"]

DOCS_URL = "https://quantum.cloud.ibm.com/docs/api/qiskit-runtime-rest/tags/jobs"


class ApiError(Exception):
    """Raised anywhere in a handler; rendered as the JSON error body by the app."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        target: tuple[TargetType, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.target = target
        self.headers = headers or {}

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with every field (errors raised in a worker process come back whole)."""
        return (_api_error, (self.status_code, self.code, self.message, self.target, self.headers))


def _api_error(
    status_code: int,
    code: str,
    message: str,
    target: tuple[TargetType, str] | None,
    headers: dict[str, str],
) -> ApiError:
    return ApiError(status_code, code, message, target=target, headers=headers)


def field_error(name: str, message: str, *, code: str = "invalid_field") -> ApiError:
    """A 400 naming a body field."""
    return ApiError(400, code, message, target=("field", name))


def parameter_error(name: str, message: str) -> ApiError:
    """A 400 naming a query or path parameter."""
    return ApiError(400, "invalid_parameter", message, target=("parameter", name))


def error_body(error: ApiError, trace: str) -> bytes:
    """Serialize ``error`` in the documented envelope (``errors``, ``trace``, ``status_code``)."""
    item: dict[str, object] = {"code": error.code, "message": error.message, "more_info": DOCS_URL}
    if error.target is not None:
        item["target"] = {"type": error.target[0], "name": error.target[1]}
    body = {"errors": [item], "trace": trace, "status_code": error.status_code}
    return json.dumps(body, separators=(",", ":")).encode()


def error_response(error: ApiError, trace: str) -> Response:
    """Render ``error`` as a JSON response carrying the request id."""
    headers = {**error.headers, "X-Request-ID": trace}
    return Response(
        error_body(error, trace),
        status_code=error.status_code,
        headers=headers,
        media_type="application/json",
    )
