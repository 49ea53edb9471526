"""Client.wait and AsyncClient.wait (each test runs both) on a virtual clock, against a scripted
service in-process."""

from __future__ import annotations

import pytest

from qiskit_runtime_jobs import (
    ConflictError,
    JobCancelledError,
    JobFailedError,
    ValidationError,
    VirtualClock,
    WaitTimeoutError,
)
from qiskit_runtime_jobs_generated.models import JobResponse, JobStatus

from .conftest import JOB_ID, Runner, Script, make_job

POLICY = {"poll_interval": 1.0, "max_poll_interval": 4.0, "factor": 2.0}


def test_returns_the_terminal_job_with_backoff(run_wait: Runner) -> None:
    """Polls at 0, 1, 3, 7, 11 (capped at 4 s) and returns the Completed job."""
    clock = VirtualClock()
    script = Script(clock, ["Queued", "Queued", "Running", "Running", "Completed"])
    job = run_wait(script, **POLICY)
    assert job.status == JobStatus.COMPLETED
    assert script.times == [0.0, 1.0, 3.0, 7.0, 11.0]
    assert clock.sleeps == [1.0, 2.0, 4.0, 4.0]


def test_already_terminal_polls_once(run_wait: Runner) -> None:
    """A job that is already done costs one poll and no sleep."""
    clock = VirtualClock()
    script = Script(clock, ["Completed"])
    run_wait(script, **POLICY)
    assert script.times == [0.0]
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("Failed", JobFailedError),
        ("Cancelled", JobCancelledError),
        ("Cancelled - Ran too long", JobCancelledError),
    ],
)
def test_unsuccessful_end_raises_typed_error(
    run_wait: Runner, status: str, error: type[Exception]
) -> None:
    """Failed and both Cancelled statuses raise their JobError, carrying id, status and reason."""
    script = Script(VirtualClock(), ["Running", make_job(status, reason="out of budget")])
    with pytest.raises(error) as caught:
        run_wait(script, raise_on_failure=True, **POLICY)
    assert (caught.value.job_id, caught.value.status) == (JOB_ID, status)  # type: ignore[attr-defined]
    assert caught.value.reason == "out of budget"  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", ["Failed", "Cancelled", "Cancelled - Ran too long"])
def test_unsuccessful_end_returned_when_not_raising(run_wait: Runner, status: str) -> None:
    """raise_on_failure=False hands back the terminal job instead."""
    job = run_wait(Script(VirtualClock(), [status]), raise_on_failure=False, **POLICY)
    assert str(job.status) == status


def test_unknown_status_keeps_waiting(run_wait: Runner) -> None:
    """A status the enum does not know is not terminal: the wait goes on until Completed."""
    script = Script(VirtualClock(), [make_job("Paused", "Running"), "Paused", "Completed"])
    job = run_wait(script, **POLICY)
    assert job.status == JobStatus.COMPLETED
    assert len(script.times) == 3


def test_unknown_status_with_terminal_state_stops(run_wait: Runner) -> None:
    """An unknown status whose state.status is terminal ends the wait."""
    script = Script(VirtualClock(), [make_job("Archived", "Completed"), "Completed"])
    job = run_wait(script, **POLICY)
    assert job.status == "Archived"
    assert len(script.times) == 1


def test_timeout_last_poll_lands_on_the_deadline(run_wait: Runner) -> None:
    """Polls at 0, 1, 3, 7, then 10 (the deadline), then WaitTimeoutError with the last status."""
    script = Script(VirtualClock(), ["Queued", "Queued", "Running"])
    with pytest.raises(WaitTimeoutError) as caught:
        run_wait(script, timeout=10.0, **POLICY)
    assert script.times == [0.0, 1.0, 3.0, 7.0, 10.0]
    assert (caught.value.job_id, caught.value.timeout, caught.value.last_status) == (
        JOB_ID,
        10.0,
        "Running",
    )
    assert script.cancels == []  # not asked to cancel


def test_timeout_zero_polls_once(run_wait: Runner) -> None:
    """timeout=0 is a single status check."""
    script = Script(VirtualClock(), ["Running"])
    with pytest.raises(WaitTimeoutError):
        run_wait(script, timeout=0.0, **POLICY)
    assert script.times == [0.0]


def test_completion_at_the_deadline_wins(run_wait: Runner) -> None:
    """A job that is done at the final poll is returned, not timed out."""
    script = Script(VirtualClock(), ["Running", "Running", "Completed"])
    job = run_wait(script, timeout=2.0, **POLICY)
    assert job.status == JobStatus.COMPLETED
    assert script.times == [0.0, 1.0, 2.0]


def test_cancel_on_timeout(run_wait: Runner) -> None:
    """With cancel_on_timeout the job is cancelled once, after the last poll, then the error."""
    script = Script(VirtualClock(), ["Running"])
    with pytest.raises(WaitTimeoutError):
        run_wait(script, cancel=script.cancel, timeout=5.0, cancel_on_timeout=True, **POLICY)
    assert script.times[-1] == 5.0
    assert script.cancels == [5.0]


def test_cancel_failure_still_raises_timeout(run_wait: Runner) -> None:
    """A failing cancel is chained under the WaitTimeoutError, not swallowed or substituted."""
    script = Script(VirtualClock(), ["Running"])

    def cancel() -> None:
        raise RuntimeError("already finished")

    with pytest.raises(WaitTimeoutError) as caught:
        run_wait(script, cancel=cancel, timeout=1.0, cancel_on_timeout=True, **POLICY)
    assert isinstance(caught.value.__cause__, ConflictError)
    assert "cancelling the job failed" in "".join(caught.value.__notes__)


def test_cancel_not_called_when_job_finishes(run_wait: Runner) -> None:
    """cancel_on_timeout does nothing if the job ends in time."""
    script = Script(VirtualClock(), ["Running", "Completed"])
    run_wait(script, cancel=script.cancel, timeout=5.0, cancel_on_timeout=True, **POLICY)
    assert script.cancels == []


def test_progress_sees_every_poll(run_wait: Runner) -> None:
    """on_progress is called with each polled job, the terminal one included."""
    seen: list[str] = []

    def progress(job: JobResponse) -> None:
        seen.append(str(job.status))

    script = Script(VirtualClock(), ["Queued", "Running", "Failed"])
    with pytest.raises(JobFailedError):
        run_wait(script, on_progress=progress, raise_on_failure=True, **POLICY)
    assert seen == ["Queued", "Running", "Failed"]


def test_fetch_errors_propagate(run_wait: Runner) -> None:
    """An error from the fetch ends the wait unchanged."""
    clock = VirtualClock()

    class Broken(Script):
        def __call__(self) -> JobResponse:
            if super().__call__().status == JobStatus.RUNNING:
                raise ConnectionError("boom")
            return self.jobs[0]

    with pytest.raises(ConnectionError):
        run_wait(Broken(clock, ["Queued", "Running"]), **POLICY)


def test_no_timeout_waits_with_capped_delays(run_wait: Runner) -> None:
    """timeout=None waits as long as it takes, never sleeping more than the cap."""
    clock = VirtualClock()
    script = Script(clock, ["Running"] * 50 + ["Completed"])
    run_wait(script, timeout=None, **POLICY)
    assert len(script.times) == 51
    assert max(clock.sleeps) == 4.0


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"timeout": -1.0}, "timeout"),
        ({"poll_interval": 0.0}, "poll_interval"),
        ({"poll_interval": 5.0, "max_poll_interval": 1.0}, "max_poll_interval"),
        ({"factor": 0.5}, "factor"),
        ({"pol_interval": 1.0}, "pol_interval"),
    ],
)
def test_bad_options_rejected_before_polling(
    run_wait: Runner, options: dict[str, object], field: str
) -> None:
    """Invalid settings raise ValidationError naming the field, with no poll made."""
    script = Script(VirtualClock(), ["Running"])
    with pytest.raises(ValidationError) as caught:
        run_wait(script, **{**POLICY, **options})
    assert caught.value.field == field
    assert script.times == []
