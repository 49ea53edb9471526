"""The exception tree. Every error this package raises is a `QiskitRuntimeError`.

    QiskitRuntimeError
    ├── ValidationError            bad input, caught before any network call
    ├── ConfigurationError         missing/contradictory settings, unknown region
    ├── APIError                   the service could not be reached or answered an error
    │   ├── APIConnectionError     no usable answer (connection refused, dropped, truncated)
    │   │   ├── APITimeoutError    the request timed out
    │   │   └── ResultLostError    a private result was cut off in transit: may be gone for good
    │   └── APIStatusError         an HTTP error status; carries status_code, body, request id
    │       ├── BadRequestError          400
    │       ├── AuthenticationError      401
    │       ├── PermissionDeniedError    403
    │       ├── NotFoundError            404
    │       ├── ConflictError            409
    │       ├── RateLimitError           429 (retry_after)
    │       └── InternalServerError      5xx
    ├── IAMError                   the API key could not be exchanged for a token (IAM)
    ├── JobError                   a job ended in a way the caller asked to treat as an error
    │   ├── JobFailedError
    │   └── JobCancelledError
    ├── WaitTimeoutError           wait() gave up before the job reached a terminal status
    ├── ResultAlreadyConsumedError a private job's result was read before and is gone
    ├── ResultNotReadyError        results() on a job that is still Queued or Running
    └── InvariantError             one of the client's own invariants broke: a bug here

Messages never contain tokens or API keys.
"""

from __future__ import annotations

from typing import Any

import httpx

from ._retry import parse_retry_after


class QiskitRuntimeError(Exception):
    """Root of every error raised by qiskit_runtime_jobs."""


class ValidationError(QiskitRuntimeError, ValueError):
    """Input breaks a rule of the spec; raised before anything is sent."""

    def __init__(self, field: str, rule: str, value: Any = None) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        super().__init__(f"{field}: {rule}")


class ConfigurationError(QiskitRuntimeError, ValueError):
    """The client's settings are missing or contradict each other."""


class APIError(QiskitRuntimeError):
    """The service could not be reached, or answered with an error."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        self.request = request
        super().__init__(message)


class APIConnectionError(APIError):
    """No usable answer: the connection failed, was dropped, or the body was cut short."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class ResultLostError(APIConnectionError):
    """A private result's read failed after the request may have reached the service.

    The service deletes a private result as it hands it out, so the result may be gone for
    good: no copy could be kept. Not the same as `ResultAlreadyConsumedError` (read elsewhere).
    """

    def __init__(self, job_id: str, *, request: httpx.Request | None = None) -> None:
        self.job_id = job_id
        super().__init__(
            f"the read of private job {job_id}'s result failed after the request may have "
            "reached the service (connection dropped, body cut short, or timed out); the "
            "service deletes a private result once it sends it, so it may be gone for good",
            request=request,
        )


class APIStatusError(APIError):
    """The service answered an HTTP error status (`status_code`, `body`, `request_id`)."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any = None,
    ) -> None:
        self.response = response
        self.status_code: int = response.status_code
        self.body = body
        self.request_id = response.headers.get("x-request-id")
        super().__init__(message, request=response.request)


class BadRequestError(APIStatusError):
    """400: the request breaks a rule of the service."""


class AuthenticationError(APIStatusError):
    """401: the token is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the token may not use this instance or job."""


class NotFoundError(APIStatusError):
    """404: no such job (or not visible to this token)."""


class ConflictError(APIStatusError):
    """409: the job is not in a state that allows this."""


class RateLimitError(APIStatusError):
    """429: too many requests."""

    @property
    def retry_after(self) -> float | None:
        """Seconds the service asked us to wait (Retry-After), if it said."""
        return parse_retry_after(self.response.headers.get("retry-after"))


class InternalServerError(APIStatusError):
    """Any 5xx answer."""


class IAMError(QiskitRuntimeError):
    """The IAM token endpoint refused the API key or could not be reached (no token, so no
    request was sent; not the service's 401, which is `AuthenticationError`)."""


class JobError(QiskitRuntimeError):
    """A job ended in a status the caller asked to treat as an error."""

    def __init__(self, job_id: str, status: str, reason: str | None = None) -> None:
        self.job_id = job_id
        self.status = status
        self.reason = reason
        detail = f": {reason}" if reason else ""
        super().__init__(f"job {job_id} ended {status}{detail}")


class JobFailedError(JobError):
    """The job ended Failed."""


class JobCancelledError(JobError):
    """The job ended Cancelled (or Cancelled - Ran too long)."""


class WaitTimeoutError(QiskitRuntimeError, TimeoutError):
    """wait() reached its timeout before the job reached a terminal status."""

    def __init__(self, job_id: str, timeout: float, last_status: str | None) -> None:
        self.job_id = job_id
        self.timeout = timeout
        self.last_status = last_status
        super().__init__(f"job {job_id} still {last_status} after {timeout:g}s")


class ResultAlreadyConsumedError(QiskitRuntimeError):
    """A private job's result was read once already and is no longer on the service."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(
            f"the result of private job {job_id} was already read and deleted by the "
            "service, and this client holds no cached copy (pass cache_dir= to keep one)"
        )


class ResultNotReadyError(QiskitRuntimeError):
    """results() was asked for a job that has not finished (call wait() first)."""

    def __init__(self, job_id: str, status: str) -> None:
        self.job_id = job_id
        self.status = status
        super().__init__(f"job {job_id} is {status}: it has no result yet (wait() for it first)")


class InvariantError(QiskitRuntimeError, RuntimeError):
    """One of the client's own invariants broke: a bug in qiskit_runtime_jobs, never something
    the service or the caller did (please report it). Checked explicitly, not by `assert`, so
    it holds under `python -O` too."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def status_error(response: httpx.Response, body: Any = None) -> APIStatusError:
    """The typed error for an HTTP error answer (the one place status maps to class)."""
    cls = _BY_STATUS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    message = _message(body) or response.reason_phrase or "error"
    text = f"{response.status_code} {message}"
    request_id = response.headers.get("x-request-id")
    if request_id:
        text += f" (request id {request_id})"
    return cls(text, response=response, body=body)


def _message(body: Any) -> str | None:
    """The service's first error message, from the IBM Cloud error shape."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message")
            return str(message) if message is not None else None
    return None
