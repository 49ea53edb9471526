"""What one process does in the cross-client / cross-process tests, and how to run several.

Each scenario is a plain function of plain arguments returning plain data, so it runs the
same in the test's own process (threads, several clients) or in spawned child processes
(`run_processes`: a barrier makes the children start together; every wait is bounded and
every child is joined or killed). Clients talk real HTTP to the loopback mock, through
`FaultProxy` when faults are asked for, on a virtual clock (backoff never sleeps).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from qiskit_runtime_jobs import (
    Client,
    QiskitRuntimeError,
    ResultAlreadyConsumedError,
    VirtualClock,
    _result_cache,
)
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN

from .proxy import EVERY_FAULT, FaultProxy

START_TIMEOUT = 60.0  # seconds for every child to reach the start line (imports included)
RUN_TIMEOUT = 120.0  # seconds for a child's whole run
KILL_POINTS = ("before write", "after write", "before fsync", "before rename", "after rename")


def make_client(base_url: str, cache_dir: str | None, proxy: FaultProxy) -> Client:
    """A client of the mock at `base_url` through `proxy`, on a virtual clock."""
    return Client(
        token=DEFAULT_TOKEN,
        crn=DEFAULT_CRN,
        base_url=base_url,
        cache_dir=cache_dir,
        clock=VirtualClock(),
        create_rate_limit=None,
        timeout=10.0,
        transport=proxy,
    )


def create_with_keys(
    base_url: str,
    cache_dir: str,
    keys: Sequence[str],
    *,
    threads: int,
    fault_rate: float = 0.0,
    seed: int = 0,
) -> dict[str, Any]:
    """`threads` threads of one client each call `create_job(idempotency_key=k)` for every key
    (shuffled), through `fault_rate` faults of every kind. Returns the job ids each key got
    and the names of the errors the calls raised."""
    proxy = FaultProxy(rate=fault_rate, kinds=EVERY_FAULT, seed=seed)
    calls = [key for key in keys for _ in range(threads)]
    random.Random(seed).shuffle(calls)
    with make_client(base_url, cache_dir, proxy) as client:

        def create(key: str) -> tuple[str, str | None, str | None]:
            try:
                return key, client.create_job("sampler", idempotency_key=key).id, None
            except QiskitRuntimeError as exc:
                return key, None, type(exc).__name__

        with ThreadPoolExecutor(threads) as pool:
            outcomes = list(pool.map(create, calls))
    ids: dict[str, list[str]] = {key: [] for key in keys}
    for key, job_id, _ in outcomes:
        if job_id is not None:
            ids[key].append(job_id)
    errors = [error for _, _, error in outcomes if error is not None]
    return {"ids": ids, "errors": errors, "faults": dict(proxy.faults)}


def read_results(
    base_url: str,
    cache_dir: str | None,
    job_ids: Sequence[str],
    *,
    readers: int,
    clients: int = 1,
    fault_rate: float = 0.0,
    kinds: Sequence[str] = EVERY_FAULT,
    max_in_a_row: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """`readers` concurrent `results()` calls per job, spread over `clients` clients sharing
    `cache_dir`, through `fault_rate` faults of `kinds`. Returns the SHA-256 of the bytes each
    reader got, by job, the names of the errors raised (and how many were
    `ResultAlreadyConsumedError`), the faults met and the requests that reached the mock."""
    proxy = FaultProxy(rate=fault_rate, kinds=kinds, seed=seed, max_in_a_row=max_in_a_row)
    made = [make_client(base_url, cache_dir, proxy) for _ in range(clients)]
    calls = [(made[i % clients], job) for job in job_ids for i in range(readers)]
    random.Random(seed).shuffle(calls)

    def read(call: tuple[Client, str]) -> tuple[str, str | None, str | None]:
        client, job_id = call
        try:
            client.results(job_id)
        except QiskitRuntimeError as exc:
            return job_id, None, type(exc).__name__
        body = client.result_cache.get(job_id)
        assert body is not None
        return job_id, hashlib.sha256(body).hexdigest(), None

    try:
        with ThreadPoolExecutor(min(len(calls), 20)) as pool:
            outcomes = list(pool.map(read, calls))
    finally:
        for client in made:
            client.close()
    digests: dict[str, list[str]] = {job: [] for job in job_ids}
    for job_id, digest, _ in outcomes:
        if digest is not None:
            digests[job_id].append(digest)
    errors = [error for _, _, error in outcomes if error is not None]
    return {
        "digests": digests,
        "errors": errors,
        "consumed": errors.count(ResultAlreadyConsumedError.__name__),
        "calls": len(calls),
        "faults": dict(proxy.faults),
        "forwarded": proxy.forwarded,
    }


def _die(*_: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_after_second(write: Callable[[int, bytes], None]) -> Callable[[int, bytes], None]:
    """`_write_all` that dies once both the header and the body are written."""
    writes: list[bytes] = []

    def write_then_die(fd: int, data: bytes) -> None:
        write(fd, data)
        writes.append(data)
        if len(writes) == 2:
            _die()

    return write_then_die


def crash_while_keeping(base_url: str, cache_dir: str, job_id: str, point: str) -> str:
    """Read a private result and be killed (SIGKILL) at `point` of keeping it on disk:
    after the service delivered it, as in a `kill -9`. Returns only if the point was missed."""
    if point == "before write":  # the temporary file exists, nothing is in it
        _result_cache._write_all = _die  # type: ignore[assignment]
    elif point == "after write":  # header and body written to the OS, not fsynced
        _result_cache._write_all = _kill_after_second(_result_cache._write_all)
    elif point == "before fsync":
        os.fsync = _die
    elif point == "before rename":
        os.replace = _die
    elif point == "after rename":  # renamed, the directory not yet fsynced
        _result_cache._fsync_dir = _die  # type: ignore[assignment]
    else:
        raise ValueError(point)
    with make_client(base_url, cache_dir, FaultProxy()) as client:
        client.results(job_id)
    return "survived"


def kill_then_read(base_url: str, cache_dir: Path, jobs: dict[str, str]) -> dict[str, Any]:
    """For each kill point, a process reading its job (`jobs[point]`) killed there; then one
    new process reading them all. Returns the exit codes, what each killed process left
    (`(suffix, holds bytes)` of each file of its job), and the new reader's outcome."""
    codes: dict[str, int | None] = {}
    left: dict[str, list[tuple[str, bool]]] = {}
    for point, job in jobs.items():
        codes[point] = run_until_killed(crash_while_keeping, base_url, str(cache_dir), job, point)
        left[point] = [(p.suffix, p.stat().st_size > 0) for p in cache_dir.glob(f"*{job}*")]
    reader = ((base_url, str(cache_dir), list(jobs.values())), {"readers": 1})
    (outcome,) = run_processes(read_results, [reader])
    return {"codes": codes, "left": left, "outcome": outcome}


def _child(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    start: Any,
    out: Any,
) -> None:
    start.wait(START_TIMEOUT)
    try:
        out.put(("ok", target(*args, **kwargs)))
    except BaseException as exc:
        out.put(("error", repr(exc)))
        raise


def run_processes(
    target: Callable[..., Any], calls: Sequence[tuple[tuple[Any, ...], dict[str, Any]]]
) -> list[Any]:
    """Run `target(*args, **kwargs)` for each call in its own spawned process, all starting
    together; return their results (in completion order). Bounded in time; cleans up."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(calls))
    out = context.Queue()
    children = [
        context.Process(target=_child, args=(target, args, kwargs, start, out), daemon=True)
        for args, kwargs in calls
    ]
    for child in children:
        child.start()
    try:
        answers = [out.get(timeout=START_TIMEOUT + RUN_TIMEOUT) for _ in children]
    finally:
        _reap(children)
        out.close()
        out.join_thread()
    failures = [detail for status, detail in answers if status != "ok"]
    assert not failures, failures
    return [result for _, result in answers]


def run_until_killed(target: Callable[..., Any], *args: Any) -> int | None:
    """Run `target(*args)` in a spawned process expected to kill itself; its exit code."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(1)
    out = context.Queue()
    child = context.Process(target=_child, args=(target, args, {}, start, out), daemon=True)
    child.start()
    try:
        child.join(START_TIMEOUT + RUN_TIMEOUT)
    finally:
        _reap([child])
        out.close()
        out.join_thread()
    return child.exitcode


def _reap(children: Sequence[multiprocessing.process.BaseProcess]) -> None:
    for child in children:
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join()


def kept_files(cache_dir: Path) -> list[str]:
    """What a cache directory holds besides its lock directory."""
    return sorted(p.name for p in cache_dir.iterdir() if p.name != "locks")
