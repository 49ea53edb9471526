"""The contract suite is not a rubber stamp: each bug planted in the mock is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from qiskit_runtime_jobs_kit.contract import RunOptions, embedded_mock, run
from tests.contract.broken import VARIANTS

pytestmark = pytest.mark.contract

# variant -> (operations to fuzz, phases, the failure the suite must report on that operation)
PLANTED = {
    "delete_answers_200": (
        ["create_job", "delete_job"],
        ["stateful"],
        "DELETE /jobs/{id}",
        "ST103",
    ),
    "job_without_cost": (["create_job", "get_job"], ["stateful"], "GET /jobs/{id}", "ST108"),
    "bad_input_is_500": (["create_job"], ["coverage"], "POST /jobs", "ST101"),
    "limit_out_of_range_rejected": (["list_jobs"], ["fuzzing"], "GET /jobs", "ST202"),
    "private_results_twice": (
        ["create_job", "get_job_results"],
        ["stateful"],
        "GET /jobs/{id}/results",
        "ST901",  # custom check: private_results_read_once
    ),
}


def test_every_variant_has_an_expectation() -> None:
    """No planted fault goes unchecked."""
    assert set(PLANTED) == set(VARIANTS)


@pytest.mark.parametrize("variant", sorted(PLANTED))
def test_planted_fault_is_reported(variant: str, tmp_path: Path) -> None:
    """Running the suite against the broken mock fails, naming the planted bug."""
    operation_ids, phases, operation, code = PLANTED[variant]
    options = RunOptions(
        report_dir=tmp_path,
        max_examples=25,
        phases=phases,
        workers=1,
        operation_ids=operation_ids,
        quiet=True,
        lifecycle=False,
    )
    with embedded_mock(wrap=VARIANTS[variant]()) as target:
        summary = run(target, options)
    assert not summary.ok
    reported = {(f.operation, f.code) for f in summary.failures}
    assert (operation, code) in reported, reported


def test_the_correct_mock_passes_the_same_runs(tmp_path: Path) -> None:
    """Control: the unbroken mock passes the planted-fault runs, so failures mean the bug."""
    options = RunOptions(
        report_dir=tmp_path,
        max_examples=25,
        phases=["coverage", "fuzzing", "stateful"],
        workers=1,
        operation_ids=["create_job", "delete_job", "get_job", "list_jobs", "get_job_results"],
        quiet=True,
        lifecycle=False,
    )
    with embedded_mock() as target:
        summary = run(target, options)
    assert summary.ok, summary.failures
