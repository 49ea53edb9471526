"""Waiting for a job: a pure poll schedule, a status classification, and one wait loop.

The loop is written once, as a generator that yields what it needs done (fetch the job, sleep,
cancel it), run by the package's sync and async drivers (`_stepper.drive`/`adrive`); every
decision (is this status terminal, how long to sleep, has the deadline passed, which error to
raise) lives in pure helpers that the tests call directly with tables.

Schedule: the first poll is immediate, then delays grow geometrically from `poll_interval` by
`factor` up to `max_poll_interval`. A delay never overshoots the deadline: the last one is cut
so that the final poll lands exactly on it, and only then does the wait time out.

Status: `JobStatus` is an open enum. A value the enum does not know (the generated model keeps
it as a plain `str`) is matched case-insensitively first; if it is still unknown, the job's
`state.status` decides when that is a known value; otherwise the job is treated as still
running. Stopping early on an unknown value would hand back an unfinished job as if done, while
waiting on is bounded by `timeout` and visible through `on_progress`.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Final, TypeVar

from qiskit_runtime_jobs_generated.models import JobResponse, JobStatus
from qiskit_runtime_jobs_generated.types import Unset

from ._clock import Clock
from ._errors import JobCancelledError, JobFailedError, ValidationError, WaitTimeoutError
from ._stepper import adrive, drive

__all__ = [
    "DEFAULT_BACKOFF_FACTOR",
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_INTERVAL",
    "TERMINAL_STATUSES",
    "Outcome",
    "async_wait_for_job",
    "classify",
    "next_delay",
    "outcome_of",
    "wait_for_job",
]

DEFAULT_POLL_INTERVAL: Final = 1.0
"""Seconds before the second poll (the first is immediate)."""
DEFAULT_MAX_POLL_INTERVAL: Final = 30.0
"""The longest gap between two polls: bounds how late a finished job is noticed."""
DEFAULT_BACKOFF_FACTOR: Final = 1.5
"""Each gap is this much longer than the one before, up to the cap."""


class Outcome(enum.Enum):
    """What a status means to a waiter."""

    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


_OUTCOMES: Final[dict[JobStatus, Outcome]] = {
    JobStatus.QUEUED: Outcome.PENDING,
    JobStatus.RUNNING: Outcome.PENDING,
    JobStatus.COMPLETED: Outcome.COMPLETED,
    JobStatus.FAILED: Outcome.FAILED,
    JobStatus.CANCELLED: Outcome.CANCELLED,
    JobStatus.CANCELLED_RAN_TOO_LONG: Outcome.CANCELLED,
}
"""Every `JobStatus` member, classified (a test pins that none is missing)."""

TERMINAL_STATUSES: Final = frozenset(s for s, o in _OUTCOMES.items() if o is not Outcome.PENDING)
"""The statuses after which a job never changes again: wait() stops on any of them."""

_BY_LOWER: Final = {str(status).lower(): status for status in _OUTCOMES}


def classify(status: JobStatus | str) -> Outcome | None:
    """The outcome of one status value; None when the value is not one the enum knows."""
    if isinstance(status, JobStatus):
        return _OUTCOMES[status]
    known = _BY_LOWER.get(str(status).lower())
    return None if known is None else _OUTCOMES[known]


def outcome_of(job: JobResponse) -> Outcome:
    """What `job` means to a waiter: `status` first, then `state.status`, else still pending."""
    outcome = classify(job.status)
    if outcome is None and not isinstance(job.state, Unset):
        outcome = classify(str(job.state.status))
    return Outcome.PENDING if outcome is None else outcome


def next_delay(
    previous: float | None,
    *,
    poll_interval: float,
    max_poll_interval: float,
    factor: float,
    remaining: float | None,
) -> float:
    """Seconds to sleep before the next poll.

    `previous` is the last delay (None before the second poll); `remaining` is the time left
    before the deadline (None: no deadline). The delay grows by `factor` up to the cap and is
    cut to `remaining`, so the last poll lands on the deadline rather than after it.
    """
    delay = poll_interval if previous is None else min(previous * factor, max_poll_interval)
    if remaining is not None:
        delay = min(delay, max(remaining, 0.0))
    return delay


def _failure(job: JobResponse, job_id: str, outcome: Outcome) -> JobFailedError | JobCancelledError:
    reason = None if isinstance(job.state, Unset) else job.state.reason
    cls = JobFailedError if outcome is Outcome.FAILED else JobCancelledError
    return cls(job_id, str(job.status), reason if isinstance(reason, str) else None)


class _Fetch:
    """Effect: poll the job once; the driver sends back the JobResponse."""


class _Cancel:
    """Effect: ask the service to cancel the job (the wait timed out)."""


@dataclass(frozen=True)
class _Sleep:
    """Effect: sleep this many seconds."""

    seconds: float


T = TypeVar("T")
_FETCH: Final = _Fetch()
_CANCEL: Final = _Cancel()
_Effect = _Fetch | _Cancel | _Sleep
_Steps = Generator[_Effect, JobResponse | None, JobResponse]


@dataclass(frozen=True)
class _Plan:
    """A wait's schedule, checked once; `steps()` is the wait loop, written once."""

    job_id: str
    timeout: float | None
    poll_interval: float
    max_poll_interval: float
    factor: float
    clock: Clock

    def __post_init__(self) -> None:
        if self.timeout is not None and not self.timeout >= 0:
            raise ValidationError("timeout", "must be None or >= 0 seconds", self.timeout)
        if not self.poll_interval > 0:
            raise ValidationError("poll_interval", "must be > 0 seconds", self.poll_interval)
        if not self.max_poll_interval >= self.poll_interval:
            raise ValidationError(
                "max_poll_interval", "must be >= poll_interval", self.max_poll_interval
            )
        if not self.factor >= 1:
            raise ValidationError("factor", "must be >= 1", self.factor)

    def steps(
        self,
        raise_on_failure: bool,
        on_progress: Callable[[JobResponse], None] | None,
        cancel_on_timeout: bool,
    ) -> _Steps:
        deadline = None if self.timeout is None else self.clock.now() + self.timeout
        delay: float | None = None
        at_deadline = False  # the last sleep was cut to end on the deadline
        while True:
            job = yield _FETCH
            assert job is not None  # the driver answers _FETCH with the job
            if on_progress is not None:
                on_progress(job)
            outcome = outcome_of(job)
            if outcome is not Outcome.PENDING:
                if raise_on_failure and outcome is not Outcome.COMPLETED:
                    raise _failure(job, self.job_id, outcome)
                return job
            remaining = None if deadline is None else deadline - self.clock.now()
            if at_deadline or (remaining is not None and remaining <= 0):
                yield from self._time_out(job, cancel_on_timeout)
            delay = next_delay(
                delay,
                poll_interval=self.poll_interval,
                max_poll_interval=self.max_poll_interval,
                factor=self.factor,
                remaining=remaining,
            )
            at_deadline = remaining is not None and delay >= remaining
            yield _Sleep(delay)

    def _time_out(
        self, job: JobResponse, cancel_on_timeout: bool
    ) -> Generator[_Effect, JobResponse | None, None]:
        assert self.timeout is not None
        error = WaitTimeoutError(self.job_id, self.timeout, str(job.status))
        if cancel_on_timeout:
            try:
                yield _CANCEL
            except Exception as cancel_error:
                error.add_note(f"cancel_on_timeout: cancelling the job failed: {cancel_error!r}")
                raise error from cancel_error
        raise error


def _needs(cancel: object) -> bool:
    """cancel_on_timeout=True is only meaningful with a cancel callable."""
    if cancel is None:
        raise ValidationError("cancel", "is required when cancel_on_timeout=True", None)
    return True


def wait_for_job(
    fetch: Callable[[], JobResponse],
    *,
    job_id: str,
    timeout: float | None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    factor: float = DEFAULT_BACKOFF_FACTOR,
    clock: Clock,
    raise_on_failure: bool = True,
    on_progress: Callable[[JobResponse], None] | None = None,
    cancel: Callable[[], None] | None = None,
    cancel_on_timeout: bool = False,
) -> JobResponse:
    """Poll `fetch` until the job reaches a terminal status, and return that last JobResponse.

    Raises JobFailedError / JobCancelledError for Failed / Cancelled (either kind) when
    `raise_on_failure`, WaitTimeoutError when `timeout` seconds pass first (after calling
    `cancel` if `cancel_on_timeout`; if that call fails, the timeout error is still raised,
    chained from the cancel error). `on_progress` sees every polled JobResponse, the last one
    included. Errors from `fetch` propagate unchanged.
    """
    plan = _Plan(job_id, timeout, poll_interval, max_poll_interval, factor, clock)
    steps = plan.steps(raise_on_failure, on_progress, cancel_on_timeout and _needs(cancel))
    return drive(steps, lambda effect: _perform(effect, fetch, clock.sleep, cancel))


async def async_wait_for_job(
    fetch: Callable[[], Awaitable[JobResponse]],
    *,
    job_id: str,
    timeout: float | None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    factor: float = DEFAULT_BACKOFF_FACTOR,
    clock: Clock,
    raise_on_failure: bool = True,
    on_progress: Callable[[JobResponse], None] | None = None,
    cancel: Callable[[], Awaitable[None]] | None = None,
    cancel_on_timeout: bool = False,
) -> JobResponse:
    """The async twin of `wait_for_job` (same loop, same rules); sleeps with `clock.asleep`."""
    plan = _Plan(job_id, timeout, poll_interval, max_poll_interval, factor, clock)
    steps = plan.steps(raise_on_failure, on_progress, cancel_on_timeout and _needs(cancel))
    return await adrive(steps, lambda effect: _perform(effect, fetch, clock.asleep, cancel))


def _perform(
    effect: _Effect,
    fetch: Callable[[], T],
    sleep: Callable[[float], T],
    cancel: Callable[[], T] | None,
) -> T:
    """Start what the loop asked for (a value for the sync driver, an awaitable for async)."""
    if isinstance(effect, _Sleep):
        return sleep(effect.seconds)
    if isinstance(effect, _Cancel):
        assert cancel is not None  # _needs() checked it
        return cancel()
    return fetch()
