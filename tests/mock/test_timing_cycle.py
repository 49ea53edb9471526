"""MockConfig.timing_cycle: jobs without their own timings take (queued, running) in turn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_mock import MockConfig, VirtualClock
from tests.mock.conftest import create_job

CYCLE = ((0.0, 0.0), (0.0, 0.0), (0.3, 1.0))


def _timing(http: httpx.Client, job_id: str) -> tuple[str, float]:
    body = http.get(f"/jobs/{job_id}").json()
    return body["status"], body["estimated_running_time_seconds"]


def test_jobs_take_the_cycle_in_turn(make_server: Callable[..., Any], clock: VirtualClock) -> None:
    """Job N gets timing_cycle[N % len]: two finish at once, the third is still Queued."""
    _, http = make_server(timing_cycle=CYCLE, rate_limit_per_minute=None)
    jobs = [create_job(http) for _ in range(7)]
    assert [_timing(http, job) for job in jobs] == [
        ("Completed", 0),
        ("Completed", 0),
        ("Queued", 1.0),
        ("Completed", 0),
        ("Completed", 0),
        ("Queued", 1.0),
        ("Completed", 0),
    ]
    clock.advance(0.3)
    assert _timing(http, jobs[2]) == ("Running", 1.0)
    assert http.post(f"/jobs/{jobs[2]}/cancel").status_code == 204


def test_jobs_with_their_own_timings_do_not_count(
    make_server: Callable[..., Any], clock: VirtualClock
) -> None:
    """A job setting params.mock timings keeps them (the config default fills the other) and
    does not take a turn."""
    _, http = make_server(timing_cycle=((5.0, 5.0), (7.0, 7.0)), rate_limit_per_minute=None)
    first = create_job(http)
    own = create_job(http, params={"mock": {"queued_seconds": 0}})
    second = create_job(http)
    assert _timing(http, first) == ("Queued", 5.0)
    assert _timing(http, own) == ("Running", 3.0)  # running_seconds: the config default
    assert _timing(http, second) == ("Queued", 7.0)


def test_refused_creations_do_not_count(
    make_server: Callable[..., Any], clock: VirtualClock
) -> None:
    """Only created jobs take a turn: a 429 or a 400 does not."""
    _, http = make_server(timing_cycle=((1.0, 1.0), (2.0, 2.0)), rate_limit_per_minute=1)
    first = create_job(http)
    assert http.post("/jobs", json={"program_id": "s"}).status_code == 429
    clock.advance(60)
    assert http.post("/jobs", json={"program_id": ""}).status_code == 400
    second = create_job(http)
    assert _timing(http, first)[1] == 1.0
    assert _timing(http, second)[1] == 2.0


def test_each_server_counts_from_zero(make_server: Callable[..., Any]) -> None:
    """The count is per store: a new server starts at the first entry again."""
    _, one = make_server(timing_cycle=((1.0, 4.0), (2.0, 5.0)))
    _, two = make_server(timing_cycle=((1.0, 4.0), (2.0, 5.0)))
    assert _timing(one, create_job(one))[1] == 4.0
    assert _timing(one, create_job(one))[1] == 5.0
    assert _timing(two, create_job(two))[1] == 4.0


def test_empty_cycle_keeps_the_config_defaults(client: httpx.Client) -> None:
    """Without a cycle every job gets queued_seconds and running_seconds."""
    assert MockConfig().timing_cycle == ()
    assert [_timing(client, create_job(client)) for _ in range(2)] == [("Queued", 3.0)] * 2


@pytest.mark.parametrize(
    "cycle",
    [((-1.0, 0.0),), ((0.0, -0.5),), ((float("nan"), 1.0),), ((1.0, float("inf")),), ((1.0,),)],
)
def test_cycle_entries_are_validated(cycle: Any) -> None:
    """Entries must be pairs of finite numbers >= 0."""
    with pytest.raises(ValueError, match="timing_cycle"):
        MockConfig(timing_cycle=cycle)
