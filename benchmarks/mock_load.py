"""Load benchmark of the mock server (not a test): concurrent httpx clients over loopback.

Drives a mix of job creations (rate limit off), job reads and list pages against the mock on
127.0.0.1, run in its own process, and reports throughput and latency percentiles at 1, 8 and
64 concurrent clients. A single client process was found to be the bottleneck (its CPU use
equals the wall time while the server idles), so from 8 clients up the load comes from
`CLIENT_PROCESSES` processes, each running its share of the clients; the report gives both
sides' CPU seconds so a reader sees which side is the limit. Bounded in request count and wall
time; it talks only to the loopback server it starts.

    python -m benchmarks.mock_load            # JSON report on stdout
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import statistics
import sys
import time
from typing import Any

import httpx

from benchmarks._common import MockProcess, cpu_seconds, mock_process, percentile, ratio

MIX = (("create", 0.2), ("get", 0.6), ("list", 0.2))
SEED_JOBS = 50
MAX_SECONDS = 60.0
LEVELS = (1, 8, 64)
CLIENT_PROCESSES = 2
REQUESTS = 3_000
QUICK_REQUESTS = 150


async def _drive(
    server: MockProcess, concurrency: int, total: int, seed: int
) -> tuple[list[float], int, int]:
    """`total` mixed requests from `concurrency` clients: latencies, errors, 5xx."""
    rng = random.Random(seed)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    latencies: list[float] = []
    errors = 0
    server_errors = 0
    remaining = total
    deadline = time.monotonic() + MAX_SECONDS
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=server.headers, limits=limits, timeout=30.0
    ) as client:
        listed = await client.get("/jobs", params={"limit": SEED_JOBS})
        job_ids = [job["id"] for job in listed.json()["jobs"]]

        async def worker() -> None:
            nonlocal remaining, errors, server_errors
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                kind = rng.choices(kinds, weights)[0]
                started = time.perf_counter()
                try:
                    if kind == "create":
                        response = await client.post(
                            "/jobs", json={"program_id": "sampler", "tags": ["bench"]}
                        )
                    elif kind == "get":
                        response = await client.get(f"/jobs/{rng.choice(job_ids)}")
                    else:
                        response = await client.get("/jobs", params={"limit": 10, "tags": "bench"})
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)
                if response.status_code >= 500:
                    server_errors += 1
                if response.status_code >= 400:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, server_errors


def _client_process(
    server: MockProcess, concurrency: int, total: int, seed: int, out: Any, go: Any
) -> None:
    """One load-generating process: its latencies, errors and CPU seconds, put on `out`."""
    out.put("ready")
    go.wait(timeout=120)
    cpu = time.process_time()
    latencies, errors, server_errors = asyncio.run(_drive(server, concurrency, total, seed))
    out.put((latencies, errors, server_errors, time.process_time() - cpu))


def _level(server: MockProcess, concurrency: int, total: int) -> dict[str, Any]:
    processes = min(CLIENT_PROCESSES, concurrency)
    context = multiprocessing.get_context("spawn")
    out, go = context.Queue(), context.Event()
    children = [
        context.Process(
            target=_client_process,
            args=(server, concurrency // processes, total // processes, 1234 + i, out, go),
        )
        for i in range(processes)
    ]
    for child in children:
        child.start()
    for _ in children:  # started and imported: the clock starts when all are ready
        out.get(timeout=120)
    server_cpu = cpu_seconds(server.pid) or 0.0
    began = time.perf_counter()
    go.set()
    parts = [out.get(timeout=MAX_SECONDS + 60) for _ in children]
    elapsed = time.perf_counter() - began
    for child in children:
        child.join(timeout=10)
    latencies = [value for part in parts for value in part[0]]
    p50 = statistics.median(latencies)
    p99 = percentile(latencies, 0.99)
    return {
        "concurrency": concurrency,
        "client_processes": processes,
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(p50 * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "p99_vs_p50": ratio(p99, p50),
        "errors": sum(part[1] for part in parts),
        "server_errors": sum(part[2] for part in parts),
        "client_cpu_seconds": round(sum(part[3] for part in parts), 2),
        "server_cpu_seconds": round((cpu_seconds(server.pid) or 0.0) - server_cpu, 2),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """One mock; each concurrency level in turn against it."""
    total = QUICK_REQUESTS if quick else REQUESTS
    with mock_process({"bench": SEED_JOBS}) as server:
        levels = [_level(server, concurrency, total) for concurrency in LEVELS]
    single = levels[0]["requests_per_second"]
    for level in levels:
        level["rps_vs_1_client"] = ratio(level["requests_per_second"], single)
    return {
        "requests_per_level": total,
        "mix": dict(MIX),
        "levels": {str(level["concurrency"]): level for level in levels},
        "passed": all(level["server_errors"] == 0 for level in levels),
    }


if __name__ == "__main__":
    report = run()
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    raise SystemExit(0 if report["passed"] else 1)
