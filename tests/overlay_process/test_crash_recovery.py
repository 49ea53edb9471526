"""Crash safety of the kept private results: a process killed (SIGKILL) at each step of
keeping a result it just read, then a new process reading the same job.

Once the body is in the file, nothing is lost: the new process gets the very bytes without
asking the service again (a complete temporary file is promoted). Killed before the body
was written, the result is gone (the service already deleted it): the new process says so,
and the empty temporary file is cleaned up.
"""

from __future__ import annotations

import hashlib
import signal
from pathlib import Path

import pytest

from .service import Service
from .workers import KILL_POINTS, kept_files, kill_then_read

pytestmark = pytest.mark.loopback  # the mock on loopback, clients in other processes


def test_each_kill_point_then_a_new_process(service: Service, tmp_path: Path) -> None:
    """Killed at every step; a new process recovers the result at all but 'before write'."""
    *private, twin = service.completed_jobs(len(KILL_POINTS), public=1)  # all the same bytes
    jobs = dict(zip(KILL_POINTS, private, strict=True))
    expected = hashlib.sha256(service.result_of(twin)).hexdigest()

    run = kill_then_read(service.base_url, tmp_path, jobs)

    assert run["codes"] == dict.fromkeys(KILL_POINTS, -signal.SIGKILL)
    assert run["left"] == {  # (kind of file, holds bytes)
        "before write": [(".tmp", False)],  # `.<id>.<random>.tmp`
        "after write": [(".tmp", True)],
        "before fsync": [(".tmp", True)],
        "before rename": [(".tmp", True)],
        "after rename": [(".result", True)],  # `<id>.result`
    }
    outcome = run["outcome"]
    recovered = {point: outcome["digests"][job] == [expected] for point, job in jobs.items()}
    assert recovered == {
        "before write": False,
        "after write": True,
        "before fsync": True,
        "before rename": True,
        "after rename": True,
    }
    assert outcome["errors"] == ["ResultAlreadyConsumedError"]  # the 'before write' job
    assert kept_files(tmp_path) == sorted(f"{jobs[p]}.result" for p in KILL_POINTS[1:])
    reads = {**dict.fromkeys(jobs.values(), 1), jobs["before write"]: 2}  # 204 the second time
    assert dict(service.counter.reads) == reads
