"""Each behaviour check bites: a service that answers in the right shape but does one wrong
thing (tests/contract/wrong_behaviour.py) fails the run, on the check that names that thing.

Every variant is run as a user runs `--url ... --allow-create` against a deployment, with the
lifecycle phase alone (its fleet and closed-world listings show every behaviour; fuzzing adds
nothing these variants need and minutes of time). The correct mock passes the same run
(test_verdict_is_true.py), so each failure here is the variant's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qiskit_runtime_jobs_kit.contract import Credentials, RunOptions, Target, run
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, serve
from tests.contract.runs import lifecycle_only
from tests.contract.wrong_behaviour import BEHAVIOURS

pytestmark = [pytest.mark.contract, pytest.mark.loopback]
KEYS = Credentials(crn=DEFAULT_CRN, token=DEFAULT_TOKEN)
JOB_TIMEOUT = 20.0

# variant -> what must fail: a behaviour of the summary, or words of a failing lifecycle step.
CAUGHT_BY = {
    "pending_ignored": "list: pending",
    "pending_inverted": "list: pending",
    "program_ignored": "list: program",
    "backend_ignored": "list: backend",
    "created_after_ignored": "list: created_after",
    "created_before_ignored": "list: created_before",
    "tags_ignored": "list: tags",
    "session_id_ignored": "list: session_id",
    "exclude_params_ignored": "list: exclude_params",
    "offset_ignored": "list: offset",
    "limit_not_honoured": "list: limit",
    "count_is_page_length": "list: count",
    "sort_asc_ignored": "list: sort",
    "create_backend_changed": "read back: create",
    "create_tags_truncated": "read back: create",
    "create_private_dropped": "read back: create",
    "status_disagrees_with_state": "status matches state",
    "metrics_timestamps_out_of_order": "metrics timestamps in order",
    "cancel_not_applied": "cancel is applied",
    "cancelled_shown_completed": "cancel is applied",
    "tags_replace_not_applied": "read back: tags",
    "foreign_job_listed": "list: only the caller's jobs",
    "private_params_returned": "private: params hidden",
    "private_false_returned": "private: flag omitted unless true",
    "unknown_id_answers_other_job": "read: the job asked for",
    "cancel_terminal_answers_204": "cancel_job: answered 204 for a job in status",
    "cancel_running_answers_409": "cancel_job: answered 409 for a job in status 'Running'",
    "delete_not_applied": "delete is applied",
}


def test_every_variant_has_the_check_that_catches_it() -> None:
    assert set(CAUGHT_BY) == set(BEHAVIOURS)


@pytest.mark.parametrize("variant", sorted(BEHAVIOURS))
def test_the_run_fails_on_the_broken_behaviour(variant: str, tmp_path: Path) -> None:
    said: list[str] = []
    config = MockConfig(rate_limit_per_minute=None, queued_seconds=0.5, running_seconds=1.0)
    with serve(config, wrap=BEHAVIOURS[variant].wrap()) as server:
        target = Target("url", server.base_url, KEYS, kind="url", allow_create=True)
        # A variant can make a job look stuck: no need to wait the default 5 minutes on it.
        options = {**vars(lifecycle_only(tmp_path, said.append)), "job_timeout": JOB_TIMEOUT}
        summary = run(target, RunOptions(**options))
    assert not summary.ok, "\n".join(said)
    failed = {o.name: o.detail for o in summary.outcomes() if o.state == "failed"}
    expected = CAUGHT_BY[variant]
    named = expected in failed
    told = any(expected in detail for detail in failed.values())
    assert named or told, (expected, failed)
    assert summary.left == []  # a broken service still gets its jobs cleaned up
