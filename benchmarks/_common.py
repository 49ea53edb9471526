"""What every benchmark shares: interleaved timing, percentiles, the mock in a child process.

The mock runs in its own (spawned) process so its work does not compete with the measured
client for the GIL, set up as the `qiskit-runtime-jobs mock` command sets up its own (the
objects built at startup frozen out of the garbage collector); `mock_process` seeds jobs
through `MockState.add_job` (no HTTP, no rate limit), so even 10,000 jobs take well under a
second.
"""

from __future__ import annotations

import gc
import importlib
import math
import multiprocessing
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

import httpx

from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, serve

ROOT = Path(__file__).resolve().parent.parent

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_CRN",
    "DEFAULT_TOKEN",
    "ROOT",
    "CountingTransport",
    "MockProcess",
    "cpu_seconds",
    "mock_process",
    "optional",
    "per_call_us",
    "per_call_us_async",
    "percentile",
    "ratio",
]


def optional(name: str) -> Any:
    """The module `name` if it is installed, else None (optional speed-ups, the peer)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ratio(value: float, baseline: float, digits: int = 3) -> float:
    """`value / baseline`, rounded; the headline form of every figure."""
    return round(value / baseline, digits) if baseline > 0 else math.inf


def per_call_us(
    variants: Mapping[str, Callable[[], object]], *, rounds: int, calls: int, warmup: int
) -> dict[str, float]:
    """Microseconds per call of each variant: the median over interleaved rounds (drift hits
    every variant alike) of the mean over `calls` calls."""
    for call in variants.values():
        for _ in range(warmup):
            call()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            started = time.perf_counter()
            for _ in range(calls):
                call()
            samples[name].append(time.perf_counter() - started)
    return {name: round(statistics.median(s) / calls * 1e6, 1) for name, s in samples.items()}


async def per_call_us_async(
    variants: Mapping[str, Callable[[], Awaitable[object]]],
    *,
    rounds: int,
    calls: int,
    warmup: int,
) -> dict[str, float]:
    """`per_call_us` for coroutine functions."""
    for call in variants.values():
        for _ in range(warmup):
            await call()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            started = time.perf_counter()
            for _ in range(calls):
                await call()
            samples[name].append(time.perf_counter() - started)
    return {name: round(statistics.median(s) / calls * 1e6, 1) for name, s in samples.items()}


def cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by process `pid` (Linux /proc), to see which side is the limit."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)


class CountingTransport(httpx.BaseTransport):
    """Passes requests to `inner` and counts them (what the client really sent)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass(frozen=True)
class MockProcess:
    """What a benchmark needs of the mock running in the child process."""

    base_url: str
    root_url: str
    headers: dict[str, str]
    pid: int


def _serve_in_child(ready: Any, stop: Any, seed: dict[str, int]) -> None:
    with serve(MockConfig(rate_limit_per_minute=None)) as server:
        for tag, count in seed.items():
            for _ in range(count):  # the jobs of `server.headers`' user, as POST /jobs makes
                server.state.add_job({"program_id": "sampler", "tags": [tag]})
        gc.collect()
        gc.freeze()  # as `qiskit-runtime-jobs mock` does in its own process, once it is built
        ready.put((server.base_url, server.root_url, server.headers))
        stop.wait(timeout=900)


def _first(queue: Any, child: Any, timeout: float) -> Any:
    """The first item on `queue`, failing fast if `child` dies before it puts one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return queue.get(timeout=0.2)
        except Empty:
            if not child.is_alive():
                raise RuntimeError(f"the mock process exited ({child.exitcode})") from None
    raise RuntimeError("the mock process did not start in time")


@contextmanager
def mock_process(seed: dict[str, int] | None = None) -> Iterator[MockProcess]:
    """A loopback mock (rate limit off) in a spawned process, with `seed[tag]` jobs per tag."""
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    child = context.Process(target=_serve_in_child, args=(ready, stop, seed or {}), daemon=True)
    child.start()
    try:
        base_url, root_url, headers = _first(ready, child, timeout=120)
        assert child.pid is not None
        yield MockProcess(base_url, root_url, headers, child.pid)
    finally:
        stop.set()
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
            child.join(timeout=10)
