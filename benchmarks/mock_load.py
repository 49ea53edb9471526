"""Load benchmark of the mock server (not a test): concurrent httpx clients over loopback.

Drives a mix of job creations (rate limit off), job reads and list pages against the mock's
console server (``qiskit_runtime_jobs_mock.cli``) on 127.0.0.1, run in its own process so
clients and server do not share one GIL, and reports throughput and latency percentiles.
Bounded in request count and wall time; it talks only to the loopback server it starts.

    python benchmarks/mock_load.py            # 10,000 requests at 1, 8 and 64 clients
    python benchmarks/mock_load.py 2000 4     # 2,000 requests at 4 clients
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN

MIX = (("create", 0.2), ("get", 0.6), ("list", 0.2))
SEED_JOBS = 50
MAX_SECONDS = 300.0


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _drive(
    base_url: str, headers: dict[str, str], concurrency: int, total: int
) -> dict[str, Any]:
    rng = random.Random(1234)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    latencies: list[float] = []
    errors = 0
    server_errors = 0
    remaining = total
    deadline = time.monotonic() + MAX_SECONDS
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=30.0
    ) as client:
        job_ids = []
        for _ in range(SEED_JOBS):
            response = await client.post("/jobs", json={"program_id": "sampler"})
            job_ids.append(response.json()["id"])

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
                        if response.status_code == 200:
                            job_ids.append(response.json()["id"])
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

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
        "errors": errors,
        "server_errors": server_errors,
    }


HEADERS = {
    "Authorization": f"Bearer {DEFAULT_TOKEN}",
    "Service-CRN": DEFAULT_CRN,
    "IBM-API-Version": "2026-04-15",
}


def _cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by process ``pid`` (Linux /proc), to see which side is the limit."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def run(concurrency: int, total_requests: int) -> dict[str, Any]:
    """Start a mock, drive ``total_requests`` mixed requests from ``concurrency`` clients."""
    command = [
        sys.executable,
        "-c",
        "from qiskit_runtime_jobs_mock.cli import main; main()",
        "--port",
        "0",
        "--rate-limit",
        "off",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        base_url = server.stderr.readline().split()[4]  # "Qiskit Runtime Jobs mock: URL ..."
        client_cpu = time.process_time()
        report = asyncio.run(_drive(base_url, HEADERS, concurrency, total_requests))
        report["client_cpu_seconds"] = round(time.process_time() - client_cpu, 1)
        report["server_cpu_seconds"] = _cpu_seconds(server.pid)
        return report
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()


def main(argv: list[str]) -> int:
    total = int(argv[0]) if argv else 10_000
    levels = [int(argv[1])] if len(argv) > 1 else [1, 8, 64]
    failed = False
    for concurrency in levels:
        report = run(concurrency, total)
        sys.stdout.write(json.dumps(report) + "\n")
        failed |= report["errors"] > 0 or report["server_errors"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
