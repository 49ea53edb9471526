"""Refused results reads are retried: 429s and 503s answered before the request reached the
service (the fault proxy in front of the loopback mock) on 30% of all requests."""

from __future__ import annotations

import pytest

from .proxy import REFUSALS
from .service import Service
from .workers import read_results

pytestmark = pytest.mark.loopback  # the mock on loopback, clients in other processes

JOBS = 40


def test_results_get_through_refusals(service: Service) -> None:
    """Each private result is read exactly once and every results() call returns it, as long
    as no request is refused more often than the client retries (3 times)."""
    jobs = service.completed_jobs(JOBS)
    outcome = read_results(
        service.base_url,
        None,
        jobs,
        readers=1,
        fault_rate=0.3,
        kinds=REFUSALS,
        max_in_a_row=3,
        seed=11,
    )
    assert outcome["errors"] == []
    assert all(len(outcome["digests"][job]) == 1 for job in jobs)
    assert dict(service.counter.reads) == dict.fromkeys(jobs, 1)
    refused = sum(outcome["faults"].values())
    assert refused >= 0.2 * (refused + outcome["forwarded"])  # refusals did strike, often
