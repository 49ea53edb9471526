"""The pure parts of wait(): the poll schedule and the status classification."""

from __future__ import annotations

import pytest

from qiskit_runtime_jobs._wait import (
    Outcome,
    classify,
    next_delay,
    outcome_of,
)
from qiskit_runtime_jobs_generated.models import JobStatus

from .conftest import make_job


@pytest.mark.parametrize(
    ("previous", "remaining", "expected"),
    [
        (None, None, 1.0),  # the second poll comes poll_interval after the first
        (1.0, None, 2.0),  # then grows by factor
        (4.0, None, 8.0),
        (8.0, None, 10.0),  # up to the cap
        (10.0, None, 10.0),  # and stays there
        (None, 0.25, 0.25),  # never past the deadline: the last poll lands on it
        (4.0, 5.0, 5.0),
        (4.0, 100.0, 8.0),  # a far deadline changes nothing
        (8.0, 0.0, 0.0),
        (8.0, -1.0, 0.0),  # a deadline already passed never gives a negative sleep
    ],
)
def test_next_delay_table(previous: float | None, remaining: float | None, expected: float) -> None:
    """Geometric growth from poll_interval, capped, cut to the time left."""
    delay = next_delay(
        previous, poll_interval=1.0, max_poll_interval=10.0, factor=2.0, remaining=remaining
    )
    assert delay == expected


def test_next_delay_factor_one_is_a_fixed_interval() -> None:
    """factor=1 polls at a constant interval."""
    delays = [None, 3.0, 3.0]
    for previous in delays:
        assert (
            next_delay(
                previous, poll_interval=3.0, max_poll_interval=30.0, factor=1.0, remaining=None
            )
            == 3.0
        )


def test_every_status_is_classified() -> None:
    """Each JobStatus member has an outcome, so a new enum value cannot slip through."""
    for status in JobStatus:
        assert classify(status) in set(Outcome), status
    assert {s for s in JobStatus if classify(s) is Outcome.PENDING} == {
        JobStatus.QUEUED,
        JobStatus.RUNNING,
    }


def test_terminal_statuses() -> None:
    """Every status but Queued and Running ends a wait, each with its own outcome."""
    assert {s: classify(s) for s in JobStatus if classify(s) is not Outcome.PENDING} == {
        JobStatus.COMPLETED: Outcome.COMPLETED,
        JobStatus.FAILED: Outcome.FAILED,
        JobStatus.CANCELLED: Outcome.CANCELLED,
        JobStatus.CANCELLED_RAN_TOO_LONG: Outcome.CANCELLED,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Completed", Outcome.COMPLETED),
        ("completed", Outcome.COMPLETED),  # a case change is not a new status
        ("FAILED", Outcome.FAILED),
        ("Cancelled - Ran too long", Outcome.CANCELLED),
        ("Cancelled", Outcome.CANCELLED),
        ("Queued", Outcome.PENDING),
        ("Paused", None),  # unknown to the enum
        ("", None),
    ],
)
def test_classify_strings(status: str, expected: Outcome | None) -> None:
    """Plain strings (what the model keeps for unknown values) map case-insensitively."""
    assert classify(status) is expected


@pytest.mark.parametrize(
    ("status", "state", "expected"),
    [
        ("Paused", "Running", Outcome.PENDING),
        ("Paused", "Completed", Outcome.COMPLETED),  # state.status decides an unknown status
        ("Paused", "Failed", Outcome.FAILED),
        ("Paused", "Hibernating", Outcome.PENDING),  # both unknown: still running
        ("Completed", "Running", Outcome.COMPLETED),  # status wins when it is known
        ("Cancelled - Ran too long", "Cancelled", Outcome.CANCELLED),
    ],
)
def test_outcome_of_job(status: str, state: str, expected: Outcome) -> None:
    """A job's outcome: its status, else its state's status, else pending."""
    assert outcome_of(make_job(status, state)) is expected
