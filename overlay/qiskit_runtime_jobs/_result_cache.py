"""Read-once private results: keep the first successful read, share it, never lose it.

The service deletes a private job's result after the first successful read. So the raw response
body is kept before anyone sees it: in memory, and (with `cache_dir`) in a file. A second call,
a concurrent call, or a new process after a crash gets that copy back instead of asking the
service again, and decoding can always be redone from the kept bytes.

One service read per machine. Readers of one job share one request:
- In one cache (threads, asyncio tasks, or both): single flight. One caller leads, the others
  wait for its answer (a `concurrent.futures.Future`; tasks await it through
  `asyncio.wrap_future`). If that fetch fails, every waiter gets the same error; if its caller
  is cancelled or interrupted, a waiter takes over.
- Across caches sharing a `cache_dir` (two clients, two processes): the leader of a private
  read holds the job's file lock (`<cache_dir>/locks/result-<id>.lock`, see `_locks`) while it
  looks on disk, asks the service and writes the file. A leader elsewhere waits for the lock,
  then finds the file. So a 204 ("read elsewhere") is only believed once no reader sharing the
  directory is still between its read and its write.

Crash safety. The kept file `<id>.result` is a 48-byte header (magic, SHA-256 and length of
the body), then the body. It is written to `.<id>.<random>.tmp` in the same directory (header
first, then the body, straight to the OS; fsync), renamed into place (`os.replace`), and the
directory is fsynced. As the header vouches for the body, a temporary file is recognisably
complete the moment its last byte is written: a process killed after that (before the fsync,
before or after the rename) loses nothing, as the next private read of the job promotes the
complete temporary file, under the lock. Incomplete temporary files (a process killed before
the body was written; the result is then lost, as the service already deleted it) are
deleted by that same read.

Contract with the fetch callable: it returns the raw response body (bytes), or failing that the
parsed result (a generated model, a mapping, the legacy string: re-encoded as JSON here). It
raises `ResultGone` when the service says the result is not there any more (for a private job
that completed: HTTP 204); the cache then raises `ResultAlreadyConsumedError` unless it holds a
copy. Any other exception passes through unchanged.

Policy: private results are kept in memory (and on disk when `cache_dir` is set) until
`forget()`. Non-private results are not kept: the service serves them again, and keeping every
result a long-lived client ever read would only grow memory; their concurrent reads still share
one request (in one cache; no file lock). A copy found in the cache is returned whatever
`private` says. Don't call the sync method from inside a running event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import json
import logging
import os
import struct
import tempfile
import threading
from collections.abc import Awaitable, Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeAlias, TypeVar, cast

from . import _constants as c
from ._errors import ResultAlreadyConsumedError
from ._locks import LOCKS_SUBDIR, async_file_lock, file_lock
from ._stepper import adrive, drive
from ._validation import check_job_id

__all__ = ["FetchedResult", "ResultCache", "ResultGone"]

logger = logging.getLogger(c.LOGGER_NAME)
L = TypeVar("L")

FetchedResult: TypeAlias = bytes | bytearray | memoryview | Mapping[str, Any] | str | Any
"""What a fetch may return: the raw body (preferred), else the parsed result."""

_HEADER: Final = struct.Struct(">8s32sQ")
"""A kept file's header: magic, SHA-256 of the body, length of the body."""
_MAGIC: Final = b"qrjkept1"


class ResultGone(Exception):
    """Raised by a fetch: the service has no result for this job any more (already read)."""


class _Retry:
    """A flight's answer when its leader was cancelled: a waiter leads a new one."""


_RETRY: Final = _Retry()
_Flight: TypeAlias = "concurrent.futures.Future[bytes | _Retry]"
_Steps: TypeAlias = Generator["_Flight | None", Any, bytes]
_Lead: TypeAlias = Generator[None, Any, bytes]


def _awaitable(flight: _Flight) -> Awaitable[bytes | _Retry]:
    """Await a flight from a task; shielded, so a cancelled waiter never cancels the flight."""
    return asyncio.shield(asyncio.wrap_future(flight))


def _as_bytes(value: FetchedResult) -> bytes:
    """The raw body as bytes; a parsed result re-encoded as the JSON it came from."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, Mapping):
        value = to_dict()
    return json.dumps(value, separators=(",", ":")).encode()


def seal(body: bytes) -> bytes:
    """The header that makes a file holding `body` recognisably complete."""
    return _HEADER.pack(_MAGIC, hashlib.sha256(body).digest(), len(body))


def unseal(header: bytes, body: bytes) -> bytes | None:
    """`body` if `header` vouches for it (magic, length, SHA-256), else None (incomplete)."""
    if len(header) != _HEADER.size:
        return None
    magic, digest, length = _HEADER.unpack(header)
    if magic != _MAGIC or length != len(body) or hashlib.sha256(body).digest() != digest:
        return None
    return body


class ResultCache:
    """Kept copies of result bodies, by job id, plus the single-flight bookkeeping."""

    def __init__(self, cache_dir: Path | str | None = None) -> None:
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self._lock = threading.Lock()
        self._memory: dict[str, bytes] = {}
        self._unsaved: set[str] = set()  # kept in memory, but the disk write failed
        self._flights: dict[str, _Flight] = {}

    # -------------------------------------------------------------- public API

    def get(self, job_id: str) -> bytes | None:
        """The kept copy (memory, then disk), without fetching."""
        key = check_job_id(job_id)
        with self._lock:
            data = self._memory.get(key)
        return data if data is not None else self._read_kept(key)

    def forget(self, job_id: str, *, delete_file: bool = False) -> None:
        """Drop the in-memory copy (and the file too, if asked)."""
        key = check_job_id(job_id)
        with self._lock:
            self._memory.pop(key, None)
            self._unsaved.discard(key)
        if delete_file and self.cache_dir is not None:
            self._path(key).unlink(missing_ok=True)

    def get_or_fetch(
        self, job_id: str, fetch: Callable[[], FetchedResult], *, private: bool
    ) -> bytes:
        """The result body: the kept copy, else one shared `fetch()`, kept before returning.

        Raises `ResultAlreadyConsumedError` if the fetch raises `ResultGone` and no copy is
        kept; an `OSError` if the disk copy cannot be written (the body stays in memory, so
        calling again returns it and retries the write).
        """
        key = check_job_id(job_id)

        def perform(flight: _Flight | None) -> bytes | _Retry:
            if flight is not None:
                return flight.result()
            with self._disk_lock(key, private, file_lock):
                return drive(self._lead(key, private), lambda _: fetch())

        return drive(self._steps(key), perform)

    async def async_get_or_fetch(
        self, job_id: str, fetch: Callable[[], Awaitable[FetchedResult]], *, private: bool
    ) -> bytes:
        """`get_or_fetch` for asyncio: same rules, awaiting `fetch()`, the shared flight and
        the file lock."""
        key = check_job_id(job_id)

        async def perform(flight: _Flight | None) -> bytes | _Retry:
            if flight is not None:
                return await _awaitable(flight)
            async with self._disk_lock(key, private, async_file_lock):
                return await adrive(self._lead(key, private), lambda _: fetch())

        return await adrive(self._steps(key), perform)

    # -------------------------------------------------------------- single flight

    def _steps(self, key: str) -> _Steps:
        """One read, written once for both drivers: yields a flight to wait on, or None to
        have the driver lead (run `_lead` under the file lock); the driver sends back the
        answer or throws the error."""
        while True:
            joined = self._join(key)
            if isinstance(joined, bytes):
                return joined
            flight, leader = joined
            if not leader:
                answer = yield flight
                if isinstance(answer, _Retry):
                    continue
                return cast(bytes, answer)
            with self._leading(key, flight) as lead:
                lead.append((yield None))
            return lead[0]

    def _join(self, key: str) -> bytes | tuple[_Flight, bool]:
        """A kept copy, or (the flight to wait on, False), or (a new flight to lead, True)."""
        with self._lock:
            data = self._memory.get(key)
            if data is not None and key not in self._unsaved:
                return data
            flight = self._flights.get(key)
            if flight is not None:
                return flight, False
            flight = concurrent.futures.Future()
            flight.set_running_or_notify_cancel()  # a running future cannot be cancelled
            self._flights[key] = flight
            return flight, True

    @contextlib.contextmanager
    def _leading(self, key: str, flight: _Flight) -> Iterator[list[bytes]]:
        """Settle the flight with the leader's answer, its error, or `_RETRY` if cancelled."""
        lead: list[bytes] = []
        try:
            yield lead
        except Exception as error:
            self._land(key, flight)
            flight.set_exception(error)
            raise
        except BaseException:  # cancelled or interrupted: not an answer, let a waiter lead
            self._land(key, flight)
            flight.set_result(_RETRY)
            raise
        self._land(key, flight)
        flight.set_result(lead[0])

    def _land(self, key: str, flight: _Flight) -> None:
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]

    # -------------------------------------------------------------- leading

    def _disk_lock(
        self, key: str, private: bool, lock: Callable[[Path, str], L]
    ) -> L | contextlib.nullcontext[None]:
        """The job's file lock (`lock` makes the sync or async one) when a private result is
        kept on disk; nothing to share otherwise."""
        if self.cache_dir is None or not private:
            return contextlib.nullcontext()
        return lock(self.cache_dir / LOCKS_SUBDIR, f"result-{key}")

    def _lead(self, key: str, private: bool) -> _Lead:
        """The leader's read, under the file lock: a copy still to be written, else the kept
        file (recovered after a crash), else one fetch (yield None), kept if private."""
        with self._lock:
            data = self._memory.get(key) if key in self._unsaved else None
        if data is None:
            data = self._recover(key) if private else self._read_kept(key)
            if data is not None:
                return data
            try:
                data = _as_bytes((yield None))
            except ResultGone as gone:
                raise ResultAlreadyConsumedError(key) from gone
            if not private:
                return data
        return self._keep(key, data)

    def _keep(self, key: str, data: bytes) -> bytes:
        """Keep a private body in memory first (it is never lost), then on disk."""
        with self._lock:
            self._memory[key] = data
            if self.cache_dir is None:
                return data
            self._unsaved.add(key)
        self._write_file(key, data)
        with self._lock:
            self._unsaved.discard(key)
        return data

    # -------------------------------------------------------------- disk

    def _path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / f"{key}.result"  # key is a checked job id: no path tricks

    def _remember(self, key: str, data: bytes | None) -> bytes | None:
        if data is not None:
            with self._lock:
                data = self._memory.setdefault(key, data)
        return data

    def _read_kept(self, key: str) -> bytes | None:
        """The kept file's body (remembered in memory), or None."""
        if self.cache_dir is None:
            return None
        return self._remember(key, _read_sealed(self._path(key)))

    def _recover(self, key: str) -> bytes | None:
        """Under the job's lock: the kept file, else a complete temporary file that a crashed
        writer left (promoted to the kept file). Other temporary files are deleted."""
        found = self._read_kept(key)
        if self.cache_dir is None:
            return found
        for temp in self.cache_dir.glob(f".{key}.*.tmp"):
            body = None if found is not None else _read_sealed(temp)
            if body is None:
                logger.info("deleting %s, left incomplete or superseded by a kept copy", temp)
                temp.unlink(missing_ok=True)
                continue
            logger.warning("recovering the result of job %s from an interrupted write", key)
            os.replace(temp, self._path(key))
            _fsync_dir(self.cache_dir)
            found = self._remember(key, body)
        return found

    def _write_file(self, key: str, data: bytes) -> None:
        """Write atomically: readers see no file or the whole file, never a part."""
        assert self.cache_dir is not None
        self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp: mode 0600, private results stay private
        fd, temp = tempfile.mkstemp(dir=self.cache_dir, prefix=f".{key}.", suffix=".tmp")
        try:
            try:
                _write_all(fd, seal(data))
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self._path(key))
        except Exception:  # a failed write; an interrupted one is left for `_recover`
            Path(temp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.cache_dir)


def _read_sealed(path: Path) -> bytes | None:
    """The body of a kept (or temporary) file, or None when it is missing or incomplete."""
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER.size)
            body = file.read()
    except FileNotFoundError:
        return None
    return unseal(header, body)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to the OS (unbuffered: nothing waits in this process's memory)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
