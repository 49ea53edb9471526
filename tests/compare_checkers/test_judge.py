"""Caught, missed or unjudged: each rule of `judge`, one row each."""

from __future__ import annotations

import pytest

from tools.compare_checkers.judge import CAUGHT, ERROR, MISSED, judge
from tools.compare_checkers.model import BaselineRule, CheckerRun, Failure

ST202 = Failure("ST202 DELETE /jobs/{id}", "DELETE /jobs/{id}: ST202 Schema-valid request rejected")
ST301 = Failure("ST301 DELETE /jobs/{id}", "DELETE /jobs/{id}: ST301 Deleted resource available")
CANCEL = Failure("Behaviours: cancel is applied", "job … was cancelled (204) but is Completed")


def run(exit_code: int | None, *failures: Failure, error: str | None = None) -> CheckerRun:
    return CheckerRun("c", "v", exit_code, 1.0, exit_code is None, failures, error=error)


@pytest.mark.parametrize(
    ("rule", "variant", "baselines", "outcome", "why"),
    [
        ("exit_status", run(1, CANCEL), [run(0), run(0)], CAUGHT, "cancel is applied: job …"),
        ("exit_status", run(1), [run(0)], CAUGHT, "exit 1"),
        ("exit_status", run(0), [run(0)], MISSED, ""),
        ("exit_status", run(1, CANCEL), [run(0), run(1)], ERROR, "fails the correct mock too"),
        ("new_failures", run(1, ST202, ST301), [run(1, ST202)], CAUGHT, ST301.detail),
        ("new_failures", run(1, ST202), [run(0), run(1, ST202)], MISSED, ""),
        ("new_failures", run(0), [run(0)], MISSED, ""),
        ("new_failures", run(None, error="timed out"), [run(0)], ERROR, "timed out"),
        ("new_failures", run(1, ST301), [run(None, error="crash")], ERROR, "baseline: crash"),
        ("new_failures", run(1, ST301), [], ERROR, "no baseline run"),
    ],
)
def test_verdict(
    rule: BaselineRule, variant: CheckerRun, baselines: list[CheckerRun], outcome: str, why: str
) -> None:
    verdict = judge(rule, variant, baselines)
    assert (verdict.outcome, verdict.why[: len(why)]) == (outcome, why)


def test_a_failure_the_baseline_also_reported_is_not_a_catch() -> None:
    """Pooled baselines: a failure seen in any baseline run is the checker's, not the variant's."""
    verdict = judge("new_failures", run(1, ST202, ST301), [run(0), run(1, ST202)])
    assert verdict.distinguishing == (ST301,)
