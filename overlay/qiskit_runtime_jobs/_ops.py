"""The nine operations as data: which generated function to call, with what, and how to read
the answer. Sync and async clients run the same `Call` (`sync_detailed` or
`asyncio_detailed`), so validation and argument mapping are written once, here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, Literal, TypeAlias, TypedDict, TypeVar

import httpx

from qiskit_runtime_jobs_generated import Client as GeneratedClient
from qiskit_runtime_jobs_generated.api.jobs import (
    cancel_job as cancel_job_api,
    create_job as create_job_api,
    delete_job as delete_job_api,
    get_job as get_job_api,
    get_job_logs as get_job_logs_api,
    get_job_metrics as get_job_metrics_api,
    get_job_results as get_job_results_api,
    list_jobs as list_jobs_api,
    replace_job_tags as replace_job_tags_api,
)
from qiskit_runtime_jobs_generated.models import (
    CreateJobRequest,
    CreateJobResponse,
    ExecutorV01QuantumProgramResultModel,
    ExecutorV02QuantumProgramResultModel,
    JobMetrics,
    JobResponse,
    JobsResponse,
    NoiseLearnerV3V01ResultsModel,
    NoiseLearnerV3V02ResultsModel,
    ReplaceJobTagsRequest,
    SortOrder,
)
from qiskit_runtime_jobs_generated.types import Response

from ._errors import APIError, NotFoundError, ValidationError
from ._settings import Settings
from ._transport import attempts
from ._validation import (
    check_bool,
    check_job_id,
    check_offset,
    check_page_size,
    check_tags,
    check_url_text,
)

__all__ = ["Call", "CreateOptions", "JobFilters", "JobResult", "WaitOptions"]

T = TypeVar("T")
M = TypeVar("M")


class JobFilters(TypedDict, total=False):
    """Filters of `list_jobs`/`iter_jobs` (all optional)."""

    pending: bool
    program: str
    backend: str
    created_after: dt.datetime
    created_before: dt.datetime
    sort: Literal["ASC", "DESC"]
    tags: Sequence[str]
    session_id: str
    exclude_params: bool


class CreateOptions(TypedDict, total=False):
    """Optional fields of `create_job` (see the spec's `CreateJobRequest`)."""

    backend: str
    params: Mapping[str, Any]
    tags: Sequence[str]
    log_level: Literal["critical", "error", "warning", "info", "debug"]
    cost: int
    runtime: str
    session_id: str
    calibration_id: str
    private: bool
    remote_storage: Mapping[str, Any]
    idempotency_key: str


class WaitOptions(TypedDict, total=False):
    """Options of `wait()` besides `timeout`; see `_wait.wait_for_job`."""

    poll_interval: float
    """Seconds before the second poll (the first is immediate); default 1."""
    max_poll_interval: float
    """The longest gap between polls; default 30."""
    factor: float
    """Each gap grows by this factor up to the cap; default 1.5."""
    raise_on_failure: bool
    """Raise JobFailedError/JobCancelledError (default) instead of returning the job."""
    on_progress: Callable[[JobResponse], None]
    """Called with every polled job, the last one included."""
    cancel_on_timeout: bool
    """Cancel the job when the wait times out (default False)."""


@dataclass(frozen=True)
class Call(Generic[T]):
    """One generated operation, its arguments, and the reader of its answer."""

    sync: Callable[..., Response[Any]]
    asyncio: Callable[..., Awaitable[Response[Any]]]
    kwargs: dict[str, Any]
    parse: Callable[[Response[Any]], T]


def _model(cls: type[M]) -> Callable[[Response[Any]], M]:
    def parse(response: Response[Any]) -> M:
        if isinstance(response.parsed, cls):
            return response.parsed
        raise APIError(f"the service answered {int(response.status_code)} without a {cls.__name__}")

    return parse


def _nothing(response: Response[Any]) -> None:
    del response


def _text(response: Response[Any]) -> str:
    return response.parsed if isinstance(response.parsed, str) else response.content.decode()


def _optional(response: Response[Any]) -> Any:
    """The parsed result, or None for 204 (no result available)."""
    return None if int(response.status_code) == 204 else response.parsed


def _per_job(settings: Settings, job_id: str) -> dict[str, Any]:
    return {"id": check_job_id(job_id), **settings.operation_headers}


def _call(api: ModuleType, kwargs: dict[str, Any], parse: Callable[[Response[Any]], T]) -> Call[T]:
    """A `Call` of the generated module `api` (its `sync_detailed`/`asyncio_detailed`)."""
    return Call(api.sync_detailed, api.asyncio_detailed, kwargs, parse)


def create_job(settings: Settings, body: CreateJobRequest) -> Call[CreateJobResponse]:
    kwargs = {"body": body, **settings.operation_headers}
    return _call(create_job_api, kwargs, _model(CreateJobResponse))


def list_jobs(
    settings: Settings, *, limit: int, offset: int, filters: JobFilters
) -> Call[JobsResponse]:
    kwargs: dict[str, Any] = {
        "limit": check_page_size(limit),
        "offset": check_offset(offset),
        **settings.operation_headers,
    }
    for name, value in filters.items():
        if name not in JobFilters.__optional_keys__:
            raise ValidationError(name, "is not a list_jobs filter", value)
        if name == "sort":
            if value not in ("ASC", "DESC"):
                raise ValidationError("sort", "must be ASC or DESC", value)
            value = SortOrder(value)
        elif name == "tags":
            value = check_tags(value)
        elif name in ("created_after", "created_before"):
            if not isinstance(value, dt.datetime):
                raise ValidationError(name, "must be a datetime", value)
        elif name in ("pending", "exclude_params"):
            value = check_bool(value, name)
        else:  # program, backend, session_id: free text in the query string
            value = check_url_text(value, name)
        kwargs[name] = value
    return _call(list_jobs_api, kwargs, _model(JobsResponse))


def get_job(settings: Settings, job_id: str, *, exclude_params: bool) -> Call[JobResponse]:
    kwargs = {**_per_job(settings, job_id), "exclude_params": exclude_params}
    return _call(get_job_api, kwargs, _model(JobResponse))


def delete_job(settings: Settings, job_id: str) -> Call[None]:
    return _call(delete_job_api, _per_job(settings, job_id), _nothing)


def deleted_by_earlier_attempt(error: NotFoundError) -> bool:
    """A 404 to a DELETE the transport had to resend: an earlier attempt deleted the job."""
    return attempts(error.response) > 1


def cancel_job(settings: Settings, job_id: str) -> Call[None]:
    return _call(cancel_job_api, _per_job(settings, job_id), _nothing)


def get_job_logs(settings: Settings, job_id: str) -> Call[str]:
    return _call(get_job_logs_api, _per_job(settings, job_id), _text)


def get_job_metrics(settings: Settings, job_id: str) -> Call[JobMetrics]:
    return _call(get_job_metrics_api, _per_job(settings, job_id), _model(JobMetrics))


def get_job_results(settings: Settings, job_id: str) -> Call[Any]:
    """The results call through the generated parser (None for 204); `results()` uses
    `results_request` instead, to keep the raw body for the read-once cache."""
    return _call(get_job_results_api, _per_job(settings, job_id), _optional)


JobResult: TypeAlias = (
    ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | str
    | Any
)
"""What `results()` returns: a generated result model, the legacy string, or raw JSON."""


def results_request(settings: Settings, job_id: str) -> dict[str, Any]:
    """The generated request for `GET /jobs/{id}/results` (method, URL, headers), to send
    without the generated parse: the body is kept raw for the cache and the fast decoder."""
    kwargs: dict[str, Any] = get_job_results_api._get_kwargs(**_per_job(settings, job_id))
    return kwargs


def parse_results(client: GeneratedClient, body: bytes) -> JobResult:
    """A kept results body, parsed by the generated parser (models tried in spec order)."""
    response = httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    try:
        return get_job_results_api._parse_response(client=client, response=response)
    except ValueError:  # not JSON at all: hand back the text
        return body.decode(errors="replace")


def replace_job_tags(settings: Settings, job_id: str, tags: Sequence[str]) -> Call[None]:
    kwargs = {**_per_job(settings, job_id), "body": ReplaceJobTagsRequest(tags=check_tags(tags))}
    return _call(replace_job_tags_api, kwargs, _nothing)
