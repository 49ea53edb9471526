"""One service read per machine: readers of private results in different clients and in
different processes that share a `cache_dir` all get the bytes; exactly one request per job
reaches the service, and nobody is told the result was consumed elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .service import Service
from .workers import kept_files, read_results, run_processes

pytestmark = pytest.mark.loopback  # the mock on loopback, clients in other processes

JOBS = 10
READERS = 20


def _check_every_reader_got_the_one_read(
    service: Service, jobs: list[str], outcomes: list[dict[str, Any]], cache_dir: Path
) -> None:
    assert [o["errors"] for o in outcomes] == [[]] * len(outcomes)  # no false "consumed"
    for job in jobs:
        digests = [d for outcome in outcomes for d in outcome["digests"][job]]
        assert len(digests) == READERS
        assert len(set(digests)) == 1, job
    assert dict(service.counter.reads) == dict.fromkeys(jobs, 1)
    assert kept_files(cache_dir) == sorted(f"{job}.result" for job in jobs)


def test_two_clients_sharing_a_cache_dir(service: Service, tmp_path: Path) -> None:
    """Two clients in one process, 20 readers of each of 10 private results (200 reads)."""
    jobs = service.completed_jobs(JOBS)
    outcome = read_results(service.base_url, str(tmp_path), jobs, readers=READERS, clients=2)
    _check_every_reader_got_the_one_read(service, jobs, [outcome], tmp_path)


def test_two_processes_sharing_a_cache_dir(service: Service, tmp_path: Path) -> None:
    """Two processes with 10 readers each of 10 private results (200 reads)."""
    jobs = service.completed_jobs(JOBS)
    call = ((service.base_url, str(tmp_path), jobs), {"readers": READERS // 2})
    outcomes = run_processes(read_results, [call, call])
    _check_every_reader_got_the_one_read(service, jobs, outcomes, tmp_path)
