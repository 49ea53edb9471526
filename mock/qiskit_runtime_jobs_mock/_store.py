"""In-memory jobs and their lifecycle, safe under concurrent clients.

A job's state is not advanced by a background task: it is computed from the clock on every read
(``Queued`` until ``created + queued``, ``Running`` until the planned end, then terminal), so a
virtual clock moves every job at once and nothing races. Only cancel, delete, tag changes and
private-result reads mutate a job, each under the store's lock.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ._clock import isoformat
from ._config import MockConfig
from ._errors import ApiError, field_error
from ._results import ResultPlan, plan_result
from ._spec_facts import PENDING_STATUSES as PENDING, TERMINAL_STATUSES as TERMINAL
from ._validation import CreateRequest, ListQuery, validate_create

Outcome = Literal["completed", "failed", "ran_too_long"]
OUTCOMES: tuple[Outcome, ...] = ("completed", "failed", "ran_too_long")
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuv"  # xid-style base32hex, as the service's ids
RATE_WINDOW_SECONDS = 60.0
# A job's own timings are capped so that every instant it reaches still formats as a date.
MAX_MOCK_SECONDS = 1e9

# Reasons as the spec's examples show them (reason_code is in the documented 1000..9999 range).
FAILED_REASON_CODE = 1517
RAN_TOO_LONG_REASON_CODE = 1305
_REASONS: Mapping[str, tuple[str, int | None, str | None]] = {
    "Failed": (
        "Error in transpilation process.",
        FAILED_REASON_CODE,
        "Check that the circuits match the backend's instruction set.",
    ),
    "Cancelled - Ran too long": (
        "Ran too long",
        RAN_TOO_LONG_REASON_CODE,
        "Submit the job again with a larger 'cost' (maximum execution time), "
        "or split the work into smaller jobs.",
    ),
    "Cancelled": ("Cancelled by user", None, None),
}
_LOG_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}


@dataclass(frozen=True)
class Phase:
    """Where a job is at one instant."""

    status: str
    running_at: float | None
    finished_at: float | None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


@dataclass(kw_only=True)
class Job:
    """One job, as stored."""

    id: str
    crn: str
    user_id: str
    created: float
    request: CreateRequest
    backend: str
    caller: str | None
    outcome: Outcome
    queued_seconds: float
    running_seconds: float
    plan: ResultPlan
    # The request's free-form objects, as the JSON the answers carry (see Submission).
    params_json: bytes | None
    remote_storage_json: bytes | None
    tags: tuple[str, ...]
    cancelled_at: float | None = None
    result: bytes | None = None
    result_consumed: bool = False
    # Bumped by every change to the fields above that the job's JSON shows (tags, cancel).
    version: int = 0
    # The job's JSON (with and without params), kept while its version and phase last.
    rendered: dict[bool, tuple[int, float, float, bytes]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def _plan(self) -> tuple[float, float, str]:
        """When the job starts running and ends, and its final status (unless cancelled)."""
        start = self.created + self.queued_seconds
        cost = self.request.cost
        if self.outcome == "ran_too_long" or (cost > 0 and self.running_seconds > cost):
            end = start + (cost if cost > 0 else self.running_seconds)
            return start, end, "Cancelled - Ran too long"
        end = start + self.running_seconds
        return start, end, "Failed" if self.outcome == "failed" else "Completed"

    def phase(self, now: float) -> Phase:
        """Compute the job's status at ``now`` from its plan and any cancellation."""
        start, end, final = self._plan()
        if self.cancelled_at is not None and self.cancelled_at < end:
            running_at = start if self.cancelled_at >= start else None
            return Phase("Cancelled", running_at, self.cancelled_at)
        if now < start:
            return Phase("Queued", None, None)
        if now < end:
            return Phase("Running", start, None)
        return Phase(final, start, end)

    def span(self, now: float) -> tuple[float, float]:
        """The instants ``[from, until)`` around ``now`` at which :meth:`phase` is the same."""
        start, end, _ = self._plan()
        if self.cancelled_at is not None and self.cancelled_at < end:
            return -math.inf, math.inf
        if now < start:
            return -math.inf, start
        if now < end:
            return start, end
        return end, math.inf

    def usage(self, phase: Phase) -> dict[str, int]:
        """QPU usage: what ran between starting and finishing (zero until then)."""
        if phase.running_at is None or phase.finished_at is None:
            return {"circuits_execution_time_ns": 0, "qpu_charge_time_seconds": 0}
        ran = phase.finished_at - phase.running_at
        return {
            "circuits_execution_time_ns": int(ran * 1e8),
            "qpu_charge_time_seconds": math.ceil(ran) if ran > 0 else 0,
        }


def _mock_controls(
    params: Mapping[str, Any] | None,
) -> tuple[Outcome, float | None, float | None]:
    """The job's ``params.mock`` outcome and timings (``None``: not set by the job)."""
    mock = (params or {}).get("mock", {})
    if not isinstance(mock, dict):
        raise field_error("params.mock", "'params.mock' must be a JSON object.")
    outcome = mock.get("outcome", "completed")
    if outcome not in OUTCOMES:
        raise field_error(
            "params.mock.outcome", f"'params.mock.outcome' must be one of {', '.join(OUTCOMES)}."
        )
    timings: list[float | None] = []
    for name in ("queued_seconds", "running_seconds"):
        if name not in mock:
            timings.append(None)
            continue
        value = mock[name]
        if not _seconds(value):
            raise field_error(
                f"params.mock.{name}",
                f"'params.mock.{name}' must be a number from 0 to {MAX_MOCK_SECONDS:g}.",
            )
        timings.append(float(value))
    return outcome, timings[0], timings[1]


def _seconds(value: Any) -> bool:
    """A JSON number usable as a duration (big enough for any test, small enough for dates)."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return is_number and 0 <= value <= MAX_MOCK_SECONDS


@dataclass(frozen=True, kw_only=True)
class Submission:
    """A ``POST /jobs`` body, checked whole and ready to be stored (:func:`submit`).

    Everything big a body may carry is JSON text here, not Python objects: the ``params`` and
    ``remote_storage`` objects (``request`` holds neither), and the plan's passthrough data. A
    submission made in a worker process (``_intake.py``) comes back as little more than bytes,
    which costs the event loop's thread next to nothing to receive.
    """

    request: CreateRequest
    params_json: bytes | None
    remote_storage_json: bytes | None
    outcome: Outcome
    queued: float | None  # params.mock's timings (None: the job does not set them)
    running: float | None
    plan: ResultPlan


def submit(body: Any, result_bytes: int | None) -> Submission:
    """Check a parsed ``POST /jobs`` body (400s naming the field) and plan its job's result."""
    request = validate_create(body)
    outcome, queued, running = _mock_controls(request.params)
    plan = plan_result(request.program_id, request.params, result_bytes)
    return Submission(
        request=replace(request, params=None, remote_storage=None),
        params_json=None if request.params is None else dumps(request.params),
        remote_storage_json=(
            None if request.remote_storage is None else dumps(request.remote_storage)
        ),
        outcome=outcome,
        queued=queued,
        running=running,
        plan=plan,
    )


@dataclass
class _Instance:
    deleted_usage: float = 0.0
    jobs: dict[str, Job] = field(default_factory=dict)


class JobStore:
    """All jobs of all instances, with the rate and usage limits that guard creation."""

    def __init__(self, config: MockConfig) -> None:
        self._config = config
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}
        self._instances: dict[str, _Instance] = {}
        self._recent_creates: dict[str, deque[float]] = {}
        self._cycled = 0  # jobs that took their timings from config.timing_cycle

    def _new_id(self) -> str:
        while True:
            job_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(20))
            if job_id not in self._jobs:
                return job_id

    def _check_rate_limit(self, user_id: str, now: float) -> None:
        limit = self._config.rate_limit_per_minute
        if limit is None:
            return
        recent = self._recent_creates.setdefault(user_id, deque())
        while recent and recent[0] <= now - RATE_WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= limit:
            retry_after = max(1, math.ceil(recent[0] + RATE_WINDOW_SECONDS - now))
            raise ApiError(
                429,
                "rate_limit_exceeded",
                f"Too many jobs: at most {limit} jobs per minute per user. "
                f"Retry after {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
            )
        recent.append(now)

    def _check_usage_limit(self, instance: _Instance, now: float) -> None:
        limit = self._config.usage_limit_seconds
        if limit is None:
            return
        used = instance.deleted_usage
        for job in instance.jobs.values():
            used += job.usage(job.phase(now))["qpu_charge_time_seconds"]
        if used >= limit:
            raise ApiError(
                409,
                "usage_limit_exceeded",
                f"The instance has used {used:g} of its {limit:g} seconds of QPU time; "
                "no new jobs can be created.",
            )

    def _default_timings(self, queued: float | None, running: float | None) -> tuple[float, float]:
        """The config's timings, or the next ``timing_cycle`` entry for a job that sets none."""
        cycle = self._config.timing_cycle
        if not cycle or queued is not None or running is not None:
            return self._config.queued_seconds, self._config.running_seconds
        entry = cycle[self._cycled % len(cycle)]
        self._cycled += 1
        return entry

    def create(
        self, crn: str, user_id: str, submission: Submission, caller: str | None, now: float
    ) -> Job:
        """Create a job after the usage (409) and rate (429) checks."""
        request, queued, running = submission.request, submission.queued, submission.running
        with self._lock:
            instance = self._instances.setdefault(crn, _Instance())
            self._check_usage_limit(instance, now)
            self._check_rate_limit(user_id, now)
            default_queued, default_running = self._default_timings(queued, running)
            job = Job(
                id=self._new_id(),
                crn=crn,
                user_id=user_id,
                created=now,
                request=request,
                backend=request.backend or self._config.default_backend,
                caller=caller,
                outcome=submission.outcome,
                queued_seconds=default_queued if queued is None else queued,
                running_seconds=default_running if running is None else running,
                plan=submission.plan,
                params_json=submission.params_json,
                remote_storage_json=submission.remote_storage_json,
                tags=request.tags,
            )
            self._jobs[job.id] = job
            instance.jobs[job.id] = job
            return job

    def get(self, crn: str, user_id: str, job_id: str) -> Job:
        """Return the caller's job: 404 for an unknown id, and for a job of another instance
        or another user, answered alike (no one learns that someone else's job exists)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.crn != crn or job.user_id != user_id:
            raise ApiError(
                404, "job_not_found", f"Job {job_id} was not found.", target=("parameter", "id")
            )
        return job

    def list(self, crn: str, user_id: str, query: ListQuery, now: float) -> tuple[list[Job], int]:
        """The caller's jobs matching ``query``, one page of them, and the total count."""
        # An instance's dict holds its jobs in creation order, which is their order by
        # creation time (the clock never runs backwards), ties included: no sort needed.
        with self._lock:
            jobs = list(self._instances.get(crn, _Instance()).jobs.values())
        if query.descending:
            jobs.reverse()
        # One pass per filter the query sets (most set none but the user).
        matched = [job for job in jobs if job.user_id == user_id]
        if query.program is not None:
            matched = [job for job in matched if job.request.program_id == query.program]
        if query.backend is not None:
            matched = [job for job in matched if job.backend == query.backend]
        if query.session_id is not None:
            matched = [job for job in matched if job.request.session_id == query.session_id]
        if query.created_after is not None:
            matched = [job for job in matched if job.created >= query.created_after]
        if query.created_before is not None:
            matched = [job for job in matched if job.created <= query.created_before]
        if query.tags:
            wanted = set(query.tags)
            matched = [job for job in matched if wanted.issubset(job.tags)]
        if query.pending is not None:
            pending = query.pending
            matched = [job for job in matched if (job.phase(now).status in PENDING) == pending]
        return matched[query.offset : query.offset + query.limit], len(matched)

    def cancel(self, crn: str, user_id: str, job_id: str, now: float) -> None:
        """Cancel a queued or running job; 409 for a terminal one."""
        with self._lock:
            job = self.get(crn, user_id, job_id)
            status = job.phase(now).status
            if status in TERMINAL:
                raise ApiError(
                    409,
                    "job_not_cancellable",
                    f"Job {job_id} is in status '{status}' and cannot be cancelled; "
                    "only Queued and Running jobs can.",
                )
            job.cancelled_at = now
            job.version += 1

    def delete(self, crn: str, user_id: str, job_id: str, now: float) -> None:
        """Delete a terminal job; 400 while it is still queued or running."""
        with self._lock:
            job = self.get(crn, user_id, job_id)
            phase = job.phase(now)
            if not phase.terminal:
                raise ApiError(
                    400,
                    "job_not_deletable",
                    f"Job {job_id} is in status '{phase.status}'; only jobs in a terminal "
                    "state (Completed, Failed, Cancelled) can be deleted.",
                    target=("parameter", "id"),
                )
            instance = self._instances[crn]
            instance.deleted_usage += job.usage(phase)["qpu_charge_time_seconds"]
            del instance.jobs[job_id]
            del self._jobs[job_id]

    def replace_tags(self, crn: str, user_id: str, job_id: str, tags: tuple[str, ...]) -> None:
        """Replace a job's tags."""
        with self._lock:
            job = self.get(crn, user_id, job_id)
            job.tags = tags
            job.version += 1

    def claim_result(
        self, crn: str, user_id: str, job_id: str, now: float
    ) -> tuple[Job, float, float] | None:
        """Return the job and its run span if its result may be read now, else ``None`` (204).

        A private job's result is handed out exactly once: the first claim marks it consumed
        under the lock, so of many concurrent readers only one gets it.
        """
        with self._lock:
            job = self.get(crn, user_id, job_id)
            phase = job.phase(now)
            started, finished = phase.running_at, phase.finished_at
            if phase.status != "Completed" or started is None or finished is None:
                return None
            if job.request.private:
                if job.result_consumed:
                    return None
                job.result_consumed = True
            return job, started, finished

    def cache_result(self, job: Job, body: bytes) -> None:
        """Keep a non-private job's rendered result so later reads are cheap."""
        if not job.request.private:
            with self._lock:
                job.result = body


def dumps(body: Any) -> bytes:
    """The mock's JSON encoding of an answer: compact, ASCII."""
    return json.dumps(body, separators=(",", ":")).encode()


def job_bytes(job: Job, now: float, *, include_params: bool) -> bytes:
    """The job as the ``JobResponse`` schema, encoded; from the job's cache while neither it nor
    its phase changed."""
    version = job.version
    cached = job.rendered.get(include_params)
    if cached is not None and cached[0] == version and cached[1] <= now < cached[2]:
        return cached[3]
    begins, ends = job.span(now)
    body = dumps(_job_fields(job, now))
    # The free-form objects, kept as JSON, go in as they are: last, in one copy.
    objects: list[bytes] = []
    if include_params and not job.request.private and job.params_json is not None:
        objects += (b',"params":', job.params_json)
    if job.remote_storage_json is not None:
        objects += (b',"remote_storage":', job.remote_storage_json)
    if objects:
        body = b"".join([body[:-1], *objects, b"}"])
    # Read before rendering: a change made meanwhile (another thread) leaves a stale version.
    job.rendered[include_params] = (version, begins, ends, body)
    return body


def _job_fields(job: Job, now: float) -> dict[str, Any]:
    """The job's ``JobResponse`` fields but ``params`` and ``remote_storage`` (see
    :func:`job_bytes`); absent optional fields are omitted, not null."""
    phase = job.phase(now)
    request = job.request
    state: dict[str, Any] = {"status": "Cancelled" if "Cancelled" in phase.status else phase.status}
    reason, code, solution = _REASONS.get(phase.status, ("", None, None))
    state["reason"] = reason
    if code is not None:
        state["reason_code"] = code
    if solution is not None:
        state["reason_solution"] = solution
    body: dict[str, Any] = {
        "id": job.id,
        "backend": job.backend,
        "state": state,
        "status": phase.status,
        "program": {"id": request.program_id},
        "created": isoformat(job.created),
        "cost": request.cost,
        "tags": list(job.tags),
        "user_id": job.user_id,
        "estimated_running_time_seconds": job.running_seconds,
    }
    optional = {
        "runtime": request.runtime,
        "session_id": request.session_id,
        "calibration_id": request.calibration_id,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    if phase.terminal and phase.running_at is not None:
        body["usage"] = job.usage(phase)
    if request.private:
        body["private"] = True
    return body


def metrics_json(job: Job, now: float, qiskit_version: str) -> dict[str, Any]:
    """Timestamps reached so far, usage, Qiskit version and (if sent at creation) the caller."""
    phase = job.phase(now)
    timestamps = {"created": isoformat(job.created)}
    if phase.running_at is not None:
        timestamps["running"] = isoformat(phase.running_at)
    if phase.finished_at is not None:
        timestamps["finished"] = isoformat(phase.finished_at)
    body: dict[str, Any] = {
        "timestamps": timestamps,
        "usage": job.usage(phase),
        "qiskit_version": qiskit_version,
    }
    if job.caller:
        body["caller"] = job.caller
    return body


def logs_text(job: Job, now: float) -> str:
    """Log lines for the transitions reached so far, filtered by the job's log level."""
    phase = job.phase(now)
    threshold = _LOG_LEVELS.get(job.request.log_level or "info", 20)
    lines: list[tuple[float, str, str]] = [
        (job.created, "info", f"Job {job.id} queued on backend {job.backend}."),
        (job.created, "debug", f"Program {job.request.program_id}; shots={job.plan.shots}."),
    ]
    if phase.running_at is not None:
        lines.append((phase.running_at, "info", "Job started running."))
    if phase.finished_at is not None:
        level = {"Completed": "info", "Failed": "error"}.get(phase.status, "warning")
        reason = _REASONS.get(phase.status, ("Job completed.", None, None))[0]
        lines.append((phase.finished_at, level, reason))
    return "".join(
        f"{isoformat(ts)} {level.upper()} {text}\n"
        for ts, level, text in lines
        if _LOG_LEVELS[level] >= threshold
    )
