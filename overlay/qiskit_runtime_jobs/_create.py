"""Duplicate-free job creation.

`POST /jobs` is not idempotent, so it is never retried blindly. Each create carries a
client-generated tag, `qrj-idempotency-<key>` (`<key>`: 32 hex digits, or the caller's
`idempotency_key`), which counts toward the service's 8-tag limit. After an ambiguous failure
(connection dropped or timed out, 408, 429 or 5xx: the job may or may not exist) the client
waits the backoff (or `Retry-After`), lists jobs by that tag, and returns the job it finds;
only when none is found does it send the create again. Definite refusals (400, 401, 403,
404, 409, 413) are raised at once. When the caller's tags already fill all 8 places, no tag
is attached and an ambiguous failure is raised instead of retried.

A caller's `idempotency_key` means what it says (as Stripe's does): the create first looks
the tag up and returns the job that already carries it, and posts only when there is none.
The clients hold a lock on the key meanwhile (threads, tasks and processes of one machine;
see `_locks`), so two calls with one key never both find nothing and both post. That costs
one `GET /jobs` per keyed create, plus a lock file.

Residual risk, documented: a request the service is still processing when the lookup runs
(a slow create the client timed out on, or a keyed create from another machine) is not
seen by the lookup; the wait before the lookup makes this unlikely, not impossible.

The protocol's decisions are pure functions here (`plan_create`, `retry_wait`, `found`);
the two clients' `create_job` are short loops that do the I/O between them. A job found by
its tag has no create answer: `with_raw_response.create_job` then returns a
`RecoveredResponse` holding the lookup's answer as such, never the lookup passed off as the
create's.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from typing import Any, Final

import httpx

from qiskit_runtime_jobs_generated.models import (
    CreateJobRequest,
    CreateJobResponse,
    JobResponse,
    JobsResponse,
)
from qiskit_runtime_jobs_generated.types import Response

from . import _constants as c
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    InvariantError,
    ValidationError,
)
from ._ops import Call, CreateOptions, RecoveredResponse, list_jobs
from ._retry import RetryPolicy, retry_delay
from ._settings import Settings
from ._spec_facts import MAX_TAG_LENGTH, MAX_TAGS
from ._validation import (
    check_bool,
    check_cost,
    check_json_object,
    check_log_level,
    check_runtime,
    check_tags,
    check_text,
)

logger = logging.getLogger(c.LOGGER_NAME)

_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_MAX_KEY = MAX_TAG_LENGTH - len(c.IDEMPOTENCY_TAG_PREFIX)


_CHECKS: Final[dict[str, Callable[[Any], Any]]] = {
    "backend": partial(check_text, field="backend"),
    "params": partial(check_json_object, field="params"),
    "tags": check_tags,
    "log_level": check_log_level,
    "cost": check_cost,
    "runtime": check_runtime,
    "session_id": partial(check_text, field="session_id"),
    "calibration_id": partial(check_text, field="calibration_id"),
    "private": partial(check_bool, field="private"),
    "remote_storage": partial(check_json_object, field="remote_storage"),
}
"""The check of every `CreateOptions` field but `idempotency_key` (a test pins the keys)."""


@dataclass(frozen=True)
class CreatePlan:
    """The validated request body, the idempotency tag it carries (None: no room), and the
    caller's idempotency key (None: a random one, nothing to look up first)."""

    body: CreateJobRequest
    tag: str | None
    key: str | None


def idempotency_tag(key: str | None) -> str:
    """`qrj-idempotency-<key>`; a fresh random key when none is given."""
    if key is None:
        key = uuid.uuid4().hex
    if not isinstance(key, str) or not _KEY_RE.fullmatch(key) or len(key) > _MAX_KEY:
        raise ValidationError("idempotency_key", f"must match ^[A-Za-z0-9_-]{{1,{_MAX_KEY}}}$")
    return c.IDEMPOTENCY_TAG_PREFIX + key


def plan_create(program_id: str, options: CreateOptions) -> CreatePlan:
    """Validate everything before the network and attach the idempotency tag if there is room."""
    if not check_text(program_id, "program_id") or "\n" in program_id:
        raise ValidationError("program_id", "must be a non-empty single-line string", program_id)
    body: dict[str, Any] = {"program_id": program_id}
    for name, value in options.items():
        if name not in CreateOptions.__optional_keys__:
            raise ValidationError(name, "is not a create_job option", value)
        if name != "idempotency_key":
            body[name] = _CHECKS[name](value)
    tags: list[str] = body.pop("tags", [])
    key = options.get("idempotency_key")
    tag: str | None = None
    if len(tags) < MAX_TAGS:
        tag = idempotency_tag(key)
        tags.append(tag)
    elif key is not None:
        raise ValidationError(
            "tags", f"idempotency_key needs one of the {MAX_TAGS} tag places free"
        )
    if tags:
        body["tags"] = tags
    return CreatePlan(CreateJobRequest.from_dict(body), tag, key)


def _ambiguous(error: APIError) -> bool:
    """Whether the job may exist after this failure."""
    if isinstance(error, APIStatusError):
        return error.status_code in (408, 429) or error.status_code >= 500
    return isinstance(error, APIConnectionError)


def retry_wait(
    failure: APIError,
    attempt: int,
    plan: CreatePlan,
    policy: RetryPolicy,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before looking the tag up after failed attempt number `attempt`.

    Raises `failure` (with a note saying why) when the create must not be retried: a
    definite refusal, no tag to look up, or the retries used up.
    """
    if not _ambiguous(failure):
        raise failure
    if plan.tag is None:
        failure.add_note("not retried: no idempotency tag could be attached (8 tags in use)")
        raise failure
    retry_after = (
        failure.response.headers.get("retry-after") if isinstance(failure, APIStatusError) else None
    )
    delay = retry_delay(attempt, policy, retry_after, rand=rand)
    if delay is None:
        failure.add_note(f"not retried further; the job may exist with tag {plan.tag}")
        raise failure
    logger.warning("create_job failed ambiguously (%s); checking tag %s", failure, plan.tag)
    return delay


@contextlib.contextmanager
def lookup_after(failure: APIError, tag: str | None) -> Iterator[None]:
    """Around the lookup after an ambiguous failure: its own failure says the job may exist."""
    try:
        yield
    except APIError as error:
        error.add_note(f"create_job failed ambiguously before; the job may exist with tag {tag}")
        raise error from failure


def lookup(settings: Settings, plan: CreatePlan) -> Call[JobsResponse]:
    """The `list_jobs` call that finds the job carrying the plan's tag (oldest first).

    Only a plan with a tag is looked up: a keyed plan always has one (`plan_create`), and
    `retry_wait` raises the failure of a plan without one instead of retrying it.
    """
    if plan.tag is None:
        raise InvariantError("a create without an idempotency tag cannot be looked up")
    return list_jobs(settings, limit=1, offset=0, filters={"tags": [plan.tag], "sort": "ASC"})


def found(
    page: Response[JobsResponse], plan: CreatePlan, failure: APIError | None = None
) -> RecoveredResponse[CreateJobResponse] | None:
    """The create's outcome when the lookup `page` found its job (None: not found): a
    `RecoveredResponse` (see there) with the lookup as `learned_from`, and `failure`, the
    ambiguous failure before it (None for a keyed create's lookup before posting)."""
    if page.parsed is None or not page.parsed.jobs:
        return None
    job = page.parsed.jobs[0]
    logger.info("job %s already carries its idempotency tag; not creating another", job.id)
    return RecoveredResponse(
        HTTPStatus.OK,
        b"",
        httpx.Headers(),
        _created(job, plan),
        learned_from=page,
        failure=failure,
    )


def _created(job: JobResponse, plan: CreatePlan) -> CreateJobResponse:
    """The `CreateJobResponse` of a job found by its tag, from what the service lists.

    Its `backend` (required there, optional in a listing) is the listed one, else the one the
    create asked for (the service runs a job where it is told to); never made up: with
    neither, `APIError`, naming the job, which exists.
    """
    backend = job.backend if isinstance(job.backend, str) else plan.body.backend
    if not isinstance(backend, str):
        error = APIError(
            f"job {job.id} carries this create's idempotency tag {plan.tag}, but the service "
            "lists it without a backend, and the create named none"
        )
        error.add_note(f"the job exists: do not create it again (get_job({job.id!r}) reads it)")
        raise error
    return CreateJobResponse(
        id=job.id,
        backend=backend,
        session_id=job.session_id,
        private=job.private,
        calibration_id=job.calibration_id,
    )
