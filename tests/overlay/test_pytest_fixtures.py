"""The pytest plugin's client fixture (`qiskit_runtime_client`), as a user's suite uses it:
jobs carry the timestamps a real service would give them, and the test still owns time."""

from __future__ import annotations

import datetime as dt

import pytest

from qiskit_runtime_jobs import Client
from qiskit_runtime_jobs_kit.pytest_plugin import RunningMock

pytestmark = pytest.mark.loopback  # the plugin's mock listens on 127.0.0.1


def test_jobs_made_through_the_fixture_carry_realistic_timestamps(
    qiskit_runtime_mock: RunningMock, qiskit_runtime_client: Client
) -> None:
    """`created` is about now (not 1970), and the shared virtual clock still moves the job."""
    before = dt.datetime.now(dt.UTC)
    job = qiskit_runtime_client.get_job(qiskit_runtime_client.create_job("sampler").id)
    after = dt.datetime.now(dt.UTC)
    assert isinstance(job.created, dt.datetime)
    assert before - dt.timedelta(seconds=1) <= job.created <= after + dt.timedelta(seconds=1)

    clock = qiskit_runtime_mock.clock
    start = clock.now()
    finished = qiskit_runtime_client.wait(job.id, timeout=600)  # virtual time: no real sleep
    assert str(finished.status) == "Completed"
    assert clock.now() - start >= 4.0  # the mock's default 1 s queued + 3 s running
    metrics = qiskit_runtime_client.get_job_metrics(job.id)
    assert isinstance(metrics.timestamps.finished, dt.datetime)
    elapsed = metrics.timestamps.finished - job.created
    assert dt.timedelta(seconds=4) <= elapsed <= dt.timedelta(seconds=clock.now() - start + 1)


def test_the_test_moves_the_fixture_clock(
    qiskit_runtime_mock: RunningMock, qiskit_runtime_client: Client
) -> None:
    """Advancing the fixture's clock moves the mock's jobs (timestamps follow, no sleeping)."""
    job = qiskit_runtime_client.create_job("sampler")
    assert str(qiskit_runtime_client.get_job(job.id).status) == "Queued"
    qiskit_runtime_mock.clock.advance(3600)
    done = qiskit_runtime_client.get_job(job.id)
    assert str(done.status) == "Completed"
    created = done.created
    assert isinstance(created, dt.datetime)
    assert created.year >= 2026
