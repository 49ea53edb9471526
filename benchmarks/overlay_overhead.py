"""Client overhead benchmark (not a test): the overlay vs raw httpx vs the generated client.

Per-call latency of `get_job` and `list_jobs` (20 jobs a page) against one loopback mock,
sync and async, with the three clients sharing one connection pool (one transport). The
mock runs in a child process, so its work does not compete with the client for the GIL. Rounds
are interleaved so drift hits every variant alike; each figure is the median over rounds
of the mean per call. Ratios are against raw httpx (`get` + `raise_for_status` + `json`),
so they show what the overlay adds: typed models, validation, retry transport, error
mapping. Target: overlay <= 1.3x raw httpx. Bounded: ROUNDS x CALLS calls per variant.

Loopback timings on a small machine are noisy (the server's ~2 ms per request dominates),
so a third section, `in_process`, replays the mock's own recorded answers through
`httpx.MockTransport`: no network, only client-side CPU, stable from run to run.

    python benchmarks/overlay_overhead.py          # JSON report on stdout
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from qiskit_runtime_jobs import AsyncClient, Client
from qiskit_runtime_jobs_generated import Client as GeneratedClient
from qiskit_runtime_jobs_generated.api.jobs import get_job, list_jobs
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, serve

ROUNDS = 5
CALLS = 100
WARMUP = 20
SEED_JOBS = 40
PAGE = 20
TARGET_RATIO = 1.3


def _median_per_call(samples: list[float]) -> float:
    return statistics.median(samples) / CALLS * 1e6  # microseconds per call


def _report(results: dict[str, list[float]]) -> dict[str, Any]:
    per_call = {name: round(_median_per_call(s), 1) for name, s in results.items()}
    raw = per_call["raw_httpx"]
    return {
        "us_per_call": per_call,
        "overlay_vs_raw": round(per_call["overlay"] / raw, 3),
        "generated_vs_raw": round(per_call["generated"] / raw, 3),
        "overlay_vs_generated": round(per_call["overlay"] / per_call["generated"], 3),
    }


def _sync_variants(server: _Server, transport: httpx.BaseTransport, job_id: str) -> Any:
    raw = httpx.Client(base_url=server.base_url, headers=server.headers, transport=transport)
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    gen = GeneratedClient(base_url=server.base_url).set_httpx_client(
        httpx.Client(base_url=server.base_url, headers=auth, transport=transport)
    )
    overlay = Client(
        token=DEFAULT_TOKEN, crn=DEFAULT_CRN, base_url=server.base_url, transport=transport
    )
    version = server.headers["IBM-API-Version"]
    ops = {
        "get_job": {
            "raw_httpx": lambda: raw.get(f"/jobs/{job_id}").raise_for_status().json(),
            "generated": lambda: get_job.sync_detailed(
                job_id, client=gen, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.get_job(job_id),
        },
        "list_jobs": {
            "raw_httpx": lambda: raw.get("/jobs", params={"limit": PAGE}).raise_for_status().json(),
            "generated": lambda: list_jobs.sync_detailed(
                client=gen, limit=PAGE, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.list_jobs(limit=PAGE),
        },
    }
    return ops, (raw, overlay)


def _bench_sync(
    server: _Server, job_id: str, transport: httpx.BaseTransport | None = None
) -> dict[str, Any]:
    transport = transport or httpx.HTTPTransport()
    ops, clients = _sync_variants(server, transport, job_id)
    report = {}
    for op, variants in ops.items():
        results: dict[str, list[float]] = {name: [] for name in variants}
        for call in variants.values():
            for _ in range(WARMUP):
                call()
        for _ in range(ROUNDS):
            for name, call in variants.items():
                started = time.perf_counter()
                for _ in range(CALLS):
                    call()
                results[name].append(time.perf_counter() - started)
        report[op] = _report(results)
    for client in clients:
        client.close()
    return report


async def _bench_async(server: _Server, job_id: str) -> dict[str, Any]:
    transport = httpx.AsyncHTTPTransport()
    raw = httpx.AsyncClient(base_url=server.base_url, headers=server.headers, transport=transport)
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    gen = GeneratedClient(base_url=server.base_url).set_async_httpx_client(
        httpx.AsyncClient(base_url=server.base_url, headers=auth, transport=transport)
    )
    overlay = AsyncClient(
        token=DEFAULT_TOKEN, crn=DEFAULT_CRN, base_url=server.base_url, transport=transport
    )
    version = server.headers["IBM-API-Version"]

    async def raw_get() -> Any:
        return (await raw.get(f"/jobs/{job_id}")).raise_for_status().json()

    async def raw_list() -> Any:
        return (await raw.get("/jobs", params={"limit": PAGE})).raise_for_status().json()

    ops: dict[str, dict[str, Callable[[], Awaitable[Any]]]] = {
        "get_job": {
            "raw_httpx": raw_get,
            "generated": lambda: get_job.asyncio_detailed(
                job_id, client=gen, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.get_job(job_id),
        },
        "list_jobs": {
            "raw_httpx": raw_list,
            "generated": lambda: list_jobs.asyncio_detailed(
                client=gen, limit=PAGE, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.list_jobs(limit=PAGE),
        },
    }
    report = {}
    for op, variants in ops.items():
        results: dict[str, list[float]] = {name: [] for name in variants}
        for call in variants.values():
            for _ in range(WARMUP):
                await call()
        for _ in range(ROUNDS):
            for name, call in variants.items():
                started = time.perf_counter()
                for _ in range(CALLS):
                    await call()
                results[name].append(time.perf_counter() - started)
        report[op] = _report(results)
    await raw.aclose()
    await overlay.close()
    return report


class _Server:
    """What the benchmark needs of the mock running in the child process."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.base_url = base_url
        self.headers = headers


def _serve_in_child(ready: Any, stop: Any) -> None:
    with serve(MockConfig(rate_limit_per_minute=None)) as server:
        ready.put((server.base_url, server.headers))
        stop.wait(timeout=600)


def _replaying(recorded: dict[str, bytes]) -> httpx.MockTransport:
    """A transport answering with the mock's recorded bodies (no network at all)."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = recorded["list" if request.url.path.endswith("/jobs") else "job"]
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def run() -> dict[str, Any]:
    """Start a loopback mock (child process), measure, return the report with `passed`."""
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    child = context.Process(target=_serve_in_child, args=(ready, stop), daemon=True)
    child.start()
    try:
        server = _Server(*ready.get(timeout=60))
        with httpx.Client(base_url=server.base_url, headers=server.headers) as seed:
            ids = [
                seed.post("/jobs", json={"program_id": "sampler"}).json()["id"]
                for _ in range(SEED_JOBS)
            ]
            recorded = {
                "job": seed.get(f"/jobs/{ids[0]}").content,
                "list": seed.get("/jobs", params={"limit": PAGE}).content,
            }
        report: dict[str, Any] = {
            "benchmark": "overlay_overhead",
            "calls_per_variant": ROUNDS * CALLS,
            "sync": _bench_sync(server, ids[0]),
            "async": asyncio.run(_bench_async(server, ids[0])),
            "in_process": _bench_sync(server, ids[0], _replaying(recorded)),
            "target_overlay_vs_raw": TARGET_RATIO,
        }
    finally:
        stop.set()
        child.join(timeout=10)
    modes = ("sync", "async")
    ratios = [ops["overlay_vs_raw"] for mode in modes for ops in report[mode].values()]
    report["worst_overlay_vs_raw"] = max(ratios)
    report["passed"] = max(ratios) <= TARGET_RATIO
    return report


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run(), indent=2) + "\n")
