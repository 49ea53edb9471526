"""The page's lifecycle rules are judged for the job's state, and they bite both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from qiskit_runtime_jobs_kit.contract import embedded_mock, run
from qiskit_runtime_jobs_kit.contract.lifecycle import ROLES
from qiskit_runtime_jobs_kit.contract.runner import EMBEDDED_RESULT_VARIANTS
from tests.contract.broken import STATE_VARIANTS
from tests.contract.runs import lifecycle_only

pytestmark = pytest.mark.contract


@pytest.mark.parametrize(
    ("variant", "state"),
    [("deletes_queued_job", "pending"), ("refuses_terminal_delete", "ended")],
)
def test_a_broken_delete_rule_fails_the_run(variant: str, state: str, tmp_path: Path) -> None:
    """204 for a queued job's delete, or 400 for a terminal one's, is reported as a failure."""
    said: list[str] = []
    options = lifecycle_only(tmp_path, said.append)
    with embedded_mock(wrap=STATE_VARIANTS[variant]()) as target:
        summary = run(target, options)
    assert not summary.ok
    assert summary.rules["delete_job"][state]["failed"] >= 1, summary.rules
    assert summary.lifecycle is not None
    problems = [p for step in summary.lifecycle.steps for p in step.problems]
    assert any("delete_job: answered" in p for p in problems), problems


def test_the_correct_mock_passes_and_exercises_each_state(tmp_path: Path) -> None:
    """Control: the real mock passes, and every rule met the states it speaks about."""
    said: list[str] = []
    options = lifecycle_only(tmp_path, said.append)
    with embedded_mock() as target:
        summary = run(target, options)
    assert summary.ok, "\n".join(said)
    exercised = {
        (op, state)
        for op, states in summary.rules.items()
        for state, n in states.items()
        if n["ok"]
    }
    assert {
        ("delete_job", "pending"),
        ("delete_job", "completed"),
        ("delete_job", "completed-private"),
        ("delete_job", "ended"),
        ("cancel_job", "pending"),
        ("cancel_job", "completed"),
        ("cancel_job", "ended"),
        ("get_job_results", "pending"),
        ("get_job_results", "completed"),
        ("get_job_results", "completed-private"),
    } <= exercised
    assert not any(n["failed"] for states in summary.rules.values() for n in states.values())
    # The running role cancelled its job while it ran, and it ended Cancelled.
    running = [
        (s.operation, s.answered) for s in summary.lifecycle.steps if s.scenario == "running"
    ]
    assert running[0] == ("POST /jobs/{id}/cancel", 204), running
    # One job per role, plus one per result variant read (tests/contract/test_result_variants).
    assert summary.created == len(ROLES) + len(EMBEDDED_RESULT_VARIANTS)
    assert summary.left == []
