"""Which lifecycle scenarios a run plays (`lifecycle.plan`): the result variants cost one job
each, so they are read from the embedded mock only and never eat a real service's budget.
Pure: no server."""

from __future__ import annotations

import pytest

from qiskit_runtime_jobs_kit.contract.lifecycle import (
    NO_VARIANTS,
    LifecycleOptions,
    ResultVariant,
    plan,
)
from qiskit_runtime_jobs_kit.contract.runner import EMBEDDED_RESULT_VARIANTS

SCENARIOS = ["pending", "private", "running", "completed"]


def planned(
    *, spend_qpu: bool, max_jobs: int | None, variants: tuple[ResultVariant, ...] = ()
) -> dict[str, str | None]:
    """Scenario -> the reason it is skipped (None: it runs), for a run that created no job yet."""
    options = LifecycleOptions("http://x/api/v1", spend_qpu, max_jobs, result_variants=variants)
    return dict(plan(options, 0))


def test_the_embedded_mock_reads_every_variant() -> None:
    chosen = planned(spend_qpu=True, max_jobs=None, variants=EMBEDDED_RESULT_VARIANTS)
    assert chosen == dict.fromkeys([*SCENARIOS, "results"])


@pytest.mark.parametrize("max_jobs", [3, 5])
def test_a_url_target_spends_no_job_on_variants(max_jobs: int) -> None:
    """--url --allow-create (budget 5): the four scenarios as before; results skipped."""
    chosen = planned(spend_qpu=True, max_jobs=max_jobs)
    assert chosen["results"] == NO_VARIANTS
    assert sum(chosen[name] is None for name in SCENARIOS) == min(max_jobs, 4)


def test_live_never_lets_the_variants_run() -> None:
    chosen = planned(spend_qpu=False, max_jobs=3, variants=EMBEDDED_RESULT_VARIANTS)
    assert "QPU" in str(chosen["results"])


def test_variants_are_skipped_whole_when_the_budget_is_short() -> None:
    chosen = planned(spend_qpu=True, max_jobs=6, variants=EMBEDDED_RESULT_VARIANTS)
    assert all(chosen[name] is None for name in SCENARIOS)
    assert chosen["results"] == "needs 5 jobs, 2 left (--max-jobs 6)"
