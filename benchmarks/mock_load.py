"""Load benchmark of the mock server (not a test): the mock against Prism under autocannon.

Prism (`@stoplight/prism-cli`, the spec-driven mock most users would otherwise pick) serves
the same spec, `openapi/qiskit-runtime-jobs.yaml`, from its examples. autocannon, a load
generator in C-backed Node that keeps 64 connections busy on one core, measures both over
loopback, route by route: the mock first, Prism right after, each for 8 s after a 1 s warm-up.
Both tools are npm packages pinned by `tools/bench_load/package-lock.json` (`make bench`
installs them). Prism runs with `-v silent`, its fastest setting: its default request log
halves its throughput, so the ratio here is against Prism at its best.

Per route and server: requests per second, latency percentiles, the server's CPU time per
request (from /proc, its whole process tree), and the load generator's CPU time, so a reader
sees that the generator was not the limit. Targets: the mock answers at least 3x Prism's
requests per second, with a p99 under 20 ms, and never a non-2xx answer. It talks only to the
loopback servers it starts, and every run is bounded in time.

    python -m benchmarks.mock_load            # JSON report on stdout
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import ROOT, MockProcess, mock_process, ratio

TOOLS = ROOT / "tools" / "bench_load"
SPEC = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
# What the routes are called here, and their path (below the mock's /api/v1, Prism's /).
ROUTES = {"get_job": "/jobs/{id}", "list_jobs": "/jobs?limit=20"}
SEED_JOBS = 50
TARGET_RATIO = 3.0
TARGET_P99_MS = 20.0
# Above this share of one core, the load generator may be what limits the throughput.
GENERATOR_BUSY = 0.9
START_TIMEOUT_SECONDS = 60.0
# autocannon's connections, then the seconds of load measured and of warm-up before, per route
# and server; --quick: a smoke run.
FULL = (64, 8, 1)
QUICK = (8, 1, 0)


def _tool(name: str) -> Path:
    return TOOLS / "node_modules" / ".bin" / name


def _version(package: str) -> str:
    manifest = TOOLS / "node_modules" / package / "package.json"
    return str(json.loads(manifest.read_text())["version"])


def _missing() -> str | None:
    """Why the benchmark cannot run here, if it cannot."""
    if shutil.which("node") is None:
        return "node is not installed"
    for name in ("autocannon", "prism"):
        if not _tool(name).exists():
            return f"{name} is not installed (make bench runs npm ci --prefix tools/bench_load)"
    return None


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process `pid` and all its live descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    family = {pid}
    grew = True
    while grew:
        children = {child for child, parent in parents.items() if parent in family}
        grew = not children <= family
        family |= children
    return sum(times.get(member, 0.0) for member in family)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _prism(headers: dict[str, str], probe_path: str) -> Iterator[MockProcess]:
    """Prism mocking the spec on a free loopback port, until the block exits."""
    port = _free_port()
    command = [str(_tool("prism")), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "silent"]
    process = subprocess.Popen(
        [*command, str(SPEC)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                httpx.get(base_url + probe_path, headers=headers, timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Prism did not start") from None
                time.sleep(0.1)
        yield MockProcess(base_url, base_url, headers, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _autocannon(url: str, headers: dict[str, str], connections: int, seconds: int) -> Any:
    """One autocannon run; its JSON report, plus the CPU seconds autocannon itself used."""
    command = [str(_tool("autocannon")), "-j", "-n", "-c", str(connections), "-d", str(seconds)]
    for name, value in headers.items():
        command += ["-H", f"{name}={value}"]
    before = _children_cpu_seconds()  # the only child that ends meanwhile is autocannon
    done = subprocess.run(
        [*command, url], capture_output=True, check=True, timeout=seconds + 60, text=True
    )
    report = json.loads(done.stdout)
    report["generator_cpu_seconds"] = _children_cpu_seconds() - before
    return report


def _measure(server: MockProcess, path: str, connections: int, seconds: int) -> dict[str, Any]:
    """Load one route of one server: throughput, latency and both sides' CPU time."""
    url = server.base_url + path
    cpu = tree_cpu_seconds(server.pid)
    report = _autocannon(url, server.headers, connections, seconds)
    server_cpu = tree_cpu_seconds(server.pid) - cpu
    answered = report["requests"]["total"]
    elapsed = report["duration"]
    generator_cpu = report["generator_cpu_seconds"]
    return {
        "requests": answered,
        "seconds": elapsed,
        "requests_per_second": round(answered / elapsed, 1),
        "p50_ms": report["latency"]["p50"],
        "p99_ms": report["latency"]["p99"],
        "max_ms": report["latency"]["max"],
        "non_2xx": report["non2xx"],
        "errors": report["errors"] + report["timeouts"],
        "server_cpu_seconds": round(server_cpu, 2),
        "server_cpu_us_per_request": round(server_cpu / answered * 1e6, 1) if answered else None,
        "generator_cpu_seconds": round(generator_cpu, 2),
        "generator_cpu_share_of_a_core": round(generator_cpu / elapsed, 2),
    }


def _route(
    servers: dict[str, MockProcess], name: str, job_id: str, plan: tuple[int, int, int]
) -> dict[str, Any]:
    connections, seconds, warmup = plan
    path = ROUTES[name].replace("{id}", job_id)
    if warmup:
        for server in servers.values():
            _autocannon(server.base_url + path, server.headers, connections, warmup)
    result: dict[str, Any] = {"path": ROUTES[name]}
    for server_name, server in servers.items():  # back to back: the mock, then Prism
        result[server_name] = _measure(server, path, connections, seconds)
    mock, prism = result["mock"], result["prism"]
    result["mock_vs_prism_rps"] = ratio(mock["requests_per_second"], prism["requests_per_second"])
    result["meets_target"] = (
        result["mock_vs_prism_rps"] >= TARGET_RATIO
        and mock["p99_ms"] < TARGET_P99_MS
        and mock["non_2xx"] == 0
        and mock["errors"] == 0
    )
    result["generator_was_busy"] = any(
        result[server]["generator_cpu_share_of_a_core"] > GENERATOR_BUSY for server in servers
    )
    return result


def run(quick: bool = False) -> dict[str, Any]:
    """The mock and Prism, both routes; skipped (and said so) where node or the tools are
    missing."""
    plan = QUICK if quick else FULL
    report: dict[str, Any] = {
        "connections": plan[0],
        "seconds": plan[1],
        "target_ratio": TARGET_RATIO,
        "target_p99_ms": TARGET_P99_MS,
    }
    missing = _missing()
    if missing is not None:
        return {**report, "skipped": missing, "routes": {}, "passed": quick}
    report["tools"] = {
        "load_generator": f"autocannon {_version('autocannon')}",
        "baseline": f"Prism {_version('@stoplight/prism-cli')} (static examples, -v silent)",
    }
    with mock_process({"bench": SEED_JOBS}) as mock:
        with httpx.Client(base_url=mock.base_url, headers=mock.headers) as client:
            job_id = client.get("/jobs", params={"limit": 1}).json()["jobs"][0]["id"]
        probe = ROUTES["get_job"].replace("{id}", job_id)
        with _prism(mock.headers, probe) as prism:
            servers = {"mock": mock, "prism": prism}
            report["routes"] = {name: _route(servers, name, job_id, plan) for name in ROUTES}
    report["passed"] = all(route["meets_target"] for route in report["routes"].values())
    return report


if __name__ == "__main__":
    result = run()
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    raise SystemExit(0 if result["passed"] else 1)
