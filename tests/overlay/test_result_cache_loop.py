"""The read-once result cache against the mock over loopback, with results of many megabytes:
the async client's file I/O runs off the event loop (with its crash safety and locks), and
the per-job locks do not outlive their readers."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qiskit_runtime_jobs import (
    Client,
    ExecutorResults,
    VirtualClock,
    _result_cache as cache_module,
)
from qiskit_runtime_jobs._result_cache import unseal
from qiskit_runtime_jobs_mock import MockConfig, MockEndpoint, VirtualClock as ServerClock

from .conftest import make_async_client

pytestmark = pytest.mark.loopback  # results of megabytes through a real socket

BIG = 16_000_000  # bytes of base64 in the result: a "tens of MB" private result
TICKS = 5  # the concurrent task must run this many times while the file I/O is under way
WAIT = 10.0  # a bound on a blocked thread waiting for the loop; a passing run never nears it


@pytest.fixture
def mock_server_config(server_clock: ServerClock) -> MockConfig:
    """Jobs end at once and creates are not rate limited (many jobs, no waiting)."""
    return MockConfig(
        clock=server_clock, queued_seconds=0, running_seconds=0, rate_limit_per_minute=None
    )


def _private_job(client: Client, result_bytes: int | None = None) -> str:
    mock: dict[str, Any] = {} if result_bytes is None else {"result_bytes": result_bytes}
    params = {"schema_version": "v0.2", "mock": mock}
    return client.create_job("executor", params=params, private=True).id


class LoopWatch:
    """Ticks a task on the event loop, and makes one file operation wait, once it has begun,
    until that task has ticked TICKS more times. Run in a worker thread, the operation sees the
    ticks; run on the loop itself, it blocks the ticker and never does (then, after WAIT, the
    test fails on `saw_ticks` instead of hanging)."""

    def __init__(self) -> None:
        self.loop_thread = threading.get_ident()
        self.ticks = 0
        self.io_threads: dict[str, set[int]] = {}
        self.saw_ticks: list[bool] = []
        self.done = False

    async def ticker(self) -> None:
        while not self.done:
            self.ticks += 1
            await asyncio.sleep(0)

    def wrap(self, name: str, real: Callable[..., Any], *, gate: bool) -> Callable[..., Any]:
        def watched(*args: Any, **kwargs: Any) -> Any:
            self.io_threads.setdefault(name, set()).add(threading.get_ident())
            if gate:  # wait for the loop to prove it is free while this operation is under way
                target, give_up = self.ticks + TICKS, time.monotonic() + WAIT
                while self.ticks < target and time.monotonic() < give_up:
                    time.sleep(0.001)
                self.saw_ticks.append(self.ticks >= target)
            return real(*args, **kwargs)

        return watched

    def off_loop(self, name: str) -> bool:
        threads = self.io_threads.get(name, set())
        return bool(threads) and self.loop_thread not in threads


def _watch(monkeypatch: pytest.MonkeyPatch, watch: LoopWatch, *, gate: str) -> None:
    """Record which threads write, fsync, rename and read the cache's files (`gate` also waits
    for the loop's ticks)."""
    for name, owner in [
        ("_write_all", cache_module),
        ("_read_sealed", cache_module),
        ("fsync", os),
        ("replace", os),
    ]:
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, watch.wrap(name, real, gate=name == gate))


async def _with_ticker(watch: LoopWatch, work: Any) -> Any:
    ticker = asyncio.ensure_future(watch.ticker())
    try:
        return await work
    finally:
        watch.done = True
        await ticker


def test_a_big_private_result_is_persisted_off_the_event_loop(
    mock_server: MockEndpoint,
    make_client: Callable[..., Client],
    clock: VirtualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While AsyncClient writes, fsyncs and renames a 16 MB private result, a concurrent task
    keeps running (the write waits for its ticks), and the file is as crash-safe as before:
    sealed, 0600, renamed into place, nothing temporary left."""
    job_id = _private_job(make_client(create_rate_limit=None), BIG)

    async def read() -> ExecutorResults:
        watch = LoopWatch()
        _watch(monkeypatch, watch, gate="_write_all")
        async with make_async_client(mock_server, clock, cache_dir=tmp_path) as client:
            decoded = await _with_ticker(watch, client.decoded_results(job_id))
        assert watch.saw_ticks  # the big writes were watched,
        assert all(watch.saw_ticks)  # and the loop ran on during each of them
        for name in ("_write_all", "fsync", "replace"):
            assert watch.off_loop(name), (name, watch.io_threads)
        assert isinstance(decoded, ExecutorResults)
        return decoded

    decoded = asyncio.run(read())
    kept = tmp_path / f"{job_id}.result"
    raw = kept.read_bytes()
    assert len(raw) > BIG
    assert unseal(raw[:48], raw[48:]) == raw[48:]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert {p.name for p in tmp_path.iterdir()} == {kept.name, "locks"}

    async def read_again() -> None:
        """A fresh client (a new process, say) gets the kept file, read off the loop too; the
        service has nothing left to give."""
        watch = LoopWatch()
        _watch(monkeypatch, watch, gate="_read_sealed")
        async with make_async_client(mock_server, clock, cache_dir=tmp_path) as client:
            again = await _with_ticker(watch, client.decoded_results(job_id))
        assert watch.saw_ticks
        assert all(watch.saw_ticks)
        assert watch.off_loop("_read_sealed")
        assert isinstance(again, ExecutorResults)
        assert again.items[0].results.keys() == decoded.items[0].results.keys()

    asyncio.run(read_again())


def test_a_reader_cancelled_mid_write_keeps_its_locks_until_the_file_is_whole(
    mock_server: MockEndpoint,
    make_client: Callable[..., Client],
    clock: VirtualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A task cancelled while its result is being written waits for the write before it lets
    the job's locks go: a reader behind it finds the whole file, never a half-written one."""
    job_id = _private_job(make_client(create_rate_limit=None), 2_000_000)
    writing, release = threading.Event(), threading.Event()
    real_write = cache_module._write_all

    def slow_write(fd: int, data: bytes) -> None:
        if len(data) > 1_000_000:  # the body, after its header: the file is half written
            writing.set()
            assert release.wait(WAIT)
        real_write(fd, data)

    monkeypatch.setattr(cache_module, "_write_all", slow_write)

    async def run() -> None:
        async with make_async_client(mock_server, clock, cache_dir=tmp_path) as client:
            first = asyncio.ensure_future(client.results(job_id))
            while not writing.is_set():
                await asyncio.sleep(0)
            first.cancel()
            second = asyncio.ensure_future(client.results(job_id))
            for _ in range(50):
                await asyncio.sleep(0)
            assert not first.done()  # cancelled, but still waiting for its write
            assert not second.done()  # behind the first reader's locks
            release.set()
            with pytest.raises(asyncio.CancelledError):
                await first
            assert await asyncio.wait_for(second, WAIT) is not None  # the kept copy
            assert client.result_cache._task_locks == {}

    asyncio.run(run())
    raw = (tmp_path / f"{job_id}.result").read_bytes()
    assert unseal(raw[:48], raw[48:]) is not None


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "cache-dir"])
def test_per_job_locks_are_pruned_after_the_reads(
    mock_server: MockEndpoint,
    make_client: Callable[..., Client],
    clock: VirtualClock,
    tmp_path: Path,
    on_disk: bool,
) -> None:
    """After reading N distinct private results (sync and async, then forgetting them), the
    cache holds no per-job lock: a long-lived client does not grow with every job it reads."""
    cache_dir = tmp_path if on_disk else None
    client = make_client(create_rate_limit=None, cache_dir=cache_dir)
    jobs = [_private_job(client) for _ in range(6)]
    for job_id in jobs[:3]:
        client.results(job_id)
        client.result_cache.forget(job_id, delete_file=True)
    assert client.result_cache._thread_locks == {}

    async def read_async() -> dict[str, Any]:
        async with make_async_client(mock_server, clock, cache_dir=cache_dir) as aclient:
            await asyncio.gather(*(aclient.results(job_id) for job_id in jobs[3:]))
            return dict(aclient.result_cache._task_locks)

    assert asyncio.run(read_async()) == {}
