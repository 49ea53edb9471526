"""A run touches only the jobs it creates, on an account full of a user's own work.

Before each run the account holds the user's jobs: one queued, one completed whose results
nobody read, one private completed whose single read is not spent. The fuzzer learns their
ids from `GET /jobs` answers; the own-jobs rule must send every request that would read
their results or change them elsewhere. Every request the service received is logged by a
middleware in front of the mock, so "untouched" is what the service saw, not what the kit says.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract import Credentials, RunOptions, Target, run
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, MockServer, serve
from tests.contract.service_log import Answered, ServiceLog

pytestmark = [pytest.mark.contract, pytest.mark.loopback]
CREDENTIALS = Credentials(crn=DEFAULT_CRN, token=DEFAULT_TOKEN)
USER_TAGS = ["the-users-own"]
# The operations that read a job's result or change a job, as (method, path after the id).
RESULT_OR_CHANGE = {("GET", "results"), ("POST", "cancel"), ("DELETE", ""), ("PUT", "tags")}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class RequestLog(ServiceLog):
    """Every answer of the service, and which of them touched a user's job."""

    def touching(self, job_ids: set[str]) -> list[Answered]:
        """Requests to these jobs that read a result or change a job: the operations that do
        (results, cancel, delete, tags), and any other request with a method that could
        change something which the service carried out (2xx). An undocumented method the
        service refused (405 to `unsupported_method`'s probes) changed nothing."""
        found = []
        for request in self.seen:
            parts = request.path.split("/")  # /api/v1/jobs/{id}[/what]
            if len(parts) < 5 or parts[3] != "jobs" or parts[4] not in job_ids:
                continue
            what = parts[5] if len(parts) > 5 else ""
            carried_out = request.method not in SAFE_METHODS and 200 <= request.status < 300
            if (request.method, what) in RESULT_OR_CHANGE or carried_out:
                found.append(request)
        return found


@dataclass(frozen=True)
class UsersJobs:
    queued: str
    completed: str
    private: str

    @property
    def ids(self) -> set[str]:
        return {self.queued, self.completed, self.private}


def _create(server: MockServer, body: dict[str, Any]) -> str:
    answer = httpx.post(server.base_url + "/jobs", json=body, headers=server.headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def _status(server: MockServer, job_id: str) -> str:
    answer = httpx.get(f"{server.base_url}/jobs/{job_id}", headers=server.headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["status"])


def plant(server: MockServer) -> UsersJobs:
    """The user's jobs: created as the user, the finished ones waited for."""
    program = {"program_id": "sampler", "backend": "ibm_mock", "tags": USER_TAGS}
    jobs = UsersJobs(
        queued=_create(server, {**program, "params": {"mock": {"queued_seconds": 3600}}}),
        completed=_create(server, program),
        private=_create(server, {**program, "private": True}),
    )
    deadline = time.monotonic() + 30
    while {_status(server, jobs.completed), _status(server, jobs.private)} != {"Completed"}:
        assert time.monotonic() < deadline, "the user's jobs did not complete"
        time.sleep(0.1)
    return jobs


@pytest.fixture
def log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def service(log: RequestLog) -> Iterator[MockServer]:
    config = MockConfig(rate_limit_per_minute=None, queued_seconds=0.3, running_seconds=0.5)
    with serve(config, wrap=log) as server:
        yield server


def assert_untouched(server: MockServer, jobs: UsersJobs) -> None:
    """What the owner finds afterwards: the queued job still queued, every tag as set, and
    both results still there, the private one's single read unspent."""
    for job_id in jobs.ids:
        shown = httpx.get(f"{server.base_url}/jobs/{job_id}", headers=server.headers, timeout=30)
        assert shown.status_code == 200, (job_id, shown.text)
        assert shown.json()["tags"] == USER_TAGS, job_id
    assert _status(server, jobs.queued) == "Queued"
    for job_id in (jobs.completed, jobs.private):
        results = httpx.get(
            f"{server.base_url}/jobs/{job_id}/results", headers=server.headers, timeout=30
        )
        assert results.status_code == 200, (job_id, results.status_code)


@pytest.mark.parametrize("allow_create", [False, True], ids=["read-only", "allow-create"])
def test_a_run_leaves_the_users_jobs_untouched(
    allow_create: bool, service: MockServer, log: RequestLog, tmp_path: Path
) -> None:
    jobs = plant(service)
    said: list[str] = []
    target = Target("url", service.base_url, CREDENTIALS, kind="url", allow_create=allow_create)
    summary = run(
        target,
        RunOptions(report_dir=tmp_path, quiet=True, max_jobs=5, say=said.append),
    )
    assert summary.ok, "\n".join(said)
    assert log.touching(jobs.ids) == []
    # The fuzzer did aim at the user's jobs (it learns ids from GET /jobs): the rule sent
    # those requests to an id no job has.
    assert summary.redirected > 0
    assert_untouched(service, jobs)
    if allow_create:
        assert summary.created >= 4
        left = httpx.get(service.base_url + "/jobs", headers=service.headers, timeout=30).json()
        assert {job["id"] for job in left["jobs"]} == jobs.ids  # the run's own are all gone
