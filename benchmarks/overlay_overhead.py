"""Client overhead benchmark (not a test): the overlay vs raw httpx vs the generated client
vs the peer (qiskit-ibm-runtime's REST layer, `RuntimeClient`).

Per-call latency of `get_job` and `list_jobs` (pages of 10, 50 and 200 jobs: the three sizes)
against one loopback mock, sync and async. Raw httpx, the generated client and the overlay
share one connection pool (one transport); the peer uses its own `requests` session (it has no
other), logged in with an API key exchanged at the mock's IAM endpoint, as in production. The
mock runs in a child process, so its work does not compete with the client for the GIL. Rounds
are interleaved so drift hits every variant alike; each figure is the median over rounds of
the mean per call. Ratios are against raw httpx (`get` + `raise_for_status` + `json`), so they
show what the overlay adds: typed models, validation, retry transport, error mapping.
Target: overlay <= 1.3x raw httpx.

Loopback timings on a small machine are noisy (the server's ~2 ms per request dominates),
so a third section, `in_process`, replays the mock's own recorded answers through
`httpx.MockTransport`: no network, only client-side CPU (the peer cannot take an httpx
transport, so it is not in that section).

    python -m benchmarks.overlay_overhead          # JSON report on stdout
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import httpx

from benchmarks._common import (
    DEFAULT_API_KEY,
    DEFAULT_CRN,
    DEFAULT_TOKEN,
    MockProcess,
    mock_process,
    optional,
    per_call_us,
    per_call_us_async,
    ratio,
)
from qiskit_runtime_jobs import AsyncClient, Client
from qiskit_runtime_jobs_generated import Client as GeneratedClient
from qiskit_runtime_jobs_generated.api.jobs import get_job, list_jobs

PAGES = (10, 50, 200)
TARGET_RATIO = 1.3


@dataclass(frozen=True)
class Plan:
    """How much to measure: `rounds` x `calls` calls per variant after `warmup`."""

    rounds: int = 5
    calls: int = 40
    warmup: int = 10
    pages: tuple[int, ...] = PAGES


QUICK = Plan(rounds=2, calls=5, warmup=2, pages=(5, 10, 20))

Op = tuple[str, int | None]  # ("get_job", None) or ("list_jobs", page size)


def _ops(plan: Plan) -> list[Op]:
    return [("get_job", None), *(("list_jobs", page) for page in plan.pages)]


def _name(op: Op) -> str:
    return op[0] if op[1] is None else f"{op[0]}[{op[1]}]"


def _report(us: dict[str, float]) -> dict[str, Any]:
    raw = us["raw_httpx"]
    report: dict[str, Any] = {
        "us_per_call": us,
        "overlay_vs_raw": ratio(us["overlay"], raw),
        "generated_vs_raw": ratio(us["generated"], raw),
        "overlay_vs_generated": ratio(us["overlay"], us["generated"]),
    }
    if "peer" in us:
        report["overlay_vs_peer"] = ratio(us["overlay"], us["peer"])
    return report


@contextmanager
def _peer_client(server: MockProcess) -> Iterator[Any]:
    """IBM's RuntimeClient pointed at the mock (None if qiskit-ibm-runtime is not installed)."""
    module = optional("qiskit_ibm_runtime.api.client")
    if module is None:
        yield None
        return
    from qiskit_ibm_runtime.api.client_parameters import ClientParameters

    # IAM_URL: where its token manager exchanges the API key. USAGE_DATA_OPT_OUT: without it,
    # every request calls `inspect.stack()` (for a usage header), which under `python -m`
    # scans every loaded module per frame: ~8 ms a call that is the peer's, not the mock's.
    environment = {"IAM_URL": server.root_url, "USAGE_DATA_OPT_OUT": "True"}
    with mock.patch.dict(os.environ, environment):
        params = ClientParameters(
            channel="ibm_quantum_platform",
            token=DEFAULT_API_KEY,
            instance=DEFAULT_CRN,
            url="https://unused",
            url_resolver=lambda *_: server.base_url,
        )
        client = module.RuntimeClient(params)
        yield client
        client._session.close()


def _sync_variants(
    server: MockProcess, transport: httpx.BaseTransport, job_id: str, op: Op, peer: Any
) -> tuple[dict[str, Callable[[], object]], list[Any]]:
    raw = httpx.Client(base_url=server.base_url, headers=server.headers, transport=transport)
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    gen = GeneratedClient(base_url=server.base_url).set_httpx_client(
        httpx.Client(base_url=server.base_url, headers=auth, transport=transport)
    )
    overlay = Client(
        token=DEFAULT_TOKEN, crn=DEFAULT_CRN, base_url=server.base_url, transport=transport
    )
    version = server.headers["IBM-API-Version"]
    kind, page = op
    variants: dict[str, Callable[[], object]]
    if kind == "get_job":
        variants = {
            "raw_httpx": lambda: raw.get(f"/jobs/{job_id}").raise_for_status().json(),
            "generated": lambda: get_job.sync_detailed(
                job_id, client=gen, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.get_job(job_id),
        }
        if peer is not None:
            variants["peer"] = lambda: peer.job_get(job_id, exclude_params=False)
    else:
        assert page is not None
        variants = {
            "raw_httpx": lambda: raw.get("/jobs", params={"limit": page}).raise_for_status().json(),
            "generated": lambda: list_jobs.sync_detailed(
                client=gen, limit=page, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.list_jobs(limit=page),
        }
        if peer is not None:
            variants["peer"] = lambda: peer.jobs_get(limit=page)
    return variants, [raw, overlay]


def _bench_sync(
    server: MockProcess,
    job_id: str,
    plan: Plan,
    transport: httpx.BaseTransport | None = None,
    peer: Any = None,
) -> dict[str, Any]:
    transport = transport or httpx.HTTPTransport()
    report = {}
    for op in _ops(plan):
        variants, clients = _sync_variants(server, transport, job_id, op, peer)
        us = per_call_us(variants, rounds=plan.rounds, calls=plan.calls, warmup=plan.warmup)
        report[_name(op)] = _report(us)
        for client in clients:
            client.close()
    transport.close()
    return report


async def _bench_async(server: MockProcess, job_id: str, plan: Plan) -> dict[str, Any]:
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

    def variants_for(op: Op) -> dict[str, Callable[[], Awaitable[object]]]:
        kind, page = op
        if kind == "get_job":

            async def raw_get() -> object:
                return (await raw.get(f"/jobs/{job_id}")).raise_for_status().json()

            return {
                "raw_httpx": raw_get,
                "generated": lambda: get_job.asyncio_detailed(
                    job_id, client=gen, service_crn=DEFAULT_CRN, ibm_api_version=version
                ),
                "overlay": lambda: overlay.get_job(job_id),
            }

        async def raw_list() -> object:
            return (await raw.get("/jobs", params={"limit": page})).raise_for_status().json()

        assert page is not None
        return {
            "raw_httpx": raw_list,
            "generated": lambda: list_jobs.asyncio_detailed(
                client=gen, limit=page, service_crn=DEFAULT_CRN, ibm_api_version=version
            ),
            "overlay": lambda: overlay.list_jobs(limit=page),
        }

    report = {}
    for op in _ops(plan):
        us = await per_call_us_async(
            variants_for(op), rounds=plan.rounds, calls=plan.calls, warmup=plan.warmup
        )
        report[_name(op)] = _report(us)
    await raw.aclose()
    await overlay.close()
    return report


def _replaying(recorded: dict[str, bytes]) -> httpx.MockTransport:
    """A transport answering with the mock's recorded bodies (no network at all)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs"):
            body = recorded[f"list{request.url.params['limit']}"]
        else:
            body = recorded["job"]
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def run(plan: Plan | None = None) -> dict[str, Any]:
    """Start a loopback mock (child process), measure, return the report with `passed`."""
    plan = plan or Plan()
    with mock_process({"bench": max(plan.pages)}) as server:
        with httpx.Client(base_url=server.base_url, headers=server.headers) as seed:
            job_id = seed.get("/jobs", params={"limit": 1}).json()["jobs"][0]["id"]
            recorded = {"job": seed.get(f"/jobs/{job_id}").content} | {
                f"list{page}": seed.get("/jobs", params={"limit": page}).content
                for page in plan.pages
            }
        with _peer_client(server) as peer:
            sync = _bench_sync(server, job_id, plan, peer=peer)
        report: dict[str, Any] = {
            "calls_per_variant": plan.rounds * plan.calls,
            "page_sizes": list(plan.pages),
            "peer": "qiskit-ibm-runtime RuntimeClient" if peer is not None else None,
            # the overlay reads answers with msgspec where installed (else like raw: json)
            "overlay_json_parser": "json" if optional("msgspec") is None else "msgspec",
            "sync": sync,
            "async": asyncio.run(_bench_async(server, job_id, plan)),
            "in_process": _bench_sync(server, job_id, plan, _replaying(recorded)),
            "target_overlay_vs_raw": TARGET_RATIO,
        }
    modes = ("sync", "async")
    ratios = [ops["overlay_vs_raw"] for mode in modes for ops in report[mode].values()]
    report["worst_overlay_vs_raw"] = max(ratios)
    report["passed"] = max(ratios) <= TARGET_RATIO
    return report


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run(), indent=2) + "\n")
