"""The operations as data: which generated function to call, with what, and how to read the
answer. One builder per operation, named by its operationId; validation and argument mapping
are written once, here. The async client awaits `call.api.asyncio_detailed`, the sync one
(generated from it) calls `call.api.sync_detailed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, Literal, TypedDict, TypeVar

from attrs import define

from qiskit_runtime_jobs_generated.api.jobs import (  # the generated modules, one per operation
    cancel_job as gen_cancel_job,
    create_job as gen_create_job,
    delete_job as gen_delete_job,
    get_job as gen_get_job,
    get_job_logs as gen_get_job_logs,
    get_job_metrics as gen_get_job_metrics,
    get_job_results as gen_get_job_results,
    list_jobs as gen_list_jobs,
    replace_job_tags as gen_replace_job_tags,
)
from qiskit_runtime_jobs_generated.models import (
    CreateJobRequest,
    CreateJobResponse,
    JobMetrics,
    JobResponse,
    JobsResponse,
    ReplaceJobTagsRequest,
    SortOrder,
)
from qiskit_runtime_jobs_generated.types import UNSET, Response, Unset

from ._errors import APIError, ValidationError
from ._json import loads
from ._settings import Settings
from ._spec_facts import RESULT_MODELS, JobResult
from ._validation import (
    check_bool,
    check_job_id,
    check_offset,
    check_page_size,
    check_tags,
    check_url_text,
)

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


@dataclass(frozen=True)
class Call(Generic[T]):
    """One generated operation (`api` module), its arguments, and the reader of its answer."""

    api: ModuleType
    kwargs: dict[str, Any]
    parse: Callable[[Response[Any]], T]

    def typed(self, response: Response[Any]) -> Response[T]:
        """`response` with `parsed` read by this call (for `with_raw_response`)."""
        return Response(
            response.status_code, response.content, response.headers, self.parse(response)
        )


@define
class RecoveredResponse(Response[T]):
    """A raw response (`with_raw_response`) for an operation whose own answer never arrived:
    the client learned the outcome from another answer, and says so.

    - `status_code` is the outcome, the status the operation answers when it succeeds (what
      the plain method reports): 200 for a create, 204 for a delete.
    - `content` and `headers` are empty: no answer of the service to this request arrived,
      and none is made up.
    - `parsed` is what the plain method returns (`None` for a delete).
    - `learned_from` is the answer the outcome was learned from, exactly as received (its
      status, headers with `x-request-id`, body and parsed model).
    - `failure` is the ambiguous failure that lost the operation's own answer, when one was
      seen (else None).

    Two cases make one:
    - `create_job` whose job was found by its idempotency tag: after an ambiguous failure
      of the `POST /jobs` (`failure`: that error), or, with `idempotency_key=`, before any
      `POST` (`failure` None). `learned_from` is the `GET /jobs` lookup (a `JobsResponse`
      whose first job is the one created); `parsed` is the `CreateJobResponse` read from it.
    - `delete_job` whose `DELETE` the retrying transport had to send again, and whose resend
      got 404: an earlier attempt deleted the job (`learned_from`: that 404; `failure` None,
      the transport absorbed the earlier attempt's failure).
    """

    learned_from: Response[Any]
    failure: APIError | None = None


def _model(cls: type[M]) -> Callable[[Response[Any]], M]:
    def parse(response: Response[Any]) -> M:
        if isinstance(response.parsed, cls):
            return response.parsed
        raise APIError(f"the service answered {int(response.status_code)} without a {cls.__name__}")

    return parse


# Made once, not per call: every request of the client builds one of these calls.
_CREATED = _model(CreateJobResponse)
_PAGE = _model(JobsResponse)
_JOB = _model(JobResponse)
_METRICS = _model(JobMetrics)


def _nothing(response: Response[Any]) -> None:
    del response


def _text(response: Response[Any]) -> str:
    return response.parsed if isinstance(response.parsed, str) else response.content.decode()


def parse_result(body: bytes) -> JobResult:
    """A results body, read with the generated models' public `from_dict`."""
    try:
        data = loads(body)
    except ValueError:  # not JSON at all: the legacy plain-text result
        return body.decode(errors="replace")
    if isinstance(data, str):
        return data
    if not isinstance(data, dict):
        raise APIError(f"the service answered a result that is a JSON {type(data).__name__}")
    for model in RESULT_MODELS:
        try:
            return model.from_dict(data)
        except (TypeError, ValueError, AttributeError, KeyError):
            continue
    return data


def _unless_default(value: T, default: T) -> T | Unset:
    """`value`, or UNSET (left out of the query) where it is the spec's default: the same
    answer, and a shorter URL, which httpx takes measurably less time to build and check."""
    return UNSET if value == default else value


def _per_job(settings: Settings, job_id: str) -> dict[str, Any]:
    return {"id": check_job_id(job_id), **settings.operation_headers}


def create_job(settings: Settings, body: CreateJobRequest) -> Call[CreateJobResponse]:
    return Call(gen_create_job, {"body": body, **settings.operation_headers}, _CREATED)


def list_jobs(
    settings: Settings, *, limit: int, offset: int, filters: JobFilters
) -> Call[JobsResponse]:
    kwargs: dict[str, Any] = {
        "limit": check_page_size(limit),
        "offset": _unless_default(check_offset(offset), 0),
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
    return Call(gen_list_jobs, kwargs, _PAGE)


def get_job(settings: Settings, job_id: str, *, exclude_params: bool) -> Call[JobResponse]:
    kwargs = {
        **_per_job(settings, job_id),
        "exclude_params": _unless_default(check_bool(exclude_params, "exclude_params"), False),
    }
    return Call(gen_get_job, kwargs, _JOB)


def delete_job(settings: Settings, job_id: str) -> Call[None]:
    return Call(gen_delete_job, _per_job(settings, job_id), _nothing)


def cancel_job(settings: Settings, job_id: str) -> Call[None]:
    return Call(gen_cancel_job, _per_job(settings, job_id), _nothing)


def get_job_logs(settings: Settings, job_id: str) -> Call[str]:
    return Call(gen_get_job_logs, _per_job(settings, job_id), _text)


def get_job_metrics(settings: Settings, job_id: str) -> Call[JobMetrics]:
    return Call(gen_get_job_metrics, _per_job(settings, job_id), _METRICS)


def get_job_results(settings: Settings, job_id: str) -> Call[bytes | None]:
    """The raw results body (None for 204: no result to read), kept before it is parsed."""
    return Call(
        gen_get_job_results,
        _per_job(settings, job_id),
        lambda response: None if int(response.status_code) == 204 else response.content,
    )


def replace_job_tags(settings: Settings, job_id: str, tags: Sequence[str]) -> Call[None]:
    kwargs = {**_per_job(settings, job_id), "body": ReplaceJobTagsRequest(tags=check_tags(tags))}
    return Call(gen_replace_job_tags, kwargs, _nothing)
