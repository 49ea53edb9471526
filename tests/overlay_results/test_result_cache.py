"""The read-once result cache, driven through `Client`/`AsyncClient` against an in-process
service: private results read once, kept before returning, shared, recoverable, atomic."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    AsyncClient,
    Client,
    ResultAlreadyConsumedError,
    ResultCache,
    ResultLostError,
    ValidationError,
    VirtualClock,
)
from qiskit_runtime_jobs._result_cache import seal, unseal

from .conftest import CRN, JOB_ID, make_job

BODY = b'{"schema_version":"v0.1","data":[],"metadata":{"chunk_timing":[]}}'
RESULT = json.loads(BODY)
"""What `results()` returns for BODY, as a dict."""
JOB_PATH = f"/api/v1/jobs/{JOB_ID}"
RESULTS_PATH = f"{JOB_PATH}/results"
KEPT = f"{JOB_ID}.result"
READERS = 20
T = TypeVar("T")
WAIT = 10.0  # generous bound on waits for a condition; a passing run never waits for it


@pytest.fixture(autouse=True)
def _no_cache_dir_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients without `cache_dir=` keep results in memory only, whatever the environment."""
    monkeypatch.delenv("QISKIT_RUNTIME_CACHE_DIR", raising=False)


def kept_files(directory: Path) -> list[str]:
    """The names in a cache directory, without the `locks` subdirectory."""
    return sorted(p.name for p in directory.iterdir() if p.name != "locks")


async def until_async(condition: Callable[[], bool]) -> None:
    """Yield to the other tasks until `condition` holds (never sleeps)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline
        await asyncio.sleep(0)


async def within(awaitable: Awaitable[T]) -> T:
    """`awaitable`'s result; a reader stuck behind a lock fails the test instead of hanging."""
    return await asyncio.wait_for(awaitable, WAIT)


class Service:
    """The service, in process: a Completed job (private or not) whose results endpoint hands
    a private result out once and answers 204 ("read already") after that. Every request's
    path is noted; results reads wait for `ready` to hold."""

    def __init__(
        self,
        *,
        private: bool = True,
        consumed: bool = False,
        cut: type[httpx.TransportError] | None = None,
        cuts: int = 1,
    ) -> None:
        self.private = private
        self.consumed = consumed
        self.cut = cut
        self.cuts = cuts if cut else 0  # results reads that fail with `cut`
        self.stalls = 0  # async results reads held until their task is cancelled
        self.ready: Callable[[], bool] = lambda: True
        self.paths: list[str] = []
        self.changed = threading.Condition()

    @property
    def reads(self) -> int:
        return self.paths.count(RESULTS_PATH)

    @property
    def job_reads(self) -> int:
        return self.paths.count(JOB_PATH)

    def until(self, condition: Callable[[], bool]) -> None:
        """Block until `condition` holds (it is checked again at every request)."""
        with self.changed:
            assert self.changed.wait_for(condition, WAIT)

    def client(self, cache_dir: Path | None = None) -> Client:
        return Client(transport=httpx.MockTransport(self.handle), **self._options(cache_dir))

    def async_client(self, cache_dir: Path | None = None) -> AsyncClient:
        return AsyncClient(transport=httpx.MockTransport(self.ahandle), **self._options(cache_dir))

    def _options(self, cache_dir: Path | None) -> dict[str, Any]:
        kept = {} if cache_dir is None else {"cache_dir": cache_dir}
        settings = {"token": "t", "crn": CRN, "base_url": "http://service.test/api/v1"}
        return {**settings, "clock": VirtualClock(), **kept}

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self._note(request):
            self.until(self.ready)
        return self._answer(request)

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        if self._note(request):
            if self.stalls:
                self.stalls -= 1
                await asyncio.Event().wait()  # only a cancellation ends this read
            await until_async(self.ready)
        return self._answer(request)

    def _note(self, request: httpx.Request) -> bool:
        """Note the request; whether it reads the results."""
        with self.changed:
            self.paths.append(request.url.path)
            self.changed.notify_all()
        return request.url.path == RESULTS_PATH

    def _answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == JOB_PATH:
            job = make_job("Completed").to_dict()
            return httpx.Response(200, json={**job, "private": self.private})
        with self.changed:
            if self.cuts:
                self.cuts -= 1
                assert self.cut is not None
                # a refused connection never reached the service; anything else took the result
                if not issubclass(self.cut, httpx.ConnectError):
                    self.consumed = self.private
                raise self.cut("cut off", request=request)
            if self.consumed:
                return httpx.Response(204)
            self.consumed = self.private
        return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


def as_dict(result: Any) -> Any:
    return result.to_dict() if hasattr(result, "to_dict") else result


Reader = Callable[..., list[Any]]


@pytest.fixture(params=["sync", "async"])
def read(request: pytest.FixtureRequest) -> Reader:
    """Read a job's results `times` times, one after another, on one new client (sync or
    async); each outcome is the result (as a dict) or the error raised."""

    def run(
        service: Service, *, times: int = 1, cache_dir: Path | None = None, job_id: str = JOB_ID
    ) -> list[Any]:
        outcomes: list[Any] = []
        if request.param == "sync":
            with service.client(cache_dir) as client:
                for _ in range(times):
                    try:
                        outcomes.append(as_dict(client.results(job_id)))
                    except Exception as error:
                        outcomes.append(error)
            return outcomes

        async def run_async() -> None:
            async with service.async_client(cache_dir) as client:
                for _ in range(times):
                    try:
                        outcomes.append(as_dict(await within(client.results(job_id))))
                    except Exception as error:
                        outcomes.append(error)

        asyncio.run(run_async())
        return outcomes

    return run


# ---------------------------------------------------------------- one read per machine

SHARING = [(True, False), (True, True), (False, False)]
SHARING_IDS = ["private", "private-on-disk", "non-private"]


@pytest.mark.parametrize(("private", "on_disk"), SHARING, ids=SHARING_IDS)
def test_concurrent_threads_read_once(tmp_path: Path, private: bool, on_disk: bool) -> None:
    """20 threads reading one private job on one client cause exactly one service read (the
    read waits until every thread has missed the cache), and all get the same result; a
    non-private result is neither kept nor locked: each thread reads it."""
    service = Service(private=private)
    service.ready = lambda: service.job_reads >= READERS
    with (
        service.client(tmp_path if on_disk else None) as client,
        ThreadPoolExecutor(READERS) as pool,
    ):
        futures = [pool.submit(client.results, JOB_ID) for _ in range(READERS)]
        results = [as_dict(f.result(timeout=WAIT)) for f in futures]
        assert client.result_cache.get(JOB_ID) == (BODY if private else None)
    assert results == [RESULT] * READERS
    assert service.reads == (1 if private else READERS)


@pytest.mark.asyncio
@pytest.mark.parametrize(("private", "on_disk"), SHARING, ids=SHARING_IDS)
async def test_concurrent_tasks_read_once(tmp_path: Path, private: bool, on_disk: bool) -> None:
    """The same with 20 asyncio tasks on one AsyncClient."""
    service = Service(private=private)
    service.ready = lambda: service.job_reads >= READERS
    async with service.async_client(tmp_path if on_disk else None) as client:
        results = await within(asyncio.gather(*(client.results(JOB_ID) for _ in range(READERS))))
        assert client.result_cache.get(JOB_ID) == (BODY if private else None)
    assert [as_dict(r) for r in results] == [RESULT] * READERS
    assert service.reads == (1 if private else READERS)


def test_second_read_of_private_result_comes_from_memory(read: Reader) -> None:
    """After the one read the service allows, later calls return the kept copy, without even
    asking for the job again."""
    service = Service()
    assert read(service, times=3) == [RESULT] * 3
    assert (service.job_reads, service.reads) == (1, 1)


def test_non_private_result_is_read_again(read: Reader, tmp_path: Path) -> None:
    """Non-private results are not kept (neither in memory nor on disk): the service serves
    them again."""
    service = Service(private=False)
    assert read(service, times=2, cache_dir=tmp_path) == [RESULT] * 2
    assert service.reads == 2
    assert list(tmp_path.iterdir()) == []  # no kept file, no lock


def test_consumed_without_copy_raises(read: Reader) -> None:
    """A result read elsewhere (the service answers 204, no copy here) raises
    ResultAlreadyConsumedError naming the job."""
    [error] = read(Service(consumed=True))
    assert isinstance(error, ResultAlreadyConsumedError)
    assert error.job_id == JOB_ID
    assert "already read" in str(error)


def test_crash_after_read_recovers_from_disk(read: Reader, tmp_path: Path) -> None:
    """A new client on the same cache_dir (a new process) returns the kept copy without a
    single request, though the service would now answer 204."""
    service = Service()
    assert read(service, cache_dir=tmp_path) == [RESULT]
    assert read(service, cache_dir=tmp_path) == [RESULT]
    assert service.paths == [JOB_PATH, RESULTS_PATH]  # all from the first client


def test_file_is_written_before_returning(read: Reader, tmp_path: Path) -> None:
    """By the time results() returns, the whole body is on disk, readable only by the owner,
    behind the header that vouches for it; the job's lock file is private too."""
    cache_dir = tmp_path / "results"
    assert read(Service(), cache_dir=cache_dir) == [RESULT]
    path = cache_dir / KEPT
    assert path.read_bytes() == seal(BODY) + BODY
    assert path.stat().st_mode & 0o777 == 0o600
    assert kept_files(cache_dir) == [KEPT]  # no temp files left
    lock = cache_dir / "locks" / f"result-{JOB_ID}.lock"
    assert lock.stat().st_mode & 0o777 == 0o600
    assert (cache_dir / "locks").stat().st_mode & 0o777 == 0o700


def test_cache_dir_created_by_a_read_is_private(read: Reader, tmp_path: Path) -> None:
    """A cache_dir the client creates is the owner's only (0700), like its locks directory."""
    cache_dir = tmp_path / "results"
    assert read(Service(), cache_dir=cache_dir) == [RESULT]
    assert cache_dir.stat().st_mode & 0o777 == 0o700


def broken(*args: Any) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_disk_write_leaves_no_file_and_keeps_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A write that fails raises, leaves no partial file (nor temp file), keeps the body in
    memory, and the next read (its get()) writes the file after all."""
    service = Service()
    with service.client(tmp_path) as client:
        with monkeypatch.context() as patch:
            patch.setattr(os, failing, broken)
            with pytest.raises(OSError, match="No space left"):
                client.results(JOB_ID)
            assert kept_files(tmp_path) == []
        assert as_dict(client.results(JOB_ID)) == RESULT  # from memory
    assert service.reads == 1
    assert ResultCache(tmp_path).get(JOB_ID) == BODY  # the write was retried
    assert kept_files(tmp_path) == [KEPT]


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupted rewrite never damages a complete file already there."""
    with Service().client(tmp_path) as client:
        client.results(JOB_ID)
        monkeypatch.setattr(os, "replace", broken)
        with pytest.raises(OSError, match="No space left"):
            client.result_cache.keep(JOB_ID, b'{"partial"')
    assert ResultCache(tmp_path).get(JOB_ID) == BODY
    assert kept_files(tmp_path) == [KEPT]


BAD_IDS = ["../etc/passwd", "a/b", "..", "", "x.json", "a\x00b"]


@pytest.mark.parametrize("job_id", BAD_IDS)
def test_job_id_is_validated_before_anything(read: Reader, tmp_path: Path, job_id: str) -> None:
    """Ids that could escape the cache dir are rejected before any request or file access."""
    service = Service()
    [error] = read(service, cache_dir=tmp_path / "cache", job_id=job_id)
    assert isinstance(error, ValidationError)
    assert service.paths == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("job_id", BAD_IDS)
def test_cache_checks_the_job_id(tmp_path: Path, job_id: str) -> None:
    """Every way into the cache itself checks the id before touching a file."""
    cache = ResultCache(tmp_path)

    async def enter_async() -> None:
        async with cache.areading(job_id, private=True):
            pass

    def enter() -> None:
        with cache.reading(job_id, private=True):
            pass

    for attempt in [
        lambda: cache.get(job_id),
        lambda: cache.forget(job_id, delete_file=True),
        lambda: cache.keep(job_id, BODY),
        lambda: cache.settle(job_id, BODY, private=True),
        enter,
        lambda: asyncio.run(enter_async()),
    ]:
        with pytest.raises(ValidationError):
            attempt()
    assert list(tmp_path.iterdir()) == []


def test_settle() -> None:
    """The service's 204 (None) means read elsewhere; a private body is kept, a non-private
    one only passed on."""
    cache = ResultCache()
    with pytest.raises(ResultAlreadyConsumedError):
        cache.settle(JOB_ID, None, private=True)
    assert cache.settle(JOB_ID, BODY, private=False) == BODY
    assert cache.get(JOB_ID) is None
    assert cache.settle(JOB_ID, BODY, private=True) == BODY
    assert cache.get(JOB_ID) == BODY


@pytest.mark.parametrize(
    ("private", "cut", "cuts", "first", "then", "reads"),
    [
        (True, httpx.ReadError, 1, ResultLostError, ResultAlreadyConsumedError, 2),
        (True, httpx.ConnectError, 4, APIConnectionError, RESULT, 5),
        (False, httpx.ReadError, 1, APIConnectionError, RESULT, 2),
    ],
    ids=["private-cut-off", "private-never-sent", "non-private-cut-off"],
)
def test_read_that_fails_midway(
    read: Reader,
    private: bool,
    cut: type[httpx.TransportError],
    cuts: int,
    first: type[Exception],
    then: Any,
    reads: int,
) -> None:
    """A private read cut off after it reached the service (which deleted the result as it
    sent it) raises ResultLostError, is not retried, keeps nothing, and the next read gets
    the service's 204: ResultAlreadyConsumedError. A read that never reached the service (a
    refused connection, retried, 4 attempts) or of a non-private result is a plain
    APIConnectionError: the result is still there for the next read."""
    service = Service(private=private, cut=cut, cuts=cuts)
    error, second = read(service, times=2)
    assert type(error) is first
    assert getattr(error, "job_id", JOB_ID) == JOB_ID
    if isinstance(then, type):
        assert isinstance(second, then)
    else:
        assert second == then
    assert service.reads == reads


@pytest.mark.asyncio
@pytest.mark.parametrize("waiter", ["same-client", "same-client-on-disk", "other-client-on-disk"])
async def test_cancelled_reader_lets_the_next_one_in(tmp_path: Path, waiter: str) -> None:
    """A task cancelled while its read is in flight (inside the transport, holding the job's
    task lock, and with a cache_dir its file lock) releases them: a reader waiting behind
    it, on the same client or another sharing the directory, then reads, with one more
    service read at most."""
    service = Service()
    service.stalls = 1
    on_disk = None if waiter == "same-client" else tmp_path
    async with service.async_client(on_disk) as first_client:
        other = service.async_client(on_disk) if waiter.startswith("other") else first_client
        first = asyncio.ensure_future(first_client.results(JOB_ID))
        await until_async(lambda: service.reads == 1)
        second = asyncio.ensure_future(other.results(JOB_ID))
        await until_async(lambda: service.job_reads == 2)
        for _ in range(20):
            await asyncio.sleep(0)
        assert not second.done()  # it waits for the stalled reader's lock
        first.cancel()
        assert as_dict(await within(second)) == RESULT
        assert first.cancelled()
        if other is not first_client:
            await other.close()
    assert service.reads == 2


def test_forget(tmp_path: Path) -> None:
    """forget() drops the memory copy (the file too, if asked): the next read then goes to
    the service, which has nothing left to give."""
    service = Service()
    with service.client(tmp_path) as client:
        client.results(JOB_ID)
        client.result_cache.forget(JOB_ID)
        assert client.result_cache.get(JOB_ID) == BODY  # still on disk
        client.result_cache.forget(JOB_ID, delete_file=True)
        assert client.result_cache.get(JOB_ID) is None
        assert kept_files(tmp_path) == []
        with pytest.raises(ResultAlreadyConsumedError):
            client.results(JOB_ID)
    assert service.reads == 2


def test_forget_with_the_file_leaves_nothing_to_come_back(tmp_path: Path) -> None:
    """forget(delete_file=True) also removes what a crashed writer left: a complete temporary
    file would otherwise be promoted to the result by the next read."""
    service = Service()
    with service.client(tmp_path) as client:
        client.results(JOB_ID)
        (tmp_path / KEPT).rename(tmp_path / f".{JOB_ID}.crashed.tmp")  # killed before rename
        client.result_cache.forget(JOB_ID, delete_file=True)
        assert kept_files(tmp_path) == []
        with pytest.raises(ResultAlreadyConsumedError):
            client.results(JOB_ID)
    assert service.reads == 2


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


def test_complete_temp_file_is_promoted_without_reading(read: Reader, tmp_path: Path) -> None:
    """A complete temporary file left by a killed writer is the result: no service read."""
    _temp(tmp_path, SEALED + BODY)
    service = Service()
    assert read(service, cache_dir=tmp_path) == [RESULT]
    assert service.reads == 0
    assert kept_files(tmp_path) == [KEPT]
    assert ResultCache(tmp_path).get(JOB_ID) == BODY


@pytest.mark.parametrize(
    "left", [b"", SEALED, SEALED + BODY[:10]], ids=["empty", "header-only", "partial"]
)
def test_incomplete_temp_file_is_deleted(read: Reader, tmp_path: Path, left: bytes) -> None:
    """An incomplete temporary file is no result: it is deleted, and the service asked."""
    _temp(tmp_path, left)
    service = Service()
    assert read(service, cache_dir=tmp_path) == [RESULT]
    assert service.reads == 1
    assert kept_files(tmp_path) == [KEPT]


def test_stale_temp_files_beside_a_kept_file_are_deleted(tmp_path: Path) -> None:
    """Once the kept file exists, a private reading() removes that job's leftovers (complete
    or not) and yields the kept copy; other jobs' files are left alone."""
    ResultCache(tmp_path).keep(JOB_ID, BODY)
    _temp(tmp_path, seal(b"{}") + b"{}", "complete")
    _temp(tmp_path, b"", "empty")
    other = tmp_path / ".otherjob.zz.tmp"
    other.write_bytes(b"")
    with ResultCache(tmp_path).reading(JOB_ID, private=True) as kept:
        assert kept == BODY
    assert kept_files(tmp_path) == [other.name, KEPT]
    assert ResultCache(tmp_path).get(JOB_ID) == BODY  # the kept file, not a leftover


def test_non_private_reads_never_touch_temp_files(read: Reader, tmp_path: Path) -> None:
    """Only a private read (under the job's lock) recovers or deletes temporary files."""
    left = _temp(tmp_path, SEALED + BODY)
    service = Service(private=False)
    assert read(service, cache_dir=tmp_path) == [RESULT]
    assert service.reads == 1
    assert left.exists()
    assert not (tmp_path / "locks").exists()


# ---------------------------------------------------------------- clients sharing a directory


def test_two_clients_sharing_a_directory_read_once(tmp_path: Path) -> None:
    """Two clients on one cache_dir, 20 threads: the first reader holds the job's file lock
    while it reads and writes; the other client's readers wait, then read the file."""
    service = Service()
    service.ready = lambda: service.job_reads >= READERS
    with (
        service.client(tmp_path) as one,
        service.client(tmp_path) as two,
        ThreadPoolExecutor(READERS) as pool,
    ):
        futures = [pool.submit((one, two)[i % 2].results, JOB_ID) for i in range(READERS)]
        results = [as_dict(f.result(timeout=WAIT)) for f in futures]
    assert results == [RESULT] * READERS
    assert service.reads == 1


@pytest.mark.asyncio
async def test_two_async_clients_sharing_a_directory_read_once(tmp_path: Path) -> None:
    """The same across asyncio tasks: the file lock is awaited, not blocked on."""
    service = Service()
    service.ready = lambda: service.job_reads >= READERS
    async with service.async_client(tmp_path) as one, service.async_client(tmp_path) as two:
        results = await within(
            asyncio.gather(*((one, two)[i % 2].results(JOB_ID) for i in range(READERS)))
        )
    assert [as_dict(r) for r in results] == [RESULT] * READERS
    assert service.reads == 1


def test_sync_and_async_clients_sharing_a_directory_read_once(tmp_path: Path) -> None:
    """A thread on a Client reading (holding the file lock) and tasks on an AsyncClient on
    the same cache_dir: the tasks wait for the file, and the service is read once."""
    service = Service()
    tasks = 10
    service.ready = lambda: service.job_reads >= 1 + tasks  # every task has missed the cache

    async def readers() -> list[Any]:
        async with service.async_client(tmp_path) as client:
            return await within(asyncio.gather(*(client.results(JOB_ID) for _ in range(tasks))))

    with service.client(tmp_path) as client, ThreadPoolExecutor(1) as pool:
        first = pool.submit(client.results, JOB_ID)
        service.until(lambda: service.reads == 1)  # the thread holds the job's locks
        answers = asyncio.run(readers())
        assert as_dict(first.result(timeout=WAIT)) == RESULT
    assert [as_dict(a) for a in answers] == [RESULT] * tasks
    assert service.reads == 1


# ---------------------------------------------------------------- per-job locks, pruned


def _users(locks: dict[str, Any], job_id: str) -> int:
    claim = locks.get(job_id)
    return 0 if claim is None else int(claim.users)


def test_a_thread_lock_lives_while_it_is_held_or_waited_for(tmp_path: Path) -> None:
    """The job's lock is shared by its holder and every waiter (they take turns), and removed
    when the last of them is done: a reader arriving later makes a fresh one."""
    cache = ResultCache(tmp_path)
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def holder() -> None:
        with cache.reading(JOB_ID, private=True):
            order.append("first in")
            inside.set()
            assert release.wait(WAIT)
            order.append("first out")

    def waiter() -> None:
        with cache.reading(JOB_ID, private=True):
            order.append("second in")

    first = threading.Thread(target=holder)
    first.start()
    assert inside.wait(WAIT)
    second = threading.Thread(target=waiter)
    second.start()
    deadline = time.monotonic() + WAIT
    while _users(cache._thread_locks, JOB_ID) < 2:  # the second is waiting on the same lock
        assert time.monotonic() < deadline
        time.sleep(0.001)
    release.set()
    first.join(WAIT)
    second.join(WAIT)
    assert order == ["first in", "first out", "second in"]
    assert cache._thread_locks == {}
    with cache.reading("another-job", private=True):
        assert list(cache._thread_locks) == ["another-job"]
    assert cache._thread_locks == {}


@pytest.mark.asyncio
async def test_a_task_lock_lives_while_it_is_held_or_waited_for(tmp_path: Path) -> None:
    """The same for tasks, a cancelled waiter included: it leaves, the lock stays for the
    others, and the last one out removes it."""
    cache = ResultCache(tmp_path)
    release = asyncio.Event()
    order: list[str] = []

    async def reader(name: str, hold: bool = False) -> None:
        async with cache.areading(JOB_ID, private=True):
            order.append(f"{name} in")
            if hold:
                await release.wait()

    first = asyncio.ensure_future(reader("first", hold=True))
    await until_async(lambda: order == ["first in"])
    cancelled = asyncio.ensure_future(reader("cancelled"))
    second = asyncio.ensure_future(reader("second"))
    await until_async(lambda: _users(cache._task_locks, JOB_ID) == 3)
    cancelled.cancel()
    await until_async(lambda: _users(cache._task_locks, JOB_ID) == 2)
    release.set()
    await within(asyncio.gather(first, second))
    assert cancelled.cancelled()
    assert order == ["first in", "second in"]
    assert cache._task_locks == {}


def test_forget_with_the_file_prunes_its_lock(tmp_path: Path) -> None:
    """forget(delete_file=True) takes the job's lock too, and leaves none behind."""
    service = Service()
    with service.client(tmp_path) as client:
        client.results(JOB_ID)
        client.result_cache.forget(JOB_ID, delete_file=True)
        assert client.result_cache._thread_locks == {}
