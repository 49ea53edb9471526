"""A reused idempotency key never makes a second job: from threads, or from processes, through
30% faults of every kind on every route (the fault proxy in front of the loopback mock)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .service import Service
from .workers import create_with_keys, run_processes

pytestmark = pytest.mark.loopback  # the mock on loopback, clients in other processes

KEYS = [f"batch-{i}" for i in range(10)]


def _check_one_job_per_key(service: Service, outcomes: list[dict[str, Any]]) -> None:
    """Every key made at most one job, and every call that returned got that very job.

    (A call may still fail, typed: the workers let anything but `QiskitRuntimeError` escape.)
    """
    for key in KEYS:
        returned = {job_id for outcome in outcomes for job_id in outcome["ids"][key]}
        assert service.jobs_tagged(f"qrj-idempotency-{key}") == len(returned) <= 1, key


def test_threads_reusing_keys_make_one_job_each(service: Service, tmp_path: Path) -> None:
    """8 threads create each of 10 keys (80 calls) through 30% faults: one job per key."""
    outcome = create_with_keys(
        service.base_url, str(tmp_path), KEYS, threads=8, fault_rate=0.3, seed=7
    )
    assert sum(outcome["faults"].values()) > 0  # faults really struck
    _check_one_job_per_key(service, [outcome])
    assert sum(len(ids) for ids in outcome["ids"].values()) > 0


def test_processes_reusing_keys_make_one_job_each(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """4 processes x 2 threads create each of 10 keys (80 calls) through 30% faults, with no
    cache_dir: they serialize on the per-user lock directory. One job per key."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the children inherit it
    calls = [
        ((service.base_url, None, KEYS), {"threads": 2, "fault_rate": 0.3, "seed": seed})
        for seed in range(4)
    ]
    outcomes = run_processes(create_with_keys, calls)
    _check_one_job_per_key(service, outcomes)
    assert sum(len(ids) for o in outcomes for ids in o["ids"].values()) > 0
    locks = tmp_path / "qiskit-runtime-jobs" / "locks"
    assert sorted(p.name for p in locks.iterdir()) == sorted(f"create-{k}.lock" for k in KEYS)
