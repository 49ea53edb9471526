"""ResultCache: read-once private results kept before returning, shared, recoverable, atomic."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from qiskit_runtime_jobs._errors import ResultAlreadyConsumedError, ValidationError
from qiskit_runtime_jobs._result_cache import ResultCache, ResultGone, seal, unseal

from .conftest import JOB_ID

BODY = b'{"schema_version":"v0.1","data":[],"metadata":{"chunk_timing":[]}}'
READERS = 20
WAIT = 10.0  # generous bound on event waits; a passing run never waits for it


def kept_files(directory: Path) -> list[str]:
    """The names in a cache directory, without the `locks` subdirectory."""
    return sorted(p.name for p in directory.iterdir() if p.name != "locks")


class Service:
    """A fake results endpoint: the first read of a private result consumes it."""

    def __init__(self, body: bytes = BODY, *, private: bool = True) -> None:
        self.body = body
        self.private = private
        self.calls = 0
        self.consumed = False
        self._lock = threading.Lock()

    def fetch(self) -> bytes:
        with self._lock:
            self.calls += 1
            if self.consumed:
                raise ResultGone
            self.consumed = self.private
            return self.body


class CountingCache(ResultCache):
    """A ResultCache that tells the test (by a condition, never by sleeping) who has joined."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        super().__init__(cache_dir)
        self.joined = threading.Condition()
        self.leaders = 0
        self.waiters = 0

    def _join(self, key: str) -> Any:
        joined = super()._join(key)
        if isinstance(joined, tuple):
            with self.joined:
                self.leaders += joined[1]
                self.waiters += not joined[1]
                self.joined.notify_all()
        return joined

    def until(self, waiters: int = 0, leaders: int = 0) -> None:
        """Block until that many callers have joined flights as waiters / leaders."""
        with self.joined:
            assert self.joined.wait_for(
                lambda: self.waiters >= waiters and self.leaders >= leaders, WAIT
            )


@pytest.mark.parametrize("private", [True, False])
def test_concurrent_threads_share_one_fetch(private: bool) -> None:
    """20 threads reading one job at once cause exactly one fetch and all get the same bytes."""
    cache = CountingCache()
    service = Service(private=private)

    def fetch() -> bytes:
        cache.until(waiters=READERS - 1)  # everyone else has joined the flight
        return service.fetch()

    with ThreadPoolExecutor(READERS) as pool:
        futures = [
            pool.submit(cache.get_or_fetch, JOB_ID, fetch, private=private) for _ in range(READERS)
        ]
        results = [f.result(timeout=WAIT) for f in futures]
    assert (cache.leaders, cache.waiters) == (1, READERS - 1)
    assert service.calls == 1
    assert results == [BODY] * READERS
    assert cache.get(JOB_ID) == (BODY if private else None)  # non-private bodies are not kept


@pytest.mark.asyncio
@pytest.mark.parametrize("private", [True, False])
async def test_concurrent_tasks_share_one_fetch(private: bool) -> None:
    """20 asyncio tasks reading one job at once cause exactly one fetch, identical answers."""
    cache = CountingCache()
    service = Service(private=private)

    async def fetch() -> bytes:
        while cache.waiters < READERS - 1:
            await asyncio.sleep(0)  # a yield, not a wait: lets the other tasks join
        return service.fetch()

    results = await asyncio.gather(
        *(cache.async_get_or_fetch(JOB_ID, fetch, private=private) for _ in range(READERS))
    )
    assert service.calls == 1
    assert results == [BODY] * READERS


def test_threads_and_tasks_together_share_one_fetch() -> None:
    """Sync and async readers of the same job in one cache still share a single fetch."""
    cache = CountingCache()
    service = Service()

    def fetch() -> bytes:
        cache.until(waiters=10)
        return service.fetch()

    async def readers() -> list[bytes]:
        async def fetch_async() -> bytes:
            raise AssertionError("the thread leads this flight")

        return await asyncio.gather(
            *(cache.async_get_or_fetch(JOB_ID, fetch_async, private=True) for _ in range(10))
        )

    with ThreadPoolExecutor(1) as pool:
        leader = pool.submit(cache.get_or_fetch, JOB_ID, fetch, private=True)
        cache.until(leaders=1)
        answers = asyncio.run(readers())
        assert leader.result(timeout=WAIT) == BODY
    assert answers == [BODY] * 10
    assert service.calls == 1


def test_second_read_of_private_result_comes_from_memory() -> None:
    """After the one read the service allows, later calls return the kept copy."""
    cache, service = ResultCache(), Service()
    assert cache.get_or_fetch(JOB_ID, service.fetch, private=True) == BODY
    assert cache.get_or_fetch(JOB_ID, service.fetch, private=True) == BODY
    assert service.calls == 1


def test_non_private_result_is_fetched_again() -> None:
    """Non-private results are not kept: the service can serve them again."""
    cache, service = ResultCache(), Service(private=False)
    cache.get_or_fetch(JOB_ID, service.fetch, private=False)
    cache.get_or_fetch(JOB_ID, service.fetch, private=False)
    assert service.calls == 2


def test_consumed_without_copy_raises() -> None:
    """A result read elsewhere (no copy here) raises ResultAlreadyConsumedError naming the job."""
    service = Service()
    service.consumed = True
    with pytest.raises(ResultAlreadyConsumedError) as caught:
        ResultCache().get_or_fetch(JOB_ID, service.fetch, private=True)
    assert caught.value.job_id == JOB_ID
    assert isinstance(caught.value.__cause__, ResultGone)
    assert "already read" in str(caught.value)


@pytest.mark.asyncio
async def test_consumed_without_copy_raises_async() -> None:
    """The async read raises the same error for a consumed result."""

    async def fetch() -> bytes:
        raise ResultGone

    with pytest.raises(ResultAlreadyConsumedError):
        await ResultCache().async_get_or_fetch(JOB_ID, fetch, private=True)


def test_crash_after_read_recovers_from_disk(tmp_path: Path) -> None:
    """A new cache on the same directory (a new process) returns the body without fetching."""
    service = Service()
    ResultCache(tmp_path).get_or_fetch(JOB_ID, service.fetch, private=True)
    # "crash": the first cache is gone; the service would now say the result is consumed
    assert ResultCache(tmp_path).get_or_fetch(JOB_ID, service.fetch, private=True) == BODY
    assert service.calls == 1


def test_file_is_written_before_returning(tmp_path: Path) -> None:
    """By the time get_or_fetch returns, the whole body is on disk, readable only by the owner,
    behind the header that vouches for it; the job's lock file is private too."""
    cache = ResultCache(tmp_path / "results")
    cache.get_or_fetch(JOB_ID, Service().fetch, private=True)
    path = tmp_path / "results" / f"{JOB_ID}.result"
    assert path.read_bytes() == seal(BODY) + BODY
    assert path.stat().st_mode & 0o777 == 0o600
    assert kept_files(path.parent) == [path.name]  # no temp files left
    lock = path.parent / "locks" / f"result-{JOB_ID}.lock"
    assert lock.stat().st_mode & 0o777 == 0o600
    assert (path.parent / "locks").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_disk_write_leaves_no_file_and_keeps_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A write that fails leaves no partial file; the body stays in memory and is saved later."""
    cache, service = ResultCache(tmp_path), Service()

    def broken(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, failing, broken)
        with pytest.raises(OSError, match="No space left"):
            cache.get_or_fetch(JOB_ID, service.fetch, private=True)
        assert kept_files(tmp_path) == []  # neither the file nor a temp file
    assert cache.get_or_fetch(JOB_ID, service.fetch, private=True) == BODY  # from memory
    assert service.calls == 1
    assert ResultCache(tmp_path).get(JOB_ID) == BODY  # the write was retried


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupted rewrite never damages a complete file already there."""
    cache = ResultCache(tmp_path)
    cache.get_or_fetch(JOB_ID, Service().fetch, private=True)
    path = tmp_path / f"{JOB_ID}.result"

    def broken(*args: Any) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="I/O error"):
        cache._write_file(JOB_ID, b"{partial")
    assert ResultCache(tmp_path).get(JOB_ID) == BODY
    assert kept_files(tmp_path) == [path.name]


@pytest.mark.parametrize("job_id", ["../etc/passwd", "a/b", "..", "", "x.json", "a\x00b"])
def test_job_id_is_validated_before_anything(tmp_path: Path, job_id: str) -> None:
    """Ids that could escape the cache dir are rejected before any fetch or file access."""
    service = Service()
    with pytest.raises(ValidationError):
        ResultCache(tmp_path).get_or_fetch(job_id, service.fetch, private=True)
    assert service.calls == 0
    assert list(tmp_path.iterdir()) == []


def test_fetch_error_is_shared_then_retried() -> None:
    """Waiters get the leader's error; the next call starts a fresh fetch."""
    cache = CountingCache()
    calls: list[int] = []

    def failing() -> bytes:
        calls.append(1)
        cache.until(waiters=4)
        raise ConnectionError("reset")

    with ThreadPoolExecutor(5) as pool:
        futures = [pool.submit(cache.get_or_fetch, JOB_ID, failing, private=True) for _ in range(5)]
        errors = [f.exception(timeout=WAIT) for f in futures]
    assert all(isinstance(e, ConnectionError) for e in errors)
    assert len(calls) == 1
    assert cache.get_or_fetch(JOB_ID, Service().fetch, private=True) == BODY


@pytest.mark.asyncio
async def test_cancelled_leader_hands_over_to_a_waiter() -> None:
    """If the reading task is cancelled, a waiting task fetches instead of failing."""
    cache = CountingCache()
    started = asyncio.Event()
    service = Service(private=False)

    async def stuck() -> bytes:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def fetch() -> bytes:
        return service.fetch()

    leader = asyncio.ensure_future(cache.async_get_or_fetch(JOB_ID, stuck, private=True))
    await started.wait()
    waiter = asyncio.ensure_future(cache.async_get_or_fetch(JOB_ID, fetch, private=True))
    while not cache.waiters:
        await asyncio.sleep(0)
    leader.cancel()
    assert await waiter == BODY
    assert leader.cancelled()
    assert service.calls == 1


@pytest.mark.asyncio
async def test_cancelled_waiter_does_not_cancel_the_flight() -> None:
    """Cancelling one waiting task leaves the shared fetch and the other readers alone."""
    cache, service = CountingCache(), Service()
    gate = asyncio.Event()

    async def fetch() -> bytes:
        await gate.wait()
        return service.fetch()

    tasks = [
        asyncio.ensure_future(cache.async_get_or_fetch(JOB_ID, fetch, private=True))
        for _ in range(3)
    ]
    while cache.waiters < 2:
        await asyncio.sleep(0)
    tasks[1].cancel()
    gate.set()
    assert await tasks[0] == BODY
    assert await tasks[2] == BODY
    assert tasks[1].cancelled()
    assert service.calls == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"data": [], "metadata": {}}, b'{"data":[],"metadata":{}}'),
        ("legacy text", b'"legacy text"'),
        (bytearray(b"{}"), b"{}"),
    ],
)
def test_parsed_results_are_kept_as_json(value: Any, expected: bytes) -> None:
    """A fetch that returns a parsed result is kept as that result's JSON bytes."""
    assert ResultCache().get_or_fetch(JOB_ID, lambda: value, private=True) == expected


def test_forget(tmp_path: Path) -> None:
    """forget() drops the memory copy (the file too, if asked), so the next read fetches."""
    cache = ResultCache(tmp_path)
    fetch: Callable[[], bytes] = Service(private=False).fetch
    cache.get_or_fetch(JOB_ID, fetch, private=True)
    cache.forget(JOB_ID)
    assert cache.get(JOB_ID) == BODY  # still on disk
    cache.forget(JOB_ID, delete_file=True)
    assert cache.get(JOB_ID) is None
    assert kept_files(tmp_path) == []


# ---------------------------------------------------------------- disk format and recovery

SEALED = seal(BODY)


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        (SEALED, BODY, BODY),
        (SEALED, BODY[:-1], None),  # cut short
        (SEALED, BODY + b" ", None),  # longer than stated
        (SEALED, BODY.replace(b"0.1", b"0.2"), None),  # same length, other bytes
        (SEALED[:-1], BODY, None),  # header cut short
        (b"", b"", None),  # an empty temporary file
        (b"x" * len(SEALED), BODY, None),  # no magic
        (seal(b""), b"", b""),  # an empty body is a body
    ],
    ids=["whole", "short", "long", "changed", "short-header", "empty", "no-magic", "empty-body"],
)
def test_unseal(header: bytes, body: bytes, expected: bytes | None) -> None:
    """A kept file is believed only when its header vouches for exactly its body."""
    assert unseal(header, body) == expected


def _temp(directory: Path, content: bytes, name: str = "abcd1234") -> Path:
    path = directory / f".{JOB_ID}.{name}.tmp"
    path.write_bytes(content)
    return path


def test_complete_temp_file_is_promoted_without_fetching(tmp_path: Path) -> None:
    """A complete temporary file left by a killed writer is the result: no fetch."""
    _temp(tmp_path, SEALED + BODY)
    service = Service()
    assert ResultCache(tmp_path).get_or_fetch(JOB_ID, service.fetch, private=True) == BODY
    assert service.calls == 0
    assert kept_files(tmp_path) == [f"{JOB_ID}.result"]
    assert ResultCache(tmp_path).get(JOB_ID) == BODY


@pytest.mark.parametrize(
    "left", [b"", SEALED, SEALED + BODY[:10]], ids=["empty", "header-only", "partial"]
)
def test_incomplete_temp_file_is_deleted(tmp_path: Path, left: bytes) -> None:
    """An incomplete temporary file is no result: it is deleted, the service asked."""
    _temp(tmp_path, left)
    service = Service()
    assert ResultCache(tmp_path).get_or_fetch(JOB_ID, service.fetch, private=True) == BODY
    assert service.calls == 1
    assert kept_files(tmp_path) == [f"{JOB_ID}.result"]


def test_stale_temp_files_beside_a_kept_file_are_deleted(tmp_path: Path) -> None:
    """Once the kept file exists, leftovers for that job (complete or not) are removed,
    and other jobs' files are left alone."""
    ResultCache(tmp_path).get_or_fetch(JOB_ID, Service().fetch, private=True)
    _temp(tmp_path, SEALED + BODY, "complete")
    _temp(tmp_path, b"", "empty")
    other = tmp_path / ".otherjob.zz.tmp"
    other.write_bytes(b"")
    assert ResultCache(tmp_path).get_or_fetch(JOB_ID, Service().fetch, private=True) == BODY
    assert kept_files(tmp_path) == [other.name, f"{JOB_ID}.result"]


def test_non_private_reads_never_touch_temp_files(tmp_path: Path) -> None:
    """Only a private read (under the job's lock) recovers or deletes temporary files."""
    left = _temp(tmp_path, SEALED + BODY)
    service = Service(private=False)
    assert ResultCache(tmp_path).get_or_fetch(JOB_ID, service.fetch, private=False) == BODY
    assert service.calls == 1
    assert left.exists()
    assert not (tmp_path / "locks").exists()


def test_two_caches_sharing_a_directory_fetch_once(tmp_path: Path) -> None:
    """Two caches (two clients) on one directory, 20 threads: the leader of one holds the
    job's file lock while it fetches and writes; the other waits, then reads the file."""
    caches = [CountingCache(tmp_path), CountingCache(tmp_path)]
    service = Service()
    fetching = threading.Event()
    release = threading.Event()

    def fetch() -> bytes:
        fetching.set()
        assert release.wait(WAIT)
        return service.fetch()

    with ThreadPoolExecutor(READERS) as pool:
        futures = [
            pool.submit(caches[i % 2].get_or_fetch, JOB_ID, fetch, private=True)
            for i in range(READERS)
        ]
        assert fetching.wait(WAIT)
        for cache in caches:
            cache.until(waiters=READERS // 2 - 1, leaders=1)  # both caches have a leader
        release.set()
        results = [f.result(timeout=WAIT) for f in futures]
    assert results == [BODY] * READERS
    assert service.calls == 1


@pytest.mark.asyncio
async def test_two_caches_sharing_a_directory_fetch_once_async(tmp_path: Path) -> None:
    """The same across asyncio tasks: the file lock is awaited, not blocked on."""
    caches = [ResultCache(tmp_path), ResultCache(tmp_path)]
    service = Service()

    async def fetch() -> bytes:
        await asyncio.sleep(0)
        return service.fetch()

    results = await asyncio.gather(
        *(caches[i % 2].async_get_or_fetch(JOB_ID, fetch, private=True) for i in range(10))
    )
    assert results == [BODY] * 10
    assert service.calls == 1
