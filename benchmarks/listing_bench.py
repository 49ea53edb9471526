"""Listing benchmark (not a test): `Client.iter_jobs` auto-pagination over n jobs.

One loopback mock (child process) holds n = 1,000, 5,000 and 10,000 jobs, each set under its
own tag, seeded straight into its store. For each n, `iter_jobs(page_size=PAGE, tags=[tag])`
is consumed without keeping the jobs, through a transport that counts the HTTP requests the
client really sends: they must equal ceil(n / PAGE). Python's peak traced memory during the
iteration (tracemalloc, client process only: the mock is elsewhere) must stay flat in n, since
only one page is alive at a time; the report gives it as a multiple of the smallest n's peak.
Measuring starts once every seeded job has finished (the mock's jobs finish a few seconds
after they are created), so every n lists jobs of one shape: a finished job carries more
fields (`usage`) than a queued one, and pages of different sizes would make the peaks differ.
Time per job, also against the smallest n, shows the cost grows linearly (the mock's own scan
is O(n) a page, so the server side grows faster; see `server_share`).

    python -m benchmarks.listing_bench            # JSON report on stdout
"""

from __future__ import annotations

import gc
import json
import math
import sys
import time
import tracemalloc
from typing import Any

import httpx

from benchmarks._common import (
    DEFAULT_CRN,
    DEFAULT_TOKEN,
    CountingTransport,
    MockProcess,
    mock_process,
    ratio,
)
from qiskit_runtime_jobs import Client

SIZES = (1_000, 5_000, 10_000)
QUICK_SIZES = (50, 100, 200)
PAGE = 100
QUICK_PAGE = 20
MEMORY_TARGET = 1.2  # peak at the largest n, as a multiple of the peak at the smallest
SETTLE_TIMEOUT = 60.0  # seconds to wait for the seeded jobs to finish


def _settle(server: MockProcess) -> None:
    """Wait until no seeded job is pending (Queued or Running) any more."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    with httpx.Client(base_url=server.base_url, headers=server.headers) as client:
        while client.get("/jobs", params={"limit": 1, "pending": "true"}).json()["jobs"]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the seeded jobs did not finish in {SETTLE_TIMEOUT} s")
            time.sleep(0.2)


def _consume(base_url: str, tag: str, page: int, traced: bool) -> tuple[int, int, float, int]:
    """Jobs seen, requests sent, seconds, peak traced bytes (0 if not traced)."""
    transport = CountingTransport(httpx.HTTPTransport())
    with Client(
        token=DEFAULT_TOKEN, crn=DEFAULT_CRN, base_url=base_url, transport=transport
    ) as client:
        next(iter(client.list_jobs(limit=1, tags=[tag]).jobs))  # warm up: lazy imports, pool
        transport.requests = 0
        if traced:
            gc.collect()  # start every pass from a clean heap
            tracemalloc.start()
        started = time.perf_counter()
        seen = sum(1 for _ in client.iter_jobs(page_size=page, tags=[tag]))
        seconds = time.perf_counter() - started
        peak = 0
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return seen, transport.requests, seconds, peak


def run(quick: bool = False) -> dict[str, Any]:
    """Each n in turn against one seeded mock; timing and memory from separate passes
    (tracemalloc slows Python down several times)."""
    sizes = QUICK_SIZES if quick else SIZES
    page = QUICK_PAGE if quick else PAGE
    rows: dict[str, dict[str, Any]] = {}
    with mock_process({f"n{n}": n for n in sizes}) as server:
        _settle(server)
        _consume(server.base_url, f"n{sizes[0]}", page, traced=True)  # first traced pass: warm-up
        for n in sizes:
            seen, requests, seconds, _ = _consume(server.base_url, f"n{n}", page, traced=False)
            _, _, _, peak = _consume(server.base_url, f"n{n}", page, traced=True)
            rows[str(n)] = {
                "jobs": seen,
                "requests": requests,
                "expected_requests": math.ceil(n / page),
                "us_per_job": round(seconds / n * 1e6, 1),
                "peak_traced_kib": round(peak / 1024, 1),
            }
    first = rows[str(sizes[0])]
    for row in rows.values():
        row["us_per_job_vs_smallest"] = ratio(row["us_per_job"], first["us_per_job"])
        row["peak_vs_smallest"] = ratio(row["peak_traced_kib"], first["peak_traced_kib"])
    requests_ok = all(
        row["requests"] == row["expected_requests"] and row["jobs"] == int(n)
        for n, row in rows.items()
    )
    memory_ok = rows[str(sizes[-1])]["peak_vs_smallest"] <= MEMORY_TARGET
    return {
        "page_size": page,
        "sizes": rows,
        "memory_target_vs_smallest": MEMORY_TARGET,
        "requests_ok": requests_ok,
        "memory_flat": memory_ok,
        "passed": requests_ok and memory_ok,
    }


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run(), indent=2) + "\n")
