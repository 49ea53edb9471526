"""Waiting for a job: what a status means, and when to poll next. No I/O here.

The clients' `wait()` is a plain loop over `Poll`: fetch the job, ask `poll.delay(job)` how
long to sleep (None: finished), sleep, repeat. Every decision lives here, in pure code that
tests drive with tables and a virtual clock.

Schedule: the first poll is immediate, then gaps grow from `poll_interval` by `factor` up to
`max_poll_interval`. A gap never overshoots the deadline: the last one is cut so that the
final poll lands on it, and only then does the wait time out.

Status: `JobStatus` is an open enum. A value the enum does not know (kept as a plain `str`)
is matched case-insensitively, then the job's `state.status` decides, else the job counts as
still running: stopping early would hand back an unfinished job as if it were done, while
waiting on is bounded by `timeout` and visible through `on_progress`.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Final, TypedDict, Unpack

from qiskit_runtime_jobs_generated.models import JobResponse, JobStatus
from qiskit_runtime_jobs_generated.types import Unset

from . import _constants as c
from ._clock import Clock
from ._errors import (
    JobCancelledError,
    JobFailedError,
    ResultNotReadyError,
    ValidationError,
    WaitTimeoutError,
)


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

_BY_LOWER: Final = {str(status).lower(): status for status in _OUTCOMES}


def classify(status: JobStatus | str) -> Outcome | None:
    """The outcome of one status value; None when the enum does not know the value."""
    if isinstance(status, JobStatus):
        return _OUTCOMES[status]
    known = _BY_LOWER.get(str(status).lower())
    return None if known is None else _OUTCOMES[known]


def outcome_of(job: JobResponse) -> Outcome:
    """`status` first, then `state.status`, else still pending."""
    outcome = classify(job.status)
    if outcome is None and not isinstance(job.state, Unset):
        outcome = classify(str(job.state.status))
    return Outcome.PENDING if outcome is None else outcome


def ended_badly(job: JobResponse) -> JobFailedError | JobCancelledError | None:
    """The error for a Failed or Cancelled job, else None."""
    outcome = outcome_of(job)
    if outcome not in (Outcome.FAILED, Outcome.CANCELLED):
        return None
    reason = None if isinstance(job.state, Unset) else job.state.reason
    cls = JobFailedError if outcome is Outcome.FAILED else JobCancelledError
    return cls(job.id, str(job.status), reason if isinstance(reason, str) and reason else None)


def check_has_result(job: JobResponse) -> bool:
    """Raise why `job` has no result (yet, or ever); else return whether it is private."""
    if outcome_of(job) is Outcome.PENDING:
        raise ResultNotReadyError(job.id, str(job.status))
    error = ended_badly(job)
    if error is not None:
        raise error
    return job.private is True


def next_delay(
    previous: float | None,
    *,
    poll_interval: float,
    max_poll_interval: float,
    factor: float,
    remaining: float | None,
) -> float:
    """The gap before the next poll: grown by `factor` up to the cap, cut to `remaining`."""
    delay = poll_interval if previous is None else min(previous * factor, max_poll_interval)
    if remaining is not None:
        delay = min(delay, max(remaining, 0.0))
    return delay


class WaitOptions(TypedDict, total=False):
    """Options of `wait()` besides `timeout`."""

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


class Poll:
    """One wait's state: the deadline, the last gap, and what each polled job means."""

    def __init__(
        self, job_id: str, timeout: float | None, clock: Clock, **options: Unpack[WaitOptions]
    ) -> None:
        unknown = options.keys() - WaitOptions.__optional_keys__
        if unknown:
            raise ValidationError(min(unknown), "is not a wait() option")
        if timeout is not None and not timeout >= 0:
            raise ValidationError("timeout", "must be None or >= 0 seconds", timeout)
        self.job_id, self.clock = job_id, clock
        self.poll_interval = _number(options, "poll_interval", c.POLL_INTERVAL, above=0)
        self.max_poll_interval = _number(options, "max_poll_interval", c.MAX_POLL_INTERVAL, above=0)
        self.factor = _number(options, "factor", c.POLL_FACTOR, above=1, inclusive=True)
        if not self.max_poll_interval >= self.poll_interval:
            raise ValidationError(
                "max_poll_interval", "must be >= poll_interval", self.max_poll_interval
            )
        self.raise_on_failure = options.get("raise_on_failure", True)
        self.cancel_on_timeout = options.get("cancel_on_timeout", False)
        self.on_progress = options.get("on_progress")
        # (timeout, deadline): the deadline exists exactly when a timeout was given
        self._limit = None if timeout is None else (timeout, clock.now() + timeout)
        self._expired: float | None = None  # the timeout that ran out, once it has
        self._gap: float | None = None
        self._at_deadline = False  # the last gap was cut to end on the deadline

    @property
    def timed_out(self) -> bool:
        """Whether the wait stopped because its timeout ran out."""
        return self._expired is not None

    def delay(self, job: JobResponse) -> float | None:
        """Seconds to sleep before polling again; None to stop (finished, or timed out)."""
        if self.on_progress is not None:
            self.on_progress(job)
        if outcome_of(job) is not Outcome.PENDING:
            return None
        remaining: float | None = None
        if self._limit is not None:
            timeout, deadline = self._limit
            remaining = deadline - self.clock.now()
            if self._at_deadline or remaining <= 0:
                self._expired = timeout
                return None
        self._gap = next_delay(
            self._gap,
            poll_interval=self.poll_interval,
            max_poll_interval=self.max_poll_interval,
            factor=self.factor,
            remaining=remaining,
        )
        self._at_deadline = remaining is not None and self._gap >= remaining
        return self._gap

    def finish(self, job: JobResponse) -> JobResponse:
        """The last polled job, or the error it means: timed out, failed or cancelled."""
        if self._expired is not None:
            raise WaitTimeoutError(self.job_id, self._expired, str(job.status))
        error = ended_badly(job)
        if error is not None and self.raise_on_failure:
            raise error
        return job

    @contextlib.contextmanager
    def cancelling(self, job: JobResponse) -> Iterator[None]:
        """Around `cancel_on_timeout`'s cancel: if it fails, the timeout is still raised."""
        try:
            yield
        except Exception as cancel_error:
            try:
                self.finish(job)
            except WaitTimeoutError as error:
                error.add_note(f"cancel_on_timeout: cancelling the job failed: {cancel_error!r}")
                raise error from cancel_error


def _number(
    options: Mapping[str, object],
    name: str,
    default: float,
    *,
    above: float,
    inclusive: bool = False,
) -> float:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValidationError(name, "must be a number", value)
    if value < above or (value == above and not inclusive):
        raise ValidationError(name, f"must be {'>=' if inclusive else '>'} {above:g}", value)
    return float(value)
