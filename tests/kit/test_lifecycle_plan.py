"""Which roles a run's jobs play (`lifecycle.plan`) and how the fleet's create requests are made
to differ (`lifecycle._bodies`): the budget covers the most checks, the result variants cost
one job each (embedded mock only), a billed service never lets a job run. Pure: no server."""

from __future__ import annotations

import pytest

from qiskit_runtime_jobs_kit.contract import lifecycle
from qiskit_runtime_jobs_kit.contract.lifecycle import (
    NO_VARIANTS,
    QPU,
    Fleet,
    LifecycleOptions,
    ResultVariant,
    plan,
)
from qiskit_runtime_jobs_kit.contract.runner import EMBEDDED_RESULT_VARIANTS

ROLES = ["pending", "private", "running", "completed", "extra"]
TAG = "qrj-contract-run-x"


def planned(
    *, spend_qpu: bool, max_jobs: int | None, variants: tuple[ResultVariant, ...] = ()
) -> dict[str, str | None]:
    """Role -> the reason it is skipped (None: it plays), for a run that created no job yet."""
    options = LifecycleOptions("http://x/api/v1", spend_qpu, max_jobs, result_variants=variants)
    return dict(plan(options, 0))


def test_the_embedded_mock_plays_every_role_and_reads_every_variant() -> None:
    chosen = planned(spend_qpu=True, max_jobs=None, variants=EMBEDDED_RESULT_VARIANTS)
    assert chosen == dict.fromkeys([*ROLES, "results"])


def test_a_url_target_plays_every_role_within_its_default_budget_of_5() -> None:
    chosen = planned(spend_qpu=True, max_jobs=5)
    assert [name for name, why in chosen.items() if why is None] == ROLES
    assert chosen["results"] == NO_VARIANTS


@pytest.mark.parametrize(("max_jobs", "played"), [(1, 1), (3, 3), (4, 4)])
def test_a_short_budget_plays_the_first_roles(max_jobs: int, played: int) -> None:
    chosen = planned(spend_qpu=True, max_jobs=max_jobs)
    assert [name for name, why in chosen.items() if why is None] == ROLES[:played]
    for name in ROLES[played:]:
        assert f"--max-jobs {max_jobs}" in str(chosen[name])


def test_live_plays_three_jobs_that_never_run() -> None:
    """The default --live budget: pending, private and extra, each cancelled while queued."""
    chosen = planned(spend_qpu=False, max_jobs=3, variants=EMBEDDED_RESULT_VARIANTS)
    assert [name for name, why in chosen.items() if why is None] == ["pending", "private", "extra"]
    assert chosen["running"] == chosen["completed"] == chosen["results"] == QPU


def test_variants_are_skipped_whole_when_the_budget_is_short() -> None:
    chosen = planned(spend_qpu=True, max_jobs=7, variants=EMBEDDED_RESULT_VARIANTS)
    assert all(chosen[name] is None for name in ROLES)
    needed = len(EMBEDDED_RESULT_VARIANTS)
    assert chosen["results"] == f"needs {needed} jobs, 2 left (--max-jobs 7)"


BASE = {"program_id": "sampler", "backend": "ibm_x", "tags": ["mine"], "params": {"a": 1}}


def test_the_fleet_differs_where_each_filter_needs_it() -> None:
    bodies = lifecycle._bodies(BASE, ROLES, TAG)
    assert len(bodies) == len(ROLES)
    world, group = Fleet.world_tag(TAG), Fleet.group_tag(TAG)
    for body in bodies:
        assert body["tags"][:2] == ["mine", world]  # the request's own tags kept
    assert [group in body["tags"] for body in bodies] == [True, False, True, False, True]
    assert [body.get("private", False) for body in bodies] == [False, True, False, False, False]
    # A second program, backend and session, each on one job, from the last one back.
    assert [body["program_id"] for body in bodies] == ["sampler"] * 4 + ["estimator"]
    assert [body["backend"] for body in bodies] == ["ibm_x"] * 3 + ["ibm_x_b", "ibm_x"]
    assert [body.get("session_id") for body in bodies] == [None, None, f"{TAG}-session", None, None]
    assert BASE["tags"] == ["mine"]  # the base request is left as it was


def test_a_fleet_of_one_varies_only_its_program() -> None:
    (body,) = lifecycle._bodies({**BASE, "program_id": "estimator"}, ["pending"], TAG)
    assert body["program_id"] == "sampler"
    assert body["backend"] == "ibm_x"
    assert "session_id" not in body
